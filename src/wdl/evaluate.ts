import type { WdlExpr, WdlTemplate } from './ast.js';
import { FUNCTIONS, LAZY_FUNCTIONS } from './functions.js';
import { isExpressionString, parseTemplate, WdlSyntaxError } from './parser.js';
import { getProperty, isObject, toWdlString, typeName, WdlEvalError, WdlUnsupportedError, type WdlObject, type WdlValue } from './values.js';

/**
 * What an expression may read of the run. The interpreter implements it; tests can pass a small object.
 * Each method throws WdlEvalError for a name that does not exist.
 */
export interface EvalContext {
  /** The current time on the virtual clock, `yyyy-MM-ddTHH:mm:ss.fffffffZ`. */
  now(): string;
  variable(name: string): WdlValue;
  parameter(name: string): WdlValue;
  /** `actions('X')`: the recorded result of an action ({name, status, inputs, outputs, …}); null when it has not run. */
  action(name: string): WdlValue;
  /** `trigger()`: {name, inputs, outputs: {headers, body}, …}. */
  trigger(): WdlValue;
  /** `items('Loop')`: the current item of an enclosing Foreach. */
  items(loop: string): WdlValue;
  /** `item()`: the current item of the innermost Foreach, Query or Select. */
  item(): WdlValue;
  iterationIndexes(loop: string): WdlValue;
  workflow(): WdlValue;
  /** `result('Scope')`: the results of the top-level actions inside a Scope, Foreach or Until. */
  result(scope: string): WdlValue;
  /** A deterministic guid for this run. */
  guid(): string;
}

const templateCache = new Map<string, WdlTemplate>();

/** Parses (with a cache: flows evaluate the same strings many times) a string of a workflow definition. */
export function compileTemplate(text: string): WdlTemplate {
  let t = templateCache.get(text);
  if (!t) {
    t = parseTemplate(text);
    if (templateCache.size > 50_000) templateCache.clear();
    templateCache.set(text, t);
  }
  return t;
}

/** Evaluates one string of a workflow definition: literal text, a whole-value `@expr`, or an interpolation. */
export function evaluateString(text: string, ctx: EvalContext): WdlValue {
  if (!isExpressionString(text)) return text.startsWith('@@') ? text.slice(1) : text.replace(/@@\{/g, '@{');
  let t: WdlTemplate;
  try {
    t = compileTemplate(text);
  } catch (e) {
    if (e instanceof WdlSyntaxError) throw new WdlEvalError(`the expression '${text}' does not parse: ${e.message}`);
    throw e;
  }
  return evaluateTemplate(t, ctx);
}

export function evaluateTemplate(t: WdlTemplate, ctx: EvalContext): WdlValue {
  if (t.kind === 'literal') return t.value;
  if (t.kind === 'expression') return evaluate(t.expr, ctx);
  let out = '';
  for (const p of t.parts) out += p.kind === 'text' ? p.value : toWdlString(evaluate(p.expr, ctx));
  return out;
}

/** Evaluates every string inside a JSON value (object keys are not evaluated). */
export function evaluateDeep(value: unknown, ctx: EvalContext): WdlValue {
  if (typeof value === 'string') return evaluateString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, ctx));
  if (isObject(value)) {
    const out: WdlObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = evaluateDeep(v, ctx);
    return out;
  }
  if (value === undefined) return null;
  return value as WdlValue;
}

export function evaluate(expr: WdlExpr, ctx: EvalContext): WdlValue {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return expr.value;
    case 'null':
      return null;
    case 'call': {
      const name = canonicalName(expr.name);
      const lazy = LAZY_FUNCTIONS[name];
      if (lazy) return lazy(expr.args, ctx, (e) => evaluate(e, ctx));
      const fn = FUNCTIONS[name];
      if (!fn) throw new WdlUnsupportedError(`the function '${expr.name}'`);
      const args = expr.args.map((a) => evaluate(a, ctx));
      return fn(args, ctx);
    }
    case 'member':
      return access(evaluate(expr.object, ctx), expr.property, expr.optional, expr.object);
    case 'index':
      return access(evaluate(expr.object, ctx), evaluate(expr.index, ctx), expr.optional, expr.object);
  }
}

