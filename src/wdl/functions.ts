import type { WdlExpr } from './ast.js';
import { addUnits, formatInstant, isoInstant, parseTimestamp, ticksOf, type Instant } from './datetime.js';
import type { EvalContext } from './evaluate.js';
import { deepEqual, getProperty, isObject, toWdlString, typeName, WdlEvalError, type WdlObject, type WdlValue } from './values.js';

export type WdlFunction = (args: WdlValue[], ctx: EvalContext) => WdlValue;
export type WdlLazyFunction = (args: WdlExpr[], ctx: EvalContext, ev: (e: WdlExpr) => WdlValue) => WdlValue;

function arity(fn: string, args: readonly unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new WdlEvalError(`${fn} expects ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`);
  }
}

function str(fn: string, v: WdlValue, which = 'argument'): string {
  if (typeof v !== 'string') throw new WdlEvalError(`${fn}: the ${which} must be a string, not ${typeName(v)}${v === null ? '' : ` ${JSON.stringify(v)}`}`);
  return v;
}

function num(fn: string, v: WdlValue, which = 'argument'): number {
  if (typeof v !== 'number') throw new WdlEvalError(`${fn}: the ${which} must be a number, not ${typeName(v)}${v === null ? '' : ` ${JSON.stringify(v)}`}`);
  return v;
}

function int(fn: string, v: WdlValue, which = 'argument'): number {
  const n = num(fn, v, which);
  if (!Number.isInteger(n)) throw new WdlEvalError(`${fn}: the ${which} must be an integer, not ${n}`);
  return n;
}

function arr(fn: string, v: WdlValue, which = 'argument'): WdlValue[] {
  if (!Array.isArray(v)) throw new WdlEvalError(`${fn}: the ${which} must be an array, not ${typeName(v)}`);
  return v;
}

function bool(fn: string, v: WdlValue, which = 'argument'): boolean {
  if (typeof v !== 'boolean') throw new WdlEvalError(`${fn}: the ${which} must be a boolean, not ${typeName(v)}${v === null ? '' : ` ${JSON.stringify(v)}`}`);
  return v;
}

function time(fn: string, v: WdlValue): Instant {
  return parseTimestamp(str(fn, v, 'timestamp'), fn);
}

function fmtOut(fn: string, t: Instant, format: WdlValue | undefined): string {
  return format === undefined || format === null ? isoInstant(t) : formatInstant(t, str(fn, format, 'format'), fn);
}

/** Integer arithmetic when both operands are integers, as the engine does. */
function arith(fn: string, a: WdlValue, b: WdlValue, op: (x: number, y: number) => number): number {
  return op(num(fn, a, 'first argument'), num(fn, b, 'second argument'));
}

function compare(fn: string, a: WdlValue, b: WdlValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new WdlEvalError(`${fn}: cannot compare ${typeName(a)} with ${typeName(b)}; both must be numbers or both strings`);
}

/** The last text lowered (flows search the same long text many times, e.g. once per item of a Select). */
let lowered = { text: '', lower: '' };
function lower(text: string): string {
  if (lowered.text !== text) lowered = { text, lower: text.toLowerCase() };
  return lowered.lower;
}

/** indexOf-family searches are case-insensitive in the engine. */
function ciIndexes(text: string, search: string): number[] {
  const t = lower(text);
  const s = search.toLowerCase();
  const out: number[] = [];
  if (s === '') return [0];
  for (let i = t.indexOf(s); i >= 0; i = t.indexOf(s, i + 1)) out.push(i);
  return out;
}

function parseUri(fn: string, v: WdlValue): URL {
  const s = str(fn, v, 'URI');
  try {
    return new URL(s);
  } catch {
    throw new WdlEvalError(`${fn}: '${s}' is not an absolute URI`);
  }
}

function decodeB64(fn: string, v: WdlValue): string {
  const s = str(fn, v, 'base64 text');
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(s)) throw new WdlEvalError(`${fn}: the argument is not valid base64`);
  return Buffer.from(s, 'base64').toString('utf8');
}

