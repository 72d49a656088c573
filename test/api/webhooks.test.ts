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

describe('emulator webhooks: notification delivery (activity-api.md §1.3, §8.6 item 18)', () => {
  const clock = virtualClock(T0);

  async function withHook(statuses: number[], run: (emu: RunningEmulator, http: HttpClient, token: string, hook: Awaited<ReturnType<typeof receiver>>) => Promise<void>, extra = {}) {
    const emu = await startEmulator({ seed: 9, days: 1, eventsPerHour: 6, eventsPerBlob: 2, clock, subscriptions: ['Audit.General'], allowHttpWebhooks: true, ...extra });
    const http = rawClient(emu);
    const hook = await receiver(statuses);
    try {
      await run(emu, http, await bearer(http, emu), hook);
    } finally {
      await hook.close();
      http.close();
      await emu.close();
    }
  }
  const general = (emu: RunningEmulator) => emu.seeded.blobs.filter((b) => b.contentType === 'Audit.General');

  /** Every item of /notifications, following NextPageUri. */
  async function allNotifications(http: HttpClient, emu: RunningEmulator, token: string, query: string): Promise<Record<string, unknown>[]> {
    let res = await get(http, feed(emu, `subscriptions/notifications?${query}`), token);
    const out: Record<string, unknown>[] = [];
    for (let pages = 0; ; pages++) {
      expect(res.status).toBe(200);
      out.push(...(JSON.parse(res.body) as Record<string, unknown>[]));
      const next = res.headers['nextpageuri'];
      if (!next) return out;
      expect(next).toContain('/activity/feed/subscriptions/notifications?');
      expect(pages).toBeLessThan(100);
      res = await get(http, next, token);
    }
  }

  it('answers [] from /notifications without a webhook, and checks the window as /content does', async () => {
    await withHook([200], async (emu, http, token, hook) => {
      expect(await emu.deliverNotifications()).toEqual({ delivered: 0, failed: 0, posts: 0 });
      expect(hook.got).toHaveLength(0);
      expect(await allNotifications(http, emu, token, 'contentType=Audit.General')).toEqual([]);
      expect(afCode(await get(http, feed(emu, `subscriptions/notifications?contentType=Audit.General&startTime=${new Date(T0 - 3_600_000).toISOString().slice(0, 19)}`), token))).toBe('AF20030');
      expect(afCode(await get(http, feed(emu, 'subscriptions/notifications?contentType=Audit.Exchange'), token))).toBe('AF20022');
    });
  });

  it('POSTs the listable content once, with Webhook-AuthID, tenantId and clientId, and records it as success', async () => {
    await withHook([200], async (emu, http, token, hook) => {
      const start = await post(http, feed(emu, 'subscriptions/start?contentType=Audit.General'), token, hookBody(hook.url, { authId: 'auth-1' }));
      expect(start.status).toBe(200);
      const blobs = general(emu);
      expect(await emu.deliverNotifications()).toEqual({ delivered: blobs.length, failed: 0, posts: 1 });
      expect(hook.got).toHaveLength(2); // validation, then one notification
      const n = hook.got[1]!;
      expect(n.headers['webhook-authid']).toBe('auth-1');
      expect(n.headers['webhook-validationcode']).toBeUndefined();
      const body = n.body as Record<string, string>[];
      expect(body.map((i) => i.contentId)).toEqual(blobs.map((b) => b.contentId));
      expect(body[0]).toEqual({
        tenantId: emu.tenantId,
        clientId: emu.clientId,
        contentType: 'Audit.General',
        contentId: blobs[0]!.contentId,
        contentUri: `${emu.managementUrl}/api/v1.0/${emu.tenantId}/activity/feed/audit/${blobs[0]!.contentId}`,
        contentCreated: new Date(blobs[0]!.contentCreated).toISOString(),
        contentExpiration: new Date(blobs[0]!.contentCreated + DAY * 7).toISOString(),
      });
      // Nothing new: nothing sent again.
      expect(await emu.deliverNotifications()).toEqual({ delivered: 0, failed: 0, posts: 0 });
      expect(hook.got).toHaveLength(2);
      // /notifications: the content fields plus notificationSent and notificationStatus, paged like /content.
      const from = new Date(T0 - DAY + 60_000).toISOString().slice(0, 19);
      const to = new Date(T0 + 60_000).toISOString().slice(0, 19);
      const listed = await allNotifications(http, emu, token, `contentType=Audit.General&startTime=${from}&endTime=${to}`);
      const inWindow = blobs.filter((b) => b.contentCreated >= Date.parse(`${from}Z`) && b.contentCreated < Date.parse(`${to}Z`));
      expect(inWindow.length).toBeGreaterThan(3);
      expect(listed.map((i) => i.contentId)).toEqual(inWindow.map((b) => b.contentId));
      const { tenantId: _t, clientId: _c, ...fields } = body.find((i) => i.contentId === inWindow[0]!.contentId)!;
      expect(listed[0]).toEqual({ ...fields, notificationSent: new Date(T0).toISOString(), notificationStatus: 'success' });
    });
  });

  it('retries on non-200 a bounded number of times and records every attempt', async () => {
    await withHook([200, 500, 503, 200], async (emu, http, token, hook) => {
      expect((await post(http, feed(emu, 'subscriptions/start?contentType=Audit.General'), token, hookBody(hook.url))).status).toBe(200);
      const n = general(emu).length;
      expect(await emu.deliverNotifications()).toEqual({ delivered: n, failed: 0, posts: 3 });
      expect(hook.got).toHaveLength(4);
      expect(hook.got[1]!.headers['webhook-authid']).toBeUndefined();
      const listed = await allNotifications(http, emu, token, 'contentType=Audit.General');
      const first = listed.filter((i) => i.contentId === general(emu).at(-1)!.contentId).map((i) => i.notificationStatus);
      expect(first).toEqual(['failed', 'failed', 'success']);
    });
    await withHook([200, 500], async (emu, http, token, hook) => {
      expect((await post(http, feed(emu, 'subscriptions/start?contentType=Audit.General'), token, hookBody(hook.url))).status).toBe(200);
      expect(await emu.deliverNotifications()).toEqual({ delivered: 0, failed: general(emu).length, posts: 2 });
      expect(hook.got).toHaveLength(3);
      const listed = await allNotifications(http, emu, token, 'contentType=Audit.General');
      expect(new Set(listed.map((i) => i.notificationStatus))).toEqual(new Set(['failed']));
    }, { notificationAttempts: 2 });
  });
});
