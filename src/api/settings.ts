import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CLOUDS, findCloud, cloudNames, type Cloud } from '../clouds/index.js';
import { loadConfig, settingsForCloud } from '../config/index.js';
import { UsageError } from '../errors.js';
import { readUserFile } from '../io/index.js';
import { createTokenProvider, type Credential } from './auth.js';
import type { ApiSession } from './activity.js';
import type { GraphSession } from './graph.js';
import type { GraphVersion } from './graph-schema.js';
import type { Clock } from './clock.js';
import { GUID_RE } from './content-types.js';
import { createHttpClient, type HttpClientOptions } from './http.js';

/** What the client commands take from flags (names as the CLI spells them, camel-cased). */
export interface ApiFlags {
  cloud?: string;
  tenantId?: string;
  clientId?: string;
  clientSecretFile?: string;
  certificateFile?: string;
  authorityUrl?: string;
  managementUrl?: string;
  /** Graph root overriding the cloud's (emulator, proxy); the token audience stays the cloud's Graph resource. */
  graphUrl?: string;
  config?: string;
}

export interface ApiSettings {
  cloud: Cloud;
  tenantId: string;
  clientId: string;
  authorityUrl: string;
  managementUrl: string;
  /** Token audience: the cloud's Management API URI (also when --management-url points elsewhere). */
  audience: string;
  /** Graph root (the cloud's, or --graph-url) and the Graph token audience (always the cloud's). */
  graphUrl: string;
  graphAudience: string;
  credential: Credential;
  /** Where each value came from, for doctor: flag, environment, config file or default. */
  sources: Record<'cloud' | 'tenantId' | 'clientId' | 'credential' | 'authorityUrl' | 'managementUrl', string>;
  configFile?: string;
  /** Extra CA from NODE_EXTRA_CA_CERTS, passed to the HTTP module explicitly as well. */
  ca?: string;
}

/**
 * Resolves the client settings by the project's precedence (flag, environment, config file, default) and checks
 * them; every problem is returned, none thrown, so doctor can show them all.
 */
