export { listSolutionFlows, locateFlow, readFlowFile, readSolution } from './locate.js';
export type { LocatedFlow } from './locate.js';
export { formatRunText, runFlowRequest } from './run.js';
export type { FlowRunReport, FlowRunRequest } from './run.js';
export { emulatorHttp, sharedVirtualClock, startLocalEmulator } from './emulator-http.js';
export type { HttpCounters, LocalEmulator } from './emulator-http.js';
export { appIdOf, EMULATOR_SECRET_REFERENCE, emulatorStoreSeed } from './emulator-seed.js';
export { defaultFlows, SIMULATION_END, simulateFlows } from './simulate.js';
export type { SimulateRequest, SimulationSummary } from './simulate.js';
