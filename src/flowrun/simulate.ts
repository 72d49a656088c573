import { tenantProfile } from '../api/emulator/profiles.js';
import { editionSolution, type Edition } from '../audit-solution/edition.js';
import { loadSolutionSource } from '../audit-solution/source.js';
import { findCloud } from '../clouds/resolve-cloud.js';
import { UsageError } from '../errors.js';
import { createStore } from '../store/seed.js';
import { GRAPH_MIN_BATCH_MINUTES, GRAPH_MIN_END_MINUTES_AGO } from '../flows/sync.js';
import { FlowDefinitionError, runFlow } from '../wdl/runner/engine.js';
import { RunAbortedError, type RunResult } from '../wdl/runner/types.js';
import { WdlUnsupportedError } from '../wdl/values.js';
import { startLocalEmulator } from './emulator-http.js';
import { appIdOf, EMULATOR_SECRET_REFERENCE, emulatorStoreSeed } from './emulator-seed.js';

/** A period of the simulation, from its start (ms after the beginning of the period) for a length (ms). */
export interface SimulatedPeriod {
  offsetMs: number;
  durationMs: number;
}

export interface SimulateRequest {
  /** Tenant profile of the emulator (src/api/emulator/profiles.ts); default `default`. */
  profile?: string;
  /** Audit records the emulator seeds over the period (required with the default profile; else the profile's daily volume). */
  events?: number;
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
  /** Every Activity API request answers 503 during these periods. */
  outages?: SimulatedPeriod[];
  /** The Sync flow does not run during these periods (turned off, throttled off). */
  flowOff?: SimulatedPeriod[];
  /** Blobs are listed this long after their contentCreated (ms); default: the profile's. */
  lateContentMs?: number;
  /** The flows to run (default: the generated Subscription and Sync flows of the edition). */
  flows?: { subscription: { flow: unknown; displayName: string }; sync: { flow: unknown; displayName: string } };
  /** Environment variable values for the store, e.g. admin_AuditLogsWriteRowByRow = yes. */
  variables?: Record<string, string>;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Wall-clock reader for the timing split (the CLI passes performance.now; default: no timing). */
  timer?: () => number;
}

export interface SimulationSummary {
  profile: string;
  hours: number;
  /** The Sync flow's mode (Audit Logs - Use Graph API). */
  api: 'management' | 'graph';
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
  /** Why they are missing (reason: count). */
  missingReasons: Record<string, number>;
  /** Apps whose admin_applastlaunchedon changed. */
  appsUpdated: number;
  /** Apps whose admin_applastlaunchedon is not their newest seeded launch (to the UTC day when lastLaunchResolution is day). */
  wrongLastLaunch: number;
  /** How exactly the Sync flow keeps an app's last launch: exact with bulk writes, to the UTC day row by row. */
  lastLaunchResolution: 'exact' | 'day';
  /** Apps marked deleted (admin_appdeleted) / apps with a seeded DeletePowerApp record. */
  appsMarkedDeleted: number;
  appsDeletedSeeded: number;
  httpCalls: number;
  /** Responses the flows had to retry (408, 429, 5xx, 403 AF429, dropped connections). */
  retries: number;
  runs: number;
  /** Graph mode: Sync runs after the period that read its last hours (failures counted, costs not). */
  drainRuns: number;
  /**
   * Power Platform requests of the drain runs (Graph mode): they write the period's last hours, so a cost that grows
   * with the rows (row by row) is (powerPlatformRequests + drainPowerPlatformRequests) / launchEvents per launch.
   */
  drainPowerPlatformRequests: number;
  failedRuns: number;
  /** Of those, runs that started during an --outage (they are expected to fail and catch up later). */
  failedRunsDuringOutages: number;
  /** Runs skipped by --flow-off. */
  runsSkipped: number;
  /** Cost of the Sync runs as the platform counts it (docs/flow-runner.md). */
  powerPlatformRequests: number;
  powerPlatformRequestsPerDay: number;
  powerPlatformRequestsPerLaunch: number;
  dataverseOperations: number;
  dataverseRequests: number;
  bytesDownloaded: number;
  /** Longest Sync run on the virtual clock (ms). */
  longestRunMs: number;
  /** Error rows (admin_syncflowerrorses) the runs wrote. */
  errorRows: number;
  /** Intervals the flow reported as lost (older than the API's 7 days when it came back). */
  lostIntervals: string[];
  /** The watermark at the end (empty if the flow keeps none). */
  watermark: string;
  /**
   * Wall time (ms), when a timer is given: the whole simulation; emulator start-up and data generation; the
   * runs; within the runs, waiting for HTTP responses (loopback and the in-process emulator); and the rest,
   * the interpreter (expressions, actions, the local store).
   */
  timing?: { wallMs: number; setupMs: number; runsMs: number; httpWaitMs: number; interpreterMs: number };
}

