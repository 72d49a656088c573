import { describe, expect, it } from 'vitest';
import {
  callGraph,
  createHttpClient,
  pullContent,
  pullGraph,
  startEmulator,
  virtualClock,
  type ApiSession,
  type EmulatorOptions,
  type GraphPullOptions,
  type GraphSession,
  type HttpClient,
  type RunningEmulator,
  type TokenProvider,
} from '../../src/api/index.js';
import { findCloud } from '../../src/clouds/index.js';
import { HOUR, T0 } from './helpers.js';

/** `pullGraph` against the emulator on a virtual clock: the exact records, once, under the Graph faults. */
function tokensFor(http: HttpClient, emu: RunningEmulator, resource: string): TokenProvider {
  let cached: string | undefined;
  return {
    async getToken(o = {}) {
      if (!cached || o.forceRefresh) {
        const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, resource });
        const res = await http.request({ method: 'POST', url: `${emu.authorityUrl}/${emu.tenantId}/oauth2/token`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString(), budget: false });
        cached = (JSON.parse(res.body) as { access_token: string }).access_token;
      }
      return { token: cached, claims: {} };
    },
  };
}

const commercial = findCloud('commercial')!;

async function withGraph<T>(options: EmulatorOptions, run: (s: GraphSession, emu: RunningEmulator, clock: ReturnType<typeof virtualClock>) => Promise<T>): Promise<T> {
  const clock = virtualClock(T0);
  const emu = await startEmulator({ seed: 3, days: 1, eventsPerHour: 40, eventsPerBlob: 5, clock, graphQuerySeconds: 30, graphPageSize: 7, ...options });
  const http = createHttpClient({ clock, budgetPerMinute: 120, seed: options.seed ?? 1, retry: { maxAttempts: 6 } });
  const s: GraphSession = { http, tokens: tokensFor(http, emu, commercial.graphUrl), graphUrl: emu.managementUrl, version: 'beta', cloud: commercial };
  try {
    return await run(s, emu, clock);
  } finally {
    http.close();
    await emu.close();
  }
}

/** Distinct seeded records with CreationTime in [start, end) whose first blob was available at `at`. */
function expected(emu: RunningEmulator, start: number, end: number, at: number, operations?: string[]): string[] {
  const firstSeen = new Map<string, number>();
  for (const b of emu.seeded.blobs) for (const r of b.records) firstSeen.set(String(r.Id), Math.min(firstSeen.get(String(r.Id)) ?? Infinity, b.contentCreated));
  return emu.seeded.events
    .filter((r) => {
      const t = Date.parse(`${String(r.CreationTime)}Z`);
      return t >= start && t < end && firstSeen.get(String(r.Id))! <= at && (!operations || operations.includes(String(r.Operation)));
    })
    .map((r) => String(r.Id))
    .sort();
}

const opts = (start: number, end: number, now: number, extra: Partial<GraphPullOptions> = {}): GraphPullOptions => ({ start, end, now, pageSize: 50, ...extra });

