import { legacyPowerAppsRecord, powerPlatformAppRecord } from '../../src/api/index.js';
import type { HttpFunction, HttpRequest, HttpResponse } from '../../src/wdl/index.js';

/**
 * A small in-process stand-in for the Activity API and its token endpoint, for interpreter tests that must
 * not depend on the emulator: subscriptions (start/stop/list, AF20024), content listing with paging
 * (`NextPageUri`), blobs, and scripted faults. The real emulator (src/api) is used by the end-to-end tests.
 */
export interface FakeEvent {
  Id: string;
  CreationTime: string;
  Operation: string;
  RecordType: number;
  UserId?: string;
  Workload?: string;
  AppName?: string;
  PropertyCollection?: { Name: string; Value: string }[];
}

export interface FakeApiOptions {
  tenant: string;
  pageSize?: number;
  /** Blobs: contentCreated (ISO) and events. */
  blobs?: { contentCreated: string; events: FakeEvent[] }[];
  enabled?: boolean;
  /** Called before routing; return a response to inject a fault. */
  fault?: (req: HttpRequest, n: number) => HttpResponse | undefined;
}

/** A LaunchPowerApp record in either format, built by the project's own record builders (src/api). */
export function launch(id: string, app: string, time: string, legacy = false): FakeEvent {
  const common = { id, creationTime: time, tenantId: '00000000-0000-0000-0000-000000000000', userId: 'u@contoso.com', userKey: 'u' };
  const ref = { id: app, displayName: 'Test app', environmentId: 'default-env', environmentName: 'Test environment' };
  return (legacy ? legacyPowerAppsRecord : powerPlatformAppRecord)(common, 'LaunchPowerApp', ref) as unknown as FakeEvent;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

export function fakeActivityApi(o: FakeApiOptions): { http: HttpFunction; calls: HttpRequest[]; state: { enabled: boolean } } {
  const calls: HttpRequest[] = [];
  const state = { enabled: o.enabled ?? false };
  const pageSize = o.pageSize ?? 2;
  const blobs = (o.blobs ?? []).map((b, i) => ({ ...b, contentId: `blob${String(i).padStart(4, '0')}` }));
  const http: HttpFunction = async (req) => {
    calls.push(req);
    const fault = o.fault?.(req, calls.length);
    if (fault) return fault;
    const url = new URL(req.url);
    if (url.pathname.endsWith('/oauth2/token')) {
      const form = new URLSearchParams(req.body ?? '');
      if (form.get('client_secret') !== 'test-secret') return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      return json(200, { token_type: 'Bearer', expires_in: '3599', access_token: `token-for-${form.get('resource')}` });
    }
    if (req.headers.Authorization !== 'Bearer token-for-https://manage.office.com') return json(401, { Message: 'Authorization has been denied for this request.' });
    const m = /^\/api\/v1(?:\.0)?\/([^/]+)\/activity\/feed\/(.*)$/.exec(url.pathname);
    if (!m || m[1] !== o.tenant) return json(404, { error: { code: 'NotFound' } });
    const route = m[2]!;
    const q = (k: string): string | null => {
      for (const [key, v] of url.searchParams) if (key.toLowerCase() === k.toLowerCase()) return v;
      return null;
    };
    if (route === 'subscriptions/start' && req.method === 'POST') {
      if (state.enabled) return json(400, { error: { code: 'AF20024', message: 'The subscription is already enabled. No property change.' } });
      state.enabled = true;
      return json(200, { contentType: q('contentType'), status: 'enabled', webhook: null });
    }
    if (route === 'subscriptions/stop' && req.method === 'POST') {
      state.enabled = false;
      return { status: 200, headers: {}, body: '' };
    }
    if (route === 'subscriptions/list') return json(200, [{ contentType: 'Audit.General', status: state.enabled ? 'enabled' : 'disabled', webhook: null }]);
    if (!state.enabled) return json(400, { error: { code: 'AF20022', message: 'No subscription found for the specified content type.' } });
    if (route === 'subscriptions/content') {
      const start = Date.parse(`${q('startTime')!.replace(/Z?$/, 'Z')}`);
      const end = Date.parse(`${q('endTime')!.replace(/Z?$/, 'Z')}`);
      const inWindow = blobs.filter((b) => Date.parse(b.contentCreated) >= start && Date.parse(b.contentCreated) < end);
      const offset = Number(q('nextPage') ?? 0);
      const page = inWindow.slice(offset, offset + pageSize);
      const headers: Record<string, string> = {};
      if (offset + pageSize < inWindow.length) {
        const next = new URL(url.toString());
        next.pathname = next.pathname.replace('/api/v1.0/', '/api/v1/');
        next.searchParams.set('nextPage', String(offset + pageSize));
        headers.NextPageUri = next.toString();
      }
      return json(
        200,
        page.map((b) => ({ contentType: 'Audit.General', contentId: b.contentId, contentUri: `${url.origin}/api/v1.0/${o.tenant}/activity/feed/audit/${b.contentId}`, contentCreated: b.contentCreated, contentExpiration: b.contentCreated })),
        headers,
      );
    }
    const blob = /^audit\/(.+)$/.exec(route);
    if (blob) {
      const b = blobs.find((x) => x.contentId === decodeURIComponent(blob[1]!));
      return b ? json(200, b.events) : json(404, { error: { code: 'AF20050', message: 'The specified content does not exist.' } });
    }
    return json(404, { error: { code: 'NotFound' } });
  };
  return { http, calls, state };
}
