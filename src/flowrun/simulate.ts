import { editionSolution, loadSolutionSource, type Edition } from '../audit-solution/index.js';
import { findCloud } from '../clouds/index.js';
import { UsageError } from '../errors.js';
import { createStore } from '../store/index.js';
import { GRAPH_MIN_END_MINUTES_AGO } from '../flows/index.js';
import { FlowDefinitionError, runFlow, RunAbortedError, WdlUnsupportedError, type RunResult } from '../wdl/index.js';
import { startLocalEmulator } from './emulator-http.js';
import { appIdOf, EMULATOR_SECRET_REFERENCE, emulatorStoreSeed } from './emulator-seed.js';

export interface SimulateRequest {
  /** Audit records the emulator seeds over the period. */
  events: number;
  /** Length of the period in hours; the Sync flow runs once per hour of it. */
  hours: number;
  /** Emulator fault spec (`kind=rate,…`). */
  faults?: string;
  seed: number;
  /**
   * The edition whose tables the store holds (its table definitions: solution/tables/<edition>.yaml) and whose
   * flows run by default (default coe). A write to a column the definitions lack fails the run, as in Dataverse.
   */
  edition?: Edition;
  /**
   * The Sync flow's mode (Audit Logs - Use Graph API): the Management Activity API (default) or the Graph audit log
   * query API. With graph the Sync flow also runs hourly after the period until its window end (at least
   * GRAPH_MIN_END_MINUTES_AGO behind) has passed the period's end.
   */
  api?: 'management' | 'graph';
  /** The flows to run (default: the generated Subscription and Sync flows of the edition). */
  flows?: { subscription: { flow: unknown; displayName: string }; sync: { flow: unknown; displayName: string } };
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Wall-clock reader for the timing split (the CLI passes performance.now; default: no timing). */
  timer?: () => number;
}

export interface SimulationSummary {
  eventsSeeded: number;
  /** Distinct LaunchPowerApp records (both formats) seeded. */
  launchEvents: number;
  /** Writes to admin_auditlogs (creates and updates). */
  rowsWritten: number;
  /** Rows in admin_auditlogs at the end (distinct event ids). */
  uniqueIds: number;
  /** Writes that hit an existing row (duplicated records, overlapping windows), absorbed by the upsert. */
  duplicates: number;
  /** Seeded launches with no row. */
  missingLaunches: number;
  /** Apps whose admin_applastlaunchedon changed. */
  appsUpdated: number;
  /** Apps whose admin_applastlaunchedon is not their newest seeded launch. */
  wrongLastLaunch: number;
  /** Apps marked deleted (admin_appdeleted) / apps with a seeded DeletePowerApp record. */
  appsMarkedDeleted: number;
  appsDeletedSeeded: number;
  httpCalls: number;
  /** Responses the flows had to retry (408, 429, 5xx, 403 AF429, dropped connections). */
  retries: number;
  runs: number;
  failedRuns: number;
  /**
   * Wall time (ms), when a timer is given: the whole simulation; emulator start-up and data generation; the
   * runs; within the runs, waiting for HTTP responses (loopback and the in-process emulator); and the rest,
   * the interpreter (expressions, actions, the local store).
   */
  timing?: { wallMs: number; setupMs: number; runsMs: number; httpWaitMs: number; interpreterMs: number };
}

/** End of the simulated period: fixed, so the same arguments give the same summary. */
export const SIMULATION_END = '2026-01-05T00:00:00Z';

/**
 * Seeds the emulator with `events` records over `hours`, runs the Subscription flow (`start`) at the beginning
 * of the period, then the Sync flow at the end of every hour, all on one virtual clock, and checks the store
 * against what was seeded.
 */
