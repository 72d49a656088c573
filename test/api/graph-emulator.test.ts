import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGraphRecord, startEmulator, virtualClock, type HttpClient, type RunningEmulator } from '../../src/api/index.js';
import { CLOUDS } from '../../src/clouds/index.js';
import { bearer, get, HOUR, rawClient, T0 } from './helpers.js';

/** The Graph audit log query API of the emulator (activity-api.md §5, §8.8 item 24) over loopback HTTP. */
const GRAPH = 'https://graph.microsoft.com';

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

async function postJson(http: HttpClient, url: string, token: string, body: unknown) {
  return http.request({ method: 'POST', url, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;
const iso = (ms: number) => new Date(ms).toISOString();

describe('Graph audit log queries on the emulator', () => {
  let emu: RunningEmulator;
  let http: HttpClient;
  let token: string;
  const clock = virtualClock(T0);
  const queries = () => `${emu.managementUrl}/v1.0/security/auditLog/queries`;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, days: 1, eventsPerHour: 30, eventsPerBlob: 4, clock, graphQueryStartSeconds: 5, graphQuerySeconds: 60, tokenLifetimeSeconds: 3 * 86_400 });
    http = rawClient(emu);
    token = await bearer(http, emu, GRAPH);
  });
  afterAll(async () => {
    http.close();
    await emu.close();
  });

  it('issues Graph tokens with AuditLogsQuery.Read.All, and Management tokens without it', async () => {
    expect(claimsOf(token)).toMatchObject({ aud: GRAPH, tid: emu.tenantId, roles: ['AuditLogsQuery.Read.All'] });
    expect(claimsOf(await bearer(http, emu))).toMatchObject({ roles: ['ActivityFeed.Read', 'ServiceHealth.Read'] });
  });

  it('creates a query (201, notStarted, filters echoed), moves it to running then succeeded on the clock, and pages its records', async () => {
    const start = T0 - 12 * HOUR;
    const end = T0 - 2 * HOUR;
    const created = await postJson(http, queries(), token, { displayName: 't', filterStartDateTime: iso(start), filterEndDateTime: iso(end), operationFilters: ['LaunchPowerApp', 'DeletePowerApp'] });
    expect(created.status).toBe(201);
    const q = JSON.parse(created.body) as Record<string, unknown>;
    expect(q).toMatchObject({ status: 'notStarted', displayName: 't', operationFilters: ['LaunchPowerApp', 'DeletePowerApp'], filterStartDateTime: iso(start), isRecordCountLimitExceeded: false });
    expect(String(q['@odata.context'])).toContain('/v1.0/$metadata#security/auditLog/queries/$entity');
    const status = async () => (JSON.parse((await get(http, `${queries()}/${String(q.id)}`, token)).body) as { status: string }).status;
    expect(await status()).toBe('notStarted');
    const early = await get(http, `${queries()}/${String(q.id)}/records`, token);
    expect(early.status).toBe(400);
    expect(errorOf(early.body).message).toMatch(/has not succeeded \(status notStarted\)/);
    clock.advance(10_000);
    expect(await status()).toBe('running');
    clock.advance(60_000);
    expect(await status()).toBe('succeeded');

    const want = emu.seeded.events
      .filter((r) => ['LaunchPowerApp', 'DeletePowerApp'].includes(String(r.Operation)))
      .filter((r) => Date.parse(`${String(r.CreationTime)}Z`) >= start && Date.parse(`${String(r.CreationTime)}Z`) < end);
    expect(want.length).toBeGreaterThan(20);
    const got: Record<string, unknown>[] = [];
    let url: string | undefined = `${queries()}/${String(q.id)}/records?$top=7`;
    let pages = 0;
    while (url) {
      const res = await get(http, url, token);
      expect(res.status).toBe(200);
      const page = JSON.parse(res.body) as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
      expect(page.value.length).toBeLessThanOrEqual(7);
      got.push(...page.value);
      url = page['@odata.nextLink'];
      if (url) expect(url.startsWith(`${emu.managementUrl}/v1.0/security/auditLog/queries/`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(Math.ceil(want.length / 7));
    expect(got.map((g) => g.id).sort()).toEqual(want.map((r) => String(r.Id)).sort());
    const one = got[0]!;
    const original = want.find((r) => r.Id === one.id)!;
    expect(one).toMatchObject({ operation: original.Operation, userPrincipalName: original.UserId, service: original.Workload, createdDateTime: `${String(original.CreationTime)}Z` });
    expect((one.auditData as Record<string, unknown>)['@odata.type']).toBe('#microsoft.graph.security.defaultAuditData');
    expect(fromGraphRecord(one)).toEqual(original);
  });

  it('filters on record types, services and users', async () => {
    clock.advance(HOUR);
    const user = String(emu.seeded.events[0]!.UserId);
    const body = { filterStartDateTime: iso(T0 - 24 * HOUR), filterEndDateTime: iso(T0), recordTypeFilters: ['powerAppsApp'], serviceFilters: ['PowerApps'], userPrincipalNameFilters: [user] };
    const created = JSON.parse((await postJson(http, queries(), token, body)).body) as { id: string };
    clock.advance(2 * 60_000);
    const res = JSON.parse((await get(http, `${queries()}/${created.id}/records?$top=1000`, token)).body) as { value: { auditData: Record<string, unknown> }[] };
    const want = emu.seeded.events.filter((r) => r.RecordType === 45 && r.UserId === user && Date.parse(`${String(r.CreationTime)}Z`) >= T0 - 24 * HOUR);
    expect(want.length).toBeGreaterThan(0);
    expect(res.value.map((g) => g.auditData.Id).sort()).toEqual(want.map((r) => r.Id).sort());
  });

  it('refuses a start not before the end (the kit bug #9190), bad tokens and tokens without the role', async () => {
    const bad = await postJson(http, queries(), token, { filterStartDateTime: iso(T0), filterEndDateTime: iso(T0 - HOUR) });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.body).code).toBe('BadRequest');
    const management = await postJson(http, queries(), await bearer(http, emu), {});
    expect(management.status).toBe(401);
    expect(errorOf(management.body)).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' });
    expect((await get(http, queries())).status).toBe(401);
    expect((await get(http, `${queries()}/nope`, token)).status).toBe(404);
  });

  it('answers paths Graph does not have as Graph does (#10885)', async () => {
    const res = await get(http, `${emu.managementUrl}/v1.0/${emu.tenantId}/activity/feed/subscriptions/content`, token);
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toMatchObject({ code: 'BadRequest', message: "Resource not found for the segment 'activity'." });
  });
});

