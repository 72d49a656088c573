import { describe, expect, it } from 'vitest';
import {
  createHttpClient,
  listContent,
  parseFaultSpec,
  pullContent,
  startEmulator,
  virtualClock,
  ZERO_GUID,
  type ApiSession,
  type HttpClient,
  type RunningEmulator,
  type TokenProvider,
} from '../../src/api/index.js';
import { T0 } from './helpers.js';

/** A v1 client-credentials token source through the HTTP module (MSAL itself is covered over HTTPS elsewhere). */
function v1Tokens(http: HttpClient, emu: RunningEmulator): TokenProvider {
  let cached: string | undefined;
  return {
    async getToken(o = {}) {
      if (!cached || o.forceRefresh) {
        const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, resource: emu.cloud.managementAudience });
        const res = await http.request({ method: 'POST', url: `${emu.authorityUrl}/${emu.tenantId}/oauth2/token`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString(), budget: false });
        cached = (JSON.parse(res.body) as { access_token: string }).access_token;
      }
      return { token: cached, claims: {} };
    },
  };
}

const BUDGET = 60;

async function pullUnderFaults(seed: number, faults: string) {
  const clock = virtualClock(T0);
  const emu = await startEmulator({ seed, clock, days: 1, eventsPerHour: 12, eventsPerBlob: 3, faults, slowMs: 2, quotaPerMinute: 100 });
  const http = createHttpClient({ clock, budgetPerMinute: BUDGET, seed, retry: { maxAttempts: 6 } });
  const session: ApiSession = { http, tokens: v1Tokens(http, emu), managementUrl: emu.managementUrl, tenantId: emu.tenantId, publisherId: emu.tenantId };
  const start = T0 - 23 * 3_600_000;
  const end = T0;
  try {
    const result = await pullContent(session, { start, end, contentType: 'Audit.General', now: clock.now(), concurrency: 6 });
    return { emu, result, start, end, report: emu.report() };
  } finally {
    http.close();
    await emu.close();
  }
}

const MIXES = [
  'throttle=0.2,server-error=0.1,drop=0.05',
  'drop=0.2,slow=0.1,duplicate-blob=0.4,unauthorized=0.1,unavailable=0.1,timeout=0.05',
  'throttle=0.3,server-error=0.3,expired=0.05,duplicate-blob=0.2',
  'repeat-page=0.6,af50005=0.15,af50006=0.15,duplicate-blob=0.3',
];

describe('content pull under injected faults', () => {
  for (const seed of [1, 2, 3]) {
    for (const mix of MIXES) {
      it(`seed ${seed}, ${mix}: the exact seeded set, no duplicates, no loss, within the budget`, async () => {
        const { emu, result, start, end, report } = await pullUnderFaults(seed, mix);
        const expired = new Set(report.faults.expiredBlobs);
        const want = new Set<string>();
        for (const b of emu.seeded.blobs) {
          if (b.contentCreated < start || b.contentCreated >= end || expired.has(b.contentId)) continue;
          for (const r of b.records) want.add(String(r.Id));
        }
        const got = result.records.map((r) => String(r.Id));
        expect(new Set(got).size).toBe(got.length);
        expect([...got].sort()).toEqual([...want].sort());
        expect([...result.stats.expiredBlobs].sort()).toEqual([...expired].sort());
        // Every injected kind of the mix happened, and was absorbed.
        for (const kind of Object.keys(parseFaultSpec(mix))) {
          if (kind !== 'expired') expect(report.faults.counts[kind as keyof typeof report.faults.counts], kind).toBeGreaterThan(0);
        }
        expect(result.stats.retries).toBeGreaterThan(0);
        // The budget held on the emulator's clock, the quota never refused, PublisherIdentifier was always sent.
        expect(report.requests.byPublisher[emu.tenantId]!.maxPerMinute).toBeLessThanOrEqual(BUDGET);
        expect(report.requests.quotaRejections).toBe(0);
        expect(report.requests.byPublisher[ZERO_GUID]).toBeUndefined();
      });
    }
  }

  it('injects the same faults for the same seed', async () => {
    const key = (r: Awaited<ReturnType<typeof pullUnderFaults>>) => r.report.faults.injected.map((f) => `${f.kind} ${f.target} ${f.attempt}`).sort();
    const a = await pullUnderFaults(7, MIXES[0]!);
    const b = await pullUnderFaults(7, MIXES[0]!);
    const c = await pullUnderFaults(8, MIXES[0]!);
    expect(key(a)).toEqual(key(b));
    expect(key(a).length).toBeGreaterThan(0);
    expect(key(c)).not.toEqual(key(a));
  });

  it('rejects a bad fault spec with the kinds it knows', () => {
    expect(() => parseFaultSpec('throttle=2')).toThrow(/rate of throttle must be between 0 and 1/);
    expect(() => parseFaultSpec('flood=0.1')).toThrow(/a kind among throttle, server-error, drop, slow, duplicate-blob, expired, unauthorized, unavailable, timeout, repeat-page, af50005, af50006/);
    expect(parseFaultSpec('throttle=0.2, drop=0.05')).toEqual({ throttle: 0.2, drop: 0.05 });
  });
});

