export type { WdlExpr, WdlTemplate, WdlTemplatePart } from './ast.js';
export { isExpressionString, parseExpression, parseTemplate, positionOf, WdlSyntaxError } from './parser.js';
export { checkFlowExpressions, parseIfExpression, walkFlowExpressions } from './walk.js';
export type { FlowExpressionError, FlowExpressionString } from './walk.js';
