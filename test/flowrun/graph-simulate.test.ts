import { describe, expect, it } from 'vitest';
import { simulateFlows } from '../../src/flowrun/index.js';

/** flow simulate --api graph: the Sync flow's Graph mode against the emulator's Graph audit log query API. */
describe('flow simulate --api graph', () => {
  it('writes every launch once, as the Management API mode does, with fewer HTTP calls', async () => {
    const args = { events: 600, hours: 6, seed: 3 };
    const graph = await simulateFlows({ ...args, api: 'graph' });
    const management = await simulateFlows({ ...args, api: 'management' });
    expect(graph).toMatchObject({ missingLaunches: 0, failedRuns: 0, wrongLastLaunch: 0, duplicates: 0 });
    expect(graph.uniqueIds).toBe(graph.launchEvents);
    expect(graph.appsMarkedDeleted).toBe(graph.appsDeletedSeeded);
    // Graph windows end at least 180 minutes ago and are read in batches of 6 hours: 9 more runs after the period
    // read its last hours (counted apart, not in the costs).
    expect(graph.runs).toBe(management.runs);
    expect(graph.drainRuns).toBe(9);
    expect(management.drainRuns).toBe(0);
    // Their costs are reported apart: at least the 9 runs' fixed actions (a run that ends after its window costs
    // more than 20 requests), nothing in the Management mode.
    expect(graph.drainPowerPlatformRequests).toBeGreaterThan(9 * 20);
    expect(management.drainPowerPlatformRequests).toBe(0);
    expect(graph.httpCalls).toBeLessThan(management.httpCalls);
    expect(graph.powerPlatformRequests).toBeLessThan(management.powerPlatformRequests);
    expect(graph.bytesDownloaded).toBeLessThan(management.bytesDownloaded);
    expect(await simulateFlows({ ...args, api: 'graph' })).toEqual(graph);
  });

  for (const seed of [5, 6]) {
    it(`seed ${seed}: exactly once under graph-throttle, query-failed and query-slow`, async () => {
      const s = await simulateFlows({ events: 1500, hours: 10, seed, api: 'graph', faults: 'graph-throttle=0.2,query-failed=0.2,query-slow=0.3' });
      expect(s).toMatchObject({ missingLaunches: 0, failedRuns: 0, wrongLastLaunch: 0, duplicates: 0 });
      expect(s.uniqueIds).toBe(s.launchEvents);
      expect(s.retries).toBeGreaterThan(0);
    });
  }

  it('a query that always fails: the runs fail, nothing is lost silently, the watermark is kept back', async () => {
    const s = await simulateFlows({ events: 300, hours: 3, seed: 2, api: 'graph', faults: 'query-failed=1' });
    // The first run and each run with 6 hours unread try the query and fail; the watermark never moves.
    expect(s.failedRuns).toBeGreaterThan(0);
    expect(s.watermark).toBe('');
    expect(s.rowsWritten).toBe(0);
    expect(s.missingLaunches).toBe(s.launchEvents);
  });
});
