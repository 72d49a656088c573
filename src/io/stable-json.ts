/**
 * JSON as coe-audit writes every JSON artefact: 2-space indent, LF, final newline. Key order is the
 * insertion order of the value, which is deterministic because every artefact is built from ordered sources;
 * pass `sortKeys` for maps whose order carries no meaning.
 */
export function stableJson(value: unknown, options: { sortKeys?: boolean } = {}): string {
  const v = options.sortKeys ? sortKeysDeep(value) : value;
  return JSON.stringify(v, null, 2) + '\n';
}

export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeysDeep((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
