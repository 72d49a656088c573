import { constants as cryptoConstants, randomBytes, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { CLOUDS, type Cloud } from '../../clouds/cloud-table.js';
import { cloudOfGraphHost, findCloud } from '../../clouds/resolve-cloud.js';
import { RuntimeError, UsageError } from '../../errors.js';
import { systemClock, type Clock } from '../clock.js';
import {
  ACTIVITY_FEED_READ,
  ACTIVITY_FEED_READ_DLP,
  canonicalContentType,
  CONTENT_TYPES,
  GUID_RE,
  ZERO_GUID,
  type ContentType,
} from '../content-types.js';
import { authorityMetadataFor } from '../authority.js';
import { afMessage } from '../error-catalogue.js';
import { AUDIT_LOGS_QUERY_READ_ALL } from '../graph-schema.js';
import { decodeJwtHeader, decodeJwtPayload, signHs256, verifyHs256 } from '../jwt.js';
import { createHttpClient } from '../http.js';
import { hashUnit, randomGuid, seededRandom } from '../rng.js';
import { emptyFaultReport, parseFaultSpec, type FaultKind, type FaultRates, type FaultReport } from './faults.js';
import { createGraphService, type GraphEmulatorOptions } from './graph.js';
import { generateSeededData, type SeededBlob, type SeededData } from './records.js';
import { generateEmulatorTls } from './tls.js';

export interface EmulatorOptions extends GraphEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Serve HTTPS with a generated CA (returned as caFile / caPem). MSAL needs HTTPS for the authority. */
  https?: boolean;
  seed?: number;
  tenantId?: string;
  clientId?: string;
  /** Default: random per start. */
  clientSecret?: string;
  /** The cloud it serves when the Host header names none: its audience is accepted (default commercial). */
  cloud?: string;
  /** Application roles granted to the app (the token's `roles`); default ActivityFeed.Read and ServiceHealth.Read. */
  roles?: string[];
  /** PEM certificates registered on the app, for certificate (client assertion) credentials. */
  certificates?: string[];
  eventsPerHour?: number;
  /** History length in days (default 7); `hours` wins when given. */
  days?: number;
  hours?: number;
  eventsPerBlob?: number;
  duplicateRate?: number;
  latencyMinutes?: [number, number];
  /** Content listing page size (undocumented by Microsoft; small default so paging is always exercised). */
  pageSize?: number;
  /** Tenant-profile shape of the records (src/api/emulator/profiles.ts): mix, apps, users, record size. */
  recordMix?: { launch256: number; launch45: number; delete256: number; delete45: number };
  apps?: number;
  users?: number;
  noiseRecordBytes?: number;
  /** Seed Audit.AzureActiveDirectory, Audit.Exchange, Audit.SharePoint and DLP.All as well (default true; flow simulate: false). */
  otherContentTypes?: boolean;
  /** Blobs are listed this many minutes after their contentCreated (late content; default 0). */
  lateContentMinutes?: number;
  /** Periods (epoch ms, [start, end)) in which every Activity API request is answered 503 (outages). */
  outages?: { startMs: number; endMs: number }[];
  /** Content types enabled at start, since the beginning of the history (default Audit.General). */
  subscriptions?: string[];
  /** `kind=rate,…` or rates by kind. */
  faults?: string | FaultRates;
  /** Consecutive faults injected into one request at most, so a retrying client always gets through (default 3). */
  maxFaultsPerRequest?: number;
  slowMs?: number;
  /** Injectable clock: a Clock or just a now() function. */
  clock?: Clock | (() => number);
  /** Tenant quota per PublisherIdentifier, requests per minute (default 2,000, doc baseline). */
  quotaPerMinute?: number;
  /**
   * Quota of the shared bucket of requests without PublisherIdentifier (default 60,000: Microsoft's troubleshooting
   * guide puts them in "the general pool allotted 60K requests per minute for all tenants", activity-api.md §1.11).
   */
  anonymousQuotaPerMinute?: number;
  /** Status of AF429 (default 403 as observed; 429 for robustness tests). */
  throttleStatus?: 403 | 429;
  /** Adds Retry-After (seconds) to AF429 responses; none by default (none is documented). */
  retryAfterSeconds?: number;
  /** Windows over 24 h: strict = AF20030 (default), lenient = first 24 h only. */
  windowRule?: 'strict' | 'lenient';
  /** Grace beyond 7 days for startTime (default 60 min, as Elastic observed). */
  windowGraceMinutes?: number;
  /** Path version in NextPageUri: v1 (default, as the doc sample) or v1.0. */
  nextPageApiVersion?: 'v1' | 'v1.0';
  /** Second start within this many minutes fails with AF429 (default 0 = off). */
  startThrottleMinutes?: number;
  /** Start within this many minutes of a stop answers enabled but stays disabled (obs #479; default 0 = off). */
  restartGlitchMinutes?: number;
  /** First listable blob no earlier than startedAt + this (default 0). */
  initialDelayMinutes?: number;
  /** Server clock skew in ms (default 0). */
  skewMs?: number;
  tokenLifetimeSeconds?: number;
  /** With https: the certificate also covers these host names (a Microsoft host, say), for clients with fixed hosts. */
  hostnames?: string[];
  /**
   * The public origin clients reach the emulator at (e.g. behind a TLS-terminating proxy): contentUri,
   * NextPageUri and the authority metadata use it. Without it, X-Forwarded-Proto/X-Forwarded-Host are honoured,
   * then the Host header.
   */
  publicUrl?: string;
  /**
   * Refuse what the real service of the emulator's cloud refuses (default true): a token for another cloud's
   * audience (AADSTS500011), a token request on another cloud's authority host (AADSTS90002), an API request on
   * another cloud's Management API host (401). Off: one emulator serves every cloud's hosts and audiences.
   */
  strictCloud?: boolean;
  /**
   * Also write the client secret into a file of its own temporary folder (mode 0600, removed at close), returned as
   * clientSecretFile, so an environment file can reference the secret without holding it.
   */
  secretFile?: boolean;
  /** The app registration's display name (the token's app_displayname; default "coe-audit emulator client"). */
  appDisplayName?: string;
  /** With https: also serve plain HTTP on a second port (same state), returned as httpManagementUrl. */
  alsoHttp?: boolean;
  /** Accept http:// webhook addresses (tests run a plain-HTTP receiver on loopback); default false = AF20021. */
  allowHttpWebhooks?: boolean;
  /** Extra CA (PEM) trusted for https:// webhook addresses. */
  webhookCa?: string;
  /** POSTs per notification batch at most: the first one and its retries on non-200 (default 3). */
  notificationAttempts?: number;
  /** Also call deliverNotifications() every this many ms of real time (default 0 = only when called). */
  notificationIntervalMs?: number;
}

