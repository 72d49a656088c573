import type { Diagnostic, RuleMeta } from '../diagnostic.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export const FORMATS = ['stylish', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  format: Format,
  context: { toolVersion: string; rules: readonly RuleMeta[]; docsBaseUrl: string },
): string {
  switch (format) {
    case 'stylish':
      return formatStylish(diagnostics);
    case 'json':
      return formatJson(diagnostics);
    case 'sarif':
      return formatSarif(diagnostics, context);
  }
}

export { formatJson, formatSarif, formatStylish };
