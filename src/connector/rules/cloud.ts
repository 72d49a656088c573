import { allCloudHosts, cloudOfManagementHost } from '../../clouds/resolve-cloud.js';
import { CLOUDS, type Cloud } from '../../clouds/cloud-table.js';
import { get, oauthParameter, obj, str, strings, type ConnectorDocs, type ConnectorRule, type Finding, type Path } from './context.js';

/** Cloud-variant consistency (connector.md §7 G): a variant holds only its own cloud's hosts. */
const PAGE = 'docs/rules/cloud.md';

/** The cloud of a connector folder: the one whose Management API host is the swagger host. */
export function variantCloud(d: ConnectorDocs): Cloud | undefined {
  const host = str(d.resolved?.host);
  return host ? cloudOfManagementHost(host) : undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

export const unknownHost: ConnectorRule = {
  code: 'cloud-unknown-host',
  severity: 'error',
  description: "The swagger host is the Management Activity API host of one of the four clouds.",
  docsPage: PAGE,
  check: (d) => {
    if (!d.resolved) return [];
    const host = str(d.resolved.host);
    if (host && cloudOfManagementHost(host)) return [];
    return [{ path: ['host'], file: d.names.apiDefinition, message: `host ${JSON.stringify(host ?? null)} is not a Management API host; use one of ${CLOUDS.map((c) => c.managementHost).join(', ')}` }];
  },
};

export const foreignHost: ConnectorRule = {
  code: 'cloud-foreign-host',
  severity: 'error',
  description: "A connector variant names no host that belongs only to another cloud.",
  docsPage: PAGE,
  check: (d) => {
    const cloud = variantCloud(d);
    if (!cloud) return [];
    const table = allCloudHosts();
    const own = new Set(table.filter((h) => h.cloud === cloud.id).map((h) => h.host));
    const foreign = [...new Set(table.map((h) => h.host))].filter((h) => !own.has(h));
    const patterns = foreign.map((h) => ({ host: h, re: new RegExp(`(?<![A-Za-z0-9.-])${h.replace(/[.]/g, '\\.')}(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'i') }));
    const out: Finding[] = [];
    const report = (text: string, path: Path, file: string) => {
      for (const p of patterns) {
        if (p.re.test(text)) {
          const owners = table.filter((h) => h.host === p.host).map((h) => h.cloud).join(', ');
          out.push({ path, file, message: `${p.host} belongs to ${owners}, not to ${cloud.id}` });
        }
      }
    };
    for (const s of strings(d.apiDefinition)) report(s.value, s.at, d.names.apiDefinition);
    for (const s of strings(d.apiProperties)) report(s.value, s.at, d.names.apiProperties);
    (d.readme ?? '').split('\n').forEach((line) => report(line, [], d.names.readme));
    return out;
  },
};

export const resourceUri: ConnectorRule = {
  code: 'cloud-resource-uri',
  severity: 'error',
  description: "The aad resourceUri is the token audience of the variant's cloud (https:// + the swagger host).",
  docsPage: PAGE,
  check: (d) => {
    const cloud = variantCloud(d);
    const token = oauthParameter(d.apiProperties);
    if (!cloud || !token) return [];
    const at: Path = [...token.at, 'oAuthSettings', 'customParameters', 'resourceUri', 'value'];
    const value = str(get(token.param, 'oAuthSettings', 'customParameters', 'resourceUri', 'value'));
    if (value !== undefined && sameUrl(value, cloud.managementAudience)) return [];
    return [{ path: at, file: d.names.apiProperties, message: `resourceUri is ${JSON.stringify(value ?? null)}; the ${cloud.id} variant needs ${cloud.managementAudience}` }];
  },
};

export const loginUri: ConnectorRule = {
  code: 'cloud-login-uri',
  severity: 'error',
  description: "The aad loginUri and the swagger's OAuth URLs use the login host of the variant's cloud.",
  docsPage: PAGE,
  check: (d) => {
    const cloud = variantCloud(d);
    if (!cloud) return [];
    const want = hostOf(cloud.connector.loginUri);
    const out: Finding[] = [];
    const token = oauthParameter(d.apiProperties);
    if (token) {
      const value = str(get(token.param, 'oAuthSettings', 'customParameters', 'loginUri', 'value'));
      if (value !== undefined && hostOf(value) !== want) {
        out.push({ path: [...token.at, 'oAuthSettings', 'customParameters', 'loginUri', 'value'], file: d.names.apiProperties, message: `loginUri is ${value}; the ${cloud.id} variant signs in at ${cloud.connector.loginUri}` });
      }
    }
    for (const [name, scheme] of Object.entries(obj(d.resolved?.securityDefinitions) ?? {})) {
      for (const key of ['authorizationUrl', 'tokenUrl']) {
        const url = str(obj(scheme)?.[key]);
        if (url !== undefined && hostOf(url) !== want) {
          out.push({ path: ['securityDefinitions', name, key], file: d.names.apiDefinition, message: `${key} is ${url}; the ${cloud.id} variant signs in at ${cloud.connector.loginUri}` });
        }
      }
    }
    return out;
  },
};

export const redirectUnverified: ConnectorRule = {
  code: 'cloud-redirect-unverified',
  severity: 'info',
  description: 'The redirect URL is one no Microsoft document confirms for the cloud: check it on the Security tab.',
  docsPage: PAGE,
  check: (d) => {
    const cloud = variantCloud(d);
    const token = oauthParameter(d.apiProperties);
    if (!cloud || !token || cloud.connector.redirectUrlVerified) return [];
    const value = str(get(token.param, 'oAuthSettings', 'redirectUrl'));
    if (value === undefined || !sameUrl(value, cloud.connector.redirectUrl)) return [];
    return [{
      path: [...token.at, 'oAuthSettings', 'redirectUrl'],
      file: d.names.apiProperties,
      message: `no Microsoft document confirms ${value} for ${cloud.displayName}; compare it with the Security tab and set connector.redirectUrl if it differs`,
    }];
  },
};

export const CLOUD_RULES: readonly ConnectorRule[] = [unknownHost, foreignHost, resourceUri, loginUri, redirectUnverified];
