import { createHash } from 'node:crypto';

/** Namespace of every coe-audit component GUID (a fixed random v4 GUID; never change it). */
export const COE_AUDIT_NAMESPACE = '6f1d3a52-8c0e-4b7a-9d2f-31a6c5e8b904';

/**
 * RFC 4122 version-5 UUID (SHA-1, name-based) of `name` in `namespace`: the same input gives the same GUID on
 * every build and in every cloud, so an upgrade replaces a component rather than duplicating it.
 */
export function uuidV5(name: string, namespace: string = COE_AUDIT_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`invalid namespace GUID ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The GUID of a component of a solution: UUID v5 of `<solution unique name>/<kind>/<key>`. */
export function componentGuid(solutionUniqueName: string, kind: string, key: string): string {
  return uuidV5(`${solutionUniqueName}/${kind}/${key}`);
}

/**
 * The packaged flow file name (kit rule, coe-audit-components.md §1.1): the display name reduced to
 * [A-Za-z0-9], cut to 50 characters, then `-`, the upper-case GUID and `.json`.
 */
export function flowFileName(displayName: string, guid: string): string {
  return `${displayName.replace(/[^A-Za-z0-9]/g, '').slice(0, 50)}-${guid.toUpperCase()}.json`;
}
