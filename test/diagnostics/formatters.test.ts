import { describe, expect, it } from 'vitest';
import {
  ajvErrorsToDiagnostics,
  exitCodeFor,
  formatJson,
  formatSarif,
  formatStylish,
  sortDiagnostics,
  type Diagnostic,
} from '../../src/diagnostics/index.js';
import { Ajv } from 'ajv';

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  code: 'connector-title-length',
  severity: 'error',
  path: ['info', 'title'],
  message: 'title is 35 characters; the limit is 30',
  file: 'apiDefinition.swagger.json',
  ...over,
});

describe('diagnostics', () => {
  it('maps findings to exit codes by fail severity', () => {
    expect(exitCodeFor([])).toBe(0);
    expect(exitCodeFor([d({ severity: 'warn' })])).toBe(0);
    expect(exitCodeFor([d({ severity: 'warn' })], 'warn')).toBe(1);
    expect(exitCodeFor([d({ severity: 'hint' })], 'info')).toBe(0);
    expect(exitCodeFor([d({})], 'error')).toBe(1);
  });

  it('sorts deterministically by file, path, code', () => {
    const a = d({ file: 'b.json' });
    const b = d({ file: 'a.json', path: ['z'] });
    const c = d({ file: 'a.json', path: ['a'] });
    expect(sortDiagnostics([a, b, c])).toEqual([c, b, a]);
  });

  it('writes JSON with a fixed key order', () => {
    const out = JSON.parse(formatJson([d({ line: 3, column: 7 })])) as Record<string, unknown>[];
    expect(Object.keys(out[0]!)).toEqual(['code', 'severity', 'path', 'message', 'file', 'line', 'column']);
  });

  it('writes SARIF 2.1.0 that links rule docs', () => {
    const sarif = JSON.parse(
      formatSarif([d({}), d({ severity: 'warn', code: 'connector-summary-length', path: [] })], {
        toolVersion: '1.2.3',
        rules: [{ code: 'connector-title-length', severity: 'error', description: 'Title at most 30 characters.', docsPage: 'docs/rules/connector.md' }],
        docsBaseUrl: 'https://example.invalid/coe-audit',
      }),
    ) as { version: string; runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; level: string; ruleIndex: number }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['connector-summary-length', 'connector-title-length']);
    expect(run.tool.driver.rules[1]!.helpUri).toBe('https://example.invalid/coe-audit/docs/rules/connector.md#connector-title-length');
    expect(run.results.map((r) => [r.ruleId, r.level, r.ruleIndex])).toEqual([
      ['connector-summary-length', 'warning', 0],
      ['connector-title-length', 'error', 1],
    ]);
  });

  it('writes stylish text grouped by file with a summary', () => {
    expect(formatStylish([])).toBe('No findings.\n');
    const text = formatStylish([d({}), d({ severity: 'warn', file: 'apiProperties.json', path: ['properties'] })]);
    expect(text).toContain('apiDefinition.swagger.json\n  info.title  error  title is 35 characters; the limit is 30  connector-title-length');
    expect(text).toContain('2 findings (1 error, 1 warning, 0 info, 0 hints)');
  });

  it('adapts ajv errors into diagnostics with paths and allowed values', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile({
      type: 'object',
      required: ['properties'],
      properties: { properties: { type: 'object', properties: { mode: { enum: ['Global', 'Direct'] } }, additionalProperties: false } },
    });
    validate({ properties: { mode: 'GlobalPerConnector', extra: 1 } });
    const diags = ajvErrorsToDiagnostics(validate.errors, { code: 'connector-api-properties-schema', file: 'apiProperties.json' });
    expect(diags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['properties', 'mode'], message: 'must be one of: "Global", "Direct"' }),
        expect.objectContaining({ path: ['properties'], message: "unknown property 'extra'" }),
      ]),
    );
    validate({});
    expect(ajvErrorsToDiagnostics(validate.errors, { code: 'x', file: 'f' })[0]!.message).toBe("missing required property 'properties'");
  });
});
