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
 * Every expression-bearing string (one that starts with `@` but not `@@`, or holds an `@{…}`) of a
 * flow. `flow` may be the packaged file (`{properties: {definition}}`), `{definition}`, or the definition
 * itself; paths start at the value given. Only what the engine evaluates is walked: triggers, actions
 * (nested ones included) and outputs, not parameter declarations, descriptions or designer metadata.
 */
export function walkFlowExpressions(flow: unknown): FlowExpressionString[] {
  // A plain recursive walk over one path, copied for each string found: a chain of nested generators, one per level
  // and value, cost more than the walk itself on a large flow.
  const out: FlowExpressionString[] = [];
  const { definition, prefix } = locateDefinition(flow);
  if (!isObject(definition)) return out;
  const path = [...prefix];
  for (const [key, value] of Object.entries(definition)) {
    if (DEFINITION_SKIP.has(key)) continue;
    path.push(key);
    if (key === 'triggers' || key === 'actions') walkActionMap(value, path, out);
    else walkValue(value, path, out);
    path.pop();
  }
  return out;
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

/** The walkers below push each string found with a copy of `path`, and leave `path` as they found it. */
type Path = (string | number)[];

function walkActionMap(map: unknown, path: Path, out: FlowExpressionString[]): void {
  if (!isObject(map)) {
    walkValue(map, path, out);
    return;
  }
  for (const [name, action] of Object.entries(map)) {
    path.push(name);
    if (!isObject(action)) {
      walkValue(action, path, out);
    } else {
      for (const [key, value] of Object.entries(action)) {
        if (ACTION_SKIP.has(key)) continue;
        path.push(key);
        walkActionPart(key, value, path, out);
        path.pop();
      }
    }
    path.pop();
  }
}

/** Inside an action: nested `actions`, `else.actions`, `cases.<c>.actions`, `default.actions` are action maps. */
function walkActionPart(key: string, value: unknown, path: Path, out: FlowExpressionString[]): void {
  if (key === 'actions') {
    walkActionMap(value, path, out);
  } else if ((key === 'else' || key === 'default') && isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      path.push(k);
      if (k === 'actions') walkActionMap(v, path, out);
      else walkValue(v, path, out);
      path.pop();
    }
  } else if (key === 'cases' && isObject(value)) {
    for (const [caseName, c] of Object.entries(value)) {
      path.push(caseName);
      if (!isObject(c)) {
        walkValue(c, path, out);
      } else {
        for (const [k, v] of Object.entries(c)) {
          path.push(k);
          if (k === 'actions') walkActionMap(v, path, out);
          else walkValue(v, path, out);
          path.pop();
        }
      }
      path.pop();
    }
  } else {
    walkValue(value, path, out);
  }
}

function walkValue(value: unknown, path: Path, out: FlowExpressionString[]): void {
  if (typeof value === 'string') {
    if (isExpressionString(value)) out.push({ path: [...path], text: value });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walkValue(value[i], path, out);
      path.pop();
    }
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      path.push(k);
      walkValue(v, path, out);
      path.pop();
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