export async function simulateFlows(req: SimulateRequest): Promise<SimulationSummary> {
  if (!Number.isInteger(req.events) || req.events < 1) throw new UsageError('--events must be a positive integer');
  if (!Number.isInteger(req.hours) || req.hours < 1 || req.hours > 168) throw new UsageError('--hours must be an integer from 1 to 168 (the API keeps 7 days)');
  const timer = req.timer;
  const wallStart = timer?.();
  let runsMs = 0;
  const endMs = Date.parse(SIMULATION_END);
  const startMs = endMs - req.hours * 3_600_000;
  const edition = editionSolution(loadSolutionSource(), req.edition ?? 'coe');
  const p = edition.namePrefix;
  const flows = req.flows ?? defaultFlows(edition.edition);
  const local = await startLocalEmulator(endMs, {
    seed: req.seed,
    hours: req.hours,
    eventsPerHour: req.events / req.hours,
    subscriptions: [],
    ...(req.faults ? { faults: req.faults } : {}),
  }, timer);
  const setupMs = timer && wallStart !== undefined ? timer() - wallStart : 0;
  try {
    const cloud = findCloud('commercial')!;
    const seed = emulatorStoreSeed(local.emulator, cloud, [flows.subscription.displayName, flows.sync.displayName], { api: req.api, prefix: p });
    // Apps in the inventory carry an older last launch, as inventoried apps do.
    const before = new Date(startMs - 30 * 86_400_000).toISOString().replace(/\.000Z$/, 'Z');
    // The standalone edition has no inventory: its flows create the app rows themselves.
    seed.apps = edition.edition === 'standalone' ? [] : (seed.apps ?? []).map((a) => ({ ...a, lastLaunchedOn: before }));
    const secret = local.emulator.clientSecret;
    const store = createStore(seed, { schema: edition.storeSchema, keyVault: (ref) => (ref === EMULATOR_SECRET_REFERENCE ? secret : undefined) });
    const results: RunResult[] = [];
    const run = async (flow: { flow: unknown; displayName: string }, atMs: number, triggerBody?: { text: string }): Promise<RunResult> => {
      const t0 = timer?.();
      try {
        const r = await runFlow({
          flow: flow.flow,
          displayName: flow.displayName,
          now: new Date(atMs).toISOString(),
          http: local.http,
          store,
          keepHistory: false,
          ...(triggerBody ? { triggerBody } : {}),
        });
        results.push(r);
        return r;
      } catch (e) {
        if (e instanceof WdlUnsupportedError || e instanceof FlowDefinitionError || e instanceof RunAbortedError) throw new UsageError(`${flow.displayName}: ${e.message}`);
        throw e;
      } finally {
        if (t0 !== undefined && timer) runsMs += timer() - t0;
      }
    };
    const sub = await run(flows.subscription, startMs, { text: 'start' });
    req.progress?.(`${flows.subscription.displayName}: ${sub.status}`);
    const drain = req.api === 'graph' ? Math.ceil(GRAPH_MIN_END_MINUTES_AGO / 60) : 0;
    for (let h = 1; h <= req.hours + drain; h++) {
      const r = await run(flows.sync, startMs + h * 3_600_000);
      req.progress?.(`${flows.sync.displayName} at +${h}h: ${r.status}${r.error ? ` (${r.error.message})` : ''}`);
    }

    // Compare with what was seeded.
    const seeded = local.emulator.seeded.events as Record<string, unknown>[];
    const launches = seeded.filter((e) => e.Operation === 'LaunchPowerApp');
    const rows = store.rows(`${p}_auditlogs`);
    const rowIds = new Set(rows.map((r) => String(r[`${p}_auditlogid`]).toLowerCase()));
    const writes = store.writes.get(`${p}_auditlogs`) ?? { created: 0, updated: 0 };
    const newest = new Map<string, number>();
    for (const e of launches) {
      const app = appIdOf(e)?.toLowerCase();
      if (!app) continue;
      const t = Date.parse(`${String(e.CreationTime)}Z`);
      if (t > (newest.get(app) ?? -Infinity)) newest.set(app, t);
    }
    const deletedSeeded = new Set(seeded.filter((e) => e.Operation === 'DeletePowerApp').map((e) => appIdOf(e)?.toLowerCase()).filter(Boolean));
    const apps = store.rows(`${p}_apps`);
    let appsUpdated = 0;
    let wrongLastLaunch = 0;
    for (const a of apps) {
      const stored = a[`${p}_applastlaunchedon`];
      if (stored !== before) appsUpdated++;
      const want = newest.get(String(a[`${p}_appid`]));
      const got = typeof stored === 'string' ? Date.parse(stored) : undefined;
      if (want !== undefined && got !== want) wrongLastLaunch++;
    }
    const summary: SimulationSummary = {
      eventsSeeded: seeded.length,
      launchEvents: launches.length,
      rowsWritten: writes.created + writes.updated,
      uniqueIds: rows.length,
      duplicates: writes.created + writes.updated - rows.length,
      missingLaunches: launches.filter((e) => !rowIds.has(String(e.Id).toLowerCase())).length,
      appsUpdated,
      wrongLastLaunch,
      appsMarkedDeleted: apps.filter((a) => a[`${p}_appdeleted`] === true).length,
      appsDeletedSeeded: deletedSeeded.size,
      httpCalls: local.counters.requests,
      retries: local.counters.retryable,
      runs: results.length,
      failedRuns: results.filter((r) => r.status === 'Failed').length,
    };
    if (timer && wallStart !== undefined) {
      const httpWaitMs = local.counters.waitMs;
      summary.timing = { wallMs: Math.round(timer() - wallStart), setupMs: Math.round(setupMs), runsMs: Math.round(runsMs), httpWaitMs: Math.round(httpWaitMs), interpreterMs: Math.round(runsMs - httpWaitMs) };
    }
    return summary;
  } finally {
    await local.close();
  }
}

/** The generated Subscription and Sync flows of an edition of the embedded solution source. */
export function defaultFlows(edition: Edition = 'coe'): NonNullable<SimulateRequest['flows']> {
  const placed = editionSolution(loadSolutionSource(), edition).flows;
  const pick = (key: string) => {
    const p = placed.find((f) => f.flow.key === key);
    if (!p) throw new UsageError(`the solution source has no '${key}' flow`);
    return { flow: p.flow.json, displayName: p.flow.displayName };
  };
  return { subscription: pick('subscription'), sync: pick('sync') };
}
