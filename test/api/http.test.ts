import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, redactHeaders, redactText, virtualClock } from '../../src/api/index.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A loopback server answering from a script of responses, recording arrival times on the given clock. */
async function scripted(script: ((res: ServerResponse) => void)[]): Promise<{ url: string; hits: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    req.resume();
    const step = script[Math.min(n, script.length - 1)]!;
    n++;
    step(res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/x`, hits: () => n };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (res: ServerResponse) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('the HTTP module', () => {
  it('retries 500, AF429-as-403 and dropped connections with bounded back-off, then succeeds', async () => {
    const s = await scripted([
      json(500, { error: { code: 'AF50000' } }),
      json(403, { error: { code: 'AF429', message: 'Too many requests.' } }),
      (res) => {
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('[');
        setImmediate(() => res.socket?.destroy());
      },
      json(200, [1]),
    ]);
    const clock = virtualClock(0);
    const http = createHttpClient({ clock, retry: { baseDelayMs: 100, maxDelayMs: 1000 } });
    const res = await http.request({ method: 'GET', url: s.url });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(4);
    expect(http.stats.retries).toBe(3);
    // Jittered exponential: each wait in [cap/2, cap] with cap 100, 200, 400.
    expect(clock.now()).toBeGreaterThanOrEqual(50 + 100 + 200);
    expect(clock.now()).toBeLessThanOrEqual(100 + 200 + 400);
    http.close();
  });

  it('honours Retry-After and does not retry a plain 403 or 400', async () => {
    const s = await scripted([json(503, {}, { 'Retry-After': '7' }), json(403, { error: { code: 'AF10001' } })]);
    const clock = virtualClock(0);
    const http = createHttpClient({ clock });
    const res = await http.request({ method: 'GET', url: s.url });
    expect(res.status).toBe(403);
    expect(clock.now()).toBe(7000);
    expect(s.hits()).toBe(2);
    http.close();
  });

  it('gives up after maxAttempts and returns the last answer; network failure becomes a RuntimeError', async () => {
    const s = await scripted([json(500, {})]);
    const http = createHttpClient({ clock: virtualClock(0), retry: { maxAttempts: 3 } });
    expect((await http.request({ method: 'GET', url: s.url })).attempts).toBe(3);
    await expect(http.request({ method: 'GET', url: 'http://127.0.0.1:1/x', retry: false })).rejects.toThrow(/network error on GET http:\/\/127\.0\.0\.1:1\/x after 1 attempt/);
    http.close();
  });

  it('never sends more than the budget within any 60 s of its clock', async () => {
    const s = await scripted([json(200, [])]);
    const clock = virtualClock(0);
    const times: number[] = [];
    const http = createHttpClient({ clock, budgetPerMinute: 10, log: (l) => l.startsWith('→') && times.push(clock.now()) });
    await Promise.all(Array.from({ length: 35 }, () => http.request({ method: 'GET', url: s.url })));
    times.sort((a, b) => a - b);
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(60_000);
    expect(clock.now()).toBeGreaterThanOrEqual(180_000);
    http.close();
  });

  it('redacts Authorization, secrets, assertions and tokens in traces', async () => {
    const s = await scripted([json(400, { access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.sig', error: 'x' })]);
    const lines: string[] = [];
    const http = createHttpClient({ log: (l) => lines.push(l), retry: { maxAttempts: 1 } });
    await http.request({ method: 'POST', url: s.url, headers: { Authorization: 'Bearer eyJabc.def.ghi' }, body: 'client_id=a&client_secret=hunter2&client_assertion=eyJhbGciOi.eyJ4.c2ln' });
    const all = lines.join('\n');
    expect(all).not.toMatch(/hunter2|eyJabc|eyJhbGciOi|eyJhIjoxfQ/);
    expect(all).toContain('Authorization: Bearer [redacted]');
    expect(all).toContain('client_secret=[redacted]');
    expect(redactHeaders({ authorization: 'Basic abc' })).toEqual({ authorization: '[redacted]' });
    expect(redactText('{"access_token":"abc","x":1}')).toBe('{"access_token":"[redacted]","x":1}');
    http.close();
  });
});
