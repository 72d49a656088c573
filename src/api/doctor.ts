import { ApiError, hasContent, listSubscriptions, type ApiSession } from './activity.js';
import { TokenError } from './auth.js';
import { ACTIVITY_FEED_READ } from './content-types.js';
import { callGraph, GraphApiError, type GraphSession } from './graph.js';
import { AUDIT_LOGS_QUERY_READ_ALL } from './graph-schema.js';
import type { ApiFlags, ApiSettings } from './settings.js';
import { resolveApiSettings } from './settings.js';

export interface DoctorCheck {
  id: 'configuration' | 'token' | 'roles' | 'subscription' | 'content' | 'graph-cloud' | 'graph-roles' | 'graph-queries';
  title: string;
  status: 'pass' | 'fail' | 'skipped';
  /** What was found. */
  detail: string;
  /** What to do, on failure. */
  fix?: string;
}

export interface DoctorResult {
  ok: boolean;
  checks: DoctorCheck[];
}

export interface DoctorDeps {
  flags: ApiFlags;
  env: Record<string, string | undefined>;
  cwd: string;
  now: () => number;
  openSession: (settings: ApiSettings) => ApiSession;
  /** `graph`: check the Graph audit log query API instead of the Management API (needs openGraphSession). */
  api?: 'management' | 'graph';
  openGraphSession?: (settings: ApiSettings) => GraphSession;
}

const TITLES: Record<DoctorCheck['id'], string> = {
  configuration: 'configuration and cloud consistency',
  token: 'token acquisition',
  roles: 'token roles contain ActivityFeed.Read',
  subscription: 'Audit.General subscription is enabled',
  content: 'content listed in the last 24 hours',
  'graph-cloud': 'the cloud offers the Graph audit log query API',
  'graph-roles': `token roles contain ${AUDIT_LOGS_QUERY_READ_ALL}`,
  'graph-queries': 'Graph answers GET /security/auditLog/queries',
};
const ORDERS: Record<'management' | 'graph', DoctorCheck['id'][]> = {
  management: ['configuration', 'token', 'roles', 'subscription', 'content'],
  graph: ['configuration', 'graph-cloud', 'token', 'graph-roles', 'graph-queries'],
};

/** Runs the checks in order and stops at the first failure; later checks are reported as skipped. */
export async function runDoctor(d: DoctorDeps): Promise<DoctorResult> {
  const ORDER = ORDERS[d.api ?? 'management'];
  const checks: DoctorCheck[] = [];
  const pass = (id: DoctorCheck['id'], detail: string) => checks.push({ id, title: TITLES[id], status: 'pass', detail });
  const finish = (id: DoctorCheck['id'], detail: string, fix: string): DoctorResult => {
    checks.push({ id, title: TITLES[id], status: 'fail', detail, fix });
    for (const rest of ORDER.slice(ORDER.indexOf(id) + 1)) checks.push({ id: rest, title: TITLES[rest], status: 'skipped', detail: `not run: ${TITLES[id]} failed` });
    return { ok: false, checks };
  };

  let resolved: ReturnType<typeof resolveApiSettings>;
  try {
    resolved = resolveApiSettings(d.flags, d.env, d.cwd);
  } catch (e) {
    return finish('configuration', (e as Error).message, 'Fix coe-audit.config.yaml as the message says.');
  }
  const s = resolved.settings;
  if (!s) return finish('configuration', resolved.problems.join('; '), 'Fix each problem listed, then run coe-audit doctor again.');
  pass(
    'configuration',
    `cloud ${s.cloud.displayName} (${s.sources.cloud}), tenant ${s.tenantId}, client ${s.clientId}, credential from ${s.sources.credential}, authority ${s.authorityUrl}, ${d.api === 'graph' ? `Graph ${s.graphUrl}, audience ${s.graphAudience}` : `management API ${s.managementUrl}, audience ${s.audience}`}${s.configFile ? `, config ${s.configFile}` : ''}`,
  );
  if (d.api === 'graph') return graphChecks(d, s, pass, finish, checks);

  const session = d.openSession(s);
  try {
    let claims: Record<string, unknown>;
    try {
      claims = (await session.tokens.getToken()).claims;
    } catch (e) {
      return finish('token', ...tokenFailure(e, s));
    }
    const aud = String(claims.aud ?? '');
    pass('token', `token issued for audience ${aud} by tenant ${String(claims.tid ?? '?')} to app ${String(claims.appid ?? '?')}`);

    const roles = Array.isArray(claims.roles) ? (claims.roles as unknown[]).map(String) : [];
    if (!roles.includes(ACTIVITY_FEED_READ)) {
      return finish(
        'roles',
        roles.length === 0 ? 'the token has no roles claim: the app has no Application permission with admin consent' : `the token's roles are ${roles.join(', ')}`,
        "Add the Application permission ActivityFeed.Read of 'Office 365 Management APIs' to the app registration and grant admin consent. A delegated ActivityFeed.Read does not count: client credentials only carry Application permissions (roles).",
      );
    }
    pass('roles', `roles: ${roles.join(', ')}`);

    let enabled: boolean;
    let status: string;
    try {
      const list = await listSubscriptions(session);
      status = list.find((x) => x.contentType === 'Audit.General')!.status;
      enabled = status === 'enabled';
    } catch (e) {
      return finish('subscription', (e as Error).message, fixOf(e));
    }
    if (!enabled) {
      return finish('subscription', `Audit.General is ${status}`, 'Run coe-audit subscription start (first content can take up to 12 hours to appear).');
    }
    pass('subscription', 'Audit.General is enabled');

    const end = d.now();
    let count: number;
    try {
      count = await hasContent(session, 'Audit.General', end - 24 * 3_600_000, end);
    } catch (e) {
      return finish('content', (e as Error).message, fixOf(e));
    }
    if (count === 0) {
      return finish(
        'content',
        'no content was listed for the last 24 hours',
        'If the subscription is younger than 12 hours, wait: first content can take that long. Otherwise check that unified audit logging is turned on in Microsoft Purview (Audit → Start recording user and admin activity).',
      );
    }
    pass('content', `content is listed for the last 24 hours (${count} blob${count === 1 ? '' : 's'} on the first page)`);
    return { ok: true, checks };
  } finally {
    session.http.close();
  }
}

