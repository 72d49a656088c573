import type { AuditRecord } from '../csv/index.js';
import { RuntimeError, UsageError } from '../errors.js';
import type { TokenProvider } from './auth.js';
import { CONTENT_TYPES, type ContentType } from './content-types.js';
import { afMessage, explainApiError } from './error-catalogue.js';
import type { HttpClient, HttpResponse } from './http.js';
import { createRecordSink } from './record-sink.js';

/** What every Activity API call needs: the HTTP module, a token source and where to call. */
export interface ApiSession {
  http: HttpClient;
  tokens: TokenProvider;
  /** Management API root, the cloud’s host or the emulator's URL (no trailing slash). */
  managementUrl: string;
  tenantId: string;
  /** Sent as PublisherIdentifier on every call, blob downloads included (default: the tenant id). */
  publisherId: string;
}

/** A refused Activity API call, its message taken from the error catalogue. */
export class ApiError extends RuntimeError {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly serviceMessage: string | undefined,
    readonly url: string,
  ) {
    super(explainApiError(status, code, serviceMessage));
    this.name = 'ApiError';
  }
}

const MAX_TOKEN_REFRESHES = 3;

/** One authenticated call; `pathOrUrl` is relative to `…/activity/feed/` or an absolute URL (NextPageUri, contentUri). */
export async function callApi(
  s: ApiSession,
  method: 'GET' | 'POST',
  pathOrUrl: string,
  query: Record<string, string> = {},
): Promise<HttpResponse> {
  const base = `${s.managementUrl.replace(/\/$/, '')}/api/v1.0/${s.tenantId}/activity/feed/`;
  const url = new URL(/^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : base + pathOrUrl);
  if (url.origin !== new URL(s.managementUrl).origin) {
    throw new RuntimeError(`refusing to send the token to ${url.origin}: the service pointed outside ${new URL(s.managementUrl).origin}`);
  }
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  if (![...url.searchParams.keys()].some((k) => k.toLowerCase() === 'publisheridentifier')) url.searchParams.set('PublisherIdentifier', s.publisherId);
  for (let refresh = 0; ; refresh++) {
    const token = await s.tokens.getToken({ forceRefresh: refresh > 0 });
    const headers: Record<string, string> = { Authorization: `Bearer ${token.token}` };
    if (method === 'POST') headers['Content-Type'] = 'application/json; utf-8';
    const res = await s.http.request({ method, url: url.toString(), headers });
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status === 401 && refresh < MAX_TOKEN_REFRESHES) continue;
    const { code, message } = errorOf(res.body);
    throw new ApiError(res.status, code, message, url.toString());
  }
}

function errorOf(body: string): { code?: string; message?: string } {
  try {
    const v = JSON.parse(body) as { error?: { code?: string; message?: string }; Message?: string };
    if (v.error) return { code: v.error.code, message: v.error.message };
    if (typeof v.Message === 'string') return { message: v.Message };
  } catch {
    // not JSON: the status alone explains it
  }
  return {};
}

function parseJson<T>(res: HttpResponse, what: string): T {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new RuntimeError(`the Activity API answered ${what} with a body that is not JSON (HTTP ${res.status})`);
  }
}

// ---- Subscriptions ----

export interface SubscriptionStatus {
  contentType: ContentType;
  /** `not started` when the API does not list the type at all (it omits never-started types). */
  status: 'enabled' | 'disabled' | 'not started';
  webhook: unknown;
}

export interface StartResult extends SubscriptionStatus {
  /** True when the API answered AF20024 (already enabled, no property change): success. */
  alreadyEnabled: boolean;
}

export async function startSubscription(s: ApiSession, contentType: ContentType): Promise<StartResult> {
  try {
    const res = await callApi(s, 'POST', 'subscriptions/start', { contentType });
    const v = parseJson<{ status?: string; webhook?: unknown }>(res, 'subscriptions/start');
    return { contentType, status: v.status === 'enabled' ? 'enabled' : 'disabled', webhook: v.webhook ?? null, alreadyEnabled: false };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'AF20024') return { contentType, status: 'enabled', webhook: null, alreadyEnabled: true };
    throw e;
  }
}

export async function stopSubscription(s: ApiSession, contentType: ContentType): Promise<SubscriptionStatus> {
  await callApi(s, 'POST', 'subscriptions/stop', { contentType });
  return { contentType, status: 'disabled', webhook: null };
}

