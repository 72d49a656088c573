import { createHttpClient, type HttpClient, type HttpResponse, type RunningEmulator } from '../../src/api/index.js';

/** A raw client: no retries, no budget, trusts the emulator's CA. */
export function rawClient(emu: RunningEmulator): HttpClient {
  return createHttpClient({ ca: emu.caPem, budgetPerMinute: 0, retry: { maxAttempts: 1 } });
}

export async function v1Token(http: HttpClient, emu: RunningEmulator, resource: string, overrides: Record<string, string> = {}, tenant = emu.tenantId): Promise<HttpResponse> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, resource, ...overrides });
  return http.request({ method: 'POST', url: `${emu.authorityUrl}/${tenant}/oauth2/token`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
}

export async function bearer(http: HttpClient, emu: RunningEmulator, resource = emu.cloud.managementAudience): Promise<string> {
  const res = await v1Token(http, emu, resource);
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.body}`);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

export function feed(emu: RunningEmulator, path: string, tenant = emu.tenantId): string {
  return `${emu.managementUrl}/api/v1.0/${tenant}/activity/feed/${path}`;
}

export async function get(http: HttpClient, url: string, token?: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return http.request({ method: 'GET', url, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
}

export async function post(http: HttpClient, url: string, token?: string, body?: string): Promise<HttpResponse> {
  return http.request({ method: 'POST', url, body, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json; utf-8' } });
}

export function afCode(res: HttpResponse): string | undefined {
  return (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
}

export const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A fixed "now" for virtual clocks: 2025-01-15T12:00:00Z. */
export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
