import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHttpClient, startEmulator } from '../../src/api/index.js';
import { BUILT_CLI, runBuiltCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

interface Ready {
  managementUrl: string;
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caFile: string | null;
}

/** Starts `coe-audit emulator start` as a child and waits for its one JSON line. */
function spawnEmulator(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; ready: Ready; stderr: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [BUILT_CLI, 'emulator', 'start', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, ready: JSON.parse(out.slice(0, nl)) as Ready, stderr: () => err, exit });
    });
    child.on('error', reject);
    void exit.then((code) => reject(new Error(`emulator exited ${code} before ready: ${err}`)));
  });
}

const connect = (r: { tenantId: string; clientId: string; authorityUrl: string; managementUrl: string }) => [
  '--tenant-id', r.tenantId, '--client-id', r.clientId, '--authority-url', r.authorityUrl, '--management-url', r.managementUrl,
];

describe('built CLI against `coe-audit emulator start` (child processes, HTTPS, NODE_EXTRA_CA_CERTS)', () => {
  it('prints one ready line, serves subscription, content pull and doctor, reports faults, and stops cleanly on SIGTERM', async () => {
    const emu = await spawnEmulator(['--https', '--seed', '9', '--days', '1', '--events-per-hour', '6', '--faults', 'server-error=0.1,drop=0.05', '--cloud', 'gcchigh']);
    try {
      const r = emu.ready;
      expect(Object.keys(r)).toEqual(['cloud', 'managementUrl', 'authorityUrl', 'tenantId', 'clientId', 'clientSecret', 'caFile']);
      expect(r.managementUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(r.caFile!)).toBe(true);
      const env = { NODE_EXTRA_CA_CERTS: r.caFile!, COE_AUDIT_CLIENT_SECRET: r.clientSecret };
      const args = [...connect(r), '--cloud', 'UsGovHigh'];

      const list = await runBuiltCli(['subscription', 'list', ...args, '--output', 'json'], { env });
      expect(list.status, list.stderr).toBe(0);
      expect((JSON.parse(list.stdout) as { contentType: string; status: string }[]).find((s) => s.contentType === 'Audit.General')!.status).toBe('enabled');

      const start = await runBuiltCli(['subscription', 'start', ...args, '--output', 'json'], { env });
      expect(start.status).toBe(0);
      expect(JSON.parse(start.stdout)).toMatchObject({ contentType: 'Audit.General', status: 'enabled', alreadyEnabled: true });

      const out = join(makeTempDir('e2e'), 'pull.ndjson');
      const end = new Date();
      const begin = new Date(end.getTime() - 20 * 3_600_000);
      const pull = await runBuiltCli(['content', 'pull', ...args, '--start', begin.toISOString(), '--end', end.toISOString(), '--out', out, '--output', 'json', '--debug'], { env });
      expect(pull.status, pull.stderr).toBe(0);
      const summary = JSON.parse(pull.stdout) as { records: number; retries: number };
      const ids = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { Id: string }).Id);
      expect(ids.length).toBe(summary.records);
      expect(new Set(ids).size).toBe(ids.length);
      // --debug traces requests with the bearer token, the secret and the tokens redacted.
      expect(pull.stderr).toContain('Authorization: Bearer [redacted]');
      expect(pull.stderr).toContain('client_secret=[redacted]');
      expect(pull.stderr).not.toContain(r.clientSecret);
      expect(pull.stderr).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);

      const doctor = await runBuiltCli(['doctor', ...args], { env });
      expect(doctor.status, doctor.stdout).toBe(0);

      const http = createHttpClient({ ca: readFileSync(r.caFile!, 'utf8'), budgetPerMinute: 0 });
      const report = JSON.parse((await http.request({ method: 'GET', url: `${r.managementUrl}/_emulator/report` })).body) as { faults: { counts: Record<string, number> } };
      http.close();
      expect(report.faults.counts['server-error']! + report.faults.counts.drop!).toBeGreaterThan(0);
    } finally {
      emu.child.kill('SIGTERM');
    }
    expect(await emu.exit).toBe(0);
    expect(emu.stderr()).toMatch(/emulator report: \{"faults":/);
    expect(existsSync(emu.ready.caFile!)).toBe(false);
  }, 180_000);

  it('serves plain HTTP without --https (caFile null) and stops on SIGINT', async () => {
    const emu = await spawnEmulator(['--seed', '3', '--days', '1']);
    expect(emu.ready.caFile).toBeNull();
    expect(emu.ready.managementUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const http = createHttpClient({ budgetPerMinute: 0 });
    const res = await http.request({ method: 'GET', url: `${emu.ready.managementUrl}/api/v1.0/${emu.ready.tenantId}/activity/feed/subscriptions/list` });
    http.close();
    expect(res.status).toBe(401);
    emu.child.kill('SIGINT');
    expect(await emu.exit).toBe(0);
  });

  it('refuses an HTTP authority (MSAL needs HTTPS) and a bad --faults spec with exit 2', async () => {
    const a = await runBuiltCli(['subscription', 'list', '--tenant-id', '11111111-2222-3333-4444-555555555555', '--client-id', '11111111-2222-3333-4444-555555555555', '--authority-url', 'http://127.0.0.1:1'], { env: { COE_AUDIT_CLIENT_SECRET: 'x' } });
    expect(a.status).toBe(2);
    expect(a.stderr).toContain("--authority-url: 'http://127.0.0.1:1' must use https://");
    const b = await runBuiltCli(['emulator', 'start', '--faults', 'throttle=lots']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/^coe-audit: error: --faults: 'throttle=lots' is not kind=rate/);
  });

  it('pulls from a management URL over plain HTTP with the token from the HTTPS authority', async () => {
    const emu = await startEmulator({ https: true, alsoHttp: true, seed: 4, days: 1, eventsPerHour: 6, cloud: 'dod' });
    try {
      const args = [...connect({ ...emu, managementUrl: emu.httpManagementUrl! }), '--cloud', 'dod'];
      const end = Date.now();
      const r = await runBuiltCli(['content', 'pull', ...args, '--start', new Date(end - 10 * 3_600_000).toISOString(), '--end', new Date(end).toISOString()], {
        env: { NODE_EXTRA_CA_CERTS: emu.caFile!, COE_AUDIT_CLIENT_SECRET: emu.clientSecret },
      });
      expect(r.status, r.stderr).toBe(0);
      const got = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { Id: string }).Id).sort();
      expect(got).toEqual(emu.seeded.eventsListedBetween(end - 10 * 3_600_000, end).map((e) => String(e.Id)).sort());
    } finally {
      await emu.close();
    }
  });
});
