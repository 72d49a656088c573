import { countBySeverity, formatPath, sortDiagnostics, type Diagnostic } from '../diagnostic.js';

/** Human output, grouped by file, one finding per line, with a summary. */
export function formatStylish(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return 'No findings.\n';
  const sorted = sortDiagnostics(diagnostics);
  const lines: string[] = [];
  let file: string | undefined;
  for (const d of sorted) {
    if (d.file !== file) {
      if (file !== undefined) lines.push('');
      file = d.file;
      lines.push(d.file);
    }
    const where = d.line !== undefined ? `${d.line}:${d.column ?? 1}` : formatPath(d.path) || '(root)';
    lines.push(`  ${where}  ${d.severity.padEnd(5)}  ${d.message}  ${d.code}`);
  }
  const c = countBySeverity(diagnostics);
  lines.push('');
  lines.push(
    `${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'} ` +
      `(${c.error} error${c.error === 1 ? '' : 's'}, ${c.warn} warning${c.warn === 1 ? '' : 's'}, ${c.info} info, ${c.hint} hint${c.hint === 1 ? '' : 's'})`,
  );
  return lines.join('\n') + '\n';
}
