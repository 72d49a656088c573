import { describe, expect, it } from 'vitest';
import { activitySource, idKey, memorySink, newSourceStats, runPipeline, type ApiSession, type HttpClient, type HttpResponse, type PullSink } from '../../src/api/index.js';
import { seededRandom } from '../../src/api/rng.js';

const T = Date.UTC(2026, 0, 10, 12);

/**
 * A fake Activity API behind the session's HTTP client: one listing page of `blobs` items, each blob answered after a
 * random delay (so downloads finish out of order). Counts blob downloads started and records the most held at once.
 */
function fakeSession(blobs: number, perBlob: number, seed: number) {
  const rnd = seededRandom(seed);
  const base = 'https://manage.example';
  let started = 0;
  let handedOn = 0;
  let maxHeld = 0;
  const http: HttpClient = {
    stats: { requests: 0, retries: 0, budgetWaitMs: 0, inFlight: 0, waitingForBudget: 0, waitingToRetry: 0 },
    clock: { now: () => T, sleep: async () => {} },
    log: () => {},
    close: () => {},
    async request(req): Promise<HttpResponse> {
      const url = new URL(req.url);
      if (url.pathname.endsWith('/subscriptions/content')) {
        const items = Array.from({ length: blobs }, (_, i) => ({ contentType: 'Audit.General', contentId: `b${i}`, contentUri: `${base}/blob/${i}`, contentCreated: '', contentExpiration: '' }));
        return { status: 200, headers: {}, rawHeaders: {}, body: JSON.stringify(items), attempts: 1 };
      }
      const i = Number(url.pathname.split('/').pop());
      started++;
      maxHeld = Math.max(maxHeld, started - handedOn);
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 5)));
      // Every third blob repeats the previous blob's last record: duplicates across blobs.
      const records = Array.from({ length: perBlob }, (_, k) => ({ Id: `00000000-0000-4000-8000-${String(i * perBlob + k).padStart(12, '0')}`, Operation: k % 2 ? 'LaunchPowerApp' : 'Other' }));
      if (i % 3 === 2) records.push({ Id: `00000000-0000-4000-8000-${String(i * perBlob - 1).padStart(12, '0')}`, Operation: 'LaunchPowerApp' });
      return { status: 200, headers: {}, rawHeaders: {}, body: JSON.stringify(records), attempts: 1 };
    },
  };
  const session: ApiSession = { http, tokens: { getToken: async () => ({ token: 't', claims: {} }) }, managementUrl: base, tenantId: 'x', publisherId: 'x' };
  return { session, onHandedOn: () => handedOn++, maxHeld: () => maxHeld };
}

describe('content pull pipeline', () => {
  it('hands blobs on in listing order whatever the download order, holding at most --concurrency blobs', async () => {
    const f = fakeSession(60, 5, 3);
    const stats = newSourceStats();
    const sink = memorySink();
    const write = sink.write.bind(sink);
    const keys: string[] = [];
    sink.write = (key, records, ids) => {
      f.onHandedOn();
      keys.push(key);
      write(key, records, ids);
    };
    const p = await runPipeline(activitySource(f.session, { start: T - 3_600_000, end: T, contentType: 'Audit.General', now: T, concurrency: 4 }, stats), sink);
    expect(keys).toEqual(Array.from({ length: 60 }, (_, i) => `b${i}`));
    expect(f.maxHeld()).toBeLessThanOrEqual(4);
    expect(f.maxHeld()).toBeGreaterThan(1);
    expect(p.records).toBe(300);
    expect(p.duplicateRecords).toBe(20);
    expect(sink.records.map((r) => r['Id'])).toEqual(Array.from({ length: 300 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
  });

  it('skips the blobs a resumed sink holds and seeds de-duplication with its Ids', async () => {
    const f = fakeSession(9, 2, 1);
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const got: string[] = [];
    const sink: PullSink = {
      done: new Set(['b0', 'b1', 'b2', 'b3', 'b4']),
      heldIds: Array.from({ length: 10 }, (_, n) => idKey(id(n))),
      heldRecords: 10,
      write: (_key, records) => got.push(...records.map((r) => String(r['Id']))),
    };
    const p = await runPipeline(activitySource(f.session, { start: T - 3_600_000, end: T, contentType: 'Audit.General', now: T, concurrency: 2, skip: sink.done }), sink);
    // b5 and b8 repeat the last record of the blob before: b5's is held from the earlier run, b8's from this one.
    expect(got).toEqual(Array.from({ length: 8 }, (_, n) => id(10 + n)));
    expect([p.records, p.duplicateRecords]).toEqual([18, 2]);
  });

  it('filters by operation after de-duplication', async () => {
    const f = fakeSession(9, 2, 1);
    const sink = memorySink();
    const p = await runPipeline(activitySource(f.session, { start: T - 3_600_000, end: T, contentType: 'Audit.General', now: T, concurrency: 2 }), sink, { operations: ['launchpowerapp'] });
    expect(sink.records.every((r) => r['Operation'] === 'LaunchPowerApp')).toBe(true);
    expect([sink.records.length, p.filteredOut, p.duplicateRecords]).toEqual([9, 9, 3]);
  });
});
