import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cloud } from '../../clouds/index.js';
import type { AuditRecord } from '../../csv/index.js';
import { GUID_RE } from '../content-types.js';
import { AUDIT_LOGS_QUERY_READ_ALL, toGraphRecord, type QueryStatus } from '../graph-schema.js';
import { hashUnit, randomGuid, seededRandom } from '../rng.js';
import type { FaultKind, FaultRates, FaultReport } from './faults.js';
import type { SeededData } from './records.js';

/**
 * The Microsoft Graph audit log query API of the emulator (activity-api.md §5 and §8.8 item 24), on the same server
 * and over the same seeded records as the Management API: create a query, poll it (notStarted → running →
 * succeeded on the emulator clock), read its records page by page. docs/emulator.md lists the choices.
 */
export interface GraphEmulatorOptions {
  /** Roles of tokens for a Graph resource (default AuditLogsQuery.Read.All). */
  graphRoles?: string[];
  /** Seconds after creation a query starts running (default 2). */
  graphQueryStartSeconds?: number;
  /** Seconds after creation a query ends (default 10). */
  graphQuerySeconds?: number;
  /** A query hit by the query-slow fault takes this many times longer (default 30). */
  graphSlowQueryFactor?: number;
  /** Records per page without $top (default 100); $top is capped at 1,000. */
  graphPageSize?: number;
  /** Query submissions per tenant per rolling 24 hours (default 200, Microsoft's baseline). */
  graphSubmissionsPerDay?: number;
  /** Queued or running queries at most (default 50). */
  graphMaxQueuedQueries?: number;
  /** Records one query returns at most (default 1,000,000); beyond it the query says isRecordCountLimitExceeded. */
  graphRecordLimit?: number;
  /** Retry-After (seconds) of Graph's 429 answers (default 2). */
  graphRetryAfterSeconds?: number;
}

export interface GraphDeps {
  now: () => number;
  seed: number;
  tenantId: string;
  seeded: SeededData;
  options: GraphEmulatorOptions;
  rates: FaultRates;
  faults: FaultReport;
  maxFaults: number;
  /** The claims of a valid emulator token, else undefined. */
  verify: (token: string) => Record<string, unknown> | undefined;
  /** Audiences accepted besides the cloud's Graph resource (the emulator's own URLs). */
  ownAudiences: (origin: string) => string[];
}

