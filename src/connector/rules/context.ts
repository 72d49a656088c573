import type { RuleMeta, Severity } from '../../diagnostics/diagnostic.js';

export type Json = Record<string, unknown>;
export type Path = (string | number)[];

/** What the rules see of one connector folder. Absent members were missing or unparsable (other rules say so). */
export interface ConnectorDocs {
  /** File names as diagnostics show them (prefixed with the folder when one was given). */
  names: { apiDefinition: string; apiProperties: string; readme: string; icon: string; settings: string };
  /** The swagger as parsed from JSON. */
  apiDefinition?: Json;
  /** The swagger with local `$ref`s replaced by their targets (resolveLocalRefs). */
  resolved?: Json;
  apiProperties?: Json;
  settings?: Json;
  readme?: string;
  icon?: Uint8Array;
}

export interface Finding {
  path: Path;
  message: string;
  file: string;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
}

export interface ConnectorRule extends RuleMeta {
  check: (docs: ConnectorDocs) => Finding[];
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

export function obj(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

export function get(value: unknown, ...path: Path): unknown {
  let v = value;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else v = obj(v)?.[String(seg)];
  }
  return v;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export interface OperationRef {
  pathKey: string;
  method: string;
  op: Json;
  at: Path;
  /** Path-level and operation-level parameters, each with its location. */
  parameters: { param: Json; at: Path }[];
}

/**
 * Every operation of a swagger, in document order. Most rules ask for them, several times each, of the same
 * parsed document (which rules only read): they are listed once per document.
 */
export function operations(doc: Json | undefined): readonly OperationRef[] {
  if (!doc) return [];
  let ops = operationsOf.get(doc);
  if (!ops) {
    ops = listOperations(doc);
    operationsOf.set(doc, ops);
  }
  return ops;
}

const operationsOf = new WeakMap<Json, readonly OperationRef[]>();

function listOperations(doc: Json): OperationRef[] {
  const out: OperationRef[] = [];
  const paths = obj(doc.paths);
  if (!paths) return out;
  for (const [pathKey, item] of Object.entries(paths)) {
    const pathItem = obj(item);
    if (!pathItem) continue;
    const shared = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of HTTP_METHODS) {
      const op = obj(pathItem[method]);
      if (!op) continue;
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      const parameters = [
        ...shared.map((p, i) => ({ param: obj(p) ?? {}, at: ['paths', pathKey, 'parameters', i] as Path })),
        ...own.map((p, i) => ({ param: obj(p) ?? {}, at: ['paths', pathKey, method, 'parameters', i] as Path })),
      ];
      out.push({ pathKey, method, op, at: ['paths', pathKey, method], parameters });
    }
  }
  return out;
}

/** `/{tenant}/activity/feed/audit/{id}` → `/{}/activity/feed/audit/{}`: paths compared whatever the names. */
export function pathShape(pathKey: string): string {
  return pathKey.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
}

/** Every string in a JSON value, with its path (and its key, when it is the value of an object member). */
export function strings(value: unknown, at: Path = []): { value: string; at: Path; key?: string }[] {
  const out: { value: string; at: Path; key?: string }[] = [];
  if (typeof value === 'string') out.push({ value, at });
  else collectStrings(value, [...at], out);
  return out;
}

/** The strings under `value`, in document order, each with a copy of `path` (left as it was found). */
function collectStrings(value: unknown, path: Path, out: { value: string; at: Path; key?: string }[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'string') {
        out.push({ value: v, at: [...path, i] });
      } else {
        path.push(i);
        collectStrings(v, path, out);
        path.pop();
      }
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        out.push({ value: v, at: [...path, k], key: k });
      } else {
        path.push(k);
        collectStrings(v, path, out);
        path.pop();
      }
    }
  }
}

/** The connection parameters of apiProperties with their paths. */
export function connectionParameters(apiProperties: Json | undefined): { name: string; param: Json; at: Path }[] {
  const params = obj(get(apiProperties, 'properties', 'connectionParameters'));
  if (!params) return [];
  return Object.entries(params).map(([name, p]) => ({ name, param: obj(p) ?? {}, at: ['properties', 'connectionParameters', name] }));
}

/** The first oauthSetting connection parameter (the `token` parameter of an aad connector). */
export function oauthParameter(apiProperties: Json | undefined): { name: string; param: Json; at: Path } | undefined {
  return connectionParameters(apiProperties).find((p) => p.param.type === 'oauthSetting');
}

/** Runs a swagger rule when the swagger parsed; the file of its findings is the swagger's. */
export function onDefinition(d: ConnectorDocs, f: (doc: Json, file: string) => Finding[]): Finding[] {
  return d.resolved ? f(d.resolved, d.names.apiDefinition) : [];
}