describe('content pull through Graph (pullGraph)', () => {
  it('returns every record of the window once, in CreationTime order, with operation filters sent to the server', async () => {
    await withGraph({}, async (s, emu, clock) => {
      const start = T0 - 30 * HOUR;
      const end = T0 - 3 * HOUR;
      const r = await pullGraph(s, opts(start, end, clock.now(), { operations: ['LaunchPowerApp'] }));
      const ids = r.records.map((x) => String(x.Id));
      expect([...ids].sort()).toEqual(expected(emu, start, end, T0, ['LaunchPowerApp']));
      expect(new Set(ids).size).toBe(ids.length);
      const times = r.records.map((x) => String(x.CreationTime));
      expect([...times].sort()).toEqual(times);
      expect(r.stats).toMatchObject({ slices: 2, queries: 2, notLoaded: [], filteredOut: 0 });
      expect(r.stats.polls).toBeGreaterThan(0);
      expect(emu.report().graph.submissions).toBe(2);
    });
  });

  it('gives the same Id set as the Management API pull over a window that covers the whole history', async () => {
    await withGraph({ seed: 9, hours: 20 }, async (s, emu, clock) => {
      const start = T0 - 23 * HOUR;
      const graph = await pullGraph(s, opts(start, T0, clock.now()));
      const mgmt: ApiSession = { http: s.http, tokens: tokensFor(s.http, emu, commercial.managementAudience), managementUrl: emu.managementUrl, tenantId: emu.tenantId, publisherId: emu.tenantId };
      const management = await pullContent(mgmt, { start, end: clock.now(), contentType: 'Audit.General', now: clock.now() });
      expect(graph.records.length).toBe(emu.seeded.events.length);
      expect(graph.records.map((x) => String(x.Id)).sort()).toEqual(management.records.map((x) => String(x.Id)).sort());
      expect(graph.records).toEqual(management.records);
    });
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: exactly once under graph-throttle, query-failed and query-slow`, async () => {
      await withGraph({ seed, faults: 'graph-throttle=0.3,query-failed=0.3,query-slow=0.4', graphRetryAfterSeconds: 3 }, async (s, emu, clock) => {
        const start = T0 - 22 * HOUR;
        const end = T0 - 2 * HOUR;
        const warnings: string[] = [];
        const r = await pullGraph(s, opts(start, end, clock.now(), { sliceMs: 4 * HOUR, onWarning: (w) => warnings.push(w) }));
        const ids = r.records.map((x) => String(x.Id));
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual(expected(emu, start, end, T0));
        expect(r.stats.notLoaded).toEqual([]);
        expect(emu.faults.counts['graph-throttle']).toBeGreaterThan(0);
        expect(emu.faults.counts['query-failed'] + emu.faults.counts['query-slow']).toBeGreaterThan(0);
        expect(r.stats.queries).toBe(5 + emu.faults.counts['query-failed']);
        expect(warnings.filter((w) => /ended failed; submitting it again/.test(w))).toHaveLength(emu.faults.counts['query-failed']);
      });
    });
  }

  it('a query that keeps failing: its window is not loaded, named with the reason; the other windows are', async () => {
    await withGraph({ faults: 'query-failed=1', maxFaultsPerRequest: 10 }, async (s, emu, clock) => {
      const r = await pullGraph(s, opts(T0 - 10 * HOUR, T0 - 2 * HOUR, clock.now(), { sliceMs: 4 * HOUR }));
      expect(r.records).toEqual([]);
      expect(r.stats.queries).toBe(6);
      expect(r.stats.notLoaded).toHaveLength(2);
      expect(r.stats.notLoaded[0]).toMatchObject({ start: new Date(T0 - 10 * HOUR).toISOString().replace('.000Z', 'Z'), end: new Date(T0 - 6 * HOUR).toISOString().replace('.000Z', 'Z') });
      expect(r.stats.notLoaded[0]!.reason).toMatch(/ended failed or cancelled 3 times/);
    });
  });

  it('a query that never succeeds within the poll limit, and one over its record limit, are not loaded', async () => {
    await withGraph({ graphQuerySeconds: 7200 }, async (s, _emu, clock) => {
      const r = await pullGraph(s, opts(T0 - 6 * HOUR, T0 - 2 * HOUR, clock.now(), { pollTimeoutMs: 3_600_000 }));
      expect(r.stats.notLoaded).toHaveLength(1);
      expect(r.stats.notLoaded[0]!.reason).toMatch(/did not succeed within 60 minutes \(last status running\)/);
    });
    await withGraph({ graphRecordLimit: 10 }, async (s, _emu, clock) => {
      const r = await pullGraph(s, opts(T0 - 6 * HOUR, T0 - 2 * HOUR, clock.now()));
      expect(r.records).toEqual([]);
      expect(r.stats.notLoaded[0]!.reason).toMatch(/exceeded its record limit of 10 records \(isRecordCountLimitExceeded\)/);
    });
  });

  it('never sends the Graph token outside the Graph origin', async () => {
    await withGraph({}, async (s) => {
      await expect(callGraph(s, 'GET', 'http://127.0.0.2:9/v1.0/security/auditLog/queries')).rejects.toThrow(/refusing to send the Graph token to http:\/\/127\.0\.0\.2:9/);
      expect(s.http.stats.requests).toBe(0);
    });
  });
});
