import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/api/index.js';
import { CLOUDS } from '../../src/clouds/index.js';
import { PURVIEW_CSV_HEADER } from '../../src/csv/index.js';
import { runCliInProcess } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** The client commands in-process (MSAL → emulator over HTTPS, trusted through its CA), in each cloud's configuration. */
const tmp = () => makeTempDir('api');

function connect(emu: RunningEmulator, cloud: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ['--cloud', cloud, '--tenant-id', emu.tenantId, '--client-id', emu.clientId, '--authority-url', emu.authorityUrl, '--management-url', emu.managementUrl],
    env: { COE_AUDIT_CLIENT_SECRET: emu.clientSecret, NODE_EXTRA_CA_CERTS: emu.caFile! },
  };
}

describe.each(CLOUDS.map((c) => [c.id]))('client commands against the emulator serving %s over HTTPS', (cloud) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ https: true, cloud, seed: 11, days: 2, eventsPerHour: 6, eventsPerBlob: 3 });
  });
  afterAll(() => emu.close());

  it('subscription list, start (already enabled), content pull of the exact seeded window, doctor, stop', async () => {
    const { args, env } = connect(emu, cloud);
    const cwd = tmp();
    const list = await runCliInProcess(['subscription', 'list', ...args, '--output', 'json'], { env, cwd });
    expect(list.stderr).toBe('');
    expect(list.status).toBe(0);
    const rows = JSON.parse(list.stdout) as { contentType: string; status: string }[];
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.contentType === 'Audit.General')!.status).toBe('enabled');
    expect(rows.find((r) => r.contentType === 'Audit.Exchange')!.status).toBe('not started');

    const start = await runCliInProcess(['subscription', 'start', ...args], { env, cwd });
    expect(start.status).toBe(0);
    expect(start.stdout).toBe('Audit.General: already enabled (AF20024), nothing to do\n');

    const end = Date.now();
    const begin = end - 30 * 3_600_000;
    const out = join(cwd, 'pull.ndjson');
    const pull = await runCliInProcess(
      ['content', 'pull', ...args, '--start', new Date(begin).toISOString(), '--end', new Date(end).toISOString(), '--out', out, '--output', 'json'],
      { env, cwd },
    );
    expect(pull.status, pull.stderr).toBe(0);
    const got = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { Id: string });
    const want = emu.seeded.eventsListedBetween(begin, end);
    expect(got.map((r) => r.Id).sort()).toEqual(want.map((r) => String(r.Id)).sort());
    expect(new Set(got.map((r) => r.Id)).size).toBe(got.length);
    const summary = JSON.parse(pull.stdout) as { records: number; slices: number; pages: number };
    expect(summary.records).toBe(want.length);
    expect(summary.slices).toBe(2);
    expect(pull.stderr).toMatch(/slice 2\/2: \d+ pages/);

    const doctor = await runCliInProcess(['doctor', ...args], { env, cwd });
    expect(doctor.status, doctor.stdout).toBe(0);
    expect(doctor.stdout.split('\n').filter((l) => l.startsWith('ok  '))).toHaveLength(5);
    expect(doctor.stdout).toContain(`audience ${CLOUDS.find((c) => c.id === cloud)!.managementAudience}`);

    const stop = await runCliInProcess(['subscription', 'stop', ...args, '--output', 'json'], { env, cwd });
    expect(JSON.parse(stop.stdout)).toEqual({ contentType: 'Audit.General', status: 'disabled', webhook: null });
    const restart = await runCliInProcess(['subscription', 'start', ...args], { env, cwd });
    expect(restart.stdout).toBe('Audit.General: enabled\n');
  }, 180_000);
});

