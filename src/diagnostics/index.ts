export {
  atLeast,
  countBySeverity,
  exitCodeFor,
  formatPath,
  isSeverity,
  SEVERITIES,
  sortDiagnostics,
  type Diagnostic,
  type RuleMeta,
  type Severity,
} from './diagnostic.js';
export { ajvErrorsToDiagnostics } from './ajv-adapter.js';
export { FORMATS, formatDiagnostics, formatJson, formatSarif, formatStylish, type Format } from './formatters/index.js';
