import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSolutionSource } from '../../src/audit-solution/source.js';
import { refuseSecretOptions } from '../../src/cli/secret-options.js';
import { parseConfigText } from '../../src/config/index.js';
import { loadConnectorSource } from '../../src/connector/index.js';
import { UsageError } from '../../src/errors.js';
import { yamlLocatorOperations } from '../../src/io/index.js';
import { isSecretLikeName, showValue } from '../../src/redact.js';
import { REPO_ROOT, runCliInProcess } from '../helpers/run-cli.js';

/** A canary shaped like an Entra client secret: any output holding it is a leak. */
const CANARY = 'Xy7' + '8Q~' + 'CanaryValue.NeverPrinted_0123456789abc';
const GUID = '11111111-2222-3333-4444-555555555555';
const work = mkdtempSync(join(tmpdir(), 'coe-audit-canary-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function problems(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('the redaction rule', () => {
  it('names: secret-like unless they say where the secret is', () => {
    for (const n of ['clientSecret', 'client_secret', '--client-secret', 'password', '--passwd', 'apiKey', 'api-key', 'accessToken', 'privateKey', 'certificate', 'clientCertificateKey']) expect(isSecretLikeName(n), n).toBe(true);
    for (const n of ['--client-secret-file', 'keyVaultSecretReference', 'clientId', 'tokenUrl', 'token', '--certificate-file', 'admin_AuditLogsClientAzureSecretId']) expect(isSecretLikeName(n), n).toBe(false);
  });

  it('values: never shown for a secret-like name or a secret-shaped value', () => {
    expect(showValue('tenantId', 'x')).toBe('"x"');
    expect(showValue('clientSecret', 'x')).toBe('(value not shown)');
    expect(showValue('tenantId', CANARY)).toBe('(value not shown)');
  });
});

describe('secret-like options', () => {
  it.each([
    [['doctor', `--client-secret=${CANARY}`]],
    [['doctor', `--password=${CANARY}`]],
    [['subscription', 'list', '--client-secret', CANARY]],
    [['build', `--api-key=${CANARY}`]],
    [['csv', 'inspect', 'x.csv', `--my-token-secret=${CANARY}`]],
  ])('%j is refused, naming the option only and pointing at COE_AUDIT_CLIENT_SECRET', async (args) => {
    const r = await runCliInProcess(args);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    expect(r.stderr).toMatch(/^coe-audit: error: --[a-z-]+: secrets are never taken on the command line .*COE_AUDIT_CLIENT_SECRET/);
  });

  it('is one small function that passes --client-secret-file and arguments after --', () => {
    expect(() => refuseSecretOptions(['doctor', '--client-secret-file', 'f', '--', '--password=x'])).not.toThrow();
    expect(() => refuseSecretOptions(['--password'])).toThrow(/--password: secrets are never taken/);
  });

  it('--client-secret-file given the secret itself does not echo it', async () => {
    const r = await runCliInProcess(['subscription', 'list', '--tenant-id', GUID, '--client-id', GUID, '--client-secret-file', CANARY], { cwd: work, env: {} });
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    expect(r.stderr).toMatch(/--client-secret-file: no file at the path given/);
  });
});

describe('config validation never quotes a secret', () => {
  it.each([
    ['tenantId', `tenantId: ${CANARY}\n`],
    ['clientId', `cloudSettings:\n  gcc:\n    clientId: ${CANARY}\n`],
    ['keyVaultSecretReference', `keyVaultSecretReference: ${CANARY}\n`],
    ['connector.clientId', `connector:\n  clientId: ${CANARY}\n`],
    ['a secret-like key', `connector:\n  apiKey: ${CANARY}\n`],
  ])('%s', (_name, text) => {
    const m = problems(() => parseConfigText(text, 'c.yaml'));
    expect(m).not.toContain(CANARY);
    expect(m).toMatch(/^c\.yaml:\d+:\d+: /);
  });

  it('a non-GUID connector.clientId is refused (it would reach apiProperties.json and the connection parameters)', () => {
    expect(problems(() => parseConfigText('connector:\n  clientId: my-app\n', 'c.yaml'))).toMatch(/connector\.clientId has an invalid value "my-app" \(expected a GUID/);
    expect(parseConfigText(`connector:\n  clientId: ${GUID}\n`, 'c.yaml').connector?.clientId).toBe(GUID);
  });
});

describe('unknown keys in the config cost linear work', () => {
  it('twice the keys, about twice the work (counted, not timed)', () => {
    const cost = (n: number) => {
      const text = Array.from({ length: n }, (_, i) => `unknownKey${i}: ${i}`).join('\n') + '\n';
      const before = yamlLocatorOperations();
      expect(problems(() => parseConfigText(text, 'c.yaml')).split('\n')).toHaveLength(n);
      return yamlLocatorOperations() - before;
    };
    const a = cost(1000);
    const b = cost(2000);
    expect(a).toBeGreaterThan(0);
    expect(b / a).toBeLessThan(2.5);
  });
});

describe('secrets never reach a built artefact', () => {
  const solutionText = readFileSync(join(REPO_ROOT, 'solution', 'solution.yaml'), 'utf8');

  it('a default on a secret environment variable in solution.yaml is refused without quoting it', () => {
    for (const name of ['admin_AuditLogsClientSecret', 'admin_AuditLogsClientAzureSecret']) {
      const text = solutionText.replace(new RegExp(`(- schemaName: ${name}\\n)`), `$1    default: ${CANARY}\n`);
      expect(text).not.toBe(solutionText);
      const m = problems(() => parseSolutionSource(text, 'solution.yaml'));
      expect(m).toMatch(new RegExp(`^solution\\.yaml:\\d+:\\d+: ${name} holds a secret, so it takes no default`));
      expect(m).not.toContain(CANARY);
    }
  });

  it('clientSecret under oAuthSettings in apiProperties.yaml is refused without quoting it', () => {
    const root = join(work, 'connector');
    cpSync(join(REPO_ROOT, 'connector'), root, { recursive: true });
    const file = join(root, 'apiProperties.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/( +)identityProvider: aad\n/, `$1identityProvider: aad\n$1clientSecret: ${CANARY}\n`));
    const m = problems(() => loadConnectorSource(root));
    expect(m).toMatch(/apiProperties\.yaml:12:9: 'properties\.connectionParameters\.token\.oAuthSettings\.clientSecret' holds a value that looks like a secret/);
    expect(m).not.toContain(CANARY);
    // null (the schema's placeholder) is fine.
    writeFileSync(file, text.replace(/( +)identityProvider: aad\n/, '$1identityProvider: aad\n$1clientSecret: null\n'));
    expect(() => loadConnectorSource(root)).not.toThrow();
  });
});
