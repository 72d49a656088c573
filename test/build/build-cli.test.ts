import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const work = makeTempDir('build');

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, prefix: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${n}/`);
      else out.set(`${prefix}${n}`, readFileSync(p));
    }
  };
  walk(dir, '');
  return out;
}

describe('coe-audit build (built CLI)', () => {
  it('builds both editions of the four clouds into dist/<cloud>/<edition>/ with the summary on stderr and a JSON result on stdout', async () => {
    const cwd = mkdtempSync(join(work, 'a-'));
    const r = await runBuiltCli(['build', '--output', 'json'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('cloud');
    expect(r.stderr).toContain('built 4 cloud(s), edition coe and standalone');
    const report = JSON.parse(r.stdout) as { clouds: { cloud: string; edition: string; files: { path: string }[] }[]; exitCode: number };
    expect(report.clouds.map((c) => `${c.cloud}/${c.edition}`)).toEqual(['commercial', 'gcc', 'gcchigh', 'dod'].flatMap((c) => [`${c}/coe`, `${c}/standalone`]));
    expect(r.stderr).toContain('building dod (4 of 4)');
    expect(readdirSync(join(cwd, 'dist')).sort()).toEqual(['commercial', 'dod', 'gcc', 'gcchigh']);
    for (const c of ['commercial', 'gcc', 'gcchigh', 'dod']) {
      expect(readdirSync(join(cwd, 'dist', c)).sort()).toEqual(['coe', 'standalone']);
      for (const [edition, name] of [['coe', 'CoEAuditLogs'], ['standalone', 'CoEAuditLogsStandalone']] as const) {
        const dir = join(cwd, 'dist', c, edition);
        expect(readdirSync(dir).sort()).toEqual([`${name}_${c}.zip`, `${name}_${c}_managed.zip`, 'connector', 'deployment-settings.json', 'solution', 'validation.json']);
        const zip = readFileSync(join(dir, `${name}_${c}_managed.zip`));
        expect(zip.subarray(0, 4).toString('hex')).toBe('504b0304');
        expect(JSON.parse(readFileSync(join(dir, 'validation.json'), 'utf8')).findings.error).toBe(0);
      }
    }
    // What build wrote passes the validators of the other commands, folder and zips alike.
    for (const c of ['commercial', 'gcchigh']) {
      for (const [edition, name] of [['coe', 'CoEAuditLogs'], ['standalone', 'CoEAuditLogsStandalone']] as const) {
        for (const input of ['solution', `${name}_${c}.zip`, `${name}_${c}_managed.zip`]) {
          const v = await runBuiltCli(['solution', 'validate', join('dist', c, edition, input)], { cwd });
          expect(v.status, `${c}/${edition}/${input}: ${v.stdout}`).toBe(0);
        }
      }
      const cv = await runBuiltCli(['connector', 'validate', join('dist', c, 'coe', 'connector')], { cwd });
      expect(cv.status, `${c}/connector: ${cv.stdout}`).toBe(0);
    }
  }, 240_000);

  it('prints on stdout, per cloud and edition, the zip, the pac import command with its settings file and what is still to set', async () => {
    const cwd = mkdtempSync(join(work, 'p-'));
    const r = await runBuiltCli(['build', '--cloud', 'gcchigh', '--packagetype', 'Unmanaged'], { cwd, env: { COE_AUDIT_TENANT_ID: '33333333-3333-4333-8333-333333333333' } });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('gcchigh coe: dist/gcchigh/coe/CoEAuditLogs_gcchigh.zip');
    expect(lines).toContain('  pac auth create --cloud UsGovHigh --environment <environment URL>');
    expect(lines).toContain('  pac solution import --path dist/gcchigh/coe/CoEAuditLogs_gcchigh.zip --settings-file dist/gcchigh/coe/deployment-settings.json --publish-changes');
    expect(lines).toContain('gcchigh standalone: dist/gcchigh/standalone/CoEAuditLogsStandalone_gcchigh.zip');
    expect(lines).toContain('  pac solution import --path dist/gcchigh/standalone/CoEAuditLogsStandalone_gcchigh.zip --settings-file dist/gcchigh/standalone/deployment-settings.json --publish-changes');
    // Given the tenant id, the standalone edition still names the client id, the secret and the connection.
    const standalone = r.stdout.slice(r.stdout.indexOf('gcchigh standalone'));
    expect(standalone).toMatch(/- coeaudit_AuditLogsClientID: pass --client-id/);
    expect(standalone).toMatch(/- coeaudit_AuditLogsClientAzureSecret: /);
    expect(standalone).toMatch(/- coeaudit_AuditLogsDataverse: ConnectionId/);
    expect(standalone).not.toMatch(/- coeaudit_TenantID/);
    const settings = JSON.parse(readFileSync(join(cwd, 'dist', 'gcchigh', 'standalone', 'deployment-settings.json'), 'utf8')) as { EnvironmentVariables: { SchemaName: string; Value: string }[] };
    expect(settings.EnvironmentVariables).toContainEqual({ SchemaName: 'coeaudit_TenantID', Value: '33333333-3333-4333-8333-333333333333' });
    // A flag wins over the environment; a value that is not a GUID is refused (exit 2).
    const flag = await runBuiltCli(['build', '--cloud', 'gcchigh', '--edition', 'standalone', '--tenant-id', '44444444-4444-4444-8444-444444444444', '--client-id', '55555555-5555-4555-8555-555555555555'], { cwd, env: { COE_AUDIT_TENANT_ID: '33333333-3333-4333-8333-333333333333' } });
    expect(flag.status, flag.stderr).toBe(0);
    expect(flag.stdout).not.toContain('gcchigh coe');
    expect(flag.stdout).not.toMatch(/- coeaudit_(TenantID|AuditLogsClientID)/);
    const s2 = readFileSync(join(cwd, 'dist', 'gcchigh', 'standalone', 'deployment-settings.json'), 'utf8');
    expect(s2).toContain('44444444-4444-4444-8444-444444444444');
    expect(s2).toContain('55555555-5555-4555-8555-555555555555');
    expect((await runBuiltCli(['build', '--cloud', 'gcchigh', '--tenant-id', 'contoso.onmicrosoft.com'], { cwd })).status).toBe(2);
    expect((await runBuiltCli(['build', '--cloud', 'gcchigh'], { cwd, env: { COE_AUDIT_CLIENT_ID: 'my-app' } })).status).toBe(2);
    expect((await runBuiltCli(['build', '--edition', 'both'], { cwd })).status).toBe(2);
  }, 240_000);

  it('builds byte-identical output twice, and --check says so (0) or names the difference (1)', async () => {
    const one = mkdtempSync(join(work, 'b-'));
    const two = mkdtempSync(join(work, 'c-'));
    expect((await runBuiltCli(['build', '--quiet'], { cwd: one })).status).toBe(0);
    expect((await runBuiltCli(['build', '--quiet'], { cwd: two })).status).toBe(0);
    const a = files(join(one, 'dist'));
    const b = files(join(two, 'dist'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, v] of a) expect(v.equals(b.get(k)!), k).toBe(true);

    expect((await runBuiltCli(['build', '--check'], { cwd: one })).status).toBe(0);
    const settings = join(one, 'dist', 'gcc', 'standalone', 'deployment-settings.json');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('gcc', 'GCC'));
    writeFileSync(join(one, 'dist', 'dod', 'coe', 'stray.txt'), 'x');
    const check = await runBuiltCli(['build', '--check', '--output', 'json'], { cwd: one });
    expect(check.status).toBe(1);
    expect(JSON.parse(check.stdout).differences).toEqual(['differs: gcc/standalone/deployment-settings.json', 'not produced by this build: dod/coe/stray.txt']);
  }, 240_000);

  it('builds one cloud into --output-directory and takes tenant and client ids from --config', async () => {
    const cwd = mkdtempSync(join(work, 'd-'));
    writeFileSync(
      join(cwd, 'my.yaml'),
      'tenantId: 11111111-1111-1111-1111-111111111111\ncloudSettings:\n  gcchigh:\n    clientId: 22222222-2222-2222-2222-222222222222\n',
    );
    const r = await runBuiltCli(['build', '--cloud', 'UsGovHigh', '--config', 'my.yaml', '--output-directory', 'out', '--packagetype', 'managed', '--timestamp', '2026-01-02T03:04:06Z'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'out'))).toEqual(['gcchigh']);
    expect(readdirSync(join(cwd, 'out', 'gcchigh', 'coe')).filter((f) => f.endsWith('.zip'))).toEqual(['CoEAuditLogs_gcchigh_managed.zip']);
    // DOS date/time of the first local header: 2026-01-02 03:04:06.
    const zip = readFileSync(join(cwd, 'out', 'gcchigh', 'coe', 'CoEAuditLogs_gcchigh_managed.zip'));
    expect(zip.readUInt16LE(10)).toBe((3 << 11) | (4 << 5) | 3);
    expect(zip.readUInt16LE(12)).toBe(((2026 - 1980) << 9) | (1 << 5) | 2);
    const apiProperties = readFileSync(join(cwd, 'out', 'gcchigh', 'coe', 'connector', 'apiProperties.json'), 'utf8');
    expect(apiProperties).toContain('22222222-2222-2222-2222-222222222222');
    const settings = JSON.parse(readFileSync(join(cwd, 'out', 'gcchigh', 'standalone', 'deployment-settings.json'), 'utf8')) as { EnvironmentVariables: { SchemaName: string; Value: string }[] };
    expect(settings.EnvironmentVariables).toContainEqual({ SchemaName: 'coeaudit_TenantID', Value: '11111111-1111-1111-1111-111111111111' });
    expect(settings.EnvironmentVariables).toContainEqual({ SchemaName: 'coeaudit_AuditLogsClientID', Value: '22222222-2222-2222-2222-222222222222' });
    // The coe edition changes none of CoE Core's variables: the ids are shown on stdout, not written.
    expect(JSON.parse(readFileSync(join(cwd, 'out', 'gcchigh', 'coe', 'deployment-settings.json'), 'utf8'))).toEqual({ EnvironmentVariables: [], ConnectionReferences: [] });
    expect(r.stdout).toContain('admin_TenantID: CoE Core\'s variable (CenterofExcellenceCoreComponents); this import does not change it: set it to 11111111-1111-1111-1111-111111111111 there if it differs');
  }, 240_000);

  it('exits 2 naming file and line for a bad config, and for an unknown cloud', async () => {
    const cwd = mkdtempSync(join(work, 'e-'));
    writeFileSync(join(cwd, 'coe-audit.config.yaml'), 'tenantId: 1\nsolution:\n  uniqueName: "bad name"\n');
    const r = await runBuiltCli(['build'], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/coe-audit\.config\.yaml:3:\d+: /);
    expect((await runBuiltCli(['build', '--cloud', 'china'], { cwd })).status).toBe(2);
    expect((await runBuiltCli(['build', '--timestamp', 'yesterday'], { cwd })).status).toBe(2);
    expect((await runBuiltCli(['build', '--packagetype', 'Sideways'], { cwd })).status).toBe(2);
  }, 240_000);
});

describe('no secret in any output', () => {
  it('writes no secret from the environment or the config anywhere', async () => {
    const secret = 'S3cr3t~Value-Never-Written-0123456789';
    const cwd = mkdtempSync(join(work, 's-'));
    // The config loader refuses a secret: nothing is built from such a file.
    writeFileSync(join(cwd, 'coe-audit.config.yaml'), `clientSecret: ${secret}\n`);
    const refused = await runBuiltCli(['build'], { cwd, env: { COE_AUDIT_CLIENT_SECRET: secret } });
    expect(refused.status).toBe(2);
    expect(refused.stderr).not.toContain(secret);
    // With a valid config, the secret in the environment (every COE_AUDIT_* name a user might try) reaches no file.
    writeFileSync(join(cwd, 'coe-audit.config.yaml'), 'tenantId: 11111111-1111-1111-1111-111111111111\nclientId: 22222222-2222-2222-2222-222222222222\n');
    const env = { COE_AUDIT_CLIENT_SECRET: secret, COE_AUDIT_SECRET: secret, COE_AUDIT_CLIENT_SECRET_FILE: secret, AZURE_CLIENT_SECRET: secret };
    for (const output of ['json', 'text']) {
      const r = await runBuiltCli(['build', '--output', output], { cwd, env });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(secret);
      const all = files(join(cwd, 'dist'));
      // Both editions of every cloud.
      for (const c of ['commercial', 'gcc', 'gcchigh', 'dod']) for (const e of ['coe', 'standalone']) expect([...all.keys()].some((k) => k.startsWith(`${c}/${e}/`)), `${c}/${e}`).toBe(true);
      expect(all.size).toBeGreaterThan(250);
      for (const [path, bytes] of all) expect(bytes.includes(Buffer.from(secret)), path).toBe(false);
    }
  }, 240_000);
});

describe('npm start', () => {
  it('runs coe-audit build', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('npm run build --silent && node build/cli/main.js build');
  });
});
