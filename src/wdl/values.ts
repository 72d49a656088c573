/** The values expressions compute: JSON values. A missing property read with `?[]` is null. */
export type WdlValue = null | boolean | number | string | WdlValue[] | WdlObject;
export interface WdlObject {
  [key: string]: WdlValue;
}

/**
 * An error while evaluating an expression (a wrong type, a missing property read with `[]`, a bad argument).
 * The action that evaluated it fails with code `InvalidTemplate`, as in Logic Apps.
 */
export class WdlEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WdlEvalError';
  }
}

/**
 * Something outside the supported subset of the language or of the runner: the run stops at once with an
 * error naming the action and the construct. Never a silent skip.
 */
export class WdlUnsupportedError extends Error {
  readonly construct: string;
  action?: string;
  constructor(construct: string, action?: string) {
    super(action ? `action '${action}': ${construct} is not supported by the flow runner` : `${construct} is not supported by the flow runner`);
    this.name = 'WdlUnsupportedError';
    this.construct = construct;
    if (action) this.action = action;
  }
  /** Returns the same error with the action named (the first, innermost action wins). */
  withAction(action: string): WdlUnsupportedError {
    if (this.action) return this;
    return new WdlUnsupportedError(this.construct, action);
  }
}

export function isObject(v: unknown): v is WdlObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function typeName(v: WdlValue | undefined): string {
  if (v === null || v === undefined) return 'Null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Float';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  return 'Object';
}

/** Looks a property up as Logic Apps does: exact name first, then case-insensitively. */
export function getProperty(obj: WdlObject, key: string): { found: boolean; value: WdlValue } {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return { found: true, value: obj[key]! };
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return { found: true, value: obj[k]! };
  return { found: false, value: null };
}

/**
 * The string form of a value, as `string()` and `@{…}` interpolation give it: null is empty, booleans are
 * `True`/`False` (the engine's .NET spelling), objects and arrays are compact JSON.
 */
export function toWdlString(v: WdlValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** Deep equality: numbers by value, strings case-sensitively, objects by keys and values. */
export function deepEqual(a: WdlValue, b: WdlValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]!));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k]!, b[k]!));
  }
  return false;
}

/** Deep copy of a JSON value (results recorded in the run history must not alias live variables). */
export function cloneValue<T extends WdlValue>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  return structuredClone(v);
}

/** Converts anything JSON-like (e.g. parsed HTTP bodies) into a WdlValue, refusing undefined and functions. */
export function toWdlValue(v: unknown): WdlValue {
  if (v === undefined) return null;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(toWdlValue);
  if (typeof v === 'object') {
    const out: WdlObject = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = toWdlValue(x);
    return out;
  }
  return null;
}