describe('client commands: credentials, outputs and failures', () => {
  let emu: RunningEmulator;
  let certFile: string;
  beforeAll(async () => {
    const dir = tmp();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=coe-audit test app'], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'c.pem'), 'utf8');
    certFile = join(dir, 'app.pem');
    writeFileSync(certFile, cert + readFileSync(join(dir, 'k.pem'), 'utf8'));
    emu = await startEmulator({ https: true, seed: 5, days: 1, eventsPerHour: 10, certificates: [cert] });
  });
  afterAll(() => emu.close());

  it('authenticates with a certificate (MSAL client assertion, SHA-256 thumbprint)', async () => {
    const { args } = connect(emu, 'commercial');
    const r = await runCliInProcess(['subscription', 'list', ...args, '--certificate-file', certFile], { env: { NODE_EXTRA_CA_CERTS: emu.caFile! } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Audit\.General\s+enabled/);
  });

  it('reads the secret from --client-secret-file, never from the command line', async () => {
    const { args } = connect(emu, 'commercial');
    const f = join(tmp(), 'secret.txt');
    writeFileSync(f, `${emu.clientSecret}\n`);
    const r = await runCliInProcess(['subscription', 'list', ...args, '--client-secret-file', f], { env: { NODE_EXTRA_CA_CERTS: emu.caFile! } });
    expect(r.status).toBe(0);
    const none = await runCliInProcess(['subscription', 'list', ...args], { env: { NODE_EXTRA_CA_CERTS: emu.caFile! } });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no client credential: set COE_AUDIT_CLIENT_SECRET or COE_AUDIT_CLIENT_SECRET_FILE, or pass --client-secret-file or --certificate-file');
    const flag = await runCliInProcess(['subscription', 'list', ...args, '--client-secret', 'x']);
    expect(flag.status).toBe(2);
  });

  it('writes the Purview CSV layout with --out *.csv and filters --operation', async () => {
    const { args, env } = connect(emu, 'commercial');
    const out = join(tmp(), 'launches.csv');
    const end = Date.now();
    const r = await runCliInProcess(['content', 'pull', ...args, '--start', new Date(end - 20 * 3_600_000).toISOString(), '--end', new Date(end).toISOString(), '--operation', 'launchpowerapp', '--out', out], { env });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith(PURVIEW_CSV_HEADER)).toBe(true);
    const want = emu.seeded.eventsListedBetween(end - 20 * 3_600_000, end).filter((e) => e.Operation === 'LaunchPowerApp');
    expect(text.trimEnd().split('\r\n')).toHaveLength(want.length + 1);
    expect(r.stdout).toMatch(new RegExp(`^${want.length} records from \\d+ blobs`));
  });

  it('prints NDJSON on stdout without --out, and refuses windows older than 7 days with the API rule', async () => {
    const { args, env } = connect(emu, 'commercial');
    const end = Date.now();
    const r = await runCliInProcess(['content', 'pull', ...args, '--start', new Date(end - 3_600_000).toISOString(), '--end', new Date(end).toISOString()], { env });
    expect(r.status).toBe(0);
    for (const line of r.stdout.trim().split('\n').filter(Boolean)) expect(JSON.parse(line)).toHaveProperty('Id');
    const old = await runCliInProcess(['content', 'pull', ...args, '--start', '2020-01-01T00:00:00Z', '--end', '2020-01-02T00:00:00Z'], { env });
    expect(old.status).toBe(2);
    expect(old.stderr).toContain('with the start time no more than 7 days in the past');
    const bad = await runCliInProcess(['content', 'pull', ...args, '--start', 'x', '--end', 'y'], { env });
    expect(bad.stderr).toContain("--start: 'x' is not an ISO 8601 time");
    const ext = await runCliInProcess(['content', 'pull', ...args, '--start', new Date(end - 3_600_000).toISOString(), '--end', new Date(end).toISOString(), '--out', 'x.txt'], { env });
    expect(ext.stderr).toContain('x.txt: unknown output format');
  });

  it.each([
    ['a wrong secret', { COE_AUDIT_CLIENT_SECRET: 'wrong' }, [], 'token', /AADSTS7000215: the client secret is wrong/],
    ['an unknown client id', {}, ['--client-id', '12345678-1234-1234-1234-123456789012'], 'token', /AADSTS700016/],
    ['a management URL of another cloud', {}, ['--management-url', 'https://manage-gcc.office.com'], 'configuration', /is the GCC Management API, but the cloud is Commercial/],
    ['an http authority', {}, ['--authority-url', 'http://127.0.0.1:9'], 'configuration', /must use https:\/\//],
    ['a tenant id that is not a GUID', {}, ['--tenant-id', 'contoso.onmicrosoft.com'], 'configuration', /is not a GUID/],
  ])('doctor stops at the first failure for %s', async (_name, envOver, argsOver, failed, detail) => {
    const { args, env } = connect(emu, 'commercial');
    const all = [...args];
    for (let i = 0; i < argsOver.length; i += 2) all[all.indexOf(argsOver[i]!) + 1] = argsOver[i + 1]!;
    const r = await runCliInProcess(['doctor', ...all, '--output', 'json'], { env: { ...env, ...envOver } });
    expect(r.status).toBe(1);
    const res = JSON.parse(r.stdout) as { ok: boolean; checks: { id: string; status: string; detail: string; fix?: string }[] };
    expect(res.ok).toBe(false);
    const fail = res.checks.find((c) => c.status === 'fail')!;
    expect(fail.id).toBe(failed);
    expect(fail.detail).toMatch(detail);
    expect(fail.fix).toBeTruthy();
    expect(res.checks.slice(res.checks.indexOf(fail) + 1).every((c) => c.status === 'skipped')).toBe(true);
    expect(r.stdout).not.toContain(emu.clientSecret);
  });
});

describe('doctor against a tenant that is not ready', () => {
  it('names the missing Application permission when the token has no roles', async () => {
    const emu = await startEmulator({ https: true, seed: 2, days: 1, roles: [] });
    try {
      const { args, env } = connect(emu, 'commercial');
      const r = await runCliInProcess(['doctor', ...args], { env });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/FAIL {2}token roles contain ActivityFeed\.Read: the token has no roles claim/);
      expect(r.stdout).toContain('Application permission ActivityFeed.Read');
      const list = await runCliInProcess(['subscription', 'list', ...args], { env });
      expect(list.status).toBe(2);
      expect(list.stderr).toMatch(/^coe-audit: error: AF10001 \(HTTP 403\): the access token has no ActivityFeed\.Read permission/);
    } finally {
      await emu.close();
    }
  });

  it('reports a missing subscription, then missing content after a fresh start', async () => {
    const emu = await startEmulator({ https: true, seed: 2, days: 1, subscriptions: [] });
    try {
      const { args, env } = connect(emu, 'commercial');
      const a = await runCliInProcess(['doctor', ...args], { env });
      expect(a.stdout).toMatch(/FAIL {2}Audit\.General subscription is enabled: Audit\.General is not started/);
      const pull = await runCliInProcess(['content', 'pull', ...args, '--start', new Date(Date.now() - 3_600_000).toISOString(), '--end', new Date().toISOString()], { env });
      expect(pull.stderr).toMatch(/AF20022 \(HTTP 400\): the subscription for this content type was never started\. Run coe-audit subscription start/);
      expect((await runCliInProcess(['subscription', 'start', ...args], { env })).stdout).toBe('Audit.General: enabled\n');
      const b = await runCliInProcess(['doctor', ...args], { env });
      expect(b.status).toBe(1);
      expect(b.stdout).toMatch(/FAIL {2}content listed in the last 24 hours: no content/);
      expect(b.stdout).toContain('younger than 12 hours');
    } finally {
      await emu.close();
    }
  });
});
