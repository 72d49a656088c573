import { exitCodeFor, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, type Format } from '../diagnostics/formatters/index.js';
import type { CliContext } from './context.js';

/**
 * How every validator command reports: findings in the chosen format on stdout, exit 1 at or above the fail
 * severity. The rule catalogue (which loads every validator's rules) is imported only here, when needed.
 */
export async function reportFindings(
  ctx: CliContext,
  diagnostics: readonly Diagnostic[],
  opts: { format: Format; failSeverity: Severity },
): Promise<void> {
  const { ALL_RULES, RULE_DOCS_BASE_URL } = await import('./rule-catalog.js');
  ctx.stdout(formatDiagnostics(diagnostics, opts.format, { toolVersion: ctx.version, rules: ALL_RULES, docsBaseUrl: RULE_DOCS_BASE_URL }));
  ctx.exitCode = exitCodeFor(diagnostics, opts.failSeverity);
}
