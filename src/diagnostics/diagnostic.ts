/**
 * The one finding type of every validator in coe-audit (connector, solution, flows, config).
 * Formatters, summaries and exit codes read nothing else.
 */

export type Severity = 'error' | 'warn' | 'info' | 'hint';

export const SEVERITIES: readonly Severity[] = ['error', 'warn', 'info', 'hint'];

export interface Diagnostic {
  /** Stable kebab-case rule code, prefixed by artefact (`connector-`, `cloud-`, `solution-`, `flow-`, `envvar-`, `config-`). */
  code: string;
  severity: Severity;
  /** Location inside the document: JSON path segments, or XML element path segments. */
  path: (string | number)[];
  message: string;
  /** The file the finding is about, relative to the folder that was validated when possible. */
  file: string;
  /** 1-based position when known (YAML/XML sources). */
  line?: number;
  column?: number;
}

/** What a rule is, for docs, SARIF rule metadata and the rule-docs test. */
export interface RuleMeta {
  code: string;
  severity: Severity;
  /** One sentence: what the rule checks. */
  description: string;
  /** The docs page under docs/rules/ that holds its Why / Bad / Good entry. */
  docsPage: string;
}

const RANK: Record<Severity, number> = { error: 0, warn: 1, info: 2, hint: 3 };

/** True when `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] <= RANK[threshold];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** Deterministic order: file, then path, then code, then message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      cmp(a.path.join('\u0000'), b.path.join('\u0000')) ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warn: 0, info: 0, hint: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/** Exit status of a validator: 1 when any finding is at or above the fail severity, else 0. */
export function exitCodeFor(diagnostics: readonly Diagnostic[], failSeverity: Severity = 'error'): 0 | 1 {
  return diagnostics.some((d) => atLeast(d.severity, failSeverity)) ? 1 : 0;
}

/** Renders a path for humans: `paths./x.get.responses.200`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
