export { listSolutionFlows, locateFlow, readFlowFile, readSolution } from './locate.js';
export type { LocatedFlow } from './locate.js';
export { formatRunText, runFlowRequest } from './run.js';
export type { FlowRunReport, FlowRunRequest } from './run.js';