export function resolveApiSettings(flags: ApiFlags, env: Record<string, string | undefined>, cwd: string): { settings?: ApiSettings; problems: string[] } {
  const problems: string[] = [];
  const loaded = loadConfig({ cwd, explicitPath: flags.config });
  const cfg = loaded.config;
  const pick = (flag: string | undefined, envName: string, fromConfig: string | undefined, name: string): [string | undefined, string] => {
    if (flag !== undefined) return [flag, `--${name}`];
    if (env[envName]) return [env[envName], envName];
    if (fromConfig !== undefined) return [fromConfig, loaded.file ?? 'config'];
    return [undefined, 'unset'];
  };
  const [cloudName, cloudSource] = pick(flags.cloud, 'COE_AUDIT_CLOUD', cfg.cloud, 'cloud');
  const cloud = findCloud(cloudName ?? 'commercial');
  if (!cloud) {
    problems.push(`--cloud: unknown cloud '${cloudName}'. Use one of: ${cloudNames().join(', ')}`);
    return { problems };
  }
  const per = settingsForCloud(cfg, cloud.id);
  const [tenantId, tenantSource] = pick(flags.tenantId, 'COE_AUDIT_TENANT_ID', per.tenantId, 'tenant-id');
  const [clientId, clientSource] = pick(flags.clientId, 'COE_AUDIT_CLIENT_ID', per.clientId, 'client-id');
  if (!tenantId) problems.push('no tenant id: pass --tenant-id, set COE_AUDIT_TENANT_ID or tenantId in coe-audit.config.yaml');
  else if (!GUID_RE.test(tenantId)) problems.push(`tenant id '${tenantId}' (from ${tenantSource}) is not a GUID: use the directory (tenant) id, not a domain name`);
  if (!clientId) problems.push('no client id: pass --client-id, set COE_AUDIT_CLIENT_ID or clientId in coe-audit.config.yaml');
  else if (!GUID_RE.test(clientId)) problems.push(`client id '${clientId}' (from ${clientSource}) is not a GUID: use the Application (client) ID of the app registration`);

  let credential: Credential | undefined;
  let credentialSource = 'unset';
  if (flags.certificateFile && flags.clientSecretFile) problems.push('give either --certificate-file or --client-secret-file, not both');
  else if (flags.certificateFile) {
    const file = abs(cwd, flags.certificateFile);
    if (!existsSync(file)) problems.push(`${flags.certificateFile}: certificate file not found (given by --certificate-file)`);
    else {
      credential = { kind: 'certificate', pem: readUserFile(file, 1 << 20).toString('utf8'), file: flags.certificateFile };
      credentialSource = '--certificate-file';
    }
  } else if (flags.clientSecretFile) {
    const file = abs(cwd, flags.clientSecretFile);
    if (!existsSync(file)) problems.push('--client-secret-file: no file at the path given (the value is not shown, in case it is the secret itself); give the path of a file that holds the secret');
    else {
      const secret = readUserFile(file, 64 * 1024).toString('utf8').trim();
      if (!secret) problems.push(`${flags.clientSecretFile}: the secret file is empty`);
      else credential = { kind: 'secret', secret };
      credentialSource = '--client-secret-file';
    }
  } else if (env.COE_AUDIT_CLIENT_SECRET) {
    credential = { kind: 'secret', secret: env.COE_AUDIT_CLIENT_SECRET };
    credentialSource = 'COE_AUDIT_CLIENT_SECRET';
  } else if (env.COE_AUDIT_CLIENT_SECRET_FILE) {
    const file = abs(cwd, env.COE_AUDIT_CLIENT_SECRET_FILE);
    if (!existsSync(file)) problems.push(`${env.COE_AUDIT_CLIENT_SECRET_FILE}: secret file not found (given by COE_AUDIT_CLIENT_SECRET_FILE)`);
    else {
      const secret = readUserFile(file, 64 * 1024).toString('utf8').trim();
      if (!secret) problems.push(`${env.COE_AUDIT_CLIENT_SECRET_FILE}: the secret file is empty`);
      else credential = { kind: 'secret', secret };
      credentialSource = 'COE_AUDIT_CLIENT_SECRET_FILE';
    }
  } else {
    problems.push('no client credential: set COE_AUDIT_CLIENT_SECRET or COE_AUDIT_CLIENT_SECRET_FILE, or pass --client-secret-file or --certificate-file (secrets are never taken on the command line)');
  }

  const [authorityGiven, authoritySource] = pick(flags.authorityUrl, 'COE_AUDIT_AUTHORITY_URL', undefined, 'authority-url');
  const [managementGiven, managementSource] = pick(flags.managementUrl, 'COE_AUDIT_MANAGEMENT_URL', undefined, 'management-url');
  const authorityUrl = (authorityGiven ?? cloud.authorityUrl).replace(/\/$/, '');
  const managementUrl = (managementGiven ?? cloud.managementAudience).replace(/\/$/, '');
  const [graphGiven] = pick(flags.graphUrl, 'COE_AUDIT_GRAPH_URL', undefined, 'graph-url');
  const graphUrl = (graphGiven ?? cloud.graphUrl).replace(/\/$/, '');
  for (const [name, value] of [['--authority-url', authorityUrl], ['--management-url', managementUrl], ['--graph-url', graphUrl]] as const) {
    let u: URL | undefined;
    try {
      u = new URL(value);
    } catch {
      problems.push(`${name}: '${value}' is not a URL`);
      continue;
    }
    if (name === '--authority-url' && u.protocol !== 'https:') {
      problems.push(`--authority-url: '${value}' must use https:// (MSAL refuses other authorities; start the emulator with --https and trust its CA with NODE_EXTRA_CA_CERTS)`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(`${name}: '${value}' must be an http(s) URL`);
  }
  // Cloud consistency: a host of another cloud's row is a mix-up (the GCC misconfiguration of §7).
  const mgmtOther = CLOUDS.find((c) => c.id !== cloud.id && safeHost(managementUrl) === c.managementHost);
  if (mgmtOther) problems.push(`--management-url ${managementUrl} is the ${mgmtOther.displayName} Management API, but the cloud is ${cloud.displayName}: use --cloud ${mgmtOther.id} or drop --management-url`);
  const graphOther = CLOUDS.find((c) => safeHost(graphUrl) === c.graphHost && c.graphHost !== cloud.graphHost);
  if (graphOther) problems.push(`--graph-url ${graphUrl} is the Graph host of ${graphOther.displayName}, not of ${cloud.displayName}: use ${cloud.graphUrl} or drop --graph-url`);
  const authHost = safeHost(authorityUrl);
  const authorityHosts = (c: Cloud) => [c.authorityUrl, ...c.authorityAliases].map(safeHost);
  const authOther = CLOUDS.find((c) => authorityHosts(c).includes(authHost) && !authorityHosts(cloud).includes(authHost));
  if (authOther) problems.push(`--authority-url ${authorityUrl} is the authority of ${authOther.displayName}, not of ${cloud.displayName}: use ${cloud.authorityUrl}`);

  let ca: string | undefined;
  if (env.NODE_EXTRA_CA_CERTS && existsSync(env.NODE_EXTRA_CA_CERTS)) ca = readUserFile(env.NODE_EXTRA_CA_CERTS, 1 << 20).toString('utf8');
  if (problems.length > 0 || !tenantId || !clientId || !credential) return { problems };
  return {
    problems,
    settings: {
      cloud,
      tenantId: tenantId.toLowerCase(),
      clientId,
      authorityUrl,
      managementUrl,
      audience: cloud.managementAudience,
      graphUrl,
      graphAudience: cloud.graphUrl,
      credential,
      sources: {
        cloud: cloudSource === 'unset' ? 'default' : cloudSource,
        tenantId: tenantSource,
        clientId: clientSource,
        credential: credentialSource,
        authorityUrl: authorityGiven === undefined ? 'cloud table' : authoritySource,
        managementUrl: managementGiven === undefined ? 'cloud table' : managementSource,
      },
      configFile: loaded.file,
      ca,
    },
  };
}

/** A Graph session (HTTP module + MSAL tokens for the cloud's Graph resource). Close `session.http` when done. */
export function openGraphSession(settings: ApiSettings, o: SessionOptions & { version?: GraphVersion }): GraphSession {
  const http = createHttpClient({ ...o.http, clock: o.clock, log: o.log, budgetPerMinute: o.budgetPerMinute, ca: settings.ca });
  const tokens = createTokenProvider({
    authorityUrl: settings.authorityUrl,
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    audience: settings.graphAudience,
    credential: settings.credential,
    http,
  });
  return { http, tokens, graphUrl: settings.graphUrl, version: o.version ?? 'v1.0', cloud: settings.cloud };
}

/** Like resolveApiSettings, but problems are one UsageError. */
export function requireApiSettings(flags: ApiFlags, env: Record<string, string | undefined>, cwd: string): ApiSettings {
  const r = resolveApiSettings(flags, env, cwd);
  if (!r.settings) throw new UsageError(r.problems.map((message) => ({ message })));
  return r.settings;
}

export interface SessionOptions {
  clock: Clock;
  log?: (line: string) => void;
  budgetPerMinute?: number;
  http?: Omit<HttpClientOptions, 'clock' | 'log' | 'budgetPerMinute' | 'ca'>;
}

/** An API session (HTTP module + MSAL token provider) for resolved settings. Close `session.http` when done. */
export function openSession(settings: ApiSettings, o: SessionOptions): ApiSession {
  const http = createHttpClient({ ...o.http, clock: o.clock, log: o.log, budgetPerMinute: o.budgetPerMinute, ca: settings.ca });
  const tokens = createTokenProvider({
    authorityUrl: settings.authorityUrl,
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    audience: settings.audience,
    credential: settings.credential,
    http,
  });
  return { http, tokens, managementUrl: settings.managementUrl, tenantId: settings.tenantId, publisherId: settings.tenantId };
}

function abs(cwd: string, p: string): string {
  return isAbsolute(p) ? p : resolve(cwd, p);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}
