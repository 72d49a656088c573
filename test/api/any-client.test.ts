import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createHttpClient,
  listContent,
  listSubscriptions,
  openSession,
  requireApiSettings,
  startEmulator,
  systemClock,
  virtualClock,
  type HttpClient,
  type HttpResponse,
  type RunningEmulator,
} from '../../src/api/index.js';
import { runCli } from '../../src/cli/program.js';

/**
 * Name resolution redirected inside this process only (no proxy, no change to the system): the listed host
 * names resolve to 127.0.0.1 for the HTTP agents given this lookup; every other name resolves normally.
 */
function redirectLookup(hosts: string[], seen: string[]): LookupFunction {
  const local = new Set(hosts.map((h) => h.toLowerCase()));
  return ((hostname: string, options: { all?: boolean }, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    if (!local.has(hostname.toLowerCase())) return dnsLookup(hostname, options, callback as never);
    seen.push(hostname);
    if (options?.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
    return callback(null, '127.0.0.1', 4);
  }) as LookupFunction;
}

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^export ([A-Z_]+)='((?:[^']|'\\'')*)'$/gm)) out[m[1]!] = m[2]!.replace(/'\\''/g, "'");
  return out;
}

/** A v1 client-credentials token request to an emulator, on `authority` (default its own URL). */
function tokenRequest(http: HttpClient, emu: RunningEmulator, resource: string, authority = emu.authorityUrl): Promise<HttpResponse> {
  return http.request({
    method: 'POST',
    url: `${authority}/${emu.tenantId}/oauth2/token`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, resource }).toString(),
    retry: false,
    budget: false,
  });
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe('the emulator for any client: fixed Microsoft host names, HTTPS with the emulator CA', () => {
  it('emulator start --hostnames … --env-file; the project client reaches it by the Microsoft names through an in-process lookup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coe-audit-any-client-'));
    temps.push(dir);
    const envFile = join(dir, 'emu.env');
    let stdout = '';
    let stderr = '';
    let stop: (() => void) | undefined;
    const running = runCli(['emulator', 'start', '--https', '--hostnames', 'manage.office.com,login.microsoftonline.com,graph.microsoft.com', '--env-file', envFile, '--seed', '5', '--days', '1'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
      cwd: dir,
      onInterrupt: (h) => (stop = h),
    });
    for (let i = 0; i < 400 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 25));
    const ready = JSON.parse(stdout.split('\n')[0]!) as { cloud: string; managementUrl: string; caFile: string; clientSecret: string; envFile: string };
    expect(ready.cloud).toBe('commercial');
    const port = new URL(ready.managementUrl).port;

    // The env file: export lines, the secret by reference only.
    const text = readFileSync(envFile, 'utf8');
    expect(text).not.toContain(ready.clientSecret);
    const vars = parseEnvFile(text);
    expect(Object.keys(vars).sort()).toEqual(['COE_AUDIT_AUTHORITY_URL', 'COE_AUDIT_CLIENT_ID', 'COE_AUDIT_CLIENT_SECRET_FILE', 'COE_AUDIT_CLOUD', 'COE_AUDIT_MANAGEMENT_URL', 'COE_AUDIT_TENANT_ID', 'NODE_EXTRA_CA_CERTS']);
    expect(vars.NODE_EXTRA_CA_CERTS).toBe(ready.caFile);

    // The client keeps the Microsoft names (only the port is the emulator's), read from the environment by the settings layer.
    const seen: string[] = [];
    const env = { ...vars, COE_AUDIT_MANAGEMENT_URL: `https://manage.office.com:${port}`, COE_AUDIT_AUTHORITY_URL: `https://login.microsoftonline.com:${port}` };
    const settings = requireApiSettings({}, env, dir);
    expect(settings.sources).toMatchObject({ managementUrl: 'COE_AUDIT_MANAGEMENT_URL', authorityUrl: 'COE_AUDIT_AUTHORITY_URL', credential: 'COE_AUDIT_CLIENT_SECRET_FILE', tenantId: 'COE_AUDIT_TENANT_ID' });
    const session = openSession(settings, { clock: systemClock(), http: { lookup: redirectLookup(['manage.office.com', 'login.microsoftonline.com', 'graph.microsoft.com'], seen) } });
    try {
      const subs = await listSubscriptions(session);
      expect(subs).toEqual(expect.arrayContaining([expect.objectContaining({ contentType: 'Audit.General', status: 'enabled' })]));
      const now = Date.now();
      let items = 0;
      for await (const page of listContent(session, 'Audit.General', now - 20 * 3_600_000, now)) {
        for (const item of page) {
          expect(new URL(item.contentUri).host).toBe(`manage.office.com:${port}`);
          items++;
        }
      }
      expect(items).toBeGreaterThan(0);
      // Realistic app-only claims.
      const { claims } = await session.tokens.getToken();
      expect(claims).toMatchObject({ aud: 'https://manage.office.com', idtyp: 'app', app_displayname: expect.any(String), appid: settings.clientId });
      expect(claims.oid).not.toBe(claims.appid);
      expect(claims.sub).toBe(claims.oid);
    } finally {
      session.http.close();
    }
    expect(new Set(seen)).toEqual(new Set(['manage.office.com', 'login.microsoftonline.com']));

    // A name outside the certificate is refused by TLS, though it resolves to the emulator too.
    const other = createHttpClient({ ca: readFileSync(ready.caFile, 'utf8'), retry: { maxAttempts: 1 }, lookup: redirectLookup(['manage.office365.us'], []) });
    await expect(other.request({ method: 'GET', url: `https://manage.office365.us:${port}/_emulator/report`, retry: false })).rejects.toThrow(/altnames|certificate|Hostname/i);
    other.close();

    stop!();
    expect(await running).toBe(0);
    expect(stderr).toContain('emulator report:');
    expect(existsSync(vars.COE_AUDIT_CLIENT_SECRET_FILE!)).toBe(false);
  }, 60_000);

  it('strict cloud: a GCC High client is refused on manage.office.com, for the commercial audience, and on the commercial authority', async () => {
    const emu = await startEmulator({ https: true, cloud: 'gcchigh', seed: 6, days: 1, clock: virtualClock(Date.parse('2026-02-01T12:00:00Z')), hostnames: ['manage.office.com', 'manage.office365.us', 'login.microsoftonline.us', 'login.microsoftonline.com'] });
    const port = new URL(emu.managementUrl).port;
    const http = createHttpClient({ ca: emu.caPem, retry: { maxAttempts: 1 }, budgetPerMinute: 0, lookup: redirectLookup(['manage.office.com', 'manage.office365.us', 'login.microsoftonline.us', 'login.microsoftonline.com'], []) });
    const token = (authorityHost: string, resource: string) => tokenRequest(http, emu, resource, `https://${authorityHost}:${port}`);
    try {
      // Its own cloud: a token for manage.office365.us, accepted on manage.office365.us.
      const ok = await token('login.microsoftonline.us', 'https://manage.office365.us');
      expect(ok.status).toBe(200);
      const access = (JSON.parse(ok.body) as { access_token: string }).access_token;
      const list = (host: string) => http.request({ method: 'GET', url: `https://${host}:${port}/api/v1.0/${emu.tenantId}/activity/feed/subscriptions/list`, headers: { Authorization: `Bearer ${access}` }, retry: false, budget: false });
      expect((await list('manage.office365.us')).status).toBe(200);
      // The commercial Management API does not take the GCC High tenant's token.
      const wrongHost = await list('manage.office.com');
      expect(wrongHost.status).toBe(401);
      expect(JSON.parse(wrongHost.body)).toEqual({ Message: 'Authorization has been denied for this request.' });
      // The GCC High authority has no commercial resource principal.
      const wrongAudience = await token('login.microsoftonline.us', 'https://manage.office.com');
      expect(wrongAudience.status).toBe(400);
      expect(wrongAudience.body).toContain('AADSTS500011');
      // The commercial authority does not know the GCC High tenant.
      const wrongAuthority = await token('login.microsoftonline.com', 'https://manage.office365.us');
      expect(wrongAuthority.status).toBe(400);
      expect(wrongAuthority.body).toContain('AADSTS90002');
    } finally {
      http.close();
      await emu.close();
    }
    // With strict cloud off, one emulator serves every cloud's audiences.
    const lax = await startEmulator({ cloud: 'gcchigh', seed: 6, days: 1, strictCloud: false });
    const plain = createHttpClient({ retry: { maxAttempts: 1 }, budgetPerMinute: 0 });
    try {
      const res = await tokenRequest(plain, lax, 'https://manage.office.com');
      expect(res.status).toBe(200);
    } finally {
      plain.close();
      await lax.close();
    }
  }, 60_000);

  it('links use --public-url, or X-Forwarded-Proto/Host behind a proxy', async () => {
    const clock = virtualClock(Date.parse('2026-02-01T12:00:00Z'));
    const fixed = await startEmulator({ seed: 7, days: 1, clock, publicUrl: 'https://audit-emu.contoso.example/ignored/path' });
    const proxied = await startEmulator({ seed: 7, days: 1, clock });
    const http = createHttpClient({ retry: { maxAttempts: 1 }, budgetPerMinute: 0 });
    try {
      const first = async (emu: typeof fixed, headers: Record<string, string> = {}) => {
        const t = await tokenRequest(http, emu, 'https://manage.office.com');
        const access = (JSON.parse(t.body) as { access_token: string }).access_token;
        const res = await http.request({
          method: 'GET',
          url: `${emu.managementUrl}/api/v1.0/${emu.tenantId}/activity/feed/subscriptions/content?contentType=Audit.General&startTime=2026-02-01T00:00&endTime=2026-02-01T12:00`,
          headers: { Authorization: `Bearer ${access}`, ...headers },
          retry: false,
          budget: false,
        });
        const items = JSON.parse(res.body) as { contentUri: string }[];
        return { contentUri: items[0]!.contentUri, next: res.headers.nextpageuri ?? '' };
      };
      const a = await first(fixed);
      expect(a.contentUri.startsWith('https://audit-emu.contoso.example/api/v1.0/')).toBe(true);
      expect(a.next.startsWith('https://audit-emu.contoso.example/api/v1/')).toBe(true);
      const b = await first(proxied, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'audit.proxy.example' });
      expect(b.contentUri.startsWith('https://audit.proxy.example/api/v1.0/')).toBe(true);
      const oidc = await http.request({ method: 'GET', url: `${fixed.authorityUrl}/${fixed.tenantId}/v2.0/.well-known/openid-configuration`, retry: false, budget: false });
      expect(JSON.parse(oidc.body).token_endpoint).toBe(`https://audit-emu.contoso.example/${fixed.tenantId}/oauth2/v2.0/token`);
    } finally {
      http.close();
      await fixed.close();
      await proxied.close();
    }
  });
});

