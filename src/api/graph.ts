import type { Cloud } from '../clouds/index.js';
import type { AuditRecord } from '../csv/index.js';
import { RuntimeError, UsageError } from '../errors.js';
import type { TokenProvider } from './auth.js';
import { fromGraphRecord, type AuditLogQuery, type GraphVersion, type QueryStatus } from './graph-schema.js';
import type { HttpClient, HttpResponse } from './http.js';
import { createRecordSink } from './record-sink.js';

/**
 * The Microsoft Graph audit log query API as a record source (activity-api.md §5): per window slice, create a
 * query (`POST /security/auditLog/queries`), poll it with back-off until it succeeds, read its records page by page
 * (`@odata.nextLink`), and hand the original records (`auditData`) to the same sink as the Management API pull.
 */
export interface GraphSession {
  http: HttpClient;
  /** Tokens for the cloud's Graph resource (audience = the cloud table's graphUrl). */
  tokens: TokenProvider;
  /** Graph root, the cloud's or an override such as the emulator (no trailing slash, no version). */
  graphUrl: string;
  version: GraphVersion;
  cloud: Cloud;
}

/** A Graph answer other than 2xx, with Graph's error code and message. */
export class GraphApiError extends RuntimeError {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly serviceMessage: string | undefined,
    readonly url: string,
  ) {
    super(explainGraphError(status, code, serviceMessage));
    this.name = 'GraphApiError';
  }
}

/** What to tell the admin for a refused Graph call. */
export function explainGraphError(status: number, code: string | undefined, message: string | undefined): string {
  const said = `Graph answered HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
  if (message && /Resource not found for the segment 'auditLog'/i.test(message)) {
    return `${said} The audit log query API is not offered on this Graph host (GCC High and DoD do not have it): use the Management Activity API (--api management).`;
  }
  if (status === 401) return `${said} The token was refused: check that it is for the Graph resource of this cloud and that the tenant and client are right.`;
  if (status === 403) return `${said} Give the app registration the Application permission AuditLogsQuery.Read.All of Microsoft Graph and grant admin consent.`;
  return said;
}

const MAX_TOKEN_REFRESHES = 3;

/** One authenticated Graph call; `pathOrUrl` is relative to `{graphUrl}/{version}/` or an absolute URL on the same origin. */
export async function callGraph(s: GraphSession, method: 'GET' | 'POST', pathOrUrl: string, body?: unknown): Promise<HttpResponse> {
  const root = `${s.graphUrl.replace(/\/$/, '')}/${s.version}/`;
  const url = new URL(/^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : root + pathOrUrl);
  if (url.origin !== new URL(s.graphUrl).origin) {
    throw new RuntimeError(`refusing to send the Graph token to ${url.origin}: the service pointed outside ${new URL(s.graphUrl).origin}`);
  }
  for (let refresh = 0; ; refresh++) {
    const token = await s.tokens.getToken({ forceRefresh: refresh > 0 });
    const headers: Record<string, string> = { Authorization: `Bearer ${token.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await s.http.request({ method, url: url.toString(), headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status === 401 && refresh < MAX_TOKEN_REFRESHES) continue;
    let code: string | undefined;
    let message: string | undefined;
    try {
      const v = JSON.parse(res.body) as { error?: { code?: string; message?: string } };
      code = v.error?.code;
      message = v.error?.message;
    } catch {
      // the status alone explains it
    }
    throw new GraphApiError(res.status, code, message, url.toString());
  }
}

function json<T>(res: HttpResponse, what: string): T {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new RuntimeError(`Graph answered ${what} with a body that is not JSON (HTTP ${res.status})`);
  }
}