/** End of the simulated period: fixed, so the same arguments give the same summary. */
export const SIMULATION_END = '2026-01-05T00:00:00Z';
/** Longest simulated period: 30 days, so an outage longer than the API's 7 days can be shown. */
export const MAX_HOURS = 720;

const HOUR = 3_600_000;

/** `6h`, `30m`, `2d`, `1d12h`, `90s`: a positive duration in ms, or undefined. */
export function parseDurationText(text: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const ms = (Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * HOUR + Number(m[3] ?? 0) * 60_000 + Number(m[4] ?? 0) * 1000;
  return ms > 0 ? ms : undefined;
}

/** `<duration>@<offset>` (e.g. `6h@24h`): a period of the simulation; UsageError (one line) when malformed. */
export function parsePeriod(option: string, text: string): SimulatedPeriod {
  const [d, o, ...rest] = text.split('@');
  const durationMs = d === undefined ? undefined : parseDurationText(d);
  const offsetMs = o === undefined ? undefined : o.trim() === '0' ? 0 : parseDurationText(o);
  if (rest.length || durationMs === undefined || offsetMs === undefined) {
    throw new UsageError(`${option} '${text}': expected <duration>@<offset> with positive durations such as 6h@24h or 90m@1d2h`);
  }
  return { offsetMs, durationMs };
}

function checkPeriods(option: string, periods: readonly SimulatedPeriod[], hours: number): void {
  const sorted = [...periods].sort((a, b) => a.offsetMs - b.offsetMs);
  for (const p of sorted) {
    if (p.offsetMs + p.durationMs > hours * HOUR) {
      throw new UsageError(`${option} ${fmtPeriod(p)} ends after the simulated period of ${hours} h; shorten it or raise --hours`);
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    if (sorted[i]!.offsetMs < a.offsetMs + a.durationMs) throw new UsageError(`${option} ${fmtPeriod(a)} and ${fmtPeriod(sorted[i]!)} overlap; give one period instead`);
  }
}

function fmtPeriod(p: SimulatedPeriod): string {
  const h = (ms: number) => `${+(ms / HOUR).toFixed(3)}h`;
  return `${h(p.durationMs)}@${h(p.offsetMs)}`;
}

/**
 * Seeds the emulator with a tenant profile over `hours`, runs the Subscription flow (`start`) at the beginning
 * of the period, then the Sync flow at the end of every hour (except while it is off), all on one virtual
 * clock, and checks the store against what was seeded.
 */
export async function simulateFlows(req: SimulateRequest): Promise<SimulationSummary> {
  const profile = tenantProfile(req.profile ?? 'default');
  if (!Number.isInteger(req.hours) || req.hours < 1 || req.hours > MAX_HOURS) throw new UsageError(`--hours must be an integer from 1 to ${MAX_HOURS}`);
  const events = req.events ?? (profile.eventsPerDay !== undefined ? Math.round((profile.eventsPerDay * req.hours) / 24) : undefined);
  if (events === undefined) throw new UsageError('--events is needed with the default profile (or choose --profile small, medium, large or huge)');
  if (!Number.isInteger(events) || events < 1) throw new UsageError('--events must be a positive integer');
  checkPeriods('--outage', req.outages ?? [], req.hours);
  checkPeriods('--flow-off', req.flowOff ?? [], req.hours);
  const timer = req.timer;
  const wallStart = timer?.();
  let runsMs = 0;
  const endMs = Date.parse(SIMULATION_END);
  const startMs = endMs - req.hours * HOUR;
  const edition = editionSolution(loadSolutionSource(), req.edition ?? 'coe');
  const p = edition.namePrefix;
  const flows = req.flows ?? defaultFlows(edition.edition);
  const lateContentMinutes = (req.lateContentMs ?? profile.lateContentMinutes * 60_000) / 60_000;
  const local = await startLocalEmulator(
    endMs,
    {
      seed: req.seed,
      hours: req.hours,
      eventsPerHour: events / req.hours,
      eventsPerBlob: profile.eventsPerBlob,
      pageSize: profile.pageSize,
      latencyMinutes: profile.latencyMinutes,
      duplicateRate: profile.duplicateRate,
      ...(profile.name !== 'default' ? { recordMix: profile.mix, apps: profile.apps, users: profile.users, noiseRecordBytes: profile.noiseRecordBytes } : {}),
      ...(lateContentMinutes ? { lateContentMinutes } : {}),
      outages: (req.outages ?? []).map((o) => ({ startMs: startMs + o.offsetMs, endMs: startMs + o.offsetMs + o.durationMs })),
      subscriptions: [],
      // The Sync flow reads Audit.General only: the other content types would be most of a profile's seeding.
      otherContentTypes: false,
      ...(req.faults ? { faults: req.faults } : {}),
    },
    timer,
  );
  const setupMs = timer && wallStart !== undefined ? timer() - wallStart : 0;
  try {
    const cloud = findCloud('commercial')!;
    const seed = emulatorStoreSeed(local.emulator, cloud, [flows.subscription.displayName, flows.sync.displayName], { api: req.api, prefix: p });
    // Apps in the inventory carry an older last launch, as inventoried apps do.
    const before = new Date(startMs - 30 * 86_400_000).toISOString().replace(/\.000Z$/, 'Z');
    // The standalone edition has no inventory: its flows create the app rows themselves.
    seed.apps = edition.edition === 'standalone' ? [] : (seed.apps ?? []).map((a) => ({ ...a, lastLaunchedOn: before }));
    for (const [schemaName, value] of Object.entries(req.variables ?? {})) {
      const v = seed.environmentVariables?.find((x) => x.schemaName === schemaName.replace(/^admin_/, `${p}_`));
      if (!v) throw new UsageError(`no environment variable '${schemaName}' in the simulated environment`);
      v.value = value;
    }
    const secret = local.emulator.clientSecret;
    const store = createStore(seed, { schema: edition.storeSchema, keyVault: (ref) => (ref === EMULATOR_SECRET_REFERENCE ? secret : undefined) });
    const syncResults: RunResult[] = [];
    let failedRuns = 0;
    let failedRunsDuringOutages = 0;
    const inOutage = (ms: number) => (req.outages ?? []).some((o) => ms >= startMs + o.offsetMs && ms < startMs + o.offsetMs + o.durationMs);
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
        if (r.status === 'Failed') {
          failedRuns++;
          if (inOutage(atMs)) failedRunsDuringOutages++;
        }
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
    let runsSkipped = 0;
    // Graph mode reads windows ending GRAPH_MIN_END_MINUTES_AGO back, in batches of GRAPH_MIN_BATCH_MINUTES: the
    // runs after the period that read its last hours are run too, and counted apart (drainRuns), not in the costs.
    const drain = req.api === 'graph' ? Math.ceil((GRAPH_MIN_END_MINUTES_AGO + GRAPH_MIN_BATCH_MINUTES) / 60) : 0;
    let drainRuns = 0;
    let drainPowerPlatformRequests = 0;
    for (let h = 1; h <= req.hours + drain; h++) {
      const at = startMs + h * HOUR;
      if ((req.flowOff ?? []).some((p) => at >= startMs + p.offsetMs && at < startMs + p.offsetMs + p.durationMs)) {
        runsSkipped++;
        continue;
      }
      const r = await run(flows.sync, at);
      if (h > req.hours) {
        drainRuns++;
        drainPowerPlatformRequests += r.stats.powerPlatformRequests;
      } else syncResults.push(r);
      req.progress?.(`${flows.sync.displayName} at +${h}h: ${r.status} (${r.stats.powerPlatformRequests} requests)${r.error ? ` (${r.error.message.slice(0, 300)})` : ''}`);
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
    // Writing row by row, the Sync flow keeps an app's last launch to the UTC day (docs/flows.md): the stored date must
    // be the day of the newest launch. Otherwise it must be the newest launch exactly.
    const lastLaunchResolution = /^(yes|true)$/i.test(req.variables?.admin_AuditLogsWriteRowByRow ?? '') ? 'day' : 'exact';
    const sameLaunch = (got: number, want: number) => (lastLaunchResolution === 'day' ? Math.floor(got / 86_400_000) === Math.floor(want / 86_400_000) : got === want);
    for (const a of apps) {
      const stored = a[`${p}_applastlaunchedon`];
      if (stored !== before) appsUpdated++;
      const want = newest.get(String(a[`${p}_appid`]));
      const got = typeof stored === 'string' ? Date.parse(stored) : undefined;
      if (want !== undefined && (got === undefined || !sameLaunch(got, want))) wrongLastLaunch++;
    }
    const errors = store.rows(`${p}_syncflowerrorses`);
    const lostIntervals = [...new Set(errors.flatMap((r) => [...String(r[`${p}_name`] ?? '').matchAll(/LOST INTERVAL (\S+) to (\S+):/g)].map((m) => `${m[1]} to ${m[2]}`)))];
    const watermark = store.environmentVariableValue(`${p}_AuditLogsSyncWatermark`) ?? '';
    const missing = launches.filter((e) => !rowIds.has(String(e.Id).toLowerCase()));
    const missingReasons = explainMissing(missing, local.emulator.seeded.blobs, {
      lost: lostIntervals.map((i) => i.split(' to ').map((t) => Date.parse(t)) as [number, number]),
      watermarkMs: watermark ? Date.parse(watermark) : undefined,
      lateContentMs: lateContentMinutes * 60_000,
      expired: new Set(local.emulator.faults.expiredRecordIds),
    });
    const sum = (f: (r: RunResult) => number) => syncResults.reduce((n, r) => n + f(r), 0);
    const ppr = sum((r) => r.stats.powerPlatformRequests);
    const summary: SimulationSummary = {
      profile: profile.name,
      hours: req.hours,
      api: req.api ?? 'management',
      eventsSeeded: seeded.length,
      launchEvents: launches.length,
      rowsWritten: writes.created + writes.updated,
      uniqueIds: rows.length,
      duplicates: writes.created + writes.updated - rows.length,
      missingLaunches: missing.length,
      missingReasons,
      appsUpdated,
      wrongLastLaunch,
      lastLaunchResolution,
      appsMarkedDeleted: apps.filter((a) => a[`${p}_appdeleted`] === true).length,
      appsDeletedSeeded: deletedSeeded.size,
      httpCalls: local.counters.requests,
      retries: local.counters.retryable,
      runs: syncResults.length + 1,
      drainRuns,
      drainPowerPlatformRequests,
      failedRuns,
      failedRunsDuringOutages,
      runsSkipped,
      powerPlatformRequests: ppr,
      powerPlatformRequestsPerDay: Math.round((ppr * 24) / req.hours),
      powerPlatformRequestsPerLaunch: launches.length ? Math.round((ppr / launches.length) * 1000) / 1000 : 0,
      dataverseOperations: sum((r) => r.stats.dataverseOperations),
      dataverseRequests: sum((r) => r.stats.dataverseCalls),
      bytesDownloaded: sum((r) => r.stats.bytesDownloaded),
      longestRunMs: syncResults.reduce((m, r) => Math.max(m, r.durationMs), 0),
      errorRows: errors.length,
      lostIntervals,
      watermark,
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

/** Why each missing launch is missing, from where its blob sits against what the flow reported and kept. */
function explainMissing(
  missing: Record<string, unknown>[],
  blobs: readonly { contentCreated: number; records: readonly Record<string, unknown>[] }[],
  o: { lost: [number, number][]; watermarkMs: number | undefined; lateContentMs: number; expired: Set<string> },
): Record<string, number> {
  const out: Record<string, number> = {};
  if (missing.length === 0) return out;
  const want = new Set(missing.map((e) => String(e.Id)));
  const created = new Map<string, number>();
  for (const b of blobs) for (const r of b.records) if (want.has(String(r.Id)) && !created.has(String(r.Id))) created.set(String(r.Id), b.contentCreated);
  for (const e of missing) {
    const id = String(e.Id);
    const at = created.get(id) ?? 0;
    let reason: string;
    if (o.expired.has(id)) reason = 'blob expired (AF20051) before it was read';
    else if (o.lost.some(([a, b]) => at >= a && at < b)) reason = 'lost: listed more than 7 days before the flow could read it (reported in an error row)';
    else if (o.watermarkMs !== undefined && at >= o.watermarkMs) reason = 'not read yet: listed after the watermark (the next runs read it)';
    else if (o.lateContentMs > 0) reason = 'listed late: the blob appeared after the flow had read its window (raise End Time Minutes Ago)';
    else reason = 'not written';
    out[reason] = (out[reason] ?? 0) + 1;
  }
  return out;
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