describe('loop guard against a NextPageUri that repeats the current page (repeat-page, §8.5 item 16)', () => {
  it('repeat-page=1: every page after the first points at itself 3 times, the pull still returns the exact set', async () => {
    const { emu, result, start, end, report } = await pullUnderFaults(4, 'repeat-page=1');
    const want = new Set(emu.seeded.eventsListedBetween(start, end).map((r) => String(r.Id)));
    const got = result.records.map((r) => String(r.Id));
    expect(new Set(got).size).toBe(got.length);
    expect(new Set(got)).toEqual(want);
    expect(report.faults.counts['repeat-page']).toBeGreaterThan(0);
    expect(report.faults.injected.filter((f) => f.kind === 'repeat-page').every((f) => f.attempt < 3)).toBe(true);
  });

  it('a page that always repeats itself is not followed forever: the listing stops with a warning', async () => {
    const clock = virtualClock(T0);
    const emu = await startEmulator({ seed: 4, clock, days: 1, eventsPerHour: 12, eventsPerBlob: 3, faults: 'repeat-page=1', maxFaultsPerRequest: 1_000_000 });
    const http = createHttpClient({ clock, budgetPerMinute: 0 });
    const session: ApiSession = { http, tokens: v1Tokens(http, emu), managementUrl: emu.managementUrl, tenantId: emu.tenantId, publisherId: emu.tenantId };
    const warnings: string[] = [];
    try {
      const pages: string[][] = [];
      for await (const page of listContent(session, 'Audit.General', T0 - 20 * 3_600_000, T0 - 10 * 3_600_000, (w) => warnings.push(w))) pages.push(page.map((i) => i.contentId));
      // The first page (no token), the second one (its own NextPageUri from then on): each yielded once.
      expect(pages).toHaveLength(2);
      expect(new Set(pages.flat()).size).toBe(pages.flat().length);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/NextPageUri repeated a page already read .* 4 times; stopped following it/);
      // First page, second page, then three re-reads of it: five listing requests in all.
      expect(emu.report().requests.byMethod['GetContents']).toBe(5);
    } finally {
      http.close();
      await emu.close();
    }
  });

  it('af50005 and af50006 answer 500 with the internal-error message', async () => {
    const clock = virtualClock(T0);
    const emu = await startEmulator({ seed: 4, clock, days: 1, eventsPerHour: 6, faults: 'af50006=1' });
    const http = createHttpClient({ clock, budgetPerMinute: 0, retry: { maxAttempts: 1 } });
    try {
      const tokens = v1Tokens(http, emu);
      const url = `${emu.managementUrl}/api/v1.0/${emu.tenantId}/activity/feed/subscriptions/list`;
      const res = await http.request({ method: 'GET', url, headers: { Authorization: `Bearer ${(await tokens.getToken()).token}` } });
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'AF50006', message: 'An internal error occurred. Retry the request.' } });
      expect(emu.report().faults.counts.af50006).toBe(1);
    } finally {
      http.close();
      await emu.close();
    }
  });
});
