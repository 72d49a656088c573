import { formatPath, sortDiagnostics, type Diagnostic, type RuleMeta, type Severity } from '../diagnostic.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warn: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, one run, rules described from the rule catalogue so code-scanning UIs can link the docs. */
export function formatSarif(
  diagnostics: readonly Diagnostic[],
  context: { toolVersion: string; rules: readonly RuleMeta[]; docsBaseUrl: string },
): string {
  const sorted = sortDiagnostics(diagnostics);
  const used = [...new Set(sorted.map((d) => d.code))].sort();
  const rules = used.map((code) => {
    const meta = context.rules.find((r) => r.code === code);
    return {
      id: code,
      shortDescription: { text: meta?.description ?? code },
      helpUri: `${context.docsBaseUrl}/${meta?.docsPage ?? 'docs/rules/README.md'}#${code}`,
      defaultConfiguration: { level: LEVEL[meta?.severity ?? 'error'] },
    };
  });
  const results = sorted.map((d) => ({
    ruleId: d.code,
    ruleIndex: used.indexOf(d.code),
    level: LEVEL[d.severity],
    message: { text: d.path.length > 0 ? `${d.message} (at ${formatPath(d.path)})` : d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: d.file.split('\\').join('/') },
          ...(d.line !== undefined ? { region: { startLine: d.line, startColumn: d.column ?? 1 } } : {}),
        },
        logicalLocations: d.path.length > 0 ? [{ fullyQualifiedName: formatPath(d.path) }] : undefined,
      },
    ],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'coe-audit', version: context.toolVersion, informationUri: context.docsBaseUrl, rules } }, results }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
