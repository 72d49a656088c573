export type { WdlExpr, WdlTemplate, WdlTemplatePart } from './ast.js';
export { isExpressionString, parseExpression, parseTemplate, positionOf, WdlSyntaxError } from './parser.js';
export { checkFlowExpressions, parseIfExpression, walkFlowExpressions } from './walk.js';
export type { FlowExpressionError, FlowExpressionString } from './walk.js';
export { evaluate, evaluateDeep, evaluateString, evaluateTemplate } from './evaluate.js';
export type { EvalContext } from './evaluate.js';
export { toWdlString, WdlEvalError, WdlUnsupportedError } from './values.js';
export type { WdlObject, WdlValue } from './values.js';
export { formatInstant, parseTimestamp } from './datetime.js';
export { FlowDefinitionError, runFlow } from './runner/engine.js';
export { BULK_MAX_TARGETS, DataverseError, RunAbortedError } from './runner/types.js';
export { DATAVERSE_API, rowTriggerOf } from './runner/row-trigger.js';
export type { RowMessage, RowTrigger } from './runner/row-trigger.js';
export type {
  ActionRecord,
  ActionStatus,
  BulkMessage,
  DataverseStore,
  HttpFunction,
  HttpRequest,
  HttpResponse,
  ListRecordsQuery,
  RunOptions,
  RunResult,
  RunStats,
  RunStatus,
} from './runner/types.js';
