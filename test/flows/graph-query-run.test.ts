import { describe, expect, it } from 'vitest';
import { startLocalEmulator } from '../../src/flowrun/emulator-http.js';
import type { EmulatorOptions } from '../../src/api/index.js';
import { CLOUDS } from '../../src/clouds/index.js';
import { graphQuerySteps, graphQueryVariables } from '../../src/flows/graph-query.js';
import { compose, initVariable, sequence, setVariable, type JsonObject } from '../../src/flows/wdl.js';
import { createStore } from '../../src/store/index.js';
import { runFlow } from '../../src/wdl/index.js';

/** The Graph audit log query steps of the flows, run by the interpreter against the emulator on a virtual clock. */
const END = Date.parse('2026-01-05T00:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

async function runGraphSteps(options: Omit<EmulatorOptions, 'clock'>, start: number, end: number, version: 'v1.0' | 'beta' = 'beta') {
  const local = await startLocalEmulator(END, { seed: 4, hours: 24, eventsPerHour: 60, eventsPerBlob: 6, graphPageSize: 9, graphQuerySeconds: 90, ...options });
  try {
    const e = local.emulator;
    // The flow uses the emulated cloud's own Graph and authority, as the build fills them per cloud.
    const cloud = CLOUDS.find((c) => c.id === (options.cloud ?? 'commercial'))!;
    const GRAPH = `${cloud.graphUrl}/`;
    const authentication: JsonObject = { type: 'ActiveDirectoryOAuth', authority: cloud.authorityUrl, tenant: e.tenantId, audience: GRAPH, clientId: e.clientId, secret: e.clientSecret };
    const ctx = { envVars: [], connectionReferenceLogicalName: 'admin_CoECoreDataverseForApps' };
    const actions = sequence([
      ['Initialize_failures', initVariable('failures', 'array', [])],
      ['Initialize_records', initVariable('records', 'array', [])],
      ...graphQueryVariables(),
      ...graphQuerySteps(ctx, {
        graphUrl: `'${GRAPH}'`,
        version,
        authentication,
        start: `'${iso(start)}'`,
        end: `'${iso(end)}'`,
        operations: ['LaunchPowerApp', 'DeletePowerApp'],
        onPage: (records) => [
          ['Records_so_far', compose(`@union(variables('records'), ${records})`)],
          ['Set_records', setVariable('records', "@outputs('Records_so_far')")],
        ],
      }),
      ['Result', compose({ records: "@variables('records')", failures: "@variables('failures')", loaded: "@variables('graphWindowLoaded')" })],
    ]);
    const flow = { definition: { $schema: 'x', contentVersion: '1.0.0.0', triggers: { Recurrence: { type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } } }, actions } };
    const run = await runFlow({ flow, displayName: 'graph steps', now: new Date(END).toISOString(), http: local.http, store: createStore() });
    const result = run.actions.find((a) => a.name === 'Result')?.outputs as { records: Record<string, unknown>[]; failures: string[]; loaded: boolean } | undefined;
    return { run, result: result!, emulator: e, report: e.report() };
  } finally {
    await local.close();
  }
}

function wanted(events: Record<string, unknown>[], start: number, end: number): string[] {
  return events
    .filter((r) => ['LaunchPowerApp', 'DeletePowerApp'].includes(String(r.Operation)))
    .filter((r) => Date.parse(`${String(r.CreationTime)}Z`) >= start && Date.parse(`${String(r.CreationTime)}Z`) < end)
    .map((r) => String(r.Id))
    .sort();
}

describe('Graph audit log query flow steps, interpreted against the emulator', () => {
  it('create, poll with back-off, read every page: the exact records of the window, from the Graph URL only', async () => {
    const start = END - 20 * HOUR;
    const end = END - 4 * HOUR;
    const { run, result, emulator, report } = await runGraphSteps({}, start, end);
    expect(run.status).toBe('Succeeded');
    expect(result.failures).toEqual([]);
    expect(result.loaded).toBe(true);
    const ids = result.records.map((r) => String(r.Id));
    expect(ids.length).toBeGreaterThan(100);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(wanted(emulator.seeded.events as Record<string, unknown>[], start, end));
    expect(report.graph.submissions).toBe(1);
    const polls = run.actions.filter((a) => a.name === 'Get_audit_log_query').length;
    expect(polls).toBeGreaterThan(1);
    expect(run.actions.filter((a) => a.name === 'Next_records_page').length).toBeGreaterThan(1);
    // Built from a Graph URL parameter, the steps hold no host of any cloud (the kit hard-codes the records host).
    const fromParameter = JSON.stringify(
      graphQuerySteps(
        { envVars: [], connectionReferenceLogicalName: 'x' },
        { graphUrl: "parameters('Graph URL')", version: 'beta', authentication: {}, start: "'a'", end: "'b'", operations: [], onPage: () => [] },
      ),
    );
    for (const c of CLOUDS) expect(fromParameter).not.toContain(c.graphHost);
  });

  it('under graph-throttle and slow queries still loads the window exactly', async () => {
    const start = END - 12 * HOUR;
    const end = END - 6 * HOUR;
    const { run, result, emulator } = await runGraphSteps({ faults: 'graph-throttle=0.3,query-slow=1', graphSlowQueryFactor: 10 }, start, end, 'v1.0');
    expect(run.status).toBe('Succeeded');
    expect(result.failures).toEqual([]);
    expect(result.records.map((r) => String(r.Id)).sort()).toEqual(wanted(emulator.seeded.events as Record<string, unknown>[], start, end));
    expect(emulator.faults.counts['graph-throttle']).toBeGreaterThan(0);
  });

  it.each([
    ['a query that keeps failing', { faults: 'query-failed=1', maxFaultsPerRequest: 10 }, /window 2026-01-04T\S+ to 2026-01-04T\S+ not loaded: the Graph audit log query ended failed 3 times \(last \S+\)/],
    ['a query that never succeeds within an hour', { graphQuerySeconds: 7200 }, /not loaded: the Graph audit log query \S+ did not succeed within 1 hour \(last status running\)/],
    ['a query over its record limit', { graphRecordLimit: 5 }, /not loaded: the Graph audit log query \S+ exceeded its record limit of 5 records \(isRecordCountLimitExceeded\)/],
  ] as const)('%s: the window is named as not loaded and no records are handed on', async (_what, options, message) => {
    const { result } = await runGraphSteps(options, END - 8 * HOUR, END - 4 * HOUR);
    expect(result.loaded).toBe(false);
    expect(result.records).toEqual([]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatch(message);
  });

  it('in a cloud without the API, creation fails with the segment message', async () => {
    const { result } = await runGraphSteps({ cloud: 'gcc' }, END - 8 * HOUR, END - 4 * HOUR);
    expect(result.loaded).toBe(true);
    const gcchigh = await runGraphSteps({ cloud: 'gcchigh' }, END - 8 * HOUR, END - 4 * HOUR);
    expect(gcchigh.result.loaded).toBe(false);
    expect(gcchigh.result.failures[0]).toMatch(/creating the Graph audit log query failed: Graph does not offer the audit log query API in this cloud \(GCC High, DoD\): set Audit Logs - Use Graph API to no\. HTTP 400: .*Resource not found for the segment 'auditLog'/);
  });
});