describe.each(CLOUDS.filter((c) => !c.graphAuditQueriesAvailable).map((c) => [c.id, c.graphUrl]))('Graph in %s, where the audit log query API is not offered', (cloud, graphUrl) => {
  it("answers 400 Resource not found for the segment 'auditLog' (#10118), on v1.0 and beta", async () => {
    const emu = await startEmulator({ seed: 1, hours: 2, cloud, clock: virtualClock(T0) });
    const http = rawClient(emu);
    try {
      const token = await bearer(http, emu, graphUrl);
      for (const v of ['v1.0', 'beta']) {
        const res = await postJson(http, `${emu.managementUrl}/${v}/security/auditLog/queries`, token, {});
        expect(res.status).toBe(400);
        expect(errorOf(res.body)).toMatchObject({ code: 'BadRequest', message: "Resource not found for the segment 'auditLog'." });
      }
    } finally {
      http.close();
      await emu.close();
    }
  });
});

describe('Graph limits and faults', () => {
  async function withEmulator(options: Parameters<typeof startEmulator>[0], body: (emu: RunningEmulator, http: HttpClient, token: string, clock: ReturnType<typeof virtualClock>) => Promise<void>) {
    const clock = virtualClock(T0);
    const emu = await startEmulator({ seed: 2, hours: 6, eventsPerHour: 40, clock, graphQueryStartSeconds: 1, graphQuerySeconds: 10, tokenLifetimeSeconds: 3 * 86_400, ...options });
    const http = rawClient(emu);
    try {
      await body(emu, http, await bearer(http, emu, GRAPH), clock);
    } finally {
      http.close();
      await emu.close();
    }
  }
  const url = (emu: RunningEmulator) => `${emu.managementUrl}/beta/security/auditLog/queries`;

  it('429 with Retry-After past the submissions per rolling 24 hours; accepted again once the oldest ages out', async () => {
    await withEmulator({ graphSubmissionsPerDay: 2 }, async (emu, http, token, clock) => {
      expect((await postJson(http, url(emu), token, {})).status).toBe(201);
      clock.advance(HOUR);
      expect((await postJson(http, url(emu), token, {})).status).toBe(201);
      const third = await postJson(http, url(emu), token, {});
      expect(third.status).toBe(429);
      expect(Number(third.headers['retry-after'])).toBe(23 * 3600);
      clock.advance(23 * HOUR);
      expect((await postJson(http, url(emu), token, {})).status).toBe(201);
      expect(emu.report().graph.submissions).toBe(3);
    });
  });

  it('429 while too many queries are queued or running', async () => {
    await withEmulator({ graphMaxQueuedQueries: 1 }, async (emu, http, token, clock) => {
      expect((await postJson(http, url(emu), token, {})).status).toBe(201);
      const second = await postJson(http, url(emu), token, {});
      expect(second.status).toBe(429);
      expect(Number(second.headers['retry-after'])).toBe(10);
      clock.advance(10_000);
      expect((await postJson(http, url(emu), token, {})).status).toBe(201);
    });
  });

  it('a query over the record limit succeeds with isRecordCountLimitExceeded and at most the limit', async () => {
    await withEmulator({ graphRecordLimit: 5 }, async (emu, http, token, clock) => {
      const q = JSON.parse((await postJson(http, url(emu), token, {})).body) as { id: string };
      clock.advance(60_000);
      const done = JSON.parse((await get(http, `${url(emu)}/${q.id}`, token)).body) as Record<string, unknown>;
      expect(done).toMatchObject({ status: 'succeeded', isRecordCountLimitExceeded: true, recordCountLimit: 5, approximateReturnedRecordCount: 5 });
      const records = JSON.parse((await get(http, `${url(emu)}/${q.id}/records`, token)).body) as { value: unknown[] };
      expect(records.value).toHaveLength(5);
    });
  });

  it('faults: query-failed ends a query failed, query-slow makes it take longer, graph-throttle answers 429 with Retry-After', async () => {
    await withEmulator({ faults: 'query-failed=1,query-slow=1,graph-throttle=1', maxFaultsPerRequest: 1, graphSlowQueryFactor: 5, graphRetryAfterSeconds: 7 }, async (emu, http, token, clock) => {
      const throttled = await postJson(http, url(emu), token, {});
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('7');
      const created = await postJson(http, url(emu), token, {});
      expect(created.status).toBe(201);
      const id = (JSON.parse(created.body) as { id: string }).id;
      const status = async () => {
        for (;;) {
          const r = await get(http, `${url(emu)}/${id}`, token);
          if (r.status === 200) return (JSON.parse(r.body) as { status: string }).status;
          expect(r.status).toBe(429);
        }
      };
      clock.advance(10_000);
      expect(await status()).toBe('running');
      clock.advance(40_000);
      expect(await status()).toBe('failed');
      expect(emu.faults.counts['query-failed']).toBe(1);
      expect(emu.faults.counts['query-slow']).toBe(1);
      expect(emu.faults.counts['graph-throttle']).toBeGreaterThan(0);
      // The next submission of the same query is not hit again (at most maxFaultsPerRequest in a row).
      let again = await postJson(http, url(emu), token, {});
      if (again.status === 429) again = await postJson(http, url(emu), token, {});
      const second = (JSON.parse(again.body) as { id: string }).id;
      clock.advance(10_000);
      const r = await get(http, `${url(emu)}/${second}`, token);
      expect((JSON.parse(r.status === 429 ? (await get(http, `${url(emu)}/${second}`, token)).body : r.body) as { status: string }).status).toBe('succeeded');
    });
  });
});