/** One entry of /subscriptions/notifications: the content fields plus when and how the POST went. */
export interface NotificationEntry {
  contentType: ContentType;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
  notificationSent: string;
  notificationStatus: 'success' | 'failed';
}

/** What one deliverNotifications() call did: content items POSTed successfully, and given up after the retries. */
export interface DeliveryResult {
  delivered: number;
  failed: number;
  posts: number;
}

export interface SubscriptionState {
  contentType: ContentType;
  status: 'enabled' | 'disabled';
  webhook: null | { status: string; address: string; authId: string | null; expiration: string | null };
  startedAt: number;
  stoppedAt?: number;
  lastStartAt?: number;
  /** Hidden from /list (restart glitch). */
  hidden?: boolean;
}

export interface EmulatorReport {
  faults: FaultReport;
  requests: {
    total: number;
    byMethod: Record<string, number>;
    /** AF429 answers from the quota buckets (not from the throttle fault). */
    quotaRejections: number;
    /** API requests whose time on the emulator clock was earlier than the request before (a client out of time order). */
    outOfOrder: number;
    /** Per PublisherIdentifier: requests and the most seen within any 60 s of the emulator clock. */
    byPublisher: Record<string, { total: number; maxPerMinute: number }>;
  };
  tokens: { issued: number; refused: number };
  /** Graph audit log queries submitted (accepted with 201). */
  graph: { submissions: number };
}

export interface RunningEmulator {
  managementUrl: string;
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caFile?: string;
  caPem?: string;
  /** With `secretFile`: the file holding the client secret. */
  clientSecretFile?: string;
  /** Plain-HTTP root of the same emulator, with `https` and `alsoHttp`. */
  httpManagementUrl?: string;
  port: number;
  cloud: Cloud;
  seeded: SeededData;
  faults: FaultReport;
  subscriptions: Map<ContentType, SubscriptionState>;
  report(): EmulatorReport;
  /** POSTs the content that became listable since the last delivery to every enabled webhook (docs/emulator.md). */
  deliverNotifications(): Promise<DeliveryResult>;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const DENIED = { Message: 'Authorization has been denied for this request.' };
const DAY = 86_400_000;

const STATUS: Record<string, number> = { AF20050: 404, AF10001: 403, AF20010: 403, AF20011: 403, AF50000: 500, AF50005: 500, AF50006: 500 };

class AfError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = STATUS[code] ?? 400,
  ) {
    super(message);
  }
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  origin: string;
  query: Map<string, string>;
  cloud: Cloud;
}

