import { UsageError } from '../errors.js';
import { CLOUDS, type Cloud, type CloudId } from './cloud-table.js';

/** Every name a user may type for a cloud, lower-cased: our id and pac's name. */
export function cloudNames(): string[] {
  return CLOUDS.flatMap((c) => [c.id, c.pacName]);
}

/** Finds a cloud by our id or pac's name, case-insensitively; undefined when unknown. */
export function findCloud(name: string): Cloud | undefined {
  const wanted = name.trim().toLowerCase();
  return CLOUDS.find((c) => c.id === wanted || c.pacName.toLowerCase() === wanted);
}

/** Like findCloud, but an unknown name is a usage error that lists the accepted names. */
export function resolveCloud(name: string): Cloud {
  const cloud = findCloud(name);
  if (!cloud) {
    throw new UsageError(`unknown cloud '${name}'. Use one of: ${cloudNames().join(', ')} (case-insensitive).`);
  }
  return cloud;
}

/** Resolves `all` (or an empty list) to every cloud, otherwise each named cloud once, in table order. */
export function resolveClouds(names: readonly string[] | string | undefined): Cloud[] {
  const list = (Array.isArray(names) ? names : names === undefined ? [] : String(names).split(','))
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  if (list.length === 0 || list.some((n) => n.toLowerCase() === 'all')) return [...CLOUDS];
  const ids = new Set<CloudId>(list.map((n) => resolveCloud(n).id));
  return CLOUDS.filter((c) => ids.has(c.id));
}

/** The cloud whose Management API host or audience is the given host or URL, if any. */
export function cloudOfManagementHost(hostOrUrl: string): Cloud | undefined {
  const host = hostOrUrl.replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return CLOUDS.find((c) => c.managementHost === host);
}

/** The first cloud whose Graph host is the given host or URL, if any (commercial and GCC share the global host). */
export function cloudOfGraphHost(hostOrUrl: string): Cloud | undefined {
  const host = hostOrUrl.replace(/^https?:\/\//i, '').replace(/[/:].*$/, '').toLowerCase();
  return CLOUDS.find((c) => c.graphHost === host);
}

/** Every host name in the table, for consistency rules ("a variant holds only its own cloud's hosts"). */
export function allCloudHosts(): { cloud: CloudId; host: string }[] {
  const out: { cloud: CloudId; host: string }[] = [];
  for (const c of CLOUDS) {
    const urls = [c.managementAudience, c.authorityUrl, ...c.authorityAliases, c.graphUrl, c.connector.loginUri, c.connector.redirectUrl, c.powerAutomateUrl];
    for (const u of urls) {
      const host = new URL(u).host;
      if (!out.some((o) => o.cloud === c.id && o.host === host)) out.push({ cloud: c.id, host });
    }
  }
  return out;
}