/** A key equal for deep-equal values (object keys sorted), so union and intersection stay linear. */
export function canonicalKey(v: WdlValue): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? `s${v}` : `p${String(v)}`;
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalKey(v[k]!)}`).join(',')}}`;
}

function uniqueUnion(lists: WdlValue[][]): WdlValue[] {
  const out: WdlValue[] = [];
  const seen = new Set<string>();
  for (const l of lists) {
    for (const x of l) {
      const k = canonicalKey(x);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
  }
  return out;
}

export const FUNCTIONS: Record<string, WdlFunction> = {
  // ---- string
  concat(args) {
    arity('concat', args, 1, Infinity);
    return args.map(toWdlString).join('');
  },
  substring(args) {
    arity('substring', args, 2, 3);
    const s = str('substring', args[0]!, 'text');
    const start = int('substring', args[1]!, 'start index');
    const len = args[2] === undefined ? s.length - start : int('substring', args[2], 'length');
    if (start < 0 || start > s.length) throw new WdlEvalError(`substring: the start index ${start} must be between 0 and the text length ${s.length}`);
    if (len < 0 || start + len > s.length) throw new WdlEvalError(`substring: start index ${start} plus length ${len} is past the end of the text (length ${s.length})`);
    return s.substr(start, len);
  },
  slice(args) {
    arity('slice', args, 2, 3);
    const s = str('slice', args[0]!, 'text');
    const start = int('slice', args[1]!, 'start index');
    const end = args[2] === undefined ? undefined : int('slice', args[2], 'end index');
    return s.slice(start, end);
  },
  replace(args) {
    arity('replace', args, 3);
    const s = str('replace', args[0]!, 'text');
    const old = str('replace', args[1]!, 'old text');
    if (old === '') throw new WdlEvalError('replace: the old text must not be empty');
    return s.split(old).join(str('replace', args[2]!, 'new text'));
  },
  split(args) {
    arity('split', args, 2);
    const s = str('split', args[0]!, 'text');
    const d = str('split', args[1]!, 'delimiter');
    if (d === '') throw new WdlEvalError('split: the delimiter must not be empty');
    return s.split(d);
  },
  toLower: (args) => (arity('toLower', args, 1), str('toLower', args[0]!).toLowerCase()),
  toUpper: (args) => (arity('toUpper', args, 1), str('toUpper', args[0]!).toUpperCase()),
  trim: (args) => (arity('trim', args, 1), str('trim', args[0]!).trim()),
  startsWith(args) {
    arity('startsWith', args, 2);
    return str('startsWith', args[0]!, 'text').toLowerCase().startsWith(str('startsWith', args[1]!, 'search text').toLowerCase());
  },
  endsWith(args) {
    arity('endsWith', args, 2);
    return str('endsWith', args[0]!, 'text').toLowerCase().endsWith(str('endsWith', args[1]!, 'search text').toLowerCase());
  },
  indexOf(args) {
    arity('indexOf', args, 2);
    const search = str('indexOf', args[1]!, 'search text');
    if (search === '') return 0;
    return lower(str('indexOf', args[0]!, 'text')).indexOf(search.toLowerCase());
  },
  lastIndexOf(args) {
    arity('lastIndexOf', args, 2);
    const text = str('lastIndexOf', args[0]!, 'text');
    const search = str('lastIndexOf', args[1]!, 'search text');
    if (search === '') return text.length === 0 ? 0 : text.length - 1;
    return lower(text).lastIndexOf(search.toLowerCase());
  },
  nthIndexOf(args) {
    arity('nthIndexOf', args, 3);
    const all = ciIndexes(str('nthIndexOf', args[0]!, 'text'), str('nthIndexOf', args[1]!, 'search text'));
    const n = int('nthIndexOf', args[2]!, 'occurrence');
    if (n === 0) throw new WdlEvalError('nthIndexOf: the occurrence must not be 0');
    const hit = n > 0 ? all[n - 1] : all[all.length + n];
    return hit ?? -1;
  },
  guid(args, ctx) {
    arity('guid', args, 0, 1);
    const g = ctx.guid();
    const f = args[0] === undefined ? 'D' : str('guid', args[0], 'format');
    const hex = g.replace(/-/g, '');
    switch (f) {
      case 'N':
        return hex;
      case 'D':
        return g;
      case 'B':
        return `{${g}}`;
      case 'P':
        return `(${g})`;
      default:
        throw new WdlEvalError(`guid: unknown format '${f}'; use N, D, B or P`);
    }
  },
  formatNumber(args) {
    arity('formatNumber', args, 2, 3);
    const n = num('formatNumber', args[0]!, 'number');
    const f = str('formatNumber', args[1]!, 'format');
    const m = /^([NnFfDd])(\d*)$/.exec(f);
    if (!m) throw new WdlEvalError(`formatNumber: the format '${f}' is not supported; use N<n>, F<n> or D<n>`);
    const digits = m[2] ? Number(m[2]) : m[1]!.toUpperCase() === 'D' ? 0 : 2;
    if (m[1]!.toUpperCase() === 'N') return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    if (m[1]!.toUpperCase() === 'D') return String(Math.trunc(n)).padStart(digits, '0');
    return n.toFixed(digits);
  },

  // ---- collections
  contains(args) {
    arity('contains', args, 2);
    const c = args[0]!;
    const v = args[1]!;
    if (typeof c === 'string') return c.includes(str('contains', v, 'value'));
    if (Array.isArray(c)) return c.some((x) => deepEqual(x, v));
    if (isObject(c)) return getProperty(c, str('contains', v, 'key')).found;
    throw new WdlEvalError(`contains: the collection must be a string, array or object, not ${typeName(c)}`);
  },
  empty(args) {
    arity('empty', args, 1);
    const c = args[0]!;
    if (c === null) return true;
    if (typeof c === 'string' || Array.isArray(c)) return c.length === 0;
    if (isObject(c)) return Object.keys(c).length === 0;
    throw new WdlEvalError(`empty: the argument must be a string, array, object or null, not ${typeName(c)}`);
  },
  length(args) {
    arity('length', args, 1);
    const c = args[0]!;
    if (typeof c === 'string' || Array.isArray(c)) return c.length;
    throw new WdlEvalError(`length: the argument must be a string or an array, not ${typeName(c)}`);
  },
  first(args) {
    arity('first', args, 1);
    const c = args[0]!;
    if (typeof c === 'string') return c.length ? c[0]! : '';
    if (Array.isArray(c)) return c.length ? c[0]! : null;
    throw new WdlEvalError(`first: the argument must be a string or an array, not ${typeName(c)}`);
  },
  last(args) {
    arity('last', args, 1);
    const c = args[0]!;
    if (typeof c === 'string') return c.length ? c[c.length - 1]! : '';
    if (Array.isArray(c)) return c.length ? c[c.length - 1]! : null;
    throw new WdlEvalError(`last: the argument must be a string or an array, not ${typeName(c)}`);
  },
  skip(args) {
    arity('skip', args, 2);
    const n = int('skip', args[1]!, 'count');
    if (n < 0) throw new WdlEvalError('skip: the count must not be negative');
    const c = args[0]!;
    if (Array.isArray(c)) return c.slice(n);
    if (typeof c === 'string') return c.slice(n);
    throw new WdlEvalError(`skip: the collection must be an array, not ${typeName(c)}`);
  },
  take(args) {
    arity('take', args, 2);
    const n = int('take', args[1]!, 'count');
    if (n < 0) throw new WdlEvalError('take: the count must not be negative');
    const c = args[0]!;
    if (Array.isArray(c) || typeof c === 'string') return c.slice(0, n);
    throw new WdlEvalError(`take: the collection must be a string or an array, not ${typeName(c)}`);
  },
  union(args) {
    arity('union', args, 2, Infinity);
    if (args.every(isObject)) return Object.assign({}, ...(args as WdlObject[])) as WdlObject;
    return uniqueUnion(args.map((a, i) => arr('union', a, `argument ${i + 1}`)));
  },
  intersection(args) {
    arity('intersection', args, 2, Infinity);
    if (args.every(isObject)) {
      const [head, ...rest] = args as WdlObject[];
      const out: WdlObject = {};
      for (const [k, v] of Object.entries(head!)) if (rest.every((o) => Object.prototype.hasOwnProperty.call(o, k) && deepEqual(o[k]!, v))) out[k] = v;
      return out;
    }
    const lists = args.map((a, i) => arr('intersection', a, `argument ${i + 1}`));
    return uniqueUnion([lists[0]!]).filter((x) => lists.every((l) => l.some((y) => deepEqual(x, y))));
  },
  join(args) {
    arity('join', args, 2);
    return arr('join', args[0]!, 'collection').map(toWdlString).join(str('join', args[1]!, 'delimiter'));
  },
  createArray: (args) => [...args],
  reverse(args) {
    arity('reverse', args, 1);
    return [...arr('reverse', args[0]!)].reverse();
  },
  /** sort(collection, sortBy?): ascending, stable; sortBy names the property of object items. */
  sort(args) {
    arity('sort', args, 1, 2);
    const list = arr('sort', args[0]!, 'collection');
    const by = args.length === 2 ? str('sort', args[1]!, 'sortBy') : undefined;
    const keyOf = (x: WdlValue): WdlValue => {
      if (by === undefined) return x;
      if (!isObject(x)) throw new WdlEvalError(`sort: with sortBy '${by}' every item must be an object, not ${typeName(x)}`);
      return x[by] ?? null;
    };
    const keyed = list.map((x, i) => ({ x, k: keyOf(x), i }));
    for (const e of keyed) {
      if (e.k !== null && typeof e.k !== 'string' && typeof e.k !== 'number' && typeof e.k !== 'boolean') throw new WdlEvalError(`sort: cannot sort by ${typeName(e.k)} values`);
    }
    keyed.sort((a, b) => {
      if (a.k === b.k) return a.i - b.i;
      if (a.k === null) return -1;
      if (b.k === null) return 1;
      if (typeof a.k !== typeof b.k) throw new WdlEvalError(`sort: cannot compare ${typeName(a.k)} with ${typeName(b.k)}`);
      return (a.k < b.k ? -1 : 1) || a.i - b.i;
    });
    return keyed.map((e) => e.x);
  },
  /** chunk(collection, length): consecutive pieces of at most `length` items (or characters of a string). */
  chunk(args) {
    arity('chunk', args, 2);
    const size = int('chunk', args[1]!, 'length');
    if (size < 1) throw new WdlEvalError('chunk: the length must be a positive integer');
    const v = args[0]!;
    if (typeof v === 'string') {
      const out: WdlValue[] = [];
      for (let i = 0; i < v.length; i += size) out.push(v.slice(i, i + size));
      return out;
    }
    const list = arr('chunk', v, 'collection');
    const out: WdlValue[] = [];
    for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    return out;
  },

  // ---- logical
  equals: (args) => (arity('equals', args, 2), deepEqual(args[0]!, args[1]!)),
  and(args) {
    arity('and', args, 1, Infinity);
    return args.map((a, i) => bool('and', a, `argument ${i + 1}`)).every(Boolean);
  },
  or(args) {
    arity('or', args, 1, Infinity);
    return args.map((a, i) => bool('or', a, `argument ${i + 1}`)).some(Boolean);
  },
  not: (args) => (arity('not', args, 1), !bool('not', args[0]!)),
  greater: (args) => (arity('greater', args, 2), compare('greater', args[0]!, args[1]!) > 0),
  greaterOrEquals: (args) => (arity('greaterOrEquals', args, 2), compare('greaterOrEquals', args[0]!, args[1]!) >= 0),
  less: (args) => (arity('less', args, 2), compare('less', args[0]!, args[1]!) < 0),
  lessOrEquals: (args) => (arity('lessOrEquals', args, 2), compare('lessOrEquals', args[0]!, args[1]!) <= 0),
  coalesce(args) {
    arity('coalesce', args, 1, Infinity);
    return args.find((a) => a !== null) ?? null;
  },

  // ---- conversion
  json(args) {
    arity('json', args, 1);
    const v = args[0]!;
    if (typeof v !== 'string') {
      if (isObject(v) || Array.isArray(v)) return v;
      throw new WdlEvalError(`json: the argument must be a string holding JSON, not ${typeName(v)}`);
    }
    try {
      return JSON.parse(v) as WdlValue;
    } catch (e) {
      throw new WdlEvalError(`json: the text is not valid JSON (${(e as Error).message}): ${v.length > 60 ? v.slice(0, 60) + '…' : v}`);
    }
  },
  string: (args) => (arity('string', args, 1), toWdlString(args[0]!)),
  int(args) {
    arity('int', args, 1);
    const v = args[0]!;
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new WdlEvalError(`int: ${v} is not an integer`);
      return v;
    }
    if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw new WdlEvalError(`int: ${typeName(v)} ${JSON.stringify(v)} cannot be converted to an integer`);
  },
  float(args) {
    arity('float', args, 1);
    const v = args[0]!;
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
    throw new WdlEvalError(`float: ${typeName(v)} ${JSON.stringify(v)} cannot be converted to a float`);
  },
  bool(args) {
    arity('bool', args, 1);
    const v = args[0]!;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
    throw new WdlEvalError(`bool: ${typeName(v)} ${JSON.stringify(v)} cannot be converted to a boolean`);
  },
  array: (args) => (arity('array', args, 1), [args[0]!]),
  base64: (args) => (arity('base64', args, 1), Buffer.from(toWdlString(args[0]!), 'utf8').toString('base64')),
  base64ToString: (args) => (arity('base64ToString', args, 1), decodeB64('base64ToString', args[0]!)),
  decodeBase64: (args) => (arity('decodeBase64', args, 1), decodeB64('decodeBase64', args[0]!)),
  encodeUriComponent: (args) => (arity('encodeUriComponent', args, 1), encodeURIComponent(toWdlString(args[0]!))),
  uriComponent: (args) => (arity('uriComponent', args, 1), encodeURIComponent(toWdlString(args[0]!))),
  decodeUriComponent: (args) => (arity('decodeUriComponent', args, 1), decodeURIComponent(str('decodeUriComponent', args[0]!))),
  uriComponentToString: (args) => (arity('uriComponentToString', args, 1), decodeURIComponent(str('uriComponentToString', args[0]!))),
  uriQuery: (args) => (arity('uriQuery', args, 1), parseUri('uriQuery', args[0]!).search),
  uriHost: (args) => (arity('uriHost', args, 1), parseUri('uriHost', args[0]!).hostname),
  uriPath: (args) => (arity('uriPath', args, 1), parseUri('uriPath', args[0]!).pathname),
  uriPathAndQuery(args) {
    arity('uriPathAndQuery', args, 1);
    const u = parseUri('uriPathAndQuery', args[0]!);
    return u.pathname + u.search;
  },
  uriScheme: (args) => (arity('uriScheme', args, 1), parseUri('uriScheme', args[0]!).protocol.replace(/:$/, '')),

  // ---- math
  add: (args) => (arity('add', args, 2), arith('add', args[0]!, args[1]!, (a, b) => a + b)),
  sub: (args) => (arity('sub', args, 2), arith('sub', args[0]!, args[1]!, (a, b) => a - b)),
  mul: (args) => (arity('mul', args, 2), arith('mul', args[0]!, args[1]!, (a, b) => a * b)),
  div(args) {
    arity('div', args, 2);
    return arith('div', args[0]!, args[1]!, (a, b) => {
      if (b === 0) throw new WdlEvalError('div: division by zero');
      return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    });
  },
  mod(args) {
    arity('mod', args, 2);
    return arith('mod', args[0]!, args[1]!, (a, b) => {
      if (b === 0) throw new WdlEvalError('mod: division by zero');
      return a % b;
    });
  },
  min(args) {
    arity('min', args, 1, Infinity);
    const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    if (list.length === 0) throw new WdlEvalError('min: the collection is empty');
    return Math.min(...list.map((v) => num('min', v)));
  },
  max(args) {
    arity('max', args, 1, Infinity);
    const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    if (list.length === 0) throw new WdlEvalError('max: the collection is empty');
    return Math.max(...list.map((v) => num('max', v)));
  },
  range(args) {
    arity('range', args, 2);
    const start = int('range', args[0]!, 'start');
    const count = int('range', args[1]!, 'count');
    if (count < 0 || count > 100_000) throw new WdlEvalError('range: the count must be between 0 and 100000');
    return Array.from({ length: count }, (_, i) => start + i);
  },

  // ---- date and time (UTC, virtual clock)
  utcNow(args, ctx) {
    arity('utcNow', args, 0, 1);
    const now = parseTimestamp(ctx.now(), 'utcNow');
    return fmtOut('utcNow', now, args[0]);
  },
  formatDateTime(args) {
    arity('formatDateTime', args, 1, 3);
    if (args[2] !== undefined && args[2] !== null && str('formatDateTime', args[2], 'locale').toLowerCase() !== 'en-us') {
      throw new WdlEvalError(`formatDateTime: only the invariant/en-US locale is supported, not '${String(args[2])}'`);
    }
    return fmtOut('formatDateTime', time('formatDateTime', args[0]!), args[1]);
  },
  addSeconds: (args) => addFn('addSeconds', args, 'Second'),
  addMinutes: (args) => addFn('addMinutes', args, 'Minute'),
  addHours: (args) => addFn('addHours', args, 'Hour'),
  addDays: (args) => addFn('addDays', args, 'Day'),
  addToTime(args) {
    arity('addToTime', args, 3, 4);
    const t = addUnits(time('addToTime', args[0]!), num('addToTime', args[1]!, 'interval'), str('addToTime', args[2]!, 'time unit'), 'addToTime');
    return fmtOut('addToTime', t, args[3]);
  },
  subtractFromTime(args) {
    arity('subtractFromTime', args, 3, 4);
    const t = addUnits(time('subtractFromTime', args[0]!), -num('subtractFromTime', args[1]!, 'interval'), str('subtractFromTime', args[2]!, 'time unit'), 'subtractFromTime');
    return fmtOut('subtractFromTime', t, args[3]);
  },
  getPastTime(args, ctx) {
    arity('getPastTime', args, 2, 3);
    const t = addUnits(parseTimestamp(ctx.now(), 'getPastTime'), -num('getPastTime', args[0]!, 'interval'), str('getPastTime', args[1]!, 'time unit'), 'getPastTime');
    return fmtOut('getPastTime', t, args[2]);
  },
  getFutureTime(args, ctx) {
    arity('getFutureTime', args, 2, 3);
    const t = addUnits(parseTimestamp(ctx.now(), 'getFutureTime'), num('getFutureTime', args[0]!, 'interval'), str('getFutureTime', args[1]!, 'time unit'), 'getFutureTime');
    return fmtOut('getFutureTime', t, args[2]);
  },
  startOfDay(args) {
    arity('startOfDay', args, 1, 2);
    const t = time('startOfDay', args[0]!);
    return fmtOut('startOfDay', { ms: t.ms - (((t.ms % 86400000) + 86400000) % 86400000), sub: 0 }, args[1]);
  },
  isInt: (args) => (arity('isInt', args, 1), typeof args[0] === 'string' && /^\s*[+-]?\d+\s*$/.test(args[0])),
  isFloat: (args) => (arity('isFloat', args, 1), typeof args[0] === 'string' && args[0].trim() !== '' && Number.isFinite(Number(args[0]))),
  startOfMonth(args) {
    arity('startOfMonth', args, 1, 2);
    const d = new Date(time('startOfMonth', args[0]!).ms);
    return fmtOut('startOfMonth', { ms: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), sub: 0 }, args[1]);
  },
  startOfHour(args) {
    arity('startOfHour', args, 1, 2);
    const t = time('startOfHour', args[0]!);
    return fmtOut('startOfHour', { ms: t.ms - (((t.ms % 3600000) + 3600000) % 3600000), sub: 0 }, args[1]);
  },
  ticks: (args) => (arity('ticks', args, 1), ticksOf(time('ticks', args[0]!))),
  dayOfWeek: (args) => (arity('dayOfWeek', args, 1), new Date(time('dayOfWeek', args[0]!).ms).getUTCDay()),
  dayOfMonth: (args) => (arity('dayOfMonth', args, 1), new Date(time('dayOfMonth', args[0]!).ms).getUTCDate()),

  // ---- workflow
  variables: (args, ctx) => (arity('variables', args, 1), ctx.variable(str('variables', args[0]!, 'variable name'))),
  parameters: (args, ctx) => (arity('parameters', args, 1), ctx.parameter(str('parameters', args[0]!, 'parameter name'))),
  actions: (args, ctx) => (arity('actions', args, 1), ctx.action(str('actions', args[0]!, 'action name'))),
  outputs: (args, ctx) => (arity('outputs', args, 1), field(ctx.action(str('outputs', args[0]!, 'action name')), 'outputs')),
  body(args, ctx) {
    arity('body', args, 1);
    const name = str('body', args[0]!, 'action name');
    const outputs = field(ctx.action(name), 'outputs');
    if (outputs === null) return null;
    if (!isObject(outputs)) throw new WdlEvalError(`body('${name}'): the outputs of '${name}' have no body (they are ${typeName(outputs)}); use outputs('${name}')`);
    return getProperty(outputs, 'body').value;
  },
  actionOutputs: (args, ctx) => FUNCTIONS.outputs!(args, ctx),
  actionBody: (args, ctx) => FUNCTIONS.body!(args, ctx),
  trigger: (args, ctx) => (arity('trigger', args, 0), ctx.trigger()),
  triggerOutputs: (args, ctx) => (arity('triggerOutputs', args, 0), field(ctx.trigger(), 'outputs')),
  triggerBody(args, ctx) {
    arity('triggerBody', args, 0);
    const o = field(ctx.trigger(), 'outputs');
    return isObject(o) ? getProperty(o, 'body').value : null;
  },
  workflow: (args, ctx) => (arity('workflow', args, 0), ctx.workflow()),
  items: (args, ctx) => (arity('items', args, 1), ctx.items(str('items', args[0]!, 'loop name'))),
  item: (args, ctx) => (arity('item', args, 0), ctx.item()),
  iterationIndexes: (args, ctx) => (arity('iterationIndexes', args, 1), ctx.iterationIndexes(str('iterationIndexes', args[0]!, 'loop name'))),
  result: (args, ctx) => (arity('result', args, 1), ctx.result(str('result', args[0]!, 'scope name'))),
};

function field(v: WdlValue, key: string): WdlValue {
  return isObject(v) ? (v[key] ?? null) : null;
}

function addFn(fn: string, args: WdlValue[], unit: string): string {
  arity(fn, args, 2, 3);
  const t = addUnits(time(fn, args[0]!), num(fn, args[1]!, 'interval'), unit, fn);
  return fmtOut(fn, t, args[2]);
}

/** Functions whose arguments are evaluated on demand: `if` evaluates only the branch it takes. */
export const LAZY_FUNCTIONS: Record<string, WdlLazyFunction> = {
  if(args, _ctx, ev) {
    arity('if', args, 3);
    const c = ev(args[0]!);
    if (typeof c !== 'boolean') throw new WdlEvalError(`if: the condition must be a boolean, not ${typeName(c)}`);
    return ev(c ? args[1]! : args[2]!);
  },
};

