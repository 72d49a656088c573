import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, virtualClock, ZERO_GUID, type HttpClient, type RunningEmulator } from '../../src/api/index.js';
import { DAY, HOUR, T0, afCode, bearer, feed, get, iso, post, rawClient, v1Token } from './helpers.js';

describe('emulator (activity-api.md §8) over HTTP', () => {
  let emu: RunningEmulator;
  let http: HttpClient;
  let token: string;
  const clock = virtualClock(T0);

  beforeAll(async () => {
    // One emulator for every cloud's hosts and audiences (strict cloud off); test/api/any-client.test.ts covers strict.
    emu = await startEmulator({ seed: 3, days: 2, eventsPerHour: 12, eventsPerBlob: 4, clock, subscriptions: ['Audit.General'], strictCloud: false });
    http = rawClient(emu);
    token = await bearer(http, emu);
  });
  afterAll(async () => {
    http.close();
    await emu.close();
  });

  it('issues v1 tokens with string times and the documented claims', async () => {
    const res = await v1Token(http, emu, 'https://manage.office.com');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: '3599', resource: 'https://manage.office.com' });
    expect(typeof body.expires_on).toBe('string');
    const claims = JSON.parse(Buffer.from(String(body.access_token).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: 'https://manage.office.com', tid: emu.tenantId, appid: emu.clientId, ver: '1.0', roles: ['ActivityFeed.Read', 'ServiceHealth.Read'] });
    expect(claims.iss).toBe(`https://sts.windows.net/${emu.tenantId}/`);
  });

  it('issues v2 tokens for <resource>/.default only (AADSTS1002012 otherwise)', async () => {
    const send = (scope: string) =>
      http.request({
        method: 'POST',
        url: `${emu.authorityUrl}/${emu.tenantId}/oauth2/v2.0/token`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope }).toString(),
      });
    const ok = await send('https://manage.office.com/.default');
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.body) as Record<string, unknown>;
    expect(body.expires_in).toBe(3599);
    expect(body.resource).toBeUndefined();
    const bad = await send('https://manage.office.com/ActivityFeed.Read');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    expect(bad.body).toContain('AADSTS1002012');
  });

  it.each([
    [{ client_secret: 'wrong' }, 401, 'AADSTS7000215'],
    [{ client_id: '00000000-1111-2222-3333-444444444444' }, 400, 'AADSTS700016'],
    [{ resource: 'https://example.invalid' }, 400, 'AADSTS500011'],
    [{ grant_type: 'password' }, 400, 'AADSTS70003'],
  ])('refuses bad token requests %j with %i %s', async (overrides, status, code) => {
    const res = await v1Token(http, emu, 'https://manage.office.com', overrides as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.body).toContain(code);
  });

  it('refuses an unknown tenant at the token endpoint with AADSTS90002', async () => {
    const res = await v1Token(http, emu, 'https://manage.office.com', {}, '99999999-9999-9999-9999-999999999999');
    expect(res.body).toContain('AADSTS90002');
  });

  it('answers 401 with the ASP.NET body for a missing, bad or wrong-audience token', async () => {
    const gcc = await bearer(http, emu, 'https://manage-gcc.office.com');
    for (const t of [undefined, 'not-a-token', `${token}x`, gcc]) {
      const res = await get(http, feed(emu, 'subscriptions/list'), t);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toEqual({ Message: 'Authorization has been denied for this request.' });
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it('accepts its own URL as audience (flows use the management URL as Audience) and a trailing slash', async () => {
    for (const aud of [emu.managementUrl, `${emu.cloud.managementAudience}/`]) {
      expect((await get(http, feed(emu, 'subscriptions/list'), await bearer(http, emu, aud))).status).toBe(200);
    }
  });

  it('checks the URL tenant: AF20013 not a GUID, AF20010 mismatch', async () => {
    const a = await get(http, feed(emu, 'subscriptions/list', 'contoso.onmicrosoft.com'), token);
    expect(afCode(a)).toBe('AF20013');
    const b = await get(http, feed(emu, 'subscriptions/list', '12345678-1234-1234-1234-123456789012'), token);
    expect(afCode(b)).toBe('AF20010');
    expect(JSON.parse(b.body).error.message).toContain(`does not match the tenant ID passed in the access token (${emu.tenantId})`);
  });

  it('sends the documented success headers, Date from the emulator clock', async () => {
    const res = await get(http, feed(emu, 'subscriptions/list'), token);
    expect(res.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', pragma: 'no-cache', expires: '-1' });
    expect(Date.parse(res.headers.date!)).toBe(Math.floor(clock.now() / 1000) * 1000);
  });

  it('answers 404 for other paths and methods', async () => {
    expect((await get(http, feed(emu, 'subscriptions/nope'), token)).status).toBe(404);
    expect((await post(http, feed(emu, 'subscriptions/list'), token)).status).toBe(404);
  });

  it('keeps subscription state: start, AF20024 on repeat, stop, list omits never-started types', async () => {
    const list0 = JSON.parse((await get(http, feed(emu, 'subscriptions/list'), token)).body) as { contentType: string }[];
    expect(list0.map((s) => s.contentType)).toEqual(['Audit.General']);
    const start = await post(http, feed(emu, 'subscriptions/start?contentType=audit.sharepoint'), token);
    expect(start.status).toBe(200);
    expect(JSON.parse(start.body)).toEqual({ contentType: 'audit.sharepoint', status: 'enabled', webhook: null });
    const again = await post(http, feed(emu, 'subscriptions/start?contentType=Audit.SharePoint'), token);
    expect(again.status).toBe(400);
    expect(JSON.parse(again.body)).toEqual({ error: { code: 'AF20024', message: 'The subscription is already enabled. No property change.' } });
    const stop = await post(http, feed(emu, 'subscriptions/stop?contentType=Audit.SharePoint'), token);
    expect(stop.status).toBe(200);
    expect(stop.body).toBe('');
    const list = JSON.parse((await get(http, feed(emu, 'subscriptions/list'), token)).body) as { contentType: string; status: string }[];
    expect(list).toContainEqual({ contentType: 'Audit.SharePoint', status: 'disabled', webhook: null });
    expect(afCode(await get(http, feed(emu, 'subscriptions/content?contentType=Audit.SharePoint'), token))).toBe('AF20023');
    expect(afCode(await get(http, feed(emu, 'subscriptions/content?contentType=Audit.Exchange'), token))).toBe('AF20022');
    expect(afCode(await post(http, feed(emu, 'subscriptions/stop?contentType=Audit.Exchange'), token))).toBe('AF20022');
    expect(afCode(await post(http, feed(emu, 'subscriptions/start'), token))).toBe('AF20001');
    expect(afCode(await post(http, feed(emu, 'subscriptions/start?contentType=Audit.Nope'), token))).toBe('AF20020');
    expect(afCode(await post(http, feed(emu, 'subscriptions/start?contentType=Audit.Exchange'), token, '{"webhook":{"address":"http://x.invalid"}}'))).toBe('AF20021');
  });

  it.each([
    ['only one time', `startTime=${iso(T0 - HOUR)}`, 'AF20030'],
    ['start after end', `startTime=${iso(T0 - HOUR)}&endTime=${iso(T0 - 2 * HOUR)}`, 'AF20055'],
    ['over 24 hours (strict)', `startTime=${iso(T0 - 30 * HOUR)}&endTime=${iso(T0)}`, 'AF20030'],
    ['older than 7 days + 1 h', `startTime=${iso(T0 - 7 * DAY - 2 * HOUR)}&endTime=${iso(T0 - 7 * DAY)}`, 'AF20030'],
    ['unparseable', 'startTime=yesterday&endTime=today', 'AF20002'],
  ])('applies the window rules: %s → %s', async (_name, q, code) => {
    const res = await get(http, feed(emu, `subscriptions/content?contentType=Audit.General&${q}`), token);
    expect(res.status).toBe(400);
    expect(afCode(res)).toBe(code);
  });

  it('accepts every documented time format, a future end, and 7 days within the grace', async () => {
    for (const q of [
      `startTime=${iso(T0 - DAY).slice(0, 10)}&endTime=${iso(T0).slice(0, 10)}`,
      `startTime=${iso(T0 - HOUR).slice(0, 16)}&endTime=${iso(T0 + HOUR).slice(0, 16)}`,
      `startTime=${iso(T0 - HOUR)}.0000000Z&endTime=${iso(T0)}.0000000Z`,
      `startTime=${iso(T0 - 7 * DAY - 30 * 60_000)}&endTime=${iso(T0 - 6 * DAY - HOUR)}`,
    ]) {
      expect((await get(http, feed(emu, `subscriptions/content?contentType=Audit.General&${q}`), token)).status).toBe(200);
    }
  });

  it('lists by contentCreated in [start, end), pages with NextPageUri on the requesting host, and replays pages', async () => {
    const start = T0 - DAY;
    const end = T0;
    const want = emu.seeded.blobs.filter((b) => b.contentCreated >= start && b.contentCreated < end).map((b) => b.contentId);
    let url: string | undefined = feed(emu, `subscriptions/content?contentType=Audit.General&startTime=${iso(start)}&endTime=${iso(end)}`);
    const got: string[] = [];
    const pages: string[] = [];
    while (url) {
      const res = await get(http, url, token);
      expect(res.status).toBe(200);
      const items = JSON.parse(res.body) as { contentId: string; contentUri: string; contentCreated: string; contentExpiration: string }[];
      expect(items.length).toBeLessThanOrEqual(3);
      for (const i of items) {
        expect(i.contentUri).toBe(`${emu.managementUrl}/api/v1.0/${emu.tenantId}/activity/feed/audit/${i.contentId}`);
        expect(Date.parse(i.contentExpiration) - Date.parse(i.contentCreated)).toBe(7 * DAY);
        expect(i.contentCreated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(i.contentId).toMatch(/^\d{23}\$\d{23}\$audit_general\$Audit_General\$na0030$/);
      }
      got.push(...items.map((i) => i.contentId));
      url = res.headers.nextpageuri;
      if (url) {
        expect(url.startsWith(`${emu.managementUrl}/api/v1/${emu.tenantId}/activity/feed/subscriptions/content?`)).toBe(true);
        pages.push(url);
      }
    }
    expect(got).toEqual(want);
    expect(pages.length).toBeGreaterThan(2);
    // Replay (stable tokens), and the CoE way: same base URL + lower-case nextpage parameter.
    const token1 = new URL(pages[0]!).searchParams.get('nextPage')!;
    const a = await get(http, pages[0]!, token);
    const b = await get(http, feed(emu, `subscriptions/content?contenttype=Audit.General&starttime=${iso(start)}&endtime=${iso(end)}&nextpage=${token1}`), token);
    expect(b.body).toBe(a.body);
    const bad = await get(http, feed(emu, `subscriptions/content?contentType=Audit.General&startTime=${iso(start)}&endTime=${iso(end)}&nextPage=garbage`), token);
    expect(JSON.parse(bad.body)).toEqual({ error: { code: 'AF20031', message: 'Invalid nextPage Input: garbage.' } });
    // An empty nextPage= (what a designer flow sends on its first call) is no token: the first page.
    const first = feed(emu, `subscriptions/content?contentType=Audit.General&startTime=${iso(start)}&endTime=${iso(end)}`);
    const empty = await get(http, `${first}&nextPage=`, token);
    expect(empty.status).toBe(200);
    expect(empty.body).toBe((await get(http, first, token)).body);
  });

  it('uses the Host header for contentUri and NextPageUri, and accepts /api/v1/', async () => {
    const url = feed(emu, `subscriptions/content?contentType=Audit.General&startTime=${iso(T0 - DAY)}&endTime=${iso(T0)}`).replace('/api/v1.0/', '/api/v1/');
    const res = await get(http, url, await bearer(http, emu, 'https://manage.office365.us'), { Host: 'manage.office365.us' });
    expect(res.status).toBe(200);
    const items = JSON.parse(res.body) as { contentUri: string }[];
    expect(items[0]!.contentUri.startsWith('http://manage.office365.us/api/v1.0/')).toBe(true);
    expect(res.headers.nextpageuri!.startsWith('http://manage.office365.us/api/v1/')).toBe(true);
  });

  it('omitted times list the last 24 hours and NextPageUri carries them explicitly', async () => {
    const res = await get(http, feed(emu, 'subscriptions/content?contentType=Audit.General'), token);
    const next = new URL(res.headers.nextpageuri!);
    expect(next.searchParams.get('startTime')).toBe(iso(clock.now() - DAY));
    expect(next.searchParams.get('endTime')).toBe(iso(clock.now()));
  });

  it('serves blobs as injected, with raw $ or %24, and AF20050/AF20052/AF20051', async () => {
    const blob = emu.seeded.blobs[emu.seeded.blobs.length - 1]!;
    const raw = await get(http, feed(emu, `audit/${blob.contentId}`), token);
    expect(raw.status).toBe(200);
    expect(JSON.parse(raw.body)).toEqual(blob.records);
    const enc = await get(http, feed(emu, `audit/${blob.contentId.replace(/\$/g, '%24')}`), token);
    expect(enc.body).toBe(raw.body);
    for (const r of JSON.parse(raw.body) as { CreationTime: string }[]) expect(r.CreationTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const missing = await get(http, feed(emu, 'audit/20250101000000000000000$x$audit_general$Audit_General$na0030'), token);
    expect(missing.status).toBe(404);
    expect(afCode(missing)).toBe('AF20050');
    expect(afCode(await get(http, feed(emu, 'audit/bad!id'), token))).toBe('AF20052');
  });

  it('generates both record formats, noise, and duplicate Ids across blobs, deterministically', async () => {
    const ev = emu.seeded.events;
    expect(ev.some((r) => r.RecordType === 256 && r.Operation === 'LaunchPowerApp' && Array.isArray(r.PropertyCollection))).toBe(true);
    expect(ev.some((r) => r.RecordType === 256 && r.Operation === 'DeletePowerApp')).toBe(true);
    expect(ev.some((r) => r.RecordType === 45 && r.Workload === 'PowerApps' && typeof r.AppName === 'string' && typeof r.AdditionalInfo === 'string')).toBe(true);
    expect(ev.some((r) => r.Operation !== 'LaunchPowerApp' && r.Operation !== 'DeletePowerApp')).toBe(true);
    expect(emu.seeded.duplicatedIds.length).toBeGreaterThan(0);
    const twin = await startEmulator({ seed: 3, days: 2, eventsPerHour: 12, eventsPerBlob: 4, clock: virtualClock(T0), tenantId: emu.tenantId });
    const other = await startEmulator({ seed: 4, days: 2, eventsPerHour: 12, eventsPerBlob: 4, clock: virtualClock(T0), tenantId: emu.tenantId });
    try {
      expect(twin.seeded.blobs).toEqual(emu.seeded.blobs);
      expect(other.seeded.events.map((r) => r.Id)).not.toEqual(ev.map((r) => r.Id));
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it('checks Accept-Language on dlpSensitiveTypes', async () => {
    expect((await get(http, feed(emu, 'resources/dlpSensitiveTypes'), token, { 'Accept-Language': 'en-US' })).status).toBe(200);
    expect(afCode(await get(http, feed(emu, 'resources/dlpSensitiveTypes'), token, { 'Accept-Language': 'en-US, fr' }))).toBe('AF20053');
    expect(afCode(await get(http, feed(emu, 'resources/dlpSensitiveTypes'), token, { 'Accept-Language': '??' }))).toBe('AF20054');
  });
});

describe('emulator permissions, quotas and expiry', () => {
  it('answers AF10001 with 403 for a token without ActivityFeed.Read', async () => {
    const emu = await startEmulator({ seed: 1, days: 1, roles: [] });
    const http = rawClient(emu);
    try {
      const res = await get(http, feed(emu, 'subscriptions/list'), await bearer(http, emu));
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'AF10001', message: 'The permission set () sent in the request does not include the expected permission.' } });
    } finally {
      http.close();
      await emu.close();
    }
  });

  it('throttles per PublisherIdentifier with AF429 as 403; requests without one share the zero-GUID bucket', async () => {
    const clock = virtualClock(T0);
    const emu = await startEmulator({ seed: 1, days: 1, clock, quotaPerMinute: 5, anonymousQuotaPerMinute: 2 });
    const http = rawClient(emu);
    try {
      const token = await bearer(http, emu);
      const anon = [];
      for (let i = 0; i < 3; i++) anon.push(await get(http, feed(emu, 'subscriptions/list'), token));
      expect(anon.map((r) => r.status)).toEqual([200, 200, 403]);
      expect(JSON.parse(anon[2]!.body)).toEqual({ error: { code: 'AF429', message: `Too many requests. Method=ListSubscriptions, PublisherId=${ZERO_GUID}` } });
      expect(anon[2]!.headers['retry-after']).toBeUndefined();
      const own = [];
      for (let i = 0; i < 6; i++) own.push((await get(http, feed(emu, `subscriptions/list?publisherIdentifier=${emu.tenantId}`), token)).status);
      expect(own).toEqual([200, 200, 200, 200, 200, 403]);
      clock.advance(60_000);
      expect((await get(http, feed(emu, `subscriptions/list?PublisherIdentifier=${emu.tenantId}`), token)).status).toBe(200);
      expect(emu.report().requests.quotaRejections).toBe(2);
    } finally {
      http.close();
      await emu.close();
    }
  });

  it('answers AF20051 for blobs older than 7 days, and hides content created before a restart', async () => {
    const clock = virtualClock(T0);
    const emu = await startEmulator({ seed: 1, days: 1, clock });
    const http = rawClient(emu);
    try {
      const first = emu.seeded.blobs[0]!;
      clock.advance(7 * DAY);
      const t2 = await bearer(http, emu);
      const res = await get(http, feed(emu, `audit/${first.contentId}`), t2);
      expect(res.status).toBe(400);
      expect(afCode(res)).toBe('AF20051');
      await post(http, feed(emu, 'subscriptions/stop?contentType=Audit.General'), t2);
      await post(http, feed(emu, 'subscriptions/start?contentType=Audit.General'), t2);
      const listed = await get(http, feed(emu, `subscriptions/content?contentType=Audit.General&startTime=${iso(clock.now() - DAY)}&endTime=${iso(clock.now())}`), t2);
      expect(JSON.parse(listed.body)).toEqual([]);
    } finally {
      http.close();
      await emu.close();
    }
  });
});

describe('emulator (choice) switches', () => {
  it('lenient windows, /api/v1.0/ in NextPageUri, 429 throttle status with Retry-After', async () => {
    const clock = virtualClock(T0);
    const emu = await startEmulator({ seed: 2, days: 2, clock, windowRule: 'lenient', nextPageApiVersion: 'v1.0', throttleStatus: 429, retryAfterSeconds: 3, anonymousQuotaPerMinute: 1 });
    const http = rawClient(emu);
    try {
      const token = await bearer(http, emu);
      const q = (extra: string) => feed(emu, `subscriptions/content?contentType=Audit.General&PublisherIdentifier=${emu.tenantId}&${extra}`);
      const res = await get(http, q(`startTime=${iso(T0 - 40 * HOUR)}&endTime=${iso(T0)}`), token);
      expect(res.status).toBe(200);
      expect(res.headers.nextpageuri).toContain('/api/v1.0/');
      const listedFirst24h = emu.seeded.blobs.filter((b) => b.contentCreated >= T0 - 40 * HOUR && b.contentCreated < T0 - 16 * HOUR);
      expect((JSON.parse(res.body) as { contentId: string }[])[0]!.contentId).toBe(listedFirst24h[0]!.contentId);
      await get(http, feed(emu, 'subscriptions/list'), token);
      const throttled = await get(http, feed(emu, 'subscriptions/list'), token);
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('3');
    } finally {
      http.close();
      await emu.close();
    }
  });

  it('15-minute start throttle, restart glitch and initial delay', async () => {
    const clock = virtualClock(T0);
    const emu = await startEmulator({ seed: 2, days: 1, clock, subscriptions: [], startThrottleMinutes: 15, restartGlitchMinutes: 5, initialDelayMinutes: 30 });
    const http = rawClient(emu);
    try {
      const token = await bearer(http, emu);
      const start = () => post(http, feed(emu, 'subscriptions/start?contentType=Audit.General'), token);
      expect((await start()).status).toBe(200);
      expect((await post(http, feed(emu, 'subscriptions/stop?contentType=Audit.General'), token)).status).toBe(200);
      const again = await start();
      expect(afCode(again)).toBe('AF429');
      clock.advance(16 * 60_000);
      await post(http, feed(emu, 'subscriptions/stop?contentType=Audit.General'), token);
      const glitch = await start();
      expect(JSON.parse(glitch.body)).toMatchObject({ status: 'enabled' });
      expect(JSON.parse((await get(http, feed(emu, 'subscriptions/list'), token)).body)).toEqual([]);
      expect(afCode(await get(http, feed(emu, 'subscriptions/content?contentType=Audit.General'), token))).toBe('AF20023');
      clock.advance(20 * 60_000);
      expect((await start()).status).toBe(200);
      expect(JSON.parse((await get(http, feed(emu, 'subscriptions/content?contentType=Audit.General'), token)).body)).toEqual([]);
    } finally {
      http.close();
      await emu.close();
    }
  });
});