/** Starts the Activity API emulator (activity-api.md §8) on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clockOpt = options.clock;
  const clock: Clock = typeof clockOpt === 'function' ? { now: clockOpt, sleep: systemClock().sleep } : (clockOpt ?? systemClock());
  const skew = options.skewMs ?? 0;
  const now = () => clock.now() + skew;
  const seed = options.seed ?? 1;
  const rnd = seededRandom(seed ^ 0x5eed);
  const tenantId = (options.tenantId ?? randomGuid(rnd)).toLowerCase();
  if (!GUID_RE.test(tenantId)) throw new UsageError(`--tenant-id: '${options.tenantId}' is not a GUID`);
  const clientId = options.clientId ?? randomGuid(rnd);
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const defaultCloud = findCloud(options.cloud ?? 'commercial');
  if (!defaultCloud) throw new UsageError(`unknown cloud '${options.cloud}'`);
  const roles = options.roles ?? [ACTIVITY_FEED_READ, 'ServiceHealth.Read'];
  const graphRoles = options.graphRoles ?? [AUDIT_LOGS_QUERY_READ_ALL];
  const certs = (options.certificates ?? []).map((pem) => new X509Certificate(pem));
  const signingKey = randomBytes(32);
  const rates = typeof options.faults === 'string' ? parseFaultSpec(options.faults) : (options.faults ?? {});
  const maxFaults = options.maxFaultsPerRequest ?? 3;
  const pageSize = options.pageSize ?? 3;
  const quota = options.quotaPerMinute ?? 2000;
  const anonQuota = options.anonymousQuotaPerMinute ?? 60_000;
  const strict = options.strictCloud ?? true;
  const appDisplayName = options.appDisplayName ?? 'coe-audit emulator client';
  // The app's service principal: its object id (oid, sub) differs from the app (client) id, as in Entra.
  const servicePrincipalId = randomGuid(rnd);
  let publicOrigin: string | undefined;
  if (options.publicUrl !== undefined) {
    try {
      publicOrigin = new URL(options.publicUrl).origin;
    } catch {
      throw new UsageError(`--public-url: '${options.publicUrl}' is not a URL; give the https origin clients reach the emulator at`);
    }
    if (publicOrigin === 'null') throw new UsageError(`--public-url: '${options.publicUrl}' has no origin`);
  }
  const throttleStatus = options.throttleStatus ?? 403;
  const grace = (options.windowGraceMinutes ?? 60) * 60_000;
  const lifetime = options.tokenLifetimeSeconds ?? 3599;
  const startNow = now();
  const seeded = generateSeededData({
    seed,
    tenantId,
    now: startNow,
    hours: options.hours ?? (options.days ?? 7) * 24,
    eventsPerHour: options.eventsPerHour ?? 20,
    eventsPerBlob: options.eventsPerBlob ?? 10,
    duplicateRate: options.duplicateRate ?? 0.02,
    latencyMinutes: options.latencyMinutes ?? [60, 90],
    ...(options.recordMix ? { mix: options.recordMix, skewedApps: true } : {}),
    ...(options.apps ? { apps: options.apps } : {}),
    ...(options.users ? { users: options.users } : {}),
    ...(options.noiseRecordBytes ? { noiseRecordBytes: options.noiseRecordBytes } : {}),
    ...(options.otherContentTypes === false ? { otherContentTypes: false } : {}),
  });
  // Serialized blobs, most recent first out: a blob is fetched again on retries and duplicates.
  const blobText = new Map<string, string>();
  const allBlobs = [...seeded.blobs, ...seeded.otherBlobs];
  const blobsById = new Map(allBlobs.map((b) => [b.contentId, b]));
  const blobsByType = new Map<ContentType, SeededBlob[]>(CONTENT_TYPES.map((t) => [t, []]));
  for (const b of allBlobs) blobsByType.get(b.contentType)!.push(b);
  for (const list of blobsByType.values()) list.sort((a, b) => a.contentCreated - b.contentCreated || (a.contentId < b.contentId ? -1 : 1));

  const subscriptions = new Map<ContentType, SubscriptionState>();
  for (const name of options.subscriptions ?? ['Audit.General']) {
    const ct = canonicalContentType(name);
    if (!ct) throw new UsageError(`unknown content type '${name}'`);
    subscriptions.set(ct, { contentType: ct, status: 'enabled', webhook: null, startedAt: -Infinity });
  }

  // Webhook delivery state: who started the webhook and from where (contentUri host, tenant in the path), what was sent.
  const hookCtx = new Map<ContentType, { origin: string; urlTenant: string; clientId: string }>();
  const notifiedIds = new Map<ContentType, Set<string>>();
  const notificationLog = new Map<ContentType, { created: number; entry: NotificationEntry }[]>();

  const faults = emptyFaultReport(rates);
  const attempts = new Map<string, number>();
  const streak = new Map<string, number>();
  const dupReported = new Set<string>();
  const stats: EmulatorReport = {
    faults,
    requests: { total: 0, byMethod: {}, quotaRejections: 0, outOfOrder: 0, byPublisher: {} },
    tokens: { issued: 0, refused: 0 },
    graph: { submissions: 0 },
  };
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastRequestAt = -Infinity;
  const windows = new Map<string, { times: number[]; head: number }>();
  const graph = createGraphService({
    now,
    seed,
    tenantId,
    seeded,
    options,
    rates,
    faults,
    maxFaults,
    verify: (t) => verifyHs256(t, signingKey),
    ownAudiences: (origin) => [origin, baseUrl, ...(plainUrl ? [plainUrl] : [])],
  });

  // Outbound calls (webhook validation and notifications) go through the one HTTP module, without its retries.
  const outbound = createHttpClient({ clock, budgetPerMinute: 0, retry: { maxAttempts: 1 }, timeoutMs: 10_000, ca: options.webhookCa });

  if (options.hostnames?.length && !options.https) throw new UsageError('--hostnames needs --https (the names go into the certificate)');
  const tls = options.https ? generateEmulatorTls(options.hostnames ?? []) : undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'AF50000', message: `${afMessage('AF50000')} (${String(e)})` } });
      else res.destroy();
    });
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  // Long keep-alive, as IIS (120 s): a loaded machine must not see idle sockets closed under a client's request.
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'EADDRINUSE (the port is in use)' : e.code === 'EACCES' ? 'EACCES (permission denied)' : (e.code ?? e.message);
      reject(new RuntimeError(`cannot listen on 127.0.0.1:${options.port ?? 0}: ${why}; choose another --port, or 0 for any free port`, { cause: e }));
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const scheme = tls ? 'https' : 'http';
  const baseUrl = `${scheme}://127.0.0.1:${port}`;
  let plain: Server | undefined;
  if (tls && options.alsoHttp) {
    const second = createHttpServer(handler);
    second.keepAliveTimeout = 65_000;
    plain = second;
    second.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      second.once('error', reject);
      second.listen(0, '127.0.0.1', () => resolve());
    });
  }
  const plainUrl = plain ? `http://127.0.0.1:${(plain.address() as { port: number }).port}` : undefined;

  function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    sendText(res, status, body === undefined ? '' : JSON.stringify(body), extra);
  }

  function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, {
      'Content-Type': JSON_TYPE,
      'Cache-Control': 'no-cache',
      Pragma: 'no-cache',
      Expires: '-1',
      Date: new Date(now()).toUTCString(),
      Server: 'Microsoft-IIS/8.5',
      'X-AspNet-Version': '4.0.30319',
      'X-Powered-By': 'ASP.NET',
      'Content-Length': String(Buffer.byteLength(text)),
      ...extra,
    });
    res.end(text);
  }

  function sendAf(res: ServerResponse, e: AfError, extra: Record<string, string> = {}): void {
    send(res, e.status, { error: { code: e.code, message: e.message } }, extra);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? `127.0.0.1:${port}`;
    const fwdProto = firstHeader(req.headers['x-forwarded-proto']);
    const fwdHost = firstHeader(req.headers['x-forwarded-host']);
    const scheme = fwdProto && /^https?$/i.test(fwdProto) ? fwdProto.toLowerCase() : 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
    const origin = publicOrigin ?? `${scheme}://${fwdHost ?? host}`;
    const url = new URL(req.url ?? '/', `http://${host}`);
    const hostName = new URL(origin).hostname.toLowerCase();
    const hostCloud = CLOUDS.find((c) => c.managementHost === hostName);
    // A Graph host picks its cloud when it is not the default cloud's (commercial and GCC share the global one).
    const graphCloud = cloudOfGraphHost(hostName);
    const cloud = hostCloud ?? (graphCloud && graphCloud.graphHost !== defaultCloud!.graphHost ? graphCloud : undefined) ?? defaultCloud!;
    const query = new Map<string, string>();
    for (const [k, v] of url.searchParams) query.set(k.toLowerCase(), v);
    const ctx: Ctx = { req, res, url, origin, query, cloud };
    const path = url.pathname;
    const tokenRoute = /^\/([^/]+)\/oauth2\/(v2\.0\/)?token$/.exec(path);
    if (strict && tokenRoute) {
      // Another cloud's authority does not know this tenant (the error Entra gives for a sovereign-cloud tenant).
      const ownAuthority = [defaultCloud!.authorityUrl, ...defaultCloud!.authorityAliases].map((u) => new URL(u).hostname);
      const foreign = CLOUDS.some((c) => [c.authorityUrl, ...c.authorityAliases].some((u) => new URL(u).hostname === hostName)) && !ownAuthority.includes(hostName);
      if (foreign) {
        return tokenError(res, 400, 'invalid_request', 90002, `Tenant '${decodeURIComponent(tokenRoute[1]!)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
      }
    }
    if (tokenRoute && req.method === 'POST') return token(ctx, decodeURIComponent(tokenRoute[1]!), Boolean(tokenRoute[2]), await readBody(req));
    const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (oidc && req.method === 'GET') return send(res, 200, authorityMetadataFor(origin, oidc[1]!));
    if (path === '/_emulator/report' && req.method === 'GET') {
      stats.graph.submissions = graph.submissions;
      return send(res, 200, stats);
    }
    if (/^\/(v1\.0|beta)(\/|$)/.test(path)) {
      graph.handle(req, res, url, origin, cloud, req.method === 'POST' ? await readBody(req) : '');
      return;
    }
    const api = /^\/api\/v1(?:\.0)?\/([^/]+)\/activity\/feed\/(.+)$/.exec(path);
    const route = api ? routeOf(req.method ?? 'GET', api[2]!) : undefined;
    if (!api || !route) return send(res, 404, { Message: `No HTTP resource was found that matches the request URI '${url.href}'.` });
    const body = req.method === 'POST' ? await readBody(req) : '';
    // Another cloud's Management API does not accept this cloud's tokens.
    if (strict && hostCloud && hostCloud.id !== defaultCloud!.id) return send(res, 401, DENIED);
    try {
      await apiCall(ctx, decodeURIComponent(api[1]!), route, body);
    } catch (e) {
      if (e instanceof AfError) return sendAf(res, e);
      throw e;
    }
  }

  function routeOf(method: string, rest: string): { name: string; contentId?: string } | undefined {
    const m = method.toUpperCase();
    if (m === 'POST' && rest === 'subscriptions/start') return { name: 'StartSubscription' };
    if (m === 'POST' && rest === 'subscriptions/stop') return { name: 'StopSubscription' };
    if (m === 'GET' && rest === 'subscriptions/list') return { name: 'ListSubscriptions' };
    if (m === 'GET' && rest === 'subscriptions/content') return { name: 'GetContents' };
    if (m === 'GET' && rest === 'subscriptions/notifications') return { name: 'ListNotifications' };
    if (m === 'GET' && rest === 'resources/dlpSensitiveTypes') return { name: 'GetDlpSensitiveTypes' };
    const blob = /^audit\/(.+)$/.exec(rest);
    if (m === 'GET' && blob) return { name: 'GetBlob', contentId: decodeURIComponent(blob[1]!) };
    return undefined;
  }

  function acceptedAudiences(ctx: Ctx): string[] {
    return [ctx.cloud.managementAudience, ctx.origin, baseUrl, ...(plainUrl ? [plainUrl] : [])];
  }

  async function apiCall(ctx: Ctx, urlTenant: string, route: { name: string; contentId?: string }, body: string): Promise<void> {
    const { req, res, query } = ctx;
    // Authentication: 401 with the ASP.NET body for any bad token (§8 item 4).
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const claims = auth ? verifyHs256(auth[1]!, signingKey) : undefined;
    const aud = typeof claims?.aud === 'string' ? claims.aud.replace(/\/$/, '') : '';
    if (!claims || typeof claims.exp !== 'number' || claims.exp * 1000 <= now() || !acceptedAudiences(ctx).includes(aud)) {
      return send(res, 401, DENIED);
    }
    if (!GUID_RE.test(urlTenant)) throw new AfError('AF20013', afMessage('AF20013', urlTenant));
    if (String(claims.tid).toLowerCase() !== urlTenant.toLowerCase()) throw new AfError('AF20010', afMessage('AF20010', urlTenant, String(claims.tid)));
    if (urlTenant.toLowerCase() !== tenantId) throw new AfError('AF20011', afMessage('AF20011', urlTenant));
    const perms = [...(Array.isArray(claims.roles) ? (claims.roles as string[]) : []), ...(typeof claims.scp === 'string' ? claims.scp.split(' ') : [])];
    if (!perms.includes(ACTIVITY_FEED_READ)) throw new AfError('AF10001', afMessage('AF10001', perms.join(' ')));

    // Outage: the whole API answers 503 (tokens are Entra's business and still issued).
    if ((options.outages ?? []).some((o) => now() >= o.startMs && now() < o.endMs)) return send(res, 503, undefined, { 'Content-Length': '0' });

    // Quota: a token bucket per PublisherIdentifier; requests without one share the zero-GUID bucket (§8 item 20).
    const publisher = (query.get('publisheridentifier') || ZERO_GUID).toLowerCase();
    const t = now();
    if (t < lastRequestAt) stats.requests.outOfOrder++;
    lastRequestAt = t;
    stats.requests.total++;
    stats.requests.byMethod[route.name] = (stats.requests.byMethod[route.name] ?? 0) + 1;
    const pub = (stats.requests.byPublisher[publisher] ??= { total: 0, maxPerMinute: 0 });
    pub.total++;
    const w = windows.get(publisher) ?? { times: [], head: 0 };
    windows.set(publisher, w);
    w.times.push(t);
    while (w.times[w.head]! <= t - 60_000) w.head++;
    pub.maxPerMinute = Math.max(pub.maxPerMinute, w.times.length - w.head);
    const cap = publisher === ZERO_GUID ? anonQuota : quota;
    const b = buckets.get(publisher) ?? { tokens: cap, at: t };
    b.tokens = Math.min(cap, b.tokens + ((t - b.at) * cap) / 60_000);
    b.at = t;
    buckets.set(publisher, b);
    const retryAfter: Record<string, string> = options.retryAfterSeconds ? { 'Retry-After': String(options.retryAfterSeconds) } : {};
    if (b.tokens < 1) {
      stats.requests.quotaRejections++;
      return sendAf(res, new AfError('AF429', afMessage('AF429', route.name, publisher), throttleStatus), retryAfter);
    }
    b.tokens -= 1;

    // Faults: decided from (seed, request, attempt), so the same seed gives the same faults whatever the order.
    const target = `${route.name} ${ctx.url.pathname.replace(/%24/gi, '$')}?${[...query.entries()].filter(([k]) => k !== 'publisheridentifier').sort().map(([k, v]) => `${k}=${v}`).join('&')}`;
    const attempt = attempts.get(target) ?? 0;
    attempts.set(target, attempt + 1);
    const fault = pickFault(target, attempt, route.name);
    if (fault) {
      faults.counts[fault]++;
      faults.injected.push({ kind: fault, method: route.name, target, attempt });
      if (fault === 'throttle') return sendAf(res, new AfError('AF429', afMessage('AF429', route.name, publisher), throttleStatus), retryAfter);
      if (fault === 'server-error') return sendAf(res, new AfError('AF50000', afMessage('AF50000')));
      if (fault === 'af50005') return sendAf(res, new AfError('AF50005', afMessage('AF50005')));
      if (fault === 'af50006') return sendAf(res, new AfError('AF50006', afMessage('AF50006')));
      if (fault === 'unauthorized') return send(res, 401, DENIED);
      if (fault === 'unavailable') return send(res, 503, undefined, { 'Content-Length': '0' });
      if (fault === 'timeout') return send(res, 408, undefined, { 'Content-Length': '0' });
      if (fault === 'drop') {
        res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': '4096' });
        res.write('[{"CreationTime":"20');
        setImmediate(() => req.socket.destroy());
        return;
      }
      if (fault === 'slow') await new Promise((r) => setTimeout(r, options.slowMs ?? 100));
    }
    switch (route.name) {
      case 'StartSubscription':
        return await startSubscription(ctx, body, String(claims.appid ?? ''), urlTenant);
      case 'StopSubscription':
        return stopSubscription(ctx);
      case 'ListSubscriptions':
        return send(res, 200, [...subscriptions.values()].filter((s) => !s.hidden).map((s) => ({ contentType: s.contentType, status: s.status, webhook: s.webhook })));
      case 'GetContents':
        return listContent(ctx, urlTenant, target, attempt, perms);
      case 'ListNotifications':
        return listNotifications(ctx, urlTenant);
      case 'GetDlpSensitiveTypes':
        return dlpTypes(ctx);
      case 'GetBlob':
        return getBlob(ctx, route.contentId!, perms);
    }
  }

  function pickFault(target: string, attempt: number, method: string): FaultKind | undefined {
    if ((streak.get(target) ?? 0) >= maxFaults) {
      streak.set(target, 0);
      return undefined;
    }
    for (const kind of ['drop', 'server-error', 'af50005', 'af50006', 'throttle', 'unauthorized', 'unavailable', 'timeout', 'slow'] as const) {
      const rate = rates[kind] ?? 0;
      if (rate > 0 && hashUnit(seed, kind, target, attempt) < rate) {
        streak.set(target, kind === 'slow' ? 0 : (streak.get(target) ?? 0) + 1);
        return kind;
      }
    }
    void method;
    streak.set(target, 0);
    return undefined;
  }

  function requireContentType(query: Map<string, string>): ContentType {
    const given = query.get('contenttype');
    if (given === undefined) throw new AfError('AF20001', afMessage('AF20001', 'contentType'));
    const ct = canonicalContentType(given);
    if (!ct) throw new AfError('AF20020', afMessage('AF20020'));
    return ct;
  }

  function requireEnabled(ct: ContentType): SubscriptionState {
    const s = subscriptions.get(ct);
    if (!s) throw new AfError('AF20022', afMessage('AF20022'));
    if (s.status !== 'enabled') throw new AfError('AF20023', 'The subscription was disabled.');
    return s;
  }

  async function startSubscription(ctx: Ctx, body: string, appId: string, urlTenant: string): Promise<void> {
    const given = ctx.query.get('contenttype');
    const ct = requireContentType(ctx.query);
    let webhook: SubscriptionState['webhook'] = null;
    if (body.trim()) {
      let parsed: { webhook?: { address?: string; authId?: string; expiration?: string } } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        throw new AfError('AF20002', afMessage('AF20002', 'body', 'json'));
      }
      const wh = parsed.webhook;
      if (wh) {
        if (!wh.address) throw new AfError('AF20001', afMessage('AF20001', 'webhook.address'));
        if (!(/^https:\/\//i.test(wh.address) || (options.allowHttpWebhooks && /^http:\/\//i.test(wh.address)))) throw new AfError('AF20021', afMessage('AF20021', wh.address, 'The address must begin with HTTPS.'));
        if (wh.expiration && Date.parse(wh.expiration) < now()) throw new AfError('AF20003', afMessage('AF20003', wh.expiration));
        webhook = { status: 'enabled', address: wh.address, authId: wh.authId ?? null, expiration: wh.expiration || null };
      }
    }
    const t = now();
    const s = subscriptions.get(ct);
    const throttleMs = (options.startThrottleMinutes ?? 0) * 60_000;
    if (s?.lastStartAt !== undefined && throttleMs > 0 && t - s.lastStartAt < throttleMs) {
      throw new AfError('AF429', afMessage('AF429', 'StartSubscription', (ctx.query.get('publisheridentifier') || ZERO_GUID).toLowerCase()), throttleStatus);
    }
    if (s && s.status === 'enabled' && JSON.stringify(s.webhook) === JSON.stringify(webhook)) {
      throw new AfError('AF20024', afMessage('AF20024'));
    }
    if (webhook) await validateWebhook(webhook.address, webhook.authId);
    const glitchMs = (options.restartGlitchMinutes ?? 0) * 60_000;
    if (s && s.status === 'disabled' && s.stoppedAt !== undefined && glitchMs > 0 && t - s.stoppedAt < glitchMs) {
      s.hidden = true;
      s.lastStartAt = t;
      return send(ctx.res, 200, { contentType: given, status: 'enabled', webhook });
    }
    const keep = s && s.status === 'enabled' ? s.startedAt : t;
    subscriptions.set(ct, { contentType: ct, status: 'enabled', webhook, startedAt: keep, lastStartAt: t });
    if (webhook) hookCtx.set(ct, { origin: ctx.origin, urlTenant, clientId: appId });
    else hookCtx.delete(ct);
    send(ctx.res, 200, { contentType: given, status: 'enabled', webhook });
  }

  /** The validation handshake (§1.3): POST {validationCode}; anything but 200, or no answer, is AF20021. */
  async function validateWebhook(address: string, authId: string | null): Promise<void> {
    const code = randomGuid(rnd);
    const headers: Record<string, string> = { 'Content-Type': JSON_TYPE, 'Webhook-ValidationCode': code };
    if (authId) headers['Webhook-AuthID'] = authId;
    let status = 0;
    try {
      status = (await outbound.request({ method: 'POST', url: address, headers, body: JSON.stringify({ validationCode: code }), retry: false, budget: false })).status;
    } catch {
      status = 0;
    }
    if (status !== 200) throw new AfError('AF20021', afMessage('AF20021', address, 'The endpoint did not return HTTP 200.'));
  }

  function stopSubscription(ctx: Ctx): void {
    const ct = requireContentType(ctx.query);
    const s = subscriptions.get(ct);
    if (!s) throw new AfError('AF20022', afMessage('AF20022'));
    s.status = 'disabled';
    s.stoppedAt = now();
    send(ctx.res, 200, undefined, { 'Content-Length': '0' });
  }

  /** [start, end) of a content or notifications request, by the rules of §8 item 14. */
  function windowOf(query: Map<string, string>): { start: number; end: number; rawStart: string; rawEnd: string } {
    const rs = query.get('starttime');
    const re = query.get('endtime');
    const t = now();
    if (rs === undefined && re === undefined) {
      const end = t;
      const start = t - DAY;
      const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19);
      return { start, end, rawStart: fmt(start), rawEnd: fmt(end) };
    }
    if (rs === undefined || re === undefined) throw new AfError('AF20030', afMessage('AF20030'));
    const start = parseApiTime(rs);
    if (start === undefined) throw new AfError('AF20002', afMessage('AF20002', 'startTime', 'datetime'));
    const end = parseApiTime(re);
    if (end === undefined) throw new AfError('AF20002', afMessage('AF20002', 'endTime', 'datetime'));
    if (start >= end) throw new AfError('AF20055', afMessage('AF20055'));
    if (start < t - 7 * DAY - grace) throw new AfError('AF20030', afMessage('AF20030'));
    let e = end;
    if (end - start > DAY) {
      if ((options.windowRule ?? 'strict') === 'strict') throw new AfError('AF20030', afMessage('AF20030'));
      e = start + DAY;
    }
    return { start, end: e, rawStart: rs, rawEnd: re };
  }

  const lateMs = (options.lateContentMinutes ?? 0) * 60_000;
  function listable(s: SubscriptionState, b: SeededBlob, t: number): boolean {
    const from = s.startedAt + (options.initialDelayMinutes ?? 0) * 60_000;
    return b.contentCreated >= from && b.contentCreated + lateMs <= t;
  }

  function listContent(ctx: Ctx, urlTenant: string, target: string, attempt: number, perms: string[]): void {
    const ct = requireContentType(ctx.query);
    if (ct === 'DLP.All' && !perms.includes(ACTIVITY_FEED_READ_DLP)) throw new AfError('AF10001', afMessage('AF10001', perms.join(' ')));
    const s = requireEnabled(ct);
    const win = windowOf(ctx.query);
    const t = now();
    const items = blobsByType.get(ct)!.filter((b) => b.contentCreated >= win.start && b.contentCreated < win.end && listable(s, b, t));
    const { offset, headers } = pageOf(ctx, urlTenant, 'content', win, items.length);
    // repeat-page: a page reached by a token points at itself, at most maxFaultsPerRequest times in a row.
    const repeatRate = rates['repeat-page'] ?? 0;
    if (offset > 0 && repeatRate > 0 && attempt < maxFaults && hashUnit(seed, 'repeat-page', target, attempt) < repeatRate) {
      const v = options.nextPageApiVersion ?? 'v1';
      const q = new URLSearchParams({ contentType: ctx.query.get('contenttype')!, startTime: win.rawStart, endTime: win.rawEnd, nextPage: ctx.query.get('nextpage')! });
      headers['NextPageUri'] = `${ctx.origin}/api/${v}/${urlTenant}/activity/feed/subscriptions/content?${q.toString()}`;
      faults.counts['repeat-page']++;
      faults.injected.push({ kind: 'repeat-page', method: 'GetContents', target, attempt });
    }
    const page = items.slice(offset, offset + pageSize).map((b) => contentItem(ctx.origin, urlTenant, b));
    const dupRate = rates['duplicate-blob'] ?? 0;
    if (offset > 0 && dupRate > 0 && hashUnit(seed, 'duplicate-blob', target) < dupRate) {
      const again = items[offset - 1]!;
      page.push(contentItem(ctx.origin, urlTenant, again));
      if (!dupReported.has(target)) {
        dupReported.add(target);
        faults.counts['duplicate-blob']++;
        faults.injected.push({ kind: 'duplicate-blob', method: 'GetContents', target, attempt: 0, contentId: again.contentId });
      }
    }
    send(ctx.res, 200, page, headers);
  }

  /** Paging shared by /content and /notifications (§8 item 16): the offset of `nextPage` and the next NextPageUri. */
  function pageOf(ctx: Ctx, urlTenant: string, path: 'content' | 'notifications', win: { start: number; rawStart: string; rawEnd: string }, count: number) {
    const prefix = new Date(win.start).toISOString().replace(/[-:T]/g, '').slice(0, 10);
    // An empty nextPage= (sent by flows on their first call) is no token, as the service treats it.
    const token = ctx.query.get('nextpage') || undefined;
    let offset = 0;
    if (token !== undefined) {
      const m = /^(\d{10})R(\d{12})$/.exec(token);
      offset = m ? Number(m[2]) : -1;
      if (!m || m[1] !== prefix || offset <= 0 || offset >= count) throw new AfError('AF20031', afMessage('AF20031', token));
    }
    const headers: Record<string, string> = {};
    if (offset + pageSize < count) {
      const next = `${prefix}R${String(offset + pageSize).padStart(12, '0')}`;
      const v = options.nextPageApiVersion ?? 'v1';
      const q = new URLSearchParams({ contentType: ctx.query.get('contenttype')!, startTime: win.rawStart, endTime: win.rawEnd, nextPage: next });
      headers['NextPageUri'] = `${ctx.origin}/api/${v}/${urlTenant}/activity/feed/subscriptions/${path}?${q.toString()}`;
    }
    return { offset, headers };
  }

  function listNotifications(ctx: Ctx, urlTenant: string): void {
    const ct = requireContentType(ctx.query);
    requireEnabled(ct);
    const win = windowOf(ctx.query);
    const items = (notificationLog.get(ct) ?? []).filter((n) => n.created >= win.start && n.created < win.end);
    const { offset, headers } = pageOf(ctx, urlTenant, 'notifications', win, items.length);
    send(ctx.res, 200, items.slice(offset, offset + pageSize).map((n) => n.entry), headers);
  }

  /** Notification delivery (§1.3, §8 item 18): one POST per webhook with every content item not yet sent. */
  let delivering: Promise<unknown> = Promise.resolve();
  function deliverNotifications(): Promise<DeliveryResult> {
    const run = delivering.then(deliverOnce);
    delivering = run.catch(() => {});
    return run;
  }
  async function deliverOnce(): Promise<DeliveryResult> {
    const result: DeliveryResult = { delivered: 0, failed: 0, posts: 0 };
    const maxAttempts = Math.max(1, options.notificationAttempts ?? 3);
    for (const s of subscriptions.values()) {
      const where = hookCtx.get(s.contentType);
      const wh = s.webhook;
      if (s.status !== 'enabled' || s.hidden || !wh || wh.status !== 'enabled' || !where) continue;
      const t = now();
      if (wh.expiration && Date.parse(wh.expiration) < t) continue;
      const done = notifiedIds.get(s.contentType) ?? new Set<string>();
      notifiedIds.set(s.contentType, done);
      const pending = blobsByType.get(s.contentType)!.filter((b) => !done.has(b.contentId) && listable(s, b, t));
      if (pending.length === 0) continue;
      const items = pending.map((b) => contentItem(where.origin, where.urlTenant, b));
      const body = JSON.stringify(items.map((i) => ({ tenantId, clientId: where.clientId, ...i })));
      const headers: Record<string, string> = { 'Content-Type': JSON_TYPE };
      if (wh.authId) headers['Webhook-AuthID'] = wh.authId;
      const log = notificationLog.get(s.contentType) ?? [];
      notificationLog.set(s.contentType, log);
      let ok = false;
      for (let attempt = 1; attempt <= maxAttempts && !ok; attempt++) {
        result.posts++;
        let status = 0;
        try {
          status = (await outbound.request({ method: 'POST', url: wh.address, headers, body, retry: false, budget: false })).status;
        } catch {
          status = 0;
        }
        ok = status === 200;
        const sent = new Date(now()).toISOString();
        pending.forEach((b, i) => log.push({ created: b.contentCreated, entry: { ...items[i]!, notificationSent: sent, notificationStatus: ok ? 'success' : 'failed' } }));
      }
      log.sort((a, b) => a.created - b.created || (a.entry.contentId < b.entry.contentId ? -1 : a.entry.contentId > b.entry.contentId ? 1 : 0));
      for (const b of pending) done.add(b.contentId);
      if (ok) result.delivered += pending.length;
      else result.failed += pending.length;
    }
    return result;
  }
  const notifyTimer = options.notificationIntervalMs ? setInterval(() => void deliverNotifications().catch(() => {}), options.notificationIntervalMs) : undefined;
  notifyTimer?.unref();

  function contentItem(origin: string, urlTenant: string, b: SeededBlob) {
    return {
      contentType: b.contentType,
      contentId: b.contentId,
      contentUri: `${origin}/api/v1.0/${urlTenant}/activity/feed/audit/${b.contentId}`,
      contentCreated: new Date(b.contentCreated).toISOString(),
      contentExpiration: new Date(b.contentCreated + 7 * DAY).toISOString(),
    };
  }

  function getBlob(ctx: Ctx, contentId: string, perms: string[]): void {
    if (!/^[0-9A-Za-z$_.-]+$/.test(contentId)) throw new AfError('AF20052', afMessage('AF20052', contentId));
    const b = blobsById.get(contentId);
    if (!b) throw new AfError('AF20050', afMessage('AF20050', contentId));
    if (b.contentType === 'DLP.All' && !perms.includes(ACTIVITY_FEED_READ_DLP)) throw new AfError('AF10001', afMessage('AF10001', perms.join(' ')));
    const s = subscriptions.get(b.contentType);
    if (!s) throw new AfError('AF20022', afMessage('AF20022'));
    if (s.status !== 'enabled' || b.contentCreated < s.startedAt) throw new AfError('AF20023', 'The subscription was disabled.');
    const expiredRate = rates.expired ?? 0;
    const expiredFault = expiredRate > 0 && hashUnit(seed, 'expired', contentId) < expiredRate;
    if (now() > b.contentCreated + 7 * DAY || expiredFault) {
      if (expiredFault && !faults.expiredBlobs.includes(contentId)) {
        faults.expiredBlobs.push(contentId);
        faults.counts.expired++;
        const ids = b.records.map((r) => String(r['Id']));
        faults.injected.push({ kind: 'expired', method: 'GetBlob', target: contentId, attempt: 0, recordIds: ids });
        recomputeExpiredRecords();
      }
      throw new AfError('AF20051', afMessage('AF20051', contentId));
    }
    let text = blobText.get(contentId);
    if (text === undefined) {
      text = JSON.stringify(b.records);
      blobText.set(contentId, text);
      if (blobText.size > 64) blobText.delete(blobText.keys().next().value!);
    }
    sendText(ctx.res, 200, text);
  }

  function recomputeExpiredRecords(): void {
    const expired = new Set(faults.expiredBlobs);
    const elsewhere = new Set<string>();
    for (const b of allBlobs) if (!expired.has(b.contentId)) for (const r of b.records) elsewhere.add(String(r['Id']));
    const lost = new Set<string>();
    for (const id of faults.expiredBlobs) for (const r of blobsById.get(id)!.records) if (!elsewhere.has(String(r['Id']))) lost.add(String(r['Id']));
    faults.expiredRecordIds = [...lost].sort();
  }

  function dlpTypes(ctx: Ctx): void {
    const lang = ctx.req.headers['accept-language'];
    if (typeof lang === 'string' && lang.trim()) {
      if (lang.includes(',')) throw new AfError('AF20053', afMessage('AF20053'));
      if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(lang.trim())) throw new AfError('AF20054', afMessage('AF20054'));
    }
    send(ctx.res, 200, [
      { id: '50842eb7-edc8-4019-85dd-5a5c1f2bb085', name: 'CreditCardNumber' },
      { id: 'a44669fe-0d48-453d-a9b1-2cc83f2cba77', name: 'U.S. Social Security Number (SSN)' },
    ]);
  }

  // ---- Fake token service (§8 item 5) ----

  function tokenError(res: ServerResponse, status: number, error: string, code: number, description: string): void {
    stats.tokens.refused++;
    const trace = randomGuid(rnd);
    const ts = new Date(now()).toISOString().replace('T', ' ').replace('Z', 'Z');
    send(res, status, {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${trace} Timestamp: ${ts}`,
      error_codes: [code],
      timestamp: ts,
      trace_id: trace,
      correlation_id: trace,
    });
  }

  function knownResource(origin: string, resource: string): boolean {
    const r = resource.replace(/\/$/, '').toLowerCase();
    // Strict: the emulator cloud's resources only (its Management API and its Graph); otherwise every cloud's.
    const audiences = (strict ? [defaultCloud!] : CLOUDS).flatMap((c) => [c.managementAudience, c.graphUrl]);
    return audiences.includes(r) || r === origin.toLowerCase() || r === baseUrl || r === plainUrl;
  }

  function token(ctx: Ctx, tenant: string, v2: boolean, body: string): void {
    const form = new URLSearchParams(body);
    const res = ctx.res;
    if (tenant.toLowerCase() !== tenantId) {
      return tokenError(res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return tokenError(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`);
    }
    const cid = form.get('client_id') ?? '';
    if (cid.toLowerCase() !== clientId.toLowerCase()) {
      return tokenError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${cid}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    let resource: string;
    if (v2) {
      const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
      if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) {
        return tokenError(res, 400, 'invalid_scope', 1002012, `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      }
      resource = scopes[0]!.slice(0, -'/.default'.length);
    } else {
      const r = form.get('resource');
      if (!r) return tokenError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'resource'.");
      resource = r;
    }
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret === null && assertion === null) {
      return tokenError(res, 400, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    }
    if (secret !== null && secret !== clientSecret) {
      return tokenError(res, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    if (secret === null && !assertionValid(assertion!)) {
      return tokenError(res, 401, 'invalid_client', 700027, 'The certificate with identifier used to sign the client assertion is not registered on application.');
    }
    if (!knownResource(ctx.origin, resource)) {
      return tokenError(res, 400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    const iat = Math.floor(now() / 1000);
    const claims: Record<string, unknown> = {
      aud: resource,
      iss: `https://sts.windows.net/${tenantId}/`,
      iat,
      nbf: iat,
      exp: iat + lifetime,
      ver: '1.0',
      tid: tenantId,
      appid: clientId,
      appidacr: secret !== null ? '1' : '2',
      idp: `https://sts.windows.net/${tenantId}/`,
      // App-only tokens name the app and the service principal: idtyp "app", oid = sub = the principal's object id.
      app_displayname: appDisplayName,
      idtyp: 'app',
      oid: servicePrincipalId,
      sub: servicePrincipalId,
      rh: `0.${Buffer.from(`${tenantId}:${resource}`).toString('base64url').slice(0, 40)}.`,
      uti: randomBytes(16).toString('base64url'),
    };
    // Roles per resource, as Entra issues them: Graph's for a Graph resource, the Management API's otherwise.
    const granted = CLOUDS.some((c) => c.graphUrl === resource.replace(/\/$/, '').toLowerCase()) ? graphRoles : roles;
    if (granted.length > 0) claims.roles = granted;
    const access = signHs256(claims, signingKey);
    stats.tokens.issued++;
    if (v2) return send(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: access });
    send(res, 200, {
      token_type: 'Bearer',
      expires_in: String(lifetime),
      ext_expires_in: String(lifetime),
      expires_on: String(iat + lifetime),
      not_before: String(iat),
      resource,
      access_token: access,
    });
  }

  function assertionValid(assertion: string): boolean {
    const header = decodeJwtHeader(assertion);
    const payload = decodeJwtPayload(assertion);
    if (!header || !payload || payload.iss !== clientId || payload.sub !== clientId) return false;
    const x5t256 = typeof header['x5t#S256'] === 'string' ? Buffer.from(header['x5t#S256'], 'base64url').toString('hex') : undefined;
    const x5t = typeof header.x5t === 'string' ? Buffer.from(header.x5t, 'base64url').toString('hex') : undefined;
    const cert = certs.find((c) => {
      const f256 = c.fingerprint256.replace(/:/g, '').toLowerCase();
      const f1 = c.fingerprint.replace(/:/g, '').toLowerCase();
      return (x5t256 !== undefined && f256 === x5t256.toLowerCase()) || (x5t !== undefined && f1 === x5t.toLowerCase());
    });
    if (!cert) return false;
    const [h, p, s] = assertion.split('.');
    const data = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s ?? '', 'base64url');
    if (header.alg === 'PS256') {
      return cryptoVerify('sha256', data, { key: cert.publicKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: cryptoConstants.RSA_PSS_SALTLEN_AUTO }, sig);
    }
    if (header.alg === 'RS256') return cryptoVerify('sha256', data, cert.publicKey, sig);
    return false;
  }

  let secretDir: string | undefined;
  if (options.secretFile) {
    secretDir = mkdtempSync(join(tmpdir(), 'coe-audit-emulator-secret-'));
    writeFileSync(join(secretDir, 'client-secret'), clientSecret, { mode: 0o600 });
  }
  let closed = false;
  return {
    clientSecretFile: secretDir ? join(secretDir, 'client-secret') : undefined,
    managementUrl: baseUrl,
    authorityUrl: baseUrl,
    tenantId,
    clientId,
    clientSecret,
    caFile: tls?.caFile,
    caPem: tls?.caPem,
    httpManagementUrl: plainUrl,
    port,
    cloud: defaultCloud,
    seeded,
    faults,
    subscriptions,
    report: () => {
      stats.graph.submissions = graph.submissions;
      return stats;
    },
    deliverNotifications,
    close: async () => {
      if (closed) return;
      closed = true;
      if (notifyTimer) clearInterval(notifyTimer);
      await delivering;
      outbound.close();
      await Promise.all(
        [server, plain].filter((x): x is Server => x !== undefined).map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))).concat(
          Promise.resolve().then(() => {
            for (const s of sockets) s.destroy();
          }),
        ),
      );
      if (tls) rmSync(tls.dir, { recursive: true, force: true });
      if (secretDir) rmSync(secretDir, { recursive: true, force: true });
    },
  };
}

