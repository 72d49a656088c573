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
    // Three more runs after the period: Graph windows end at least 180 minutes ago.
    expect(graph.runs).toBe(management.runs + 3);
    expect(graph.httpCalls).toBeLessThan(management.httpCalls);
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
    expect(s.failedRuns).toBe(s.runs - 1);
    expect(s.rowsWritten).toBe(0);
    expect(s.missingLaunches).toBe(s.launchEvents);
  });
});
