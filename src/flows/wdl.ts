/**
 * Small builders for Workflow Definition Language actions. They only shape JSON: every flow in this folder is
 * written with them so that the same construct always looks the same (and issue 7's interpreter meets one form).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Status = 'Succeeded' | 'Failed' | 'Skipped' | 'TimedOut';
export type RunAfter = Record<string, Status[]>;

/** One action; `runAfter` is filled by `sequence` unless the action sets it itself. */
export interface Action extends JsonObject {
  type: string;
}
export type Actions = Record<string, Action>;

/** A named action before it is placed in a sequence. */
export type Step = readonly [name: string, action: Action];

/** Chains steps: each runs after the previous one succeeded, unless it already has a runAfter. */
export function sequence(steps: readonly Step[], first: RunAfter = {}): Actions {
  const out: Actions = {};
  let previous: string | undefined;
  for (const [name, action] of steps) {
    if (name in out) throw new Error(`duplicate action name ${name}`);
    const runAfter = action.runAfter !== undefined ? action.runAfter : previous ? { [previous]: ['Succeeded'] } : first;
    const { type, ...rest } = action;
    delete rest.runAfter;
    out[name] = { runAfter: runAfter as Json, type, ...rest };
    previous = name;
  }
  return out;
}

/** Sets an explicit runAfter on an action. */
export function after(action: Action, runAfter: RunAfter): Action {
  return { ...action, runAfter: runAfter as Json };
}

/** `@expr` for a whole-value expression. */
export const expr = (e: string): string => `@${e}`;
/** `'text'` as a WDL string literal (single quotes doubled). */
export const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export function compose(inputs: Json, description?: string): Action {
  return { type: 'Compose', inputs, ...(description ? { description } : {}) };
}

export function initVariable(name: string, type: 'string' | 'array' | 'integer' | 'boolean' | 'object', value: Json): Action {
  return { type: 'InitializeVariable', inputs: { variables: [{ name, type, value }] } };
}

export function setVariable(name: string, value: Json, options: { secure?: boolean } = {}): Action {
  return { type: 'SetVariable', inputs: { name, value }, ...(options.secure ? secureData(['inputs', 'outputs']) : {}) };
}

export function appendToArray(name: string, value: Json): Action {
  return { type: 'AppendToArrayVariable', inputs: { name, value } };
}

export function increment(name: string, value: Json = 1): Action {
  return { type: 'IncrementVariable', inputs: { name, value } };
}

export function scope(actions: Actions, description?: string): Action {
  return { type: 'Scope', actions, ...(description ? { description } : {}) };
}

export function ifAction(condition: string, actions: Actions, elseActions?: Actions): Action {
  return {
    type: 'If',
    expression: condition,
    actions,
    ...(elseActions && Object.keys(elseActions).length > 0 ? { else: { actions: elseActions } } : {}),
  };
}

export function foreach(over: string, actions: Actions, concurrency?: number): Action {
  return {
    type: 'Foreach',
    foreach: over,
    actions,
    ...(concurrency !== undefined ? { runtimeConfiguration: { concurrency: { repetitions: concurrency } } } : {}),
  };
}

export function until(condition: string, actions: Actions, limit: { count: number; timeout: string }): Action {
  return { type: 'Until', expression: condition, limit, actions };
}

export function query(from: string, where: string): Action {
  return { type: 'Query', inputs: { from, where } };
}

export function select(from: string, map: Json): Action {
  return { type: 'Select', inputs: { from, select: map } };
}

export function wait(seconds: string | number): Action {
  return { type: 'Wait', inputs: { interval: { count: seconds, unit: 'Second' } } };
}

export function terminate(status: 'Failed' | 'Succeeded', error?: { code: string; message: string }): Action {
  return { type: 'Terminate', inputs: { runStatus: status, ...(error ? { runError: error } : {}) } };
}

export function secureData(properties: ('inputs' | 'outputs')[]): { runtimeConfiguration: JsonObject } {
  return { runtimeConfiguration: { secureData: { properties } } };
}
