import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText, settingsForCloud } from '../../src/config/index.js';
import { UsageError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const T = '11111111-2222-3333-4444-555555555555';

function problemsOf(text: string) {
  try {
    parseConfigText(text, 'coe-audit.config.yaml');
  } catch (e) {
    if (e instanceof UsageError) return e.problems;
    throw e;
  }
  return [];
}

describe('coe-audit.config.yaml', () => {
  it('accepts a full configuration', () => {
    const cfg = parseConfigText(
      [
        'cloud: UsGovHigh',
        `tenantId: ${T}`,
        'clouds: [commercial, gcchigh]',
        'solution:',
        '  version: 1.2.0.0',
        '  publisher: { uniqueName: contoso, prefix: cts, optionValuePrefix: 12345 }',
        'cloudSettings:',
        '  gcchigh:',
        '    redirectUrl: https://example.invalid/redirect',
      ].join('\n'),
      'f.yaml',
    );
    expect(cfg.solution?.publisher?.prefix).toBe('cts');
    expect(settingsForCloud(cfg, 'gcchigh')).toEqual({ tenantId: T, redirectUrl: 'https://example.invalid/redirect' });
    expect(settingsForCloud(cfg, 'dod')).toEqual({ tenantId: T });
  });

  it.each([
    ['unknown key', 'tenantID: x\n', 1, 1, /unknown key 'tenantID'/],
    ['bad guid', 'tenantId: not-a-guid\n', 1, 11, /tenantId has an invalid value "not-a-guid" \(expected a GUID/],
    ['bad cloud', 'clouds:\n  - china\n', 2, 5, /clouds\.0 has an invalid value "china"/],
    ['bad key vault reference', 'keyVaultSecretReference: /secrets/x\n', 1, 26, /Microsoft\.KeyVault\/vaults/],
    ['secret key', 'connector:\n  clientSecret: hunter2\n', 2, 3, /looks like a secret; secrets never go in the config file/],
    ['wrong type', 'solution:\n  publisher:\n    optionValuePrefix: "59791"\n', 3, 24, /must be integer/],
  ])('reports %s with line and column', (_name, text, line, column, message) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'coe-audit.config.yaml', line, column });
    expect(problems[0]!.message).toMatch(message);
  });

  it('finds the file in the working directory, or serves defaults', () => {
    const dir = makeTempDir('config');
    expect(loadConfig({ cwd: dir })).toEqual({ config: {} });
    writeFileSync(join(dir, 'coe-audit.config.yaml'), 'cloud: gcc\n');
    expect(loadConfig({ cwd: dir }).config).toEqual({ cloud: 'gcc' });
    expect(() => loadConfig({ cwd: dir, explicitPath: 'missing.yaml' })).toThrow(/missing\.yaml: config file not found/);
  });
});