export interface GraphPullOptions {
  start: number;
  end: number;
  /** Sent as operationFilters and applied again to what arrives; all operations when empty. */
  operations?: string[];
  /** The current time (from the caller's clock). */
  now: number;
  /** Records per page ($top, default 500 as the CoE kit). */
  pageSize?: number;
  /** First wait between polls (default 2 s), doubled up to pollMaxMs (default 60 s). */
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** A query not succeeded this long after its creation is given up (default 60 minutes, the CoE kit's limit). */
  pollTimeoutMs?: number;
  /** Submissions per window when queries end failed or cancelled (default 3). */
  maxSubmissions?: number;
  /** Window slice length (default 24 h). */
  sliceMs?: number;
  onProgress?: (p: GraphPullProgress) => void;
  onWarning?: (line: string) => void;
  serialize?: (record: AuditRecord) => string;
}

export interface GraphPullProgress {
  slice: number;
  slices: number;
  status: QueryStatus | 'reading';
  pages: number;
  records: number;
}

/** A window whose records were not loaded, and why. */
export interface NotLoaded {
  start: string;
  end: string;
  reason: string;
}

export interface GraphPullStats {
  slices: number;
  /** Queries submitted (a failed query is submitted again, up to maxSubmissions). */
  queries: number;
  polls: number;
  pages: number;
  records: number;
  duplicateRecords: number;
  filteredOut: number;
  requests: number;
  retries: number;
  notLoaded: NotLoaded[];
}

export interface GraphPullResult {
  records: AuditRecord[];
  lines: string[];
  stats: GraphPullStats;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Purview Audit (Standard) keeps records 180 days. */
const RETENTION_DAYS = 180;

/** Windows of at most sliceMs; refuses what Graph cannot answer. */
export function graphSlices(start: number, end: number, now: number, sliceMs = DAY): { start: number; end: number }[] {
  if (!(start < end)) throw new UsageError('--start must be before --end (Graph refuses a query whose filterStartDateTime is not before its filterEndDateTime)');
  if (start < now - RETENTION_DAYS * DAY) {
    throw new UsageError(`--start ${new Date(start).toISOString()} is more than ${RETENTION_DAYS} days in the past: audit records are kept ${RETENTION_DAYS} days (Audit Standard); use a Purview CSV export if you kept one.`);
  }
  const out: { start: number; end: number }[] = [];
  for (let t = start; t < end; t += sliceMs) out.push({ start: t, end: Math.min(t + sliceMs, end) });
  return out;
}

/** Graph's DateTimeOffset, UTC with Z. */
const graphTime = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Thrown inside one window: what to record as not loaded. */
class WindowFailure extends Error {}

/** `content pull --api graph`: one audit log query per window slice, polled, read page by page, de-duplicated by Id. */
export async function pullGraph(s: GraphSession, o: GraphPullOptions): Promise<GraphPullResult> {
  const slices = graphSlices(o.start, o.end, o.now, o.sliceMs);
  const sink = createRecordSink(o);
  const clock = s.http.clock;
  const requests0 = s.http.stats.requests;
  const retries0 = s.http.stats.retries;
  const stats: GraphPullStats = { slices: slices.length, queries: 0, polls: 0, pages: 0, records: 0, duplicateRecords: 0, filteredOut: 0, requests: 0, retries: 0, notLoaded: [] };
  const operations = o.operations ?? [];
  const maxSubmissions = Math.max(1, o.maxSubmissions ?? 3);
  const pollTimeout = o.pollTimeoutMs ?? HOUR;

  for (const [i, slice] of slices.entries()) {
    const progress = (status: GraphPullProgress['status']) => o.onProgress?.({ slice: i + 1, slices: slices.length, status, pages: stats.pages, records: sink.counts.records });
    const window = `${graphTime(slice.start)} to ${graphTime(slice.end)}`;
    try {
      let done: AuditLogQuery | undefined;
      const endings: string[] = [];
      for (let submission = 1; !done && submission <= maxSubmissions; submission++) {
        const body: Record<string, unknown> = {
          displayName: `coe-audit ${window}`,
          filterStartDateTime: graphTime(slice.start),
          filterEndDateTime: graphTime(slice.end),
          ...(operations.length > 0 ? { operationFilters: operations } : {}),
        };
        const created = json<AuditLogQuery>(await callGraph(s, 'POST', 'security/auditLog/queries', body), 'the query creation');
        if (!created.id) throw new RuntimeError('Graph created an audit log query without an id');
        stats.queries++;
        const createdAt = clock.now();
        let q = created;
        let wait = o.pollInitialMs ?? 2000;
        progress(q.status);
        while (q.status === 'notStarted' || q.status === 'running') {
          if (clock.now() - createdAt >= pollTimeout) {
            throw new WindowFailure(`the audit log query ${q.id} did not succeed within ${Math.round(pollTimeout / 60_000)} minutes (last status ${q.status})`);
          }
          await clock.sleep(Math.min(wait, Math.max(0, createdAt + pollTimeout - clock.now())));
          wait = Math.min(wait * 2, o.pollMaxMs ?? 60_000);
          q = json<AuditLogQuery>(await callGraph(s, 'GET', `security/auditLog/queries/${encodeURIComponent(created.id)}`), 'the query status');
          stats.polls++;
          progress(q.status);
        }
        if (q.status === 'succeeded') done = q;
        else {
          endings.push(`${q.id} ended ${q.status}`);
          o.onWarning?.(`window ${window}: the audit log query ${q.id} ended ${q.status}${submission < maxSubmissions ? '; submitting it again' : ''}`);
        }
      }
      if (!done) throw new WindowFailure(`the audit log query ended failed or cancelled ${endings.length} times (${endings.join(', ')})`);
      if (done.isRecordCountLimitExceeded) {
        throw new WindowFailure(`the audit log query ${done.id} exceeded its record limit of ${done.recordCountLimit ?? '?'} records (isRecordCountLimitExceeded): pull shorter windows or filter by --operation`);
      }
      // Records: collected per window, handed to the sink only when the window is complete.
      const got: AuditRecord[] = [];
      const seenLinks = new Set<string>();
      let next: string | undefined = `security/auditLog/queries/${encodeURIComponent(done.id)}/records?$top=${o.pageSize ?? 500}`;
      while (next) {
        const page: { value?: unknown[]; '@odata.nextLink'?: string } = json(await callGraph(s, 'GET', next), 'the records page');
        if (!Array.isArray(page.value)) throw new RuntimeError('Graph answered the records page without a value array');
        stats.pages++;
        for (const g of page.value) {
          const r = fromGraphRecord(g);
          if (!r) throw new RuntimeError('Graph returned an audit log record without auditData');
          got.push(r);
        }
        next = page['@odata.nextLink'];
        if (next && seenLinks.has(next)) throw new WindowFailure(`Graph repeated the records page ${next}`);
        if (next) seenLinks.add(next);
        progress('reading');
      }
      sink.add(got);
    } catch (e) {
      const throttled = e instanceof GraphApiError && e.status === 429;
      if (!(e instanceof WindowFailure) && !throttled) throw e;
      const reason = throttled ? `Graph kept answering 429 Too Many Requests after the retries (${(e as GraphApiError).serviceMessage ?? 'throttled'}); the tenant's audit query allocation may be used up for now` : (e as Error).message;
      stats.notLoaded.push({ start: graphTime(slice.start), end: graphTime(slice.end), reason });
      o.onWarning?.(`window ${window} not loaded: ${reason}`);
    }
  }
  Object.assign(stats, sink.counts);
  stats.requests = s.http.stats.requests - requests0;
  stats.retries = s.http.stats.retries - retries0;
  return { ...sink.finish(), stats };
}