/** Parses the API's time formats (§8 item 14) as UTC: YYYY-MM-DD[THH:MM[:SS[.fffffff]]][Z]. */
export function parseApiTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?Z?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  return Number.isNaN(ms) ? undefined : ms;
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  const one = Array.isArray(v) ? v[0] : v;
  const first = one?.split(',')[0]?.trim();
  return first ? first : undefined;
}

/**
 * `export` lines that point a client at a running emulator (`source` them): cloud, tenant, client id, the
 * management and authority URLs, the CA to trust, and the client secret by reference (COE_AUDIT_CLIENT_SECRET_FILE,
 * the emulator's own throw-away secret file), never by value.
 */
export function emulatorEnvLines(emu: Pick<RunningEmulator, 'cloud' | 'tenantId' | 'clientId' | 'managementUrl' | 'authorityUrl' | 'caFile' | 'clientSecretFile'>, publicUrl?: string): string {
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const lines = [
    '# written by coe-audit emulator start; valid while it runs. Use: source <this file>',
    `export COE_AUDIT_CLOUD=${q(emu.cloud.id)}`,
    `export COE_AUDIT_TENANT_ID=${q(emu.tenantId)}`,
    `export COE_AUDIT_CLIENT_ID=${q(emu.clientId)}`,
    `export COE_AUDIT_MANAGEMENT_URL=${q(publicUrl ?? emu.managementUrl)}`,
    `export COE_AUDIT_AUTHORITY_URL=${q(publicUrl ?? emu.authorityUrl)}`,
  ];
  if (emu.clientSecretFile) lines.push(`export COE_AUDIT_CLIENT_SECRET_FILE=${q(emu.clientSecretFile)}`);
  if (emu.caFile) lines.push(`export NODE_EXTRA_CA_CERTS=${q(emu.caFile)}`);
  return `${lines.join('\n')}\n`;
}