const canonical = new Map<string, string>();
/** Function names are case-insensitive, as the service reads them (designer-exported flows use `utcnow()`, `adddays()`). */
function canonicalName(name: string): string {
  if (FUNCTIONS[name] || LAZY_FUNCTIONS[name]) return name;
  if (canonical.size === 0) for (const k of [...Object.keys(FUNCTIONS), ...Object.keys(LAZY_FUNCTIONS)]) canonical.set(k.toLowerCase(), k);
  return canonical.get(name.toLowerCase()) ?? name;
}

function access(target: WdlValue, key: WdlValue, optional: boolean, source: WdlExpr): WdlValue {
  // Fast path: a property that exists (exact name).
  if (typeof key === 'string' && target !== null && typeof target === 'object' && !Array.isArray(target) && Object.prototype.hasOwnProperty.call(target, key)) {
    return target[key]!;
  }
  if (typeof key === 'number' && Array.isArray(target) && Number.isInteger(key) && key >= 0 && key < target.length) return target[key]!;
  const what = describe(source);
  if (target === null) {
    if (optional) return null;
    throw new WdlEvalError(`cannot read [${JSON.stringify(key)}] of ${what}: it is null (use ?[…] to allow null)`);
  }
  if (Array.isArray(target)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) {
      throw new WdlEvalError(`${what} is an array; its index must be an integer, not ${typeName(key)} ${JSON.stringify(key)}`);
    }
    if (key >= 0 && key < target.length) return target[key]!;
    if (optional) return null;
    throw new WdlEvalError(`index ${key} is outside the array ${what} of ${target.length} items`);
  }
  if (isObject(target)) {
    if (typeof key !== 'string') throw new WdlEvalError(`${what} is an object; its property name must be a string, not ${typeName(key)}`);
    const { found, value } = getProperty(target, key);
    if (found) return value;
    // The designer's path syntax: ?['body/x/y'] is ?['body']?['x']?['y'] (a property literally named so wins).
    if (key.includes('/')) return accessPath(target, key, optional, what);
    if (optional) return null;
    const names = Object.keys(target);
    throw new WdlEvalError(
      `property '${key}' does not exist in ${what}; available properties: ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'none'} (use ?['${key}'] to allow a missing property)`,
    );
  }
  throw new WdlEvalError(`cannot read [${JSON.stringify(key)}] of ${what}: it is ${typeName(target)}, not an object or array`);
}

/**
 * Reads `a/b/c` segment by segment, as the workflow engine reads the designer's path syntax
 * (`triggerOutputs()?['body/SdkMessage']`): each segment with the same `?` (null-tolerant) or `[]` (strict)
 * rule as one property access; an integer segment indexes an array.
 */
function accessPath(target: WdlObject, path: string, optional: boolean, what: string): WdlValue {
  let cur: WdlValue = target;
  let walked = what;
  for (const seg of path.split('/')) {
    if (cur === null) {
      if (optional) return null;
      throw new WdlEvalError(`cannot read '${seg}' of ${walked} (path '${path}'): it is null (use ?['${path}'] to allow null)`);
    }
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      const i = Number(seg);
      if (i < cur.length) cur = cur[i]!;
      else if (optional) return null;
      else throw new WdlEvalError(`index ${i} is outside the array ${walked} of ${cur.length} items (path '${path}')`);
    } else if (isObject(cur)) {
      const { found, value } = getProperty(cur, seg);
      if (found) cur = value;
      else if (optional) return null;
      else {
        const names = Object.keys(cur);
        throw new WdlEvalError(
          `property '${seg}' of the path '${path}' does not exist in ${walked}; available properties: ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'none'} (use ?['${path}'] to allow a missing property)`,
        );
      }
    } else {
      if (optional) return null;
      throw new WdlEvalError(`cannot read '${seg}' of ${walked} (path '${path}'): it is ${typeName(cur)}, not an object or array`);
    }
    walked = `${walked}/${seg}`;
  }
  return cur;
}

/** A short source-like rendering of an expression, for error messages. */
export function describe(e: WdlExpr): string {
  switch (e.kind) {
    case 'string':
      return `'${e.value.replace(/'/g, "''")}'`;
    case 'number':
      return String(e.value);
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'call':
      return `${e.name}(${e.args.map(describe).join(', ')})`;
    case 'member':
      return `${describe(e.object)}${e.optional ? '?' : ''}.${e.property}`;
    case 'index':
      return `${describe(e.object)}${e.optional ? '?' : ''}[${describe(e.index)}]`;
  }
}