interface Query {
  id: string;
  body: Record<string, unknown>;
  start: number;
  end: number;
  createdAt: number;
  runningAt: number;
  readyAt: number;
  outcome: 'succeeded' | 'failed';
  records: AuditRecord[];
  limitExceeded: boolean;
  version: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const DAY = 86_400_000;
const MAX_TOP = 1000;

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface GraphService {
  /** Handles `/{v1.0|beta}/…` requests; false when the path is not a Graph path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, origin: string, cloud: Cloud, body: string): boolean;
  /** Queries submitted so far (for tests and the report). */
  readonly submissions: number;
}

export function createGraphService(d: GraphDeps): GraphService {
  const o = d.options;
  const rnd = seededRandom(d.seed ^ 0x9a7);
  const queries = new Map<string, Query>();
  const submittedAt: number[] = [];
  const failuresBySignature = new Map<string, number>();
  const streak = new Map<string, number>();
  const attempts = new Map<string, number>();
  let submissions = 0;

  // When each distinct record becomes searchable: when the first blob carrying it became available.
  const searchable = new Map<string, { record: AuditRecord; at: number }>();
  for (const b of d.seeded.blobs) {
    for (const r of b.records) {
      const id = String(r['Id']);
      const prev = searchable.get(id);
      if (!prev || b.contentCreated < prev.at) searchable.set(id, { record: r, at: b.contentCreated });
    }
  }
  const index = [...searchable.values()].sort((a, b) => cmp(String(a.record['CreationTime']), String(b.record['CreationTime'])) || cmp(String(a.record['Id']), String(b.record['Id'])));

  function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': JSON_TYPE,
      'Cache-Control': 'no-cache',
      Date: new Date(d.now()).toUTCString(),
      'request-id': randomGuid(rnd),
      'Content-Length': String(Buffer.byteLength(text)),
      ...extra,
    });
    res.end(text);
  }

  function sendError(res: ServerResponse, e: GraphError): void {
    const date = new Date(d.now()).toISOString().slice(0, 19);
    const id = randomGuid(rnd);
    send(res, e.status, { error: { code: e.code, message: e.message, innerError: { date, 'request-id': id, 'client-request-id': id } } }, e.headers);
  }

  const retryAfter = () => ({ 'Retry-After': String(o.graphRetryAfterSeconds ?? 2) });

  /** Per-request faults from (seed, kind, request, attempt), at most maxFaults in a row for one request. */
  function pick(kind: FaultKind, target: string, attempt: number): boolean {
    const rate = d.rates[kind] ?? 0;
    const key = `${kind} ${target}`;
    if (rate <= 0) return false;
    if ((streak.get(key) ?? 0) >= d.maxFaults) {
      streak.set(key, 0);
      return false;
    }
    if (hashUnit(d.seed, kind, target, attempt) < rate) {
      streak.set(key, (streak.get(key) ?? 0) + 1);
      return true;
    }
    streak.set(key, 0);
    return false;
  }

  function statusOf(q: Query, t: number): QueryStatus {
    if (t < q.runningAt) return 'notStarted';
    if (t < q.readyAt) return 'running';
    return q.outcome;
  }

  function queryJson(q: Query, origin: string, t: number) {
    const status = statusOf(q, t);
    const done = status === 'succeeded';
    const list = (k: string, alt?: string): unknown[] => {
      const v = q.body[k] ?? (alt ? q.body[alt] : undefined);
      return Array.isArray(v) ? v : [];
    };
    return {
      '@odata.context': `${origin}/${q.version}/$metadata#security/auditLog/queries/$entity`,
      id: q.id,
      displayName: typeof q.body.displayName === 'string' ? q.body.displayName : null,
      filterStartDateTime: typeof q.body.filterStartDateTime === 'string' ? q.body.filterStartDateTime : null,
      filterEndDateTime: typeof q.body.filterEndDateTime === 'string' ? q.body.filterEndDateTime : null,
      recordTypeFilters: list('recordTypeFilters'),
      keywordFilter: typeof q.body.keywordFilter === 'string' ? q.body.keywordFilter : null,
      serviceFilters: list('serviceFilters', 'serviceFilter'),
      operationFilters: list('operationFilters'),
      userPrincipalNameFilters: list('userPrincipalNameFilters'),
      ipAddressFilters: list('ipAddressFilters'),
      objectIdFilters: list('objectIdFilters'),
      administrativeUnitIdFilters: list('administrativeUnitIdFilters'),
      status,
      recordCountLimit: o.graphRecordLimit ?? 1_000_000,
      isRecordCountLimitExceeded: done ? q.limitExceeded : false,
      approximateReturnedRecordCount: done ? q.records.length : null,
    };
  }

  function authorize(req: IncomingMessage, origin: string, cloud: Cloud): void {
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!auth) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const claims = d.verify(auth[1]!);
    if (!claims) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= d.now()) throw new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    const aud = typeof claims.aud === 'string' ? claims.aud.replace(/\/$/, '').toLowerCase() : '';
    if (![cloud.graphUrl, ...d.ownAudiences(origin)].map((a) => a.toLowerCase()).includes(aud)) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    if (String(claims.tid).toLowerCase() !== d.tenantId) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid tenant.');
    const roles = Array.isArray(claims.roles) ? (claims.roles as unknown[]).map(String) : [];
    if (!roles.includes(AUDIT_LOGS_QUERY_READ_ALL)) {
      throw new GraphError(403, 'Forbidden', `Missing role permissions on the request. API requires one of '${AUDIT_LOGS_QUERY_READ_ALL}'. Roles on the request '${roles.join(',')}'.`);
    }
  }

  function parseBody(body: string): Record<string, unknown> {
    if (!body.trim()) return {};
    try {
      const v = JSON.parse(body) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // answered below
    }
    throw new GraphError(400, 'BadRequest', 'Invalid JSON in the request body.');
  }

  function matches(q: Record<string, unknown>, r: AuditRecord): boolean {
    const set = (k: string, alt?: string): Set<string> | undefined => {
      const v = q[k] ?? (alt ? q[alt] : undefined);
      return Array.isArray(v) && v.length > 0 ? new Set(v.map((x) => String(x).toLowerCase())) : undefined;
    };
    const ops = set('operationFilters');
    if (ops && !ops.has(String(r['Operation'] ?? '').toLowerCase())) return false;
    const types = set('recordTypeFilters');
    if (types && !types.has(toGraphRecordType(r))) return false;
    const services = set('serviceFilters', 'serviceFilter');
    if (services && !services.has(String(r['Workload'] ?? '').toLowerCase())) return false;
    const users = set('userPrincipalNameFilters');
    if (users && !users.has(String(r['UserId'] ?? '').toLowerCase())) return false;
    const objects = set('objectIdFilters');
    if (objects && !objects.has(String(r['ObjectId'] ?? '').toLowerCase())) return false;
    if (typeof q.keywordFilter === 'string' && q.keywordFilter && !JSON.stringify(r).toLowerCase().includes(q.keywordFilter.toLowerCase())) return false;
    return true;
  }

  function toGraphRecordType(r: AuditRecord): string {
    return String(toGraphRecord({ RecordType: r['RecordType'] }).auditLogRecordType).toLowerCase();
  }

  function create(res: ServerResponse, origin: string, version: string, body: string): void {
    const q = parseBody(body);
    const t = d.now();
    const time = (k: string): number | undefined => {
      const v = q[k];
      if (v === undefined || v === null) return undefined;
      const ms = typeof v === 'string' ? Date.parse(/([zZ]|[+-]\d\d:?\d\d)$/.test(v) ? v : `${v}Z`) : NaN;
      if (Number.isNaN(ms)) throw new GraphError(400, 'BadRequest', `Cannot convert the literal '${String(v)}' to the expected type 'Edm.DateTimeOffset'.`);
      return ms;
    };
    const start = time('filterStartDateTime') ?? t - 180 * DAY;
    const end = time('filterEndDateTime') ?? t;
    if (start >= end) throw new GraphError(400, 'BadRequest', 'filterStartDateTime must be earlier than filterEndDateTime.');
    // Limits (§5.2): submissions per rolling 24 hours, then queued or running queries.
    while (submittedAt.length > 0 && submittedAt[0]! <= t - DAY) submittedAt.shift();
    const perDay = o.graphSubmissionsPerDay ?? 200;
    if (submittedAt.length >= perDay) {
      const wait = Math.max(1, Math.ceil((submittedAt[0]! + DAY - t) / 1000));
      throw new GraphError(429, 'TooManyRequests', `Too many requests: ${perDay} audit log query submissions in the last 24 hours.`, { 'Retry-After': String(wait) });
    }
    const queued = [...queries.values()].filter((x) => statusOf(x, t) === 'notStarted' || statusOf(x, t) === 'running');
    const maxQueued = o.graphMaxQueuedQueries ?? 50;
    if (queued.length >= maxQueued) {
      const wait = Math.max(1, Math.ceil((Math.min(...queued.map((x) => x.readyAt)) - t) / 1000));
      throw new GraphError(429, 'TooManyRequests', `Too many requests: ${maxQueued} audit log queries are queued or running.`, { 'Retry-After': String(wait) });
    }
    submittedAt.push(t);
    submissions++;
    const id = randomGuid(rnd);
    // Faults decided per query signature and submission: a resubmitted query may succeed.
    const signature = JSON.stringify({ ...q, displayName: undefined });
    const nth = failuresBySignature.get(signature) ?? 0;
    failuresBySignature.set(signature, nth + 1);
    const failed = pick('query-failed', signature, nth);
    const slow = pick('query-slow', signature, nth);
    const startS = o.graphQueryStartSeconds ?? 2;
    const total = Math.max(startS, o.graphQuerySeconds ?? 10) * (slow ? (o.graphSlowQueryFactor ?? 30) : 1);
    for (const [kind, hit] of [['query-failed', failed], ['query-slow', slow]] as const) {
      if (!hit) continue;
      d.faults.counts[kind]++;
      d.faults.injected.push({ kind, method: 'CreateAuditLogQuery', target: `${id} ${new Date(start).toISOString()}..${new Date(end).toISOString()}`, attempt: nth });
    }
    const limit = o.graphRecordLimit ?? 1_000_000;
    const all = index.filter((x) => x.at <= t && matchesTime(x.record, start, end) && matches(q, x.record)).map((x) => x.record);
    const query: Query = {
      id,
      body: q,
      start,
      end,
      createdAt: t,
      runningAt: t + startS * 1000,
      readyAt: t + total * 1000,
      outcome: failed ? 'failed' : 'succeeded',
      records: all.slice(0, limit),
      limitExceeded: all.length > limit,
      version,
    };
    queries.set(id, query);
    send(res, 201, { ...queryJson(query, origin, t), status: 'notStarted' }, { Location: `${origin}/${version}/security/auditLog/queries/${id}` });
  }

  function matchesTime(r: AuditRecord, start: number, end: number): boolean {
    const at = Date.parse(`${String(r['CreationTime'])}Z`);
    return at >= start && at < end;
  }

  function records(res: ServerResponse, url: URL, origin: string, version: string, q: Query): void {
    const status = statusOf(q, d.now());
    if (status !== 'succeeded') throw new GraphError(400, 'BadRequest', `The audit log query '${q.id}' has not succeeded (status ${status}); read its records once its status is succeeded.`);
    const param = (name: string) => [...url.searchParams.entries()].find(([k]) => k.toLowerCase() === name)?.[1];
    const topText = param('$top');
    const top = topText === undefined ? (o.graphPageSize ?? 100) : Number(topText);
    if (!Number.isInteger(top) || top < 1) throw new GraphError(400, 'BadRequest', `Invalid $top value '${topText}'.`);
    const size = Math.min(top, MAX_TOP);
    const skipText = param('$skiptoken');
    const offset = skipText === undefined ? 0 : Number(/^R(\d+)$/.exec(skipText)?.[1] ?? NaN);
    if (!Number.isInteger(offset) || offset < 0 || offset > q.records.length) throw new GraphError(400, 'BadRequest', `Invalid $skiptoken '${skipText}'.`);
    const page = q.records.slice(offset, offset + size).map(toGraphRecord);
    const body: Record<string, unknown> = { '@odata.context': `${origin}/${version}/$metadata#security/auditLog/queries('${q.id}')/records`, value: page };
    if (offset + size < q.records.length) body['@odata.nextLink'] = `${origin}/${version}/security/auditLog/queries/${q.id}/records?$top=${size}&$skiptoken=R${offset + size}`;
    send(res, 200, body);
  }

  function list(res: ServerResponse, origin: string, version: string): void {
    const t = d.now();
    send(res, 200, { '@odata.context': `${origin}/${version}/$metadata#security/auditLog/queries`, value: [...queries.values()].map((q) => queryJson(q, origin, t)) });
  }

  return {
    get submissions() {
      return submissions;
    },
    handle(req, res, url, origin, cloud, body) {
      const m = /^\/(v1\.0|beta)(\/.*)?$/.exec(url.pathname);
      if (!m) return false;
      const version = m[1]!;
      const segments = (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
      const method = (req.method ?? 'GET').toUpperCase();
      try {
        // Graph's routing answers an unknown segment before it looks at the token (observed #10885, #10118).
        const firstUnknown = segments.find((s) => !GUID_RE.test(s));
        if (firstUnknown !== 'security') throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${firstUnknown ?? ''}'.`);
        if (segments[1] !== 'auditLog' || !cloud.graphAuditQueriesAvailable) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segments[1] ?? ''}'.`);
        const wrong = segments[2] !== 'queries' ? 2 : segments.length === 5 && segments[4] !== 'records' ? 4 : segments.length > 5 ? 5 : -1;
        if (wrong >= 0) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segments[wrong] ?? ''}'.`);
        authorize(req, origin, cloud);
        const target = `${method} ${url.pathname}${url.search}`;
        const attempt = attempts.get(target) ?? 0;
        attempts.set(target, attempt + 1);
        if (pick('graph-throttle', target, attempt)) {
          d.faults.counts['graph-throttle']++;
          d.faults.injected.push({ kind: 'graph-throttle', method: 'Graph', target, attempt });
          throw new GraphError(429, 'TooManyRequests', 'Too many requests.', retryAfter());
        }
        if (segments.length === 3) {
          if (method === 'POST') create(res, origin, version, body);
          else if (method === 'GET') list(res, origin, version);
          else throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed here.`);
          return true;
        }
        const q = queries.get(segments[3]!);
        if (!q) throw new GraphError(404, 'NotFound', `The audit log query '${segments[3]}' was not found.`);
        if (method !== 'GET') throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed here.`);
        if (segments.length === 4) send(res, 200, queryJson(q, origin, d.now()));
        else records(res, url, origin, version, q);
      } catch (e) {
        if (e instanceof GraphError) sendError(res, e);
        else throw e;
      }
      return true;
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