/** Every content type with its status; types the API does not list are `not started`. */
export async function listSubscriptions(s: ApiSession): Promise<SubscriptionStatus[]> {
  const res = await callApi(s, 'GET', 'subscriptions/list');
  const items = parseJson<{ contentType?: string; status?: string; webhook?: unknown }[]>(res, 'subscriptions/list');
  if (!Array.isArray(items)) throw new RuntimeError('the Activity API answered subscriptions/list with something other than an array');
  return CONTENT_TYPES.map((ct) => {
    const hit = items.find((i) => i.contentType?.toLowerCase() === ct.toLowerCase());
    if (!hit) return { contentType: ct, status: 'not started' as const, webhook: null };
    return { contentType: ct, status: hit.status?.toLowerCase() === 'disabled' ? ('disabled' as const) : ('enabled' as const), webhook: hit.webhook ?? null };
  });
}

// ---- Content ----

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ContentItem {
  contentType: string;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
}

/** The longest window `content pull` accepts: the API keeps 7 days of content. */
export const MAX_WINDOW_MS = 7 * DAY;

/**
 * The window of `content pull` from the user's times: [end - 24 h, now) by default, as m365's auditlog list does.
 * A window longer than 7 days is refused; an end after `now` is capped to `now`, with a warning saying so.
 */
export function resolveWindow(o: { start?: number; end?: number; now: number }): { start: number; end: number; warnings: string[] } {
  const warnings: string[] = [];
  let end = o.end ?? o.now;
  const start = o.start ?? Math.min(end, o.now) - DAY;
  if (!(start < end)) throw new UsageError(`--start must be before --end (${afMessage('AF20055')})`);
  if (end - start > MAX_WINDOW_MS) {
    throw new UsageError(
      `the window ${new Date(start).toISOString()} .. ${new Date(end).toISOString()} is ${((end - start) / DAY).toFixed(1)} days; the Activity API keeps 7 days of content, so a window may be at most 7 days: give an --end within 7 days of --start`,
    );
  }
  if (end > o.now) {
    warnings.push(`--end ${new Date(end).toISOString()} is after now: the window ends at ${new Date(o.now).toISOString()} instead (content of the future does not exist yet)`);
    end = o.now;
    if (!(start < end)) throw new UsageError(`--start ${new Date(start).toISOString()} is in the future: nothing to pull yet`);
  }
  return { start, end, warnings };
}

/** Splits [start, end) into slices of at most 24 h, refusing what the API refuses (AF20030/AF20055). */
export function planSlices(start: number, end: number, now: number): { start: number; end: number }[] {
  if (!(start < end)) throw new UsageError(`--start must be before --end (${afMessage('AF20055')})`);
  if (start < now - 7 * DAY) {
    throw new UsageError(
      `--start ${new Date(start).toISOString()} is more than 7 days in the past; the Activity API refuses it: "${afMessage('AF20030')}" Content older than 7 days cannot be retrieved; use a Purview CSV export for older history.`,
    );
  }
  const out: { start: number; end: number }[] = [];
  for (let t = start; t < end; t += DAY) out.push({ start: t, end: Math.min(t + DAY, end) });
  return out;
}

/** UTC time as the API documents it: YYYY-MM-DDTHH:MM:SS (milliseconds added only when not zero). */
export function apiTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

/** Times the current page is read again when its NextPageUri names a page already read (then the listing stops). */
const MAX_PAGE_REREADS = 3;

/**
 * Lists every content item of one window, following NextPageUri verbatim until a page has none. A NextPageUri
 * already followed is never followed again: the current page is read again (not yielded again) for a fresh
 * NextPageUri, up to MAX_PAGE_REREADS times, and then the listing stops with a warning.
 */
export async function* listContent(
  s: ApiSession,
  contentType: ContentType,
  start: number,
  end: number,
  warn: (line: string) => void = () => {},
): AsyncGenerator<ContentItem[]> {
  const first = { contentType, startTime: apiTime(start), endTime: apiTime(end) };
  let current: string | undefined;
  let res = await callApi(s, 'GET', 'subscriptions/content', first);
  const seen = new Set<string>();
  let rereads = 0;
  for (;;) {
    if (rereads === 0) {
      const page = parseJson<ContentItem[]>(res, 'subscriptions/content');
      if (!Array.isArray(page)) throw new RuntimeError('the Activity API answered subscriptions/content with something other than an array');
      yield page;
    }
    const next = res.headers['nextpageuri'] ?? res.headers['nextpageurl'];
    if (!next) return;
    if (seen.has(next)) {
      if (rereads >= MAX_PAGE_REREADS) {
        warn(`NextPageUri repeated a page already read (${next}) ${rereads + 1} times; stopped following it`);
        return;
      }
      rereads++;
      res = current === undefined ? await callApi(s, 'GET', 'subscriptions/content', first) : await callApi(s, 'GET', current);
      continue;
    }
    rereads = 0;
    seen.add(next);
    current = next;
    res = await callApi(s, 'GET', next);
  }
}