/** The Graph half of doctor: availability in the cloud, a Graph token, its role, and the queries endpoint answering. */
async function graphChecks(
  d: DoctorDeps,
  s: ApiSettings,
  pass: (id: DoctorCheck['id'], detail: string) => void,
  finish: (id: DoctorCheck['id'], detail: string, fix: string) => DoctorResult,
  checks: DoctorCheck[],
): Promise<DoctorResult> {
  if (!s.cloud.graphAuditQueriesAvailable) {
    return finish('graph-cloud', `${s.cloud.displayName}: ${s.cloud.graphAuditQueriesBasis}`, `Use the Management Activity API in ${s.cloud.displayName}: run coe-audit doctor without --api graph.`);
  }
  pass('graph-cloud', `${s.cloud.displayName}: ${s.cloud.graphAuditQueriesBasis}`);
  if (!d.openGraphSession) throw new Error('doctor --api graph needs openGraphSession');
  const session = d.openGraphSession(s);
  try {
    let claims: Record<string, unknown>;
    try {
      claims = (await session.tokens.getToken()).claims;
    } catch (e) {
      return finish('token', ...tokenFailure(e, s));
    }
    pass('token', `token issued for audience ${String(claims.aud ?? '')} by tenant ${String(claims.tid ?? '?')} to app ${String(claims.appid ?? '?')}`);
    const roles = Array.isArray(claims.roles) ? (claims.roles as unknown[]).map(String) : [];
    if (!roles.includes(AUDIT_LOGS_QUERY_READ_ALL)) {
      return finish(
        'graph-roles',
        roles.length === 0 ? 'the Graph token has no roles claim: the app has no Microsoft Graph Application permission with admin consent' : `the Graph token's roles are ${roles.join(', ')}`,
        `Add the Application permission ${AUDIT_LOGS_QUERY_READ_ALL} of Microsoft Graph to the app registration and grant admin consent (a delegated permission does not count for client credentials).`,
      );
    }
    pass('graph-roles', `roles: ${roles.join(', ')}`);
    try {
      const res = await callGraph(session, 'GET', 'security/auditLog/queries');
      const n = (JSON.parse(res.body) as { value?: unknown[] }).value?.length ?? 0;
      pass('graph-queries', `${session.graphUrl}/${session.version}/security/auditLog/queries answered (${n} quer${n === 1 ? 'y' : 'ies'} listed)`);
    } catch (e) {
      return finish('graph-queries', (e as Error).message, e instanceof GraphApiError ? 'See the explanation above.' : 'Check that the Graph URL is reachable from this machine.');
    }
    return { ok: true, checks };
  } finally {
    session.http.close();
  }
}

function fixOf(e: unknown): string {
  if (e instanceof ApiError) return 'See the explanation above.';
  return 'Check that the Management API URL is reachable from this machine.';
}

/** The token check's finding and hint for a failed token request (an AADSTS code names what to fix). */
function tokenFailure(e: unknown, s: { authorityUrl: string; cloud: { displayName: string } }): [string, string] {
  const aadsts = e instanceof TokenError ? e.aadsts : undefined;
  const hint = aadsts ? `Fix what ${aadsts} names in the app registration or in the flags, then run doctor again.` : `Check that ${s.authorityUrl} is reachable and is the authority of the ${s.cloud.displayName} cloud.`;
  return [(e as Error).message, hint];
}
