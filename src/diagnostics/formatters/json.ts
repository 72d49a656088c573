import { sortDiagnostics, type Diagnostic } from '../diagnostic.js';

/** Machine output: an array of Diagnostics with a fixed key order (docs/diagnostics.md has its schema). */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const rows = sortDiagnostics(diagnostics).map((d) => {
    const row: Record<string, unknown> = { code: d.code, severity: d.severity, path: d.path, message: d.message, file: d.file };
    if (d.line !== undefined) row.line = d.line;
    if (d.column !== undefined) row.column = d.column;
    return row;
  });
  return JSON.stringify(rows, null, 2) + '\n';
}
