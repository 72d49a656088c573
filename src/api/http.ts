import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { RuntimeError } from '../errors.js';
import { systemClock, type Clock } from './clock.js';
import { seededRandom } from './rng.js';

/**
 * The one HTTP module: every network call of coe-audit goes through a client made here (token calls through
 * MSAL's injected network client, Activity API calls, blob downloads). It retries transient failures with
 * Retry-After when present and bounded exponential back-off with seeded jitter otherwise, keeps a request budget
 * per minute, and writes redacted traces to `log` (the CLI's --debug).
 */
export interface RetryPolicy {
  /** Attempts in all, first one included (default 6). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retry-After values above this are capped (default 120 s). */
  maxRetryAfterMs: number;
}

export interface HttpClientOptions {
  clock?: Clock;
  /** Debug trace sink; lines are already redacted. */
  log?: (line: string) => void;
  retry?: Partial<RetryPolicy>;
  /** Requests per minute at most, counting retries (default 1,800: below the 2,000 tenant baseline). 0 = unlimited. */
  budgetPerMinute?: number;
  /** Per-attempt timeout (default 60 s). */
  timeoutMs?: number;
  /** Extra CA certificates (PEM) to trust besides the system's, e.g. the emulator's CA. */
  ca?: string;
  /**
   * Name resolution for this client's connections only (Node's `lookup` signature), e.g. to send a fixed Microsoft
   * host name to a local emulator inside one process; default the system resolver.
   */
  lookup?: LookupFunction;
  maxSockets?: number;
  /** Seed of the jitter RNG (default 1). */
  seed?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Count against the request budget (default true; token calls go to Entra, not the tenant quota). */
  budget?: boolean;
  /** Retry transient failures (default true). */
  retry?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The same headers with their names as the server sent them (repeated headers joined with ', '). */
  rawHeaders: Record<string, string>;
  body: string;
  /** Attempts it took. */
  attempts: number;
}