describe('seeded records of all five content types', () => {
  it('lists and serves Audit.AzureActiveDirectory, Audit.Exchange, Audit.SharePoint, Audit.General and DLP.All in the documented schema', async () => {
    const T = Date.UTC(2025, 0, 15, 12, 0, 0);
    const types = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'] as const;
    const emu = await startEmulator({ seed: 8, days: 1, clock: virtualClock(T), subscriptions: [...types], roles: ['ActivityFeed.Read', 'ActivityFeed.ReadDlp'] });
    const noDlp = await startEmulator({ seed: 8, days: 1, clock: virtualClock(T), subscriptions: ['DLP.All'], tenantId: emu.tenantId });
    const http = createHttpClient({ budgetPerMinute: 0, retry: { maxAttempts: 1 } });
    const token = async (e: typeof emu) => {
      const res = await tokenRequest(http, e, 'https://manage.office.com');
      return (JSON.parse(res.body) as { access_token: string }).access_token;
    };
    const window = `startTime=${new Date(T - 12 * 3_600_000).toISOString().slice(0, 19)}&endTime=${new Date(T).toISOString().slice(0, 19)}`;
    try {
      const access = await token(emu);
      const expected: Record<string, { RecordType: number; Workload: string }> = {
        'Audit.AzureActiveDirectory': { RecordType: 15, Workload: 'AzureActiveDirectory' },
        'Audit.Exchange': { RecordType: 50, Workload: 'Exchange' },
        'Audit.SharePoint': { RecordType: 6, Workload: 'SharePoint' },
        'DLP.All': { RecordType: 11, Workload: 'SharePoint' },
      };
      for (const ct of types) {
        const list = await http.request({ method: 'GET', url: `${emu.managementUrl}/api/v1.0/${emu.tenantId}/activity/feed/subscriptions/content?contentType=${ct}&${window}`, headers: { Authorization: `Bearer ${access}` } });
        expect(list.status, ct).toBe(200);
        const items = JSON.parse(list.body) as { contentType: string; contentUri: string }[];
        expect(items.length, ct).toBeGreaterThan(0);
        expect(items.every((i) => i.contentType === ct)).toBe(true);
        const blob = await http.request({ method: 'GET', url: items[0]!.contentUri, headers: { Authorization: `Bearer ${access}` } });
        const records = JSON.parse(blob.body) as Record<string, unknown>[];
        for (const r of records) {
          for (const k of ['Id', 'RecordType', 'CreationTime', 'Operation', 'OrganizationId', 'UserType', 'UserKey', 'Workload', 'UserId']) expect(r, `${ct} ${k}`).toHaveProperty(k);
          expect(String(r.CreationTime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
          if (expected[ct]) expect(r).toMatchObject(expected[ct]);
        }
        if (ct !== 'Audit.General') expect(emu.seeded.eventsByType[ct].length).toBeGreaterThan(0);
      }
      // DLP.All needs ActivityFeed.ReadDlp.
      const plain = await token(noDlp);
      const refused = await http.request({ method: 'GET', url: `${noDlp.managementUrl}/api/v1.0/${noDlp.tenantId}/activity/feed/subscriptions/content?contentType=DLP.All&${window}`, headers: { Authorization: `Bearer ${plain}` } });
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('AF10001');
    } finally {
      http.close();
      await emu.close();
      await noDlp.close();
    }
  });
});
