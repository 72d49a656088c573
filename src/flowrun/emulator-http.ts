import { createHttpClient, type HttpClient } from '../api/http.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../api/emulator/server.js';
import { virtualClock, type Clock } from '../api/clock.js';
import { CLOUDS } from '../clouds/cloud-table.js';
import { RunAbortedError, type HttpFunction } from '../wdl/runner/types.js';

/** Counters of what the flows sent, for summaries. */
export interface HttpCounters {
  requests: number;
  /** Responses the flows have to retry: 408, 429, 5xx, 403 AF429, and dropped connections. */
  retryable: number;
  /** Wall time spent waiting for responses (ms), when a timer is given. */
  waitMs: number;
}

/**
 * The runner's network: the project's HTTP client, with every cloud's Management API, Graph and authority origins
 * (from the cloud table) redirected to the emulator, so the flows run unmodified with real environment
 * variable values. Retries are the flows' business: the client neither retries nor budgets.
 */
export function emulatorHttp(o: { managementUrl: string; authorityUrl: string; client: HttpClient; counters: HttpCounters; onSend?: (atMs: number) => void; timer?: () => number }): HttpFunction {
  const map = new Map<string, string>();
  const management = new URL(o.managementUrl).origin;
  const authority = new URL(o.authorityUrl).origin;
  for (const c of CLOUDS) {
    map.set(new URL(c.managementAudience).origin, management);
    map.set(new URL(c.authorityUrl).origin, authority);
    for (const a of c.authorityAliases) map.set(new URL(a).origin, authority);
    // The emulator serves the Graph audit log query API on the same server (src/api/emulator/graph.ts).
    map.set(new URL(c.graphUrl).origin, management);
  }
  return async (req) => {
    const method = req.method.toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new RunAbortedError(`the emulator client sends GET and POST only, not ${req.method} (${req.url})`);
    const url = new URL(req.url);
    const target = map.get(url.origin);
    if (!target && url.origin !== management && url.origin !== authority) {
      throw new RunAbortedError(`the flow calls ${url.origin}, which is neither a Management API, Graph or authority host of the cloud table nor the emulator; check the Audience, Authority and Graph URL environment variables`);
    }
    const rewritten = target ? `${target}${url.pathname}${url.search}` : req.url;
    o.onSend?.(req.atMs);
    o.counters.requests++;
    const t0 = o.timer?.();
    try {
      const res = await o.client.request({ method, url: rewritten, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}), retry: false, budget: false });
      if (res.status === 408 || res.status === 429 || res.status >= 500 || (res.status === 403 && res.body.includes('"AF429"'))) o.counters.retryable++;
      return { status: res.status, headers: res.rawHeaders, body: res.body };
    } catch (e) {
      o.counters.retryable++;
      throw e;
    } finally {
      if (t0 !== undefined) o.counters.waitMs += o.timer!() - t0;
    }
  };
}

/** A clock the emulator reads: the virtual time of the request being served (set before each request). */
export function sharedVirtualClock(startMs: number): Clock & { set(ms: number): void } {
  const clock = virtualClock(startMs);
  return { now: clock.now, sleep: clock.sleep, set: (ms) => clock.advance(ms - clock.now()) };
}

export interface LocalEmulator {
  emulator: RunningEmulator;
  http: HttpFunction;
  counters: HttpCounters;
  close(): Promise<void>;
}

/** Starts the emulator in-process on the run's virtual clock and returns the HTTP function wired to it. */
export async function startLocalEmulator(startMs: number, options: Omit<EmulatorOptions, 'clock'> = {}, timer?: () => number): Promise<LocalEmulator> {
  const clock = sharedVirtualClock(startMs);
  const emulator = await startEmulator({ ...options, clock });
  const client = createHttpClient({ clock });
  const counters: HttpCounters = { requests: 0, retryable: 0, waitMs: 0 };
  const http = emulatorHttp({ managementUrl: emulator.managementUrl, authorityUrl: emulator.authorityUrl, client, counters, onSend: (ms) => clock.set(ms), ...(timer ? { timer } : {}) });
  return {
    emulator,
    http,
    counters,
    close: async () => {
      client.close();
      await emulator.close();
      // The servers' handles are released in the event loop's close phase: until then they hold the request handler,
      // and through it every seeded record. A timer runs after that phase, so a simulation started next (flow
      // simulate --compare) does not seed its emulator while this one's records are still alive.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    },
  };
}
