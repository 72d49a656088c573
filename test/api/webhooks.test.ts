import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, virtualClock, type HttpClient, type RunningEmulator } from '../../src/api/index.js';
import { DAY, T0, afCode, bearer, feed, get, post, rawClient } from './helpers.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A plain-HTTP webhook receiver on loopback; `statuses` are answered in turn (then the last one again). */
async function receiver(statuses: number[] = [200]): Promise<{ url: string; got: Received[]; statuses: number[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const state = { statuses };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = state.statuses.length > 1 ? state.statuses.shift()! : state.statuses[0]!;
      res.writeHead(status, { 'Content-Length': '0' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    get statuses() {
      return state.statuses;
    },
    set statuses(v: number[]) {
      state.statuses = v;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const hookBody = (address: string, extra: Record<string, unknown> = {}) => JSON.stringify({ webhook: { address, ...extra } });

describe('emulator webhooks: validation on /start (activity-api.md §1.3, §8.4 item 9)', () => {
  let emu: RunningEmulator;
  let http: HttpClient;
  let token: string;
  const clock = virtualClock(T0);
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, days: 1, eventsPerHour: 6, eventsPerBlob: 2, clock, subscriptions: [], allowHttpWebhooks: true });
    http = rawClient(emu);
    token = await bearer(http, emu);
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });
  afterAll(async () => {
    http.close();
    await emu.close();
  });

  it('POSTs {validationCode} with Webhook-ValidationCode and Webhook-AuthID, then stores the webhook', async () => {
    const hook = await receiver([200]);
    closers.push(hook.close);
    const res = await post(http, feed(emu, 'subscriptions/start?contentType=Audit.Exchange'), token, hookBody(hook.url, { authId: 'o365activityapinotification' }));
    expect(res.status).toBe(200);
    const webhook = { status: 'enabled', address: hook.url, authId: 'o365activityapinotification', expiration: null };
    expect(JSON.parse(res.body)).toEqual({ contentType: 'Audit.Exchange', status: 'enabled', webhook });
    expect(hook.got).toHaveLength(1);
    const code = hook.got[0]!.headers['webhook-validationcode'];
    expect(typeof code).toBe('string');
    expect(hook.got[0]!.body).toEqual({ validationCode: code });
    expect(hook.got[0]!.headers['webhook-authid']).toBe('o365activityapinotification');
    expect(hook.got[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
    const list = JSON.parse((await get(http, feed(emu, 'subscriptions/list'), token)).body) as unknown[];
    expect(list).toContainEqual({ contentType: 'Audit.Exchange', status: 'enabled', webhook });
  });

  it('sends no Webhook-AuthID without authId', async () => {
    const hook = await receiver([200]);
    closers.push(hook.close);
    expect((await post(http, feed(emu, 'subscriptions/start?contentType=DLP.All'), token, hookBody(hook.url))).status).toBe(200);
    expect(hook.got[0]!.headers['webhook-authid']).toBeUndefined();
  });

  it('answers AF20021 and leaves the state unchanged when the endpoint does not answer 200', async () => {
    const hook = await receiver([500]);
    closers.push(hook.close);
    const before = (await get(http, feed(emu, 'subscriptions/list'), token)).body;
    const res = await post(http, feed(emu, 'subscriptions/start?contentType=Audit.SharePoint'), token, hookBody(hook.url));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'AF20021', message: `The webhook endpoint ${hook.url} could not be validated. The endpoint did not return HTTP 200.` },
    });
    expect(hook.got).toHaveLength(1);
    expect((await get(http, feed(emu, 'subscriptions/list'), token)).body).toBe(before);
  });

  it('answers AF20021 for an unreachable address, and keeps the webhook of an existing subscription', async () => {
    const hook = await receiver([200]);
    await hook.close();
    const res = await post(http, feed(emu, 'subscriptions/start?contentType=Audit.Exchange'), token, hookBody(hook.url));
    expect(afCode(res)).toBe('AF20021');
    expect(JSON.parse(res.body).error.message).toContain('The endpoint did not return HTTP 200.');
    const list = JSON.parse((await get(http, feed(emu, 'subscriptions/list'), token)).body) as { contentType: string; webhook: { authId: string } | null }[];
    expect(list.find((s) => s.contentType === 'Audit.Exchange')!.webhook!.authId).toBe('o365activityapinotification');
  });

  it('answers AF20003 for a past expiration without calling the endpoint', async () => {
    const hook = await receiver([200]);
    closers.push(hook.close);
    const past = new Date(clock.now() - DAY).toISOString();
    expect(afCode(await post(http, feed(emu, 'subscriptions/start?contentType=Audit.AzureActiveDirectory'), token, hookBody(hook.url, { expiration: past })))).toBe('AF20003');
    expect(hook.got).toHaveLength(0);
  });
});

describe('emulator webhooks: HTTPS only by default', () => {
  it('answers AF20021 "The address must begin with HTTPS." for http:// without allowHttpWebhooks', async () => {
    const emu = await startEmulator({ seed: 5, days: 1, eventsPerHour: 6, clock: virtualClock(T0), subscriptions: [] });
    const http = rawClient(emu);
    const hook = await receiver([200]);
    try {
      const res = await post(http, feed(emu, 'subscriptions/start?contentType=Audit.General'), await bearer(http, emu), hookBody(hook.url));
      expect(JSON.parse(res.body)).toEqual({
        error: { code: 'AF20021', message: `The webhook endpoint ${hook.url} could not be validated. The address must begin with HTTPS.` },
      });
      expect(hook.got).toHaveLength(0);
    } finally {
      await hook.close();
      http.close();
      await emu.close();
    }
  });
});
