import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/api/index.js';
import { CLOUDS } from '../../src/clouds/index.js';
import { runCliInProcess } from '../helpers/run-cli.js';

/** `content pull --api graph` and `doctor --api graph` in-process (MSAL → emulator over HTTPS), per cloud. */
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'coe-audit-graph-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function connect(emu: RunningEmulator, cloud: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ['--cloud', cloud, '--tenant-id', emu.tenantId, '--client-id', emu.clientId, '--authority-url', emu.authorityUrl, '--management-url', emu.managementUrl, '--graph-url', emu.managementUrl],
    env: { COE_AUDIT_CLIENT_SECRET: emu.clientSecret, NODE_EXTRA_CA_CERTS: emu.caFile! },
  };
}

const FAST: EmulatorOptions = { https: true, seed: 21, days: 1, eventsPerHour: 8, eventsPerBlob: 3, graphQueryStartSeconds: 0, graphQuerySeconds: 0 };
const ids = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { Id: string }).Id);

describe.each(CLOUDS.filter((c) => c.graphAuditQueriesAvailable).map((c) => [c.id]))('--api graph in %s, where Graph offers audit log queries', (cloud) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ ...FAST, cloud });
  });
  afterAll(() => emu.close());

  it('content pull --api graph and content pull return the same Id set for the same window; doctor --api graph passes', async () => {
    const { args, env } = connect(emu, cloud);
    const cwd = tmp();
    // The window covers the whole seeded history: every event and every blob of it.
    const end = Date.now();
    const window = ['--start', new Date(end - 26 * 3_600_000).toISOString(), '--end', new Date(end).toISOString()];
    const viaGraph = join(cwd, 'graph.ndjson');
    const viaManagement = join(cwd, 'management.ndjson');
    const g = await runCliInProcess(['content', 'pull', '--api', 'graph', ...args, ...window, '--output-file', viaGraph, '--output', 'json'], { env, cwd });
    expect(g.status, g.stderr).toBe(0);
    const m = await runCliInProcess(['content', 'pull', ...args, ...window, '--output-file', viaManagement], { env, cwd });
    expect(m.status, m.stderr).toBe(0);
    const got = ids(viaGraph);
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual([...ids(viaManagement)].sort());
    expect(got.length).toBe(emu.seeded.events.length);
    // The same output, byte for byte: the records are the Management API's, in the same order.
    expect(readFileSync(viaGraph, 'utf8')).toBe(readFileSync(viaManagement, 'utf8'));
    const summary = JSON.parse(g.stdout) as { api: string; slices: number; queries: number; notLoaded: unknown[]; records: number };
    expect(summary).toMatchObject({ api: 'graph', slices: 2, queries: 2, notLoaded: [], records: got.length });
    expect(g.stderr).toMatch(/slice 2\/2: query \w+, \d+ pages, \d+ records/);

    const doctor = await runCliInProcess(['doctor', '--api', 'graph', ...args, '--output', 'json'], { env, cwd });
    expect(doctor.status, doctor.stdout).toBe(0);
    const checks = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; detail: string }[] }).checks;
    expect(checks.map((c) => `${c.id}:${c.status}`)).toEqual(['configuration:pass', 'graph-cloud:pass', 'token:pass', 'graph-roles:pass', 'graph-queries:pass']);
    expect(checks[2]!.detail).toContain(`audience ${CLOUDS.find((c) => c.id === cloud)!.graphUrl}`);
  }, 180_000);
});

describe.each(CLOUDS.filter((c) => !c.graphAuditQueriesAvailable).map((c) => [c.id, c.displayName]))('--api graph in %s, where it is not offered', (cloud, name) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ ...FAST, cloud });
  });
  afterAll(() => emu.close());

  it('content pull --api graph is refused with one line naming the cloud; doctor --api graph fails graph-cloud', async () => {
    const { args, env } = connect(emu, cloud);
    const cwd = tmp();
    const end = Date.now();
    const r = await runCliInProcess(['content', 'pull', '--api', 'graph', ...args, '--start', new Date(end - 3_600_000).toISOString(), '--end', new Date(end).toISOString()], { env, cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`the Microsoft Graph audit log query API is not offered in ${name}`);
    expect(r.stderr).toContain('use --api management');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(emu.report().graph.submissions).toBe(0);
    const doctor = await runCliInProcess(['doctor', '--api', 'graph', ...args], { env, cwd });
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toMatch(new RegExp(`FAIL  the cloud offers the Graph audit log query API: ${name}: not offered`));
  }, 60_000);
});

describe('content pull --api graph: failures', () => {
  it('exits 1 naming the window and the reason when its query keeps failing', async () => {
    const emu = await startEmulator({ ...FAST, faults: 'query-failed=1', maxFaultsPerRequest: 10 });
    try {
      const { args, env } = connect(emu, 'commercial');
      const cwd = tmp();
      const end = Date.parse(new Date().toISOString().slice(0, 13) + ':00:00Z');
      const start = end - 2 * 3_600_000;
      const r = await runCliInProcess(['content', 'pull', '--api', 'graph', ...args, '--start', new Date(start).toISOString(), '--end', new Date(end).toISOString()], { env, cwd });
      expect(r.status).toBe(1);
      const when = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
      expect(r.stderr).toContain(`not loaded: window ${when(start)} to ${when(end)}: the audit log query ended failed or cancelled 3 times`);
      expect(r.stdout).toBe('');
      expect(emu.report().graph.submissions).toBe(3);
    } finally {
      await emu.close();
    }
  }, 60_000);

  it('refuses --content-type with --api graph, and names a missing Graph role in doctor', async () => {
    const emu = await startEmulator({ ...FAST, graphRoles: [] });
    try {
      const { args, env } = connect(emu, 'commercial');
      const cwd = tmp();
      const r = await runCliInProcess(['content', 'pull', '--api', 'graph', '--content-type', 'Audit.Exchange', ...args, '--start', '2025-01-01', '--end', '2025-01-02'], { env, cwd });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--content-type: the Graph audit log query API has no content types/);
      const doctor = await runCliInProcess(['doctor', '--api', 'graph', ...args], { env, cwd });
      expect(doctor.status).toBe(1);
      expect(doctor.stdout).toMatch(/FAIL {2}token roles contain AuditLogsQuery.Read.All: the Graph token has no roles claim/);
      expect(doctor.stdout).toMatch(/fix: Add the Application permission AuditLogsQuery.Read.All of Microsoft Graph/);
    } finally {
      await emu.close();
    }
  }, 60_000);
});
