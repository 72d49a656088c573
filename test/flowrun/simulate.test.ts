import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFlows, simulateFlows } from '../../src/flowrun/index.js';
import { writeFileSync } from 'node:fs';
import { packSolution, readSourceTree, validateSolution } from '../../src/solution/index.js';
import { REPO_ROOT, runCliInProcess } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const GOLDEN = join(REPO_ROOT, 'test', 'golden', 'solution', 'commercial', 'coe', 'solution');
const SUBSCRIPTION = 'coe-audit | Office 365 Management API Subscription';
const SYNC = 'coe-audit | Sync Audit Logs';

type Json = Record<string, unknown>;

function findAction(actions: unknown, name: string): Json | undefined {
  for (const [k, v] of Object.entries((actions ?? {}) as Record<string, Json>)) {
    if (k === name) return v;
    const nested = [v.actions, (v.else as Json | undefined)?.actions, (v.default as Json | undefined)?.actions, ...Object.values((v.cases ?? {}) as Record<string, Json>).map((c) => c.actions)];
    for (const n of nested) {
      const hit = findAction(n, name);
      if (hit) return hit;
    }
  }
  return undefined;
}

describe('flow simulate: the generated flows against the emulator, on one virtual clock', () => {
  it('writes every seeded launch once over several hours, pages and blobs, with faults; deterministic', async () => {
    const args = { events: 400, hours: 3, seed: 7, faults: 'throttle=0.1,server-error=0.1,drop=0.05' };
    const a = await simulateFlows(args);
    expect(a).toMatchObject({ eventsSeeded: 400, missingLaunches: 0, wrongLastLaunch: 0, failedRuns: 0, runs: 4 });
    expect(a.uniqueIds).toBe(a.launchEvents);
    // The watermark reads each window once: only records the API repeats in a later window are written twice.
    expect(a.duplicates).toBeLessThan(a.uniqueIds / 10);
    expect(a.retries).toBeGreaterThan(0);
    expect(a.appsMarkedDeleted).toBe(a.appsDeletedSeeded);
    const b = await simulateFlows(args);
    expect(b).toEqual(a);
  });

  it('catches a broken Sync flow (paging removed, filter on the wrong RecordType) that passes structural validation', async () => {
    const tree = readSourceTree(GOLDEN);
    const path = [...tree.keys()].find((p) => p.startsWith('Workflows/coeauditSyncAuditLogs') && p.endsWith('.json'))!;
    const flow = JSON.parse(new TextDecoder().decode(tree.get(path))) as { properties: { definition: { actions: unknown } } };
    const actions = flow.properties.definition.actions;
    findAction(actions, 'List_content_pages')!.expression = '@true';
    const where = findAction(actions, 'App_events')!.inputs as Json;
    where.where = String(where.where).replace("equals(item()?['RecordType'], 256)", "equals(item()?['RecordType'], 265)");
    tree.set(path, new TextEncoder().encode(JSON.stringify(flow, null, 2)));
    expect(validateSolution(tree).filter((d) => d.severity === 'error')).toEqual([]);

    const flows = defaultFlows();
    const broken = await simulateFlows({ events: 400, hours: 3, seed: 7, flows: { subscription: flows.subscription, sync: { flow, displayName: SYNC } } });
    // The runner catches it: launches are missing (and the page cap the flow reports fails the runs).
    expect(broken.missingLaunches).toBeGreaterThan(broken.launchEvents / 2);
    expect(broken.uniqueIds).toBeLessThan(broken.launchEvents);
  });

  it('standalone: its flows pass against a store built from its own table definitions, creating the app rows themselves', async () => {
    const args = { events: 400, hours: 3, seed: 7, faults: 'throttle=0.1,server-error=0.1', edition: 'standalone' as const };
    const a = await simulateFlows(args);
    expect(a).toMatchObject({ eventsSeeded: 400, missingLaunches: 0, wrongLastLaunch: 0, failedRuns: 0, runs: 4 });
    expect(a.uniqueIds).toBe(a.launchEvents);
    // No inventory: every app row was written by the flows, deleted ones included.
    expect(a.appsUpdated).toBeGreaterThan(0);
    expect(a.appsMarkedDeleted).toBe(a.appsDeletedSeeded);
    expect(await simulateFlows(args)).toEqual(a);
  });

  it('a flow that writes a column not in the table definitions fails the simulation, in either edition', async () => {
    for (const [edition, column] of [['standalone', 'coeaudit_appname'], ['coe', 'admin_appenvironmentname']] as const) {
      const flows = defaultFlows(edition);
      const flow = structuredClone(flows.sync.flow) as { properties: { definition: { actions: unknown } } };
      const rows = findAction(flow.properties.definition.actions, 'Audit_rows_with_app')!;
      (rows.inputs as { select: Json }).select[column] = 'x';
      const s = await simulateFlows({ events: 200, hours: 2, seed: 5, edition, flows: { subscription: flows.subscription, sync: { flow, displayName: flows.sync.displayName } } });
      expect(s.failedRuns, `${edition}: ${column}`).toBeGreaterThan(0);
      expect(s.missingLaunches, `${edition}: ${column}`).toBe(s.launchEvents);
    }
  });

  it('flow simulate prints the summary as JSON and exits 0; bad arguments exit 2', async () => {
    const r = await runCliInProcess(['flow', 'simulate', '--events', '120', '--hours', '2', '--seed', '3', '--output', 'json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, number>;
    for (const k of ['launchEvents', 'missingLaunches', 'failedRuns', 'powerPlatformRequests', 'powerPlatformRequestsPerLaunch', 'powerPlatformRequestsPerDay', 'dataverseOperations', 'bytesDownloaded']) {
      expect(s, k).toHaveProperty(k);
    }
    expect(s.missingLaunches).toBe(0);
    expect((await runCliInProcess(['flow', 'simulate', '--events', '0'])).status).toBe(2);
    expect((await runCliInProcess(['flow', 'simulate', '--events', '10', '--hours', '800'])).stderr).toMatch(/--hours must be an integer from 1 to 720/);
    expect((await runCliInProcess(['flow', 'simulate', '--events', '10', '--faults', 'nope=1'])).status).toBe(2);
  });
});

describe('flow simulate: watermark, outages, fallback, compare', () => {
  it('catches up after an API outage and a day the flow was off: nothing missing, the outage runs fail and say so', async () => {
    const r = await runCliInProcess(['flow', 'simulate', '--events', '900', '--hours', '30', '--outage', '3h@6h', '--flow-off', '12h@12h', '--output', 'json', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, number | string>;
    expect(s).toMatchObject({ missingLaunches: 0, wrongLastLaunch: 0, runsSkipped: 12, watermark: '2026-01-05T00:00:00Z' });
    expect(s.failedRuns).toBeGreaterThan(0);
    expect(s.failedRuns).toBe(s.failedRunsDuringOutages);
    expect(s.errorRows).toBe(s.failedRuns);
  });

  it('an outage longer than the API keeps content: an error row names the lost interval, the summary explains, exit 1', async () => {
    const r = await runCliInProcess(['flow', 'simulate', '--events', '2400', '--hours', '216', '--flow-off', '192h@12h', '--output', 'json', '--quiet']);
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout) as { missingLaunches: number; missingReasons: Record<string, number>; lostIntervals: string[]; errorRows: number };
    expect(s.lostIntervals).toEqual(['2025-12-27T11:00:00Z to 2025-12-28T12:10:00Z']);
    expect(s.missingLaunches).toBeGreaterThan(0);
    expect(Object.keys(s.missingReasons)).toEqual(['lost: listed more than 7 days before the flow could read it (reported in an error row)']);
    // The row naming the lost interval, and the run's own failure row.
    expect(s.errorRows).toBe(2);
  });

  it('late content is missed unless End Time Minutes Ago covers the lateness; the summary says which', async () => {
    const base = { events: 900, hours: 6, seed: 2, lateContentMs: 30 * 60_000 };
    const zero = await simulateFlows(base);
    expect(Object.keys(zero.missingReasons)).toEqual(['listed late: the blob appeared after the flow had read its window (raise End Time Minutes Ago)']);
    const covered = await simulateFlows({ ...base, variables: { admin_AuditLogsEndTimeMinutesAgo: '45' } });
    expect(covered.missingLaunches).toBeLessThan(zero.missingLaunches);
    // What is still missing was listed after the last run's window: the next run would read it.
    expect(Object.keys(covered.missingReasons).every((r) => r.startsWith('not read yet'))).toBe(true);
  });

  it('the row-by-row fallback writes the same rows at about one request per launch more', async () => {
    const base = { events: 3000, hours: 4, seed: 5 };
    const bulk = await simulateFlows(base);
    const rows = await simulateFlows({ ...base, variables: { admin_AuditLogsWriteRowByRow: 'yes' } });
    expect(rows).toMatchObject({ missingLaunches: 0, failedRuns: 0, wrongLastLaunch: 0, uniqueIds: bulk.uniqueIds });
    expect(rows.dataverseRequests).toBeGreaterThan(bulk.launchEvents);
    expect(bulk.dataverseRequests).toBeLessThan(bulk.launchEvents / 10);
    const extra = (rows.powerPlatformRequests - bulk.powerPlatformRequests) / rows.launchEvents;
    expect(extra).toBeGreaterThan(1);
    expect(extra).toBeLessThan(1.3);
  });

  it('--compare runs the previous generated Sync flow on the same seed and prints both columns', async () => {
    const fixture = join(REPO_ROOT, 'test', 'flowrun', 'fixtures', 'sync-before-issue-10.json');
    const r = await runCliInProcess(['flow', 'simulate', '--events', '1500', '--hours', '3', '--compare', fixture, '--output', 'json', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as { generated: Record<string, number>; compared: Record<string, number> };
    expect(c.generated.missingLaunches).toBe(0);
    expect(c.compared.missingLaunches).toBe(0);
    expect(c.compared.launchEvents).toBe(c.generated.launchEvents);
    expect(c.compared.powerPlatformRequestsPerLaunch).toBeGreaterThan(3 * c.generated.powerPlatformRequestsPerLaunch!);
    const text = await runCliInProcess(['flow', 'simulate', '--events', '300', '--hours', '2', '--compare', fixture, '--quiet']);
    expect(text.stdout).toMatch(/powerPlatformRequestsPerLaunch\s+\d/);
    expect(text.stdout).toMatch(/generated Sync\s+compared \(sync-before-issue-10\)/);
  });

  it.each([
    [['--profile', 'tiny'], /unknown profile 'tiny'/],
    [['--events', '10', '--hours', '24', '--outage', '6h@20h'], /ends after the simulated period of 24 h/],
    [['--events', '10', '--outage', '2h@1h', '--outage', '2h@2h'], /overlap/],
    [['--events', '10', '--flow-off', '-2h@1h'], /expected <duration>@<offset>/],
    [['--events', '10', '--late-content', 'soon'], /--late-content 'soon'/],
    [['--hours', '2'], /--events is needed with the default profile/],
  ])('bad input %j exits 2 with one line', async (args, message) => {
    const r = await runCliInProcess(['flow', 'simulate', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('flow run --start-emulator with the generated flows', () => {
  it('Subscription list and start against the in-process emulator', async () => {
    const run = (text: string) => runCliInProcess(['flow', 'run', SUBSCRIPTION, '--solution', GOLDEN, '--start-emulator', '--input', JSON.stringify({ text }), '--now', '2026-03-01T08:00:00Z', '--output', 'json']);
    const list = await run('list');
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).response.body).toMatchObject({ operation: 'list', response: 'enabled', statuscode: '200' });
    const start = await run('start');
    expect(start.status, start.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(start.stdout).response.body)).toMatch(/enabled/);
  });

  it('Sync runs a window of the emulator history and succeeds', async () => {
    const r = await runCliInProcess(['flow', 'run', SYNC, '--solution', GOLDEN, '--start-emulator', '--now', '2026-03-01T08:00:00Z', '--output', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; stats: { httpCalls: number } };
    expect(out.status).toBe('Succeeded');
    expect(out.stats.httpCalls).toBeGreaterThan(2);
  });

  it('finds the flow by display name in a solution zip (unpacked in memory)', async () => {
    const zip = join(makeTempDir('flowrun'), 'CoEAuditLogs.zip');
    writeFileSync(zip, packSolution(readSourceTree(GOLDEN), { packageType: 'Unmanaged' }));
    const r = await runCliInProcess(['flow', 'run', SUBSCRIPTION, '--solution', zip, '--start-emulator', '--input', '{"text":"list"}', '--now', '2026-03-01T08:00:00Z', '--output', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).flow).toBe(SUBSCRIPTION);
  });

  it('refuses both emulator options at once', async () => {
    const r = await runCliInProcess(['flow', 'run', SYNC, '--solution', GOLDEN, '--start-emulator', '--emulator', 'http://127.0.0.1:1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/either --emulator <managementUrl> or --start-emulator/);
  });

  it('flow simulate ends its text output with the verdict', async () => {
    const r = await runCliInProcess(['flow', 'simulate', '--events', '40', '--hours', '1', '--seed', '3', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('PASS: every run outside outages succeeded and every launch was written once');
  });
});