export interface PullOptions {
  start: number;
  end: number;
  contentType: ContentType;
  /** Keep only these operations (case-insensitive); all when empty. */
  operations?: string[];
  /** Blob downloads in flight at most (default 8). */
  concurrency?: number;
  /** The current time (from the caller's clock), for the 7-day rule. */
  now: number;
  onProgress?: (p: PullProgress) => void;
  onWarning?: (line: string) => void;
  /**
   * Turns each kept record into its output text as soon as it arrives, so only the text is held in memory;
   * the result then has `lines` (in record order) instead of `records`.
   */
  serialize?: (record: AuditRecord) => string;
}

export interface PullProgress {
  slice: number;
  slices: number;
  pages: number;
  blobsListed: number;
  blobsFetched: number;
  records: number;
}

export interface PullStats extends PullProgress {
  /** Listing entries whose contentId had already been listed (the API may list a blob twice). */
  duplicateBlobs: number;
  /** Records seen again under an Id already kept (duplicates across blobs are expected, §1.12). */
  duplicateRecords: number;
  /** Records left out by --operation. */
  filteredOut: number;
  /** Blobs the API answered AF20051 for (expired): their records cannot be retrieved. */
  expiredBlobs: string[];
  requests: number;
  retries: number;
}

export interface PullResult {
  /** Distinct records (by Id), sorted by CreationTime then Id; empty when `serialize` was given. */
  records: AuditRecord[];
  /** With `serialize`: the serialized records, in the same order. */
  lines: string[];
  stats: PullStats;
}

/** `content pull`: slices, pages, bounded-concurrency blob downloads, de-duplication by record Id. */
export async function pullContent(s: ApiSession, o: PullOptions): Promise<PullResult> {
  const slices = planSlices(o.start, o.end, o.now);
  const concurrency = Math.max(1, o.concurrency ?? 8);
  const sink = createRecordSink(o);
  const requests0 = s.http.stats.requests;
  const retries0 = s.http.stats.retries;
  const stats: PullStats = {
    slice: 0,
    slices: slices.length,
    pages: 0,
    blobsListed: 0,
    blobsFetched: 0,
    records: 0,
    duplicateBlobs: 0,
    duplicateRecords: 0,
    filteredOut: 0,
    expiredBlobs: [],
    requests: 0,
    retries: 0,
  };
  const contentIds = new Set<string>();
  const running = new Set<Promise<void>>();
  let failure: unknown;
  const progress = () => o.onProgress?.({ slice: stats.slice, slices: stats.slices, pages: stats.pages, blobsListed: stats.blobsListed, blobsFetched: stats.blobsFetched, records: stats.records });

  const fetchBlob = async (item: ContentItem) => {
    try {
      const res = await callApi(s, 'GET', item.contentUri);
      const records = parseJson<AuditRecord[]>(res, `the blob ${item.contentId}`);
      if (!Array.isArray(records)) throw new RuntimeError(`the blob ${item.contentId} is not a JSON array`);
      sink.add(records);
      Object.assign(stats, sink.counts);
      stats.blobsFetched++;
      progress();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'AF20051') {
        stats.expiredBlobs.push(item.contentId);
        o.onWarning?.(`blob ${item.contentId} has expired (AF20051): its records cannot be retrieved`);
        return;
      }
      failure ??= e;
    }
  };

  for (const [i, slice] of slices.entries()) {
    stats.slice = i + 1;
    for await (const page of listContent(s, o.contentType, slice.start, slice.end, (w) => o.onWarning?.(w))) {
      stats.pages++;
      for (const item of page) {
        if (contentIds.has(item.contentId)) {
          stats.duplicateBlobs++;
          continue;
        }
        contentIds.add(item.contentId);
        stats.blobsListed++;
        while (running.size >= concurrency) await Promise.race(running);
        if (failure) break;
        const p: Promise<void> = fetchBlob(item).finally(() => running.delete(p));
        running.add(p);
      }
      progress();
      if (failure) break;
    }
    if (failure) break;
  }
  await Promise.all(running);
  if (failure) throw failure;
  stats.requests = s.http.stats.requests - requests0;
  stats.retries = s.http.stats.retries - retries0;
  return { ...sink.finish(), stats };
}

/** Whether any content is listed in [start, end): one page is enough. */
export async function hasContent(s: ApiSession, contentType: ContentType, start: number, end: number): Promise<number> {
  for await (const page of listContent(s, contentType, start, end)) return page.length;
  return 0;
}
