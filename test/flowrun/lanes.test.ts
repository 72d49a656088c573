import { describe, expect, it } from 'vitest';
import { startLocalEmulator } from '../../src/flowrun/index.js';
import { createStore } from '../../src/store/index.js';
import { runFlow } from '../../src/wdl/index.js';

const START = Date.parse('2026-01-01T10:00:00Z');

/** A Foreach whose iterations wait 0–4 minutes, then call the emulator, each with its own URL (own fault draw). */
function loopFlow(managementUrl: string, authorityUrl: string, tenant: string, clientId: string, secret: string, repetitions: number): unknown {
  return {
    definition: {
      triggers: { Recurrence: { type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } } },
      actions: {
        Loop: {
          type: 'Foreach',
          foreach: '@range(0, 40)',
          runtimeConfiguration: { concurrency: { repetitions } },
          actions: {
            Pause: { type: 'Wait', inputs: { interval: { count: '@mod(mul(item(), 7), 5)', unit: 'Minute' } }, runAfter: {} },
            List: {
              type: 'Http',
              inputs: {
                method: 'GET',
                uri: `${managementUrl}/api/v1.0/${tenant}/activity/feed/subscriptions/list?PublisherIdentifier=${tenant}&item=@{item()}`,
                authentication: { type: 'ActiveDirectoryOAuth', authority: authorityUrl, tenant, audience: managementUrl, clientId, secret },
                retryPolicy: { type: 'none' },
              },
              runAfter: { Pause: ['Succeeded'] },
            },
            Seen: { type: 'Compose', inputs: "@outputs('List')?['statusCode']", runAfter: { List: ['Succeeded', 'Failed'] } },
          },
          runAfter: {},
        },
      },
    },
  };
}

async function runWith(repetitions: number): Promise<{ statuses: Record<number, unknown>; throttled: number; quotaRejections: number; outOfOrder: number; headerNames: string[] }> {
  const local = await startLocalEmulator(START, { seed: 3, faults: 'throttle=0.1', hours: 2 });
  try {
    const e = local.emulator;
    const r = await runFlow({
      flow: loopFlow(e.managementUrl, e.authorityUrl, e.tenantId, e.clientId, e.clientSecret, repetitions),
      displayName: 'lanes',
      now: new Date(START).toISOString(),
      http: local.http,
      store: createStore({}),
    });
    const statuses: Record<number, unknown> = {};
    for (const a of r.actions) if (a.name === 'Seen') statuses[a.iteration[0]!] = a.outputs;
    const report = e.report();
    const first = r.actions.find((a) => a.name === 'List')!.outputs as { headers: Record<string, string> };
    return { headerNames: Object.keys(first.headers), statuses, throttled: report.faults.counts.throttle, quotaRejections: report.requests.quotaRejections, outOfOrder: report.requests.outOfOrder };
  } finally {
    await local.close();
  }
}

describe('concurrent Foreach lanes reach the emulator in virtual-time order', () => {
  it('the throttling a flow sees under throttle=0.1 does not depend on its Foreach concurrency', async () => {
    const one = await runWith(1);
    const ten = await runWith(10);
    const fifty = await runWith(50);
    expect(Object.keys(one.statuses)).toHaveLength(40);
    expect(one.throttled).toBeGreaterThan(0);
    expect(Object.values(one.statuses).filter((s) => s === 403)).toHaveLength(one.throttled);
    for (const other of [ten, fifty]) {
      expect(other.statuses).toEqual(one.statuses);
      expect(other.throttled).toBe(one.throttled);
      expect(other.quotaRejections).toBe(0);
      expect(other.outOfOrder).toBe(0);
    }
    expect(one.quotaRejections).toBe(0);
    // Response headers reach the flow with their names as the server sent them.
    expect(one.headerNames).toEqual(expect.arrayContaining(['Content-Type', 'Cache-Control', 'X-Powered-By']));
    expect(one.headerNames).not.toContain('content-type');
  }, 60_000);
});