export interface HttpStats {
  requests: number;
  retries: number;
  /** Time spent waiting for the budget, ms. */
  budgetWaitMs: number;
  /** Requests sent and not yet answered, now. */
  inFlight: number;
  /** Requests waiting for the budget, now. */
  waitingForBudget: number;
  /** Requests waiting to retry, now. */
  waitingToRetry: number;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  readonly stats: HttpStats;
  readonly clock: Clock;
  /** The debug sink (a no-op without --debug). */
  readonly log: (line: string) => void;
  close(): void;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const clock = options.clock ?? systemClock();
  const log = options.log ?? (() => {});
  const policy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000, ...options.retry };
  const budget = options.budgetPerMinute ?? 1800;
  const rnd = seededRandom(options.seed ?? 1);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxSockets = options.maxSockets ?? 16;
  const lookup = options.lookup ? { lookup: options.lookup } : {};
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets, ...lookup });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets, ...lookup, ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}) });
  const stats: HttpStats = { requests: 0, retries: 0, budgetWaitMs: 0, inFlight: 0, waitingForBudget: 0, waitingToRetry: 0 };

  // Request budget: a send is allowed when fewer than `budget` requests are in flight or ended within the last
  // 60 s of the clock. Counting by end time (in-flight as "now") keeps the bound at the server whatever the latency.
  const slots: { end?: number }[] = [];
  let waiters: (() => void)[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  function acquire(): Promise<{ end?: number }> {
    const p = chain.then(async () => {
      for (;;) {
        const t = clock.now();
        for (let i = slots.length - 1; i >= 0; i--) if (slots[i]!.end !== undefined && slots[i]!.end! <= t - 60_000) slots.splice(i, 1);
        if (slots.length < budget) {
          const slot = {};
          slots.push(slot);
          return slot;
        }
        const ended = slots.filter((x) => x.end !== undefined).map((x) => x.end!);
        if (ended.length > 0) {
          const wait = Math.min(...ended) + 60_000 - t;
          stats.budgetWaitMs += wait;
          await clock.sleep(wait);
        } else {
          await new Promise<void>((resolve) => waiters.push(resolve));
        }
      }
    });
    chain = p.catch(() => {});
    return p;
  }
  function release(slot: { end?: number } | undefined): void {
    if (!slot) return;
    slot.end = clock.now();
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  }

  function once(req: HttpRequest): Promise<{ status: number; headers: Record<string, string>; rawHeaders: Record<string, string>; body: string }> {
    const u = new URL(req.url);
    const isHttps = u.protocol === 'https:';
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (body) headers['Content-Length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const r = (isHttps ? httpsRequest : httpRequest)(
        u,
        { method: req.method, headers, agent: isHttps ? httpsAgent : httpAgent },
        (res: IncomingMessage) => {
          // Decoded as it arrives (the decoder keeps a character cut between chunks whole): no copy of the whole body
          // as one more Buffer per response, which a long pull of thousands of blobs would allocate and free outside
          // the JavaScript heap.
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (c: string) => (text += c));
          res.on('error', reject);
          res.on('aborted', () => reject(new Error('connection closed mid-response')));
          res.on('close', () => {
            if (!res.complete) return reject(new Error('connection closed mid-response'));
          });
          res.on('end', () => {
            if (!res.complete) return reject(new Error('connection closed mid-response'));
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
            const raw: Record<string, string> = {};
            for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
              const k = res.rawHeaders[i]!;
              raw[k] = raw[k] === undefined ? res.rawHeaders[i + 1]! : `${raw[k]}, ${res.rawHeaders[i + 1]!}`;
            }
            resolve({ status: res.statusCode ?? 0, headers: h, rawHeaders: raw, body: text });
          });
        },
      );
      r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      r.on('error', reject);
      r.end(body);
    });
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const retry = req.retry !== false;
    for (let attempt = 1; ; attempt++) {
      let slot: { end?: number } | undefined;
      if (req.budget !== false && budget > 0) {
        stats.waitingForBudget++;
        try {
          slot = await acquire();
        } finally {
          stats.waitingForBudget--;
        }
      }
      stats.requests++;
      const t0 = clock.now();
      log(`→ ${req.method} ${req.url}${traceHeaders(req.headers)}${req.body ? ` body: ${redactText(req.body)}` : ''}`);
      let res: { status: number; headers: Record<string, string>; rawHeaders: Record<string, string>; body: string } | undefined;
      let failure: Error | undefined;
      stats.inFlight++;
      try {
        res = await once(req);
      } catch (e) {
        failure = e as Error;
      } finally {
        stats.inFlight--;
        release(slot);
      }
      const took = clock.now() - t0;
      if (res) log(`← ${res.status} ${req.method} ${req.url} (${res.body.length} bytes, ${took} ms)${res.status >= 400 ? ` body: ${redactText(res.body.slice(0, 500))}` : ''}`);
      else log(`← failed ${req.method} ${req.url}: ${failure!.message}`);
      const transient = failure !== undefined || (res !== undefined && (RETRY_STATUSES.has(res.status) || isThrottleBody(res)));
      if (!transient || !retry || attempt >= policy.maxAttempts) {
        if (res) return { ...res, attempts: attempt };
        throw new RuntimeError(`network error on ${req.method} ${safeUrl(req.url)} after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${failure!.message}`, { cause: failure });
      }
      const wait = delayFor(attempt, res?.headers['retry-after']);
      stats.retries++;
      log(`  retry ${attempt}/${policy.maxAttempts - 1} in ${wait} ms`);
      stats.waitingToRetry++;
      try {
        await clock.sleep(wait);
      } finally {
        stats.waitingToRetry--;
      }
    }
  }

  function delayFor(attempt: number, retryAfter: string | undefined): number {
    if (retryAfter !== undefined) {
      const secs = Number(retryAfter);
      const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(retryAfter) - clock.now();
      if (Number.isFinite(ms) && ms >= 0) return Math.min(policy.maxRetryAfterMs, Math.round(ms));
    }
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + (rnd() * cap) / 2);
  }

  return {
    request,
    stats,
    clock,
    log,
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** AF429 arrives as 403 (observed): retryable, unlike other 403s. */
function isThrottleBody(res: { status: number; body: string }): boolean {
  return res.status === 403 && res.body.includes('"AF429"');
}

const SECRET_FIELDS = /\b(client_secret|client_assertion|assertion|access_token|refresh_token|id_token|password)(=|"\s*:\s*")([^&"\s]+)/gi;
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Removes tokens, secrets and assertions from trace text (form bodies, JSON bodies, JWTs anywhere). */
export function redactText(text: string): string {
  return text.replace(SECRET_FIELDS, (_m, k: string, sep: string) => `${k}${sep}[redacted]`).replace(JWT, '[redacted-jwt]').replace(/(Bearer\s+)\S+/gi, '$1[redacted]');
}

/** Header block for traces with Authorization and other credentials redacted. */
export function redactHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    out[k] = /^(authorization|cookie|x-client-secret|proxy-authorization)$/i.test(k) ? (/^bearer /i.test(v) ? 'Bearer [redacted]' : '[redacted]') : redactText(v);
  }
  return out;
}

function traceHeaders(headers: Record<string, string> | undefined): string {
  const h = redactHeaders(headers);
  const keys = Object.keys(h);
  return keys.length === 0 ? '' : ` ${keys.map((k) => `${k}: ${h[k]}`).join('; ')}`;
}

function safeUrl(url: string): string {
  return redactText(url);
}
