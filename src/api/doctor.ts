import { ApiError, hasContent, listSubscriptions, type ApiSession } from './activity.js';
import { TokenError } from './auth.js';
import { ACTIVITY_FEED_READ } from './content-types.js';
import type { ApiFlags, ApiSettings } from './settings.js';
import { resolveApiSettings } from './settings.js';

export interface DoctorCheck {
  id: 'configuration' | 'token' | 'roles' | 'subscription' | 'content';
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
}

const TITLES: Record<DoctorCheck['id'], string> = {
  configuration: 'configuration and cloud consistency',
  token: 'token acquisition',
  roles: 'token roles contain ActivityFeed.Read',
  subscription: 'Audit.General subscription is enabled',
  content: 'content listed in the last 24 hours',
};
const ORDER: DoctorCheck['id'][] = ['configuration', 'token', 'roles', 'subscription', 'content'];

/** Runs the checks in order and stops at the first failure; later checks are reported as skipped. */
export async function runDoctor(d: DoctorDeps): Promise<DoctorResult> {
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
    `cloud ${s.cloud.displayName} (${s.sources.cloud}), tenant ${s.tenantId}, client ${s.clientId}, credential from ${s.sources.credential}, authority ${s.authorityUrl}, management API ${s.managementUrl}, audience ${s.audience}${s.configFile ? `, config ${s.configFile}` : ''}`,
  );

  const session = d.openSession(s);
  try {
    let claims: Record<string, unknown>;
    try {
      claims = (await session.tokens.getToken()).claims;
    } catch (e) {
      const aadsts = e instanceof TokenError ? e.aadsts : undefined;
      return finish('token', (e as Error).message, aadsts ? `Fix what ${aadsts} names in the app registration or in the flags, then run doctor again.` : `Check that ${s.authorityUrl} is reachable and is the authority of the ${s.cloud.displayName} cloud.`);
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

function fixOf(e: unknown): string {
  if (e instanceof ApiError) return 'See the explanation above.';
  return 'Check that the Management API URL is reachable from this machine.';
}
