import type { WdlTemplate } from './ast.js';
import { isExpressionString, parseTemplate, WdlSyntaxError } from './parser.js';

/** One string of a flow that the engine evaluates, with its JSON path from the value given to the walker. */
export interface FlowExpressionString {
  path: (string | number)[];
  text: string;
}

/** A string of a flow whose expression does not parse. */
export interface FlowExpressionError extends FlowExpressionString {
  error: WdlSyntaxError;
}

/** Keys of the definition root that the engine does not evaluate. */
const DEFINITION_SKIP = new Set(['$schema', 'contentVersion', 'parameters', 'description', 'staticResults']);
/** Keys of an action or trigger that are designer bookkeeping, not evaluated. */
const ACTION_SKIP = new Set(['metadata', 'description', 'runAfter', 'type', 'kind']);

/**
 * Yields every expression-bearing string (one that starts with `@` but not `@@`, or holds an `@{…}`) of a
 * flow. `flow` may be the packaged file (`{properties: {definition}}`), `{definition}`, or the definition
 * itself; paths start at the value given. Only what the engine evaluates is walked: triggers, actions
 * (nested ones included) and outputs, not parameter declarations, descriptions or designer metadata.
 */
export function* walkFlowExpressions(flow: unknown): Generator<FlowExpressionString> {
  const { definition, prefix } = locateDefinition(flow);
  if (!isObject(definition)) return;
  for (const [key, value] of Object.entries(definition)) {
    if (DEFINITION_SKIP.has(key)) continue;
    if (key === 'triggers' || key === 'actions') yield* walkActionMap(value, [...prefix, key]);
    else yield* walkValue(value, [...prefix, key]);
  }
}

/** Parses every expression string of a flow; returns those that fail, in document order. */
export function checkFlowExpressions(flow: unknown): FlowExpressionError[] {
  const out: FlowExpressionError[] = [];
  for (const s of walkFlowExpressions(flow)) {
    try {
      parseTemplate(s.text);
    } catch (e) {
      if (e instanceof WdlSyntaxError) out.push({ ...s, error: e });
      else throw e;
    }
  }
  return out;
}

/** Parses a string of a flow, or returns undefined when it holds no expression. */
export function parseIfExpression(text: string): WdlTemplate | undefined {
  return isExpressionString(text) ? parseTemplate(text) : undefined;
}

function locateDefinition(flow: unknown): { definition: unknown; prefix: (string | number)[] } {
  if (isObject(flow) && isObject(flow.properties) && isObject(flow.properties.definition)) {
    return { definition: flow.properties.definition, prefix: ['properties', 'definition'] };
  }
  if (isObject(flow) && isObject(flow.definition)) return { definition: flow.definition, prefix: ['definition'] };
  return { definition: flow, prefix: [] };
}

function* walkActionMap(map: unknown, path: (string | number)[]): Generator<FlowExpressionString> {
  if (!isObject(map)) {
    yield* walkValue(map, path);
    return;
  }
  for (const [name, action] of Object.entries(map)) {
    if (!isObject(action)) {
      yield* walkValue(action, [...path, name]);
      continue;
    }
    for (const [key, value] of Object.entries(action)) {
      if (ACTION_SKIP.has(key)) continue;
      yield* walkActionPart(key, value, [...path, name, key]);
    }
  }
}

/** Inside an action: nested `actions`, `else.actions`, `cases.<c>.actions`, `default.actions` are action maps. */
function* walkActionPart(key: string, value: unknown, path: (string | number)[]): Generator<FlowExpressionString> {
  if (key === 'actions') {
    yield* walkActionMap(value, path);
  } else if ((key === 'else' || key === 'default') && isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'actions') yield* walkActionMap(v, [...path, k]);
      else yield* walkValue(v, [...path, k]);
    }
  } else if (key === 'cases' && isObject(value)) {
    for (const [caseName, c] of Object.entries(value)) {
      if (!isObject(c)) {
        yield* walkValue(c, [...path, caseName]);
        continue;
      }
      for (const [k, v] of Object.entries(c)) {
        if (k === 'actions') yield* walkActionMap(v, [...path, caseName, k]);
        else yield* walkValue(v, [...path, caseName, k]);
      }
    }
  } else {
    yield* walkValue(value, path);
  }
}

function* walkValue(value: unknown, path: (string | number)[]): Generator<FlowExpressionString> {
  if (typeof value === 'string') {
    if (isExpressionString(value)) yield { path, text: value };
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* walkValue(value[i], [...path, i]);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) yield* walkValue(v, [...path, k]);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
