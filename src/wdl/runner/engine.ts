import { createHash } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import { addTicks, addUnits, isoInstant, parseTimestamp, type Instant } from '../datetime.js';
import { evaluateDeep, evaluateString, type EvalContext } from '../evaluate.js';
import { FUNCTIONS } from '../functions.js';
import {
  cloneValue,
  deepEqual,
  isObject,
  typeName,
  WdlEvalError,
  WdlUnsupportedError,
  type WdlObject,
  type WdlValue,
} from '../values.js';
import { runConnectorAction } from './connector-action.js';
import { runHttpAction } from './http-action.js';
import { DATAVERSE_API, rowTriggerOf } from './row-trigger.js';
import { parseDuration } from './duration.js';
import type { ActionRecord, ActionStatus, RunOptions, RunResult, RunStats, RunStatus } from './types.js';

/** A definition error (not the user's data): an unknown runAfter target, a cycle, a duplicate action name. */
export class FlowDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowDefinitionError';
  }
}

class TerminateSignal {
  constructor(
    readonly status: RunStatus,
    readonly error: { code: string; message: string } | null,
  ) {}
}

/** The mutable time of one branch of execution. Foreach lanes have their own. */
class Clock {
  constructor(public t: Instant) {}
  now(): string {
    return isoInstant(this.t);
  }
  advanceMs(ms: number): void {
    this.t = addTicks(this.t, ms * 10000);
  }
}

interface LoopFrame {
  name: string;
  item: WdlValue;
  index: number;
}

/** Action results visible from one branch: each Foreach iteration has its own scope over its parent's. */
class StateScope {
  readonly map = new Map<string, ActionState>();
  constructor(readonly parent?: StateScope) {}
  get(name: string): ActionState | undefined {
    return this.map.get(name) ?? this.parent?.get(name);
  }
}

/**
 * Runs the lanes of concurrent Foreach loops in virtual-time order: a branch that is about to act (start an
 * action, send a request, touch the store) waits for its turn, and the turn goes to the branch whose virtual
 * clock is earliest (first come on ties) once every running branch is waiting. So requests reach a stateful
 * server (the emulator) in time order whatever the concurrency, and side effects interleave as the times say.
 * With one branch (no concurrent loop) there is no waiting at all.
 */
class LaneScheduler {
  private participants = 1;
  private readonly waiting: { t: Instant; seq: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private seq = 0;
  private failure: { error: unknown } | undefined;

  turn(t: Instant): Promise<void> | undefined {
    if (this.failure) throw this.failure.error;
    if (this.participants === 1) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ t: { ...t }, seq: this.seq++, resolve, reject });
      this.release();
    });
  }

  /** One running branch becomes `lanes` branches. */
  fork(lanes: number): void {
    this.participants += lanes - 1;
  }

  /** A lane ended; the last lane of a loop hands over to the branch that forked it. */
  laneDone(last: boolean): void {
    if (last) return;
    this.participants--;
    this.release();
  }

  /** A lane threw (Terminate, an unsupported construct): every branch stops with the same error. */
  fail(error: unknown): void {
    this.failure ??= { error };
    for (const w of this.waiting.splice(0)) w.reject(this.failure.error);
  }

  private release(): void {
    if (this.waiting.length === 0 || this.waiting.length < this.participants) return;
    let best = 0;
    for (let i = 1; i < this.waiting.length; i++) {
      const c = cmpInstant(this.waiting[i]!.t, this.waiting[best]!.t);
      if (c < 0 || (c === 0 && this.waiting[i]!.seq < this.waiting[best]!.seq)) best = i;
    }
    this.waiting.splice(best, 1)[0]!.resolve();
  }
}

interface Frame {
  clock: Clock;
  states: StateScope;
  loops: LoopFrame[];
  /** item() of Query/Select, innermost last. */
  items: WdlValue[];
  path: string[];
}

export interface ActionState {
  name: string;
  type: string;
  status: ActionStatus;
  code: string | null;
  inputs: WdlValue;
  outputs: WdlValue;
  error: { code: string; message: string } | null;
  startTime: string;
  endTime: string;
}

/** What an action handler returns. */
export interface Outcome {
  status: ActionStatus;
  code?: string | null;
  inputs?: WdlValue;
  outputs?: WdlValue;
  error?: { code: string; message: string } | null;
  retries?: number;
  /** Requests the platform counts beyond the execution and its retries (pagination pages after the first). */
  extraRequests?: number;
}

type ActionDef = Record<string, unknown>;

const SECURED = '[secured]';
const DEFAULT_PAGE_SIZE = 5000;

/** Keys each action type may carry; anything else stops the run as unsupported. */
const COMMON_KEYS = ['type', 'kind', 'inputs', 'runAfter', 'metadata', 'description', 'runtimeConfiguration'];
const ALLOWED_KEYS: Record<string, string[]> = {
  http: [...COMMON_KEYS, 'operationOptions'],
  openapiconnection: COMMON_KEYS,
  initializevariable: COMMON_KEYS,
  setvariable: COMMON_KEYS,
  incrementvariable: COMMON_KEYS,
  decrementvariable: COMMON_KEYS,
  appendtoarrayvariable: COMMON_KEYS,
  appendtostringvariable: COMMON_KEYS,
  compose: COMMON_KEYS,
  parsejson: COMMON_KEYS,
  query: COMMON_KEYS,
  select: COMMON_KEYS,
  foreach: [...COMMON_KEYS, 'foreach', 'actions', 'operationOptions'],
  if: [...COMMON_KEYS, 'expression', 'actions', 'else'],
  switch: [...COMMON_KEYS, 'expression', 'cases', 'default'],
  until: [...COMMON_KEYS, 'expression', 'limit', 'actions'],
  scope: [...COMMON_KEYS, 'actions'],
  terminate: COMMON_KEYS,
  response: COMMON_KEYS,
  wait: COMMON_KEYS,
};

/**
 * Runs one flow on the virtual clock and returns its run history. Throws WdlUnsupportedError (naming the
 * action and the construct) for anything outside the supported subset, FlowDefinitionError for a broken
 * definition; every other failure is recorded in the run, as the engine would.
 */
export async function runFlow(options: RunOptions): Promise<RunResult> {
  const run = new FlowRun(options);
  return run.execute();
}

class FlowRun {
  readonly definition: WdlObject;
  readonly connectionReferences: WdlObject | undefined;
  readonly variables = new Map<string, { type: string; value: WdlValue }>();
  readonly states = new StateScope();
  readonly scheduler = new LaneScheduler();
  /** Every action by name, with the name of its container (undefined at top level) and its children. */
  readonly defs = new Map<string, { def: ActionDef; parent: string | undefined; children: string[] }>();
  readonly history: ActionRecord[] = [];
  readonly stats: RunStats = { actions: 0, powerPlatformRequests: 0, httpCalls: 0, tokenRequests: 0, retries: 0, dataverseCalls: 0, dataverseOperations: 0, bytesDownloaded: 0 };
  readonly secrets = new Set<string>();
  readonly tokenCache = new Map<string, { token: string; expiresMs: number }>();
  readonly runName: string;
  readonly keepHistory: boolean;
  readonly maxActions: number;
  triggerState: { name: string; type: string; kind: string | null; outputs: WdlValue; startTime: string } | undefined;
  response: RunResult['response'] = null;
  guidCounter = 0;
  readonly parameterValues = new Map<string, WdlValue>();
  readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  readonly schemaCache = new Map<string, ValidateFunction>();

  constructor(readonly options: RunOptions) {
    const { definition, connectionReferences } = locate(options.flow);
    this.definition = definition;
    this.connectionReferences = connectionReferences;
    this.runName = options.runName ?? `local-${options.now.replace(/[^0-9]/g, '').slice(0, 14)}`;
    this.keepHistory = options.keepHistory ?? true;
    this.maxActions = options.maxActions ?? 5_000_000;
    this.indexActions(this.definition.actions, undefined);
  }

  // ---------------------------------------------------------------- setup

  private indexActions(map: unknown, parent: string | undefined): void {
    if (map === undefined) return;
    if (!isObject(map)) throw new FlowDefinitionError(`${parent ? `action '${parent}': ` : ''}'actions' must be an object`);
    for (const [name, def] of Object.entries(map)) {
      if (!isObject(def)) throw new FlowDefinitionError(`action '${name}' must be an object`);
      if (this.defs.has(name)) throw new FlowDefinitionError(`the action name '${name}' is used twice; action names must be unique in a flow`);
      this.defs.set(name, { def, parent, children: [] });
      if (parent) this.defs.get(parent)!.children.push(name);
      const nested: unknown[] = [def.actions];
      if (isObject(def.else)) nested.push(def.else.actions);
      if (isObject(def.default)) nested.push(def.default.actions);
      if (isObject(def.cases)) for (const c of Object.values(def.cases)) if (isObject(c)) nested.push(c.actions);
      for (const n of nested) this.indexActions(n, name);
    }
  }

  private resolveParameters(): void {
    const declared = isObject(this.definition.parameters) ? this.definition.parameters : {};
    const given = this.options.parameters ?? {};
    for (const [name, decl] of Object.entries(declared)) {
      if (!isObject(decl)) continue;
      const type = typeof decl.type === 'string' ? decl.type.toLowerCase() : 'string';
      const schemaName = isObject(decl.metadata) && typeof decl.metadata.schemaName === 'string' ? decl.metadata.schemaName : undefined;
      let value: WdlValue | undefined;
      if (name in given) value = given[name]!;
      else if (schemaName && schemaName in given) value = given[schemaName]!;
      else if (schemaName) {
        const v = this.options.store.environmentVariableValue(schemaName);
        if (v !== undefined) value = convertParameter(v, type, name);
      }
      if (value === undefined && 'defaultValue' in decl) value = decl.defaultValue as WdlValue;
      if (value !== undefined) this.parameterValues.set(name, value);
      if (type === 'securestring' && typeof value === 'string' && value) this.secrets.add(value);
    }
  }

  // ---------------------------------------------------------------- run

  async execute(): Promise<RunResult> {
    const start = parseTimestamp(this.options.now, '--now');
    const clock = new Clock(start);
    this.resolveParameters();
    this.startTrigger(clock);
    // The trigger's own execution is a request (docs/flow-runner.md, Cost model).
    this.stats.powerPlatformRequests++;
    const frame: Frame = { clock, loops: [], items: [], path: [], states: this.states };
    let status: RunStatus;
    let error: RunResult['error'] = null;
    try {
      const scope = await this.runActionMap(this.definition.actions ?? {}, frame);
      status = scope === 'Succeeded' ? 'Succeeded' : 'Failed';
      if (status === 'Failed') error = { code: 'ActionFailed', message: 'An action failed. No dependent actions succeeded.' };
    } catch (e) {
      if (e instanceof TerminateSignal) {
        status = e.status;
        error = e.error;
      } else throw e;
    }
    const end = clock.t;
    return {
      flow: this.options.displayName,
      status,
      error,
      startTime: isoInstant(start),
      endTime: isoInstant(end),
      durationMs: end.ms - start.ms,
      trigger: { name: this.triggerState!.name, type: this.triggerState!.type, kind: this.triggerState!.kind, outputs: this.mask(this.triggerState!.outputs) },
      actions: this.history,
      response: this.response,
      stats: this.stats,
    };
  }

  private startTrigger(clock: Clock): void {
    const triggers = isObject(this.definition.triggers) ? Object.entries(this.definition.triggers) : [];
    if (triggers.length !== 1) throw new FlowDefinitionError(`a flow needs exactly one trigger, found ${triggers.length}`);
    const [name, def] = triggers[0]!;
    if (!isObject(def)) throw new FlowDefinitionError(`trigger '${name}' must be an object`);
    const type = String(def.type ?? '');
    const kind = typeof def.kind === 'string' ? def.kind : null;
    let outputs: WdlValue;
    if (type.toLowerCase() === 'recurrence') {
      if (this.options.triggerBody !== undefined && this.options.triggerBody !== null) {
        throw new WdlUnsupportedError('an input body for a Recurrence trigger', name);
      }
      outputs = { headers: {}, body: null };
    } else if (type.toLowerCase() === 'openapiconnectionwebhook') {
      // A Dataverse row trigger: the body is the row event (runFlowChain passes it after another run's write).
      rowTriggerOf(this.definition);
      const body = this.options.triggerBody;
      if (!isObject(body)) throw new WdlUnsupportedError('a Dataverse row trigger without a row event (run it with runFlowChain after a write, or pass the row as the trigger body)', name);
      outputs = { headers: { 'Content-Type': 'application/json; charset=utf-8', 'x-ms-dynamics-msg-size-exceeded': 'false' }, body };
    } else if (type.toLowerCase() === 'openapiconnection' || type.toLowerCase() === 'openapiconnectionnotification' || type.toLowerCase() === 'apiconnection') {
      const host = isObject(def.inputs) && isObject(def.inputs.host) ? def.inputs.host : {};
      const api = String(host.apiId ?? (isObject(host.connection) ? String(host.connection.name ?? '') : '')).split('/').pop() || '(none)';
      throw new WdlUnsupportedError(`the ${type} trigger of the connector '${api}'`, name);
    } else if (type.toLowerCase() === 'request') {
      // Manual (Button), Power Apps (PowerApp, PowerAppV2), Copilot Studio (Skills, VirtualAgent) and HTTP requests all start with the input body.
      if (!['powerappv2', 'powerapp', 'button', 'http', 'skills', 'virtualagent'].includes((kind ?? 'http').toLowerCase())) throw new WdlUnsupportedError(`the Request trigger kind '${kind}'`, name);
      const body = this.options.triggerBody ?? {};
      const inputs = isObject(def.inputs) ? def.inputs : {};
      if (isObject(inputs.schema)) {
        const validate = this.compileSchema(inputs.schema);
        if (!validate(body)) {
          throw new WdlEvalError(`trigger '${name}': the input does not match the trigger's schema: ${this.ajv.errorsText(validate.errors, { dataVar: 'input' })}`);
        }
      }
      outputs = { headers: { 'Content-Type': 'application/json' }, body };
    } else {
      throw new WdlUnsupportedError(`the trigger type '${type}'`, name);
    }
    this.triggerState = { name, type, kind, outputs, startTime: clock.now() };
  }

  private readonly graphs = new WeakMap<object, { names: string[]; deps: Map<string, [string, string[]][]> }>();

  /** Sibling names and runAfter edges of an action map, checked once per map. */
  private graph(map: WdlObject): { names: string[]; deps: Map<string, [string, string[]][]> } {
    const cached = this.graphs.get(map);
    if (cached) return cached;
    const names = Object.keys(map);
    const deps = new Map<string, [string, string[]][]>();
    for (const n of names) {
      const def = map[n] as ActionDef;
      const ra = def.runAfter ?? {};
      if (!isObject(ra)) throw new FlowDefinitionError(`action '${n}': runAfter must be an object`);
      const list: [string, string[]][] = [];
      for (const [d, sts] of Object.entries(ra)) {
        if (!(d in map)) throw new FlowDefinitionError(`action '${n}': runAfter names '${d}', which is not an action in the same scope`);
        if (!Array.isArray(sts) || sts.length === 0) throw new FlowDefinitionError(`action '${n}': runAfter '${d}' must list at least one status`);
        const lowered = sts.map((s) => String(s).toLowerCase());
        for (const s of lowered) {
          if (!['succeeded', 'failed', 'skipped', 'timedout'].includes(s)) throw new WdlUnsupportedError(`the runAfter status '${s}'`, n);
        }
        list.push([d, lowered]);
      }
      deps.set(n, list);
    }
    const g = { names, deps };
    this.graphs.set(map, g);
    return g;
  }

  /** Runs a map of sibling actions in runAfter order (definition order among ready ones); returns the scope's status. */
  private async runActionMap(map: unknown, frame: Frame): Promise<ActionStatus> {
    if (!isObject(map)) return 'Succeeded';
    const { names, deps } = this.graph(map);
    const done = new Map<string, ActionStatus>();
    while (done.size < names.length) {
      const next = names.find((n) => !done.has(n) && deps.get(n)!.every(([d]) => done.has(d)));
      if (next === undefined) {
        const stuck = names.filter((n) => !done.has(n));
        throw new FlowDefinitionError(`runAfter forms a cycle among: ${stuck.join(', ')}`);
      }
      const ready = deps.get(next)!.every(([d, sts]) => sts.includes(done.get(d)!.toLowerCase()));
      const def = map[next] as ActionDef;
      const status = ready ? await this.runAction(next, def, frame) : this.skip(next, def, frame);
      done.set(next, status);
    }
    return scopeStatus(names, deps, done);
  }

  private skip(name: string, def: ActionDef, frame: Frame): ActionStatus {
    const now = frame.clock.now();
    frame.states.map.set(name, { name, type: String(def.type), status: 'Skipped', code: 'ActionSkipped', inputs: null, outputs: null, error: null, startTime: now, endTime: now });
    this.record(name, def, frame, { status: 'Skipped', code: 'ActionSkipped' }, now, now, false);
    return 'Skipped';
  }

  /** Waits until this branch is the earliest on the virtual clock (see LaneScheduler); undefined when alone. */
  turn(clock: Clock): Promise<void> | undefined {
    return this.scheduler.turn(clock.t);
  }

  private async runAction(name: string, def: ActionDef, frame: Frame): Promise<ActionStatus> {
    const wait = this.turn(frame.clock);
    if (wait) await wait;
    if (++this.stats.actions > this.maxActions) throw new FlowDefinitionError(`the run executed more than ${this.maxActions} actions; stopped at '${name}'`);
    const type = String(def.type ?? '');
    const key = type.toLowerCase() === 'delay' ? 'wait' : type.toLowerCase();
    const allowed = ALLOWED_KEYS[key];
    if (!allowed) throw new WdlUnsupportedError(`the action type '${type}'`, name);
    for (const k of Object.keys(def)) if (!allowed.includes(k)) throw new WdlUnsupportedError(`the property '${k}' on a ${type} action`, name);
    if (key === 'openapiconnection') {
      // The connector first: a flow that uses one the runner lacks stops naming it.
      const host = isObject(def.inputs) && isObject(def.inputs.host) ? def.inputs.host : {};
      const apiId = String(host.apiId ?? '');
      if (apiId !== DATAVERSE_API) throw new WdlUnsupportedError(`the connector '${apiId.split('/').pop() || apiId}' (only Dataverse actions run locally)`, name);
    }
    const rc = isObject(def.runtimeConfiguration) ? def.runtimeConfiguration : {};
    for (const k of Object.keys(rc)) {
      const ok = k === 'secureData' || (k === 'concurrency' && key === 'foreach') || (k === 'paginationPolicy' && key === 'openapiconnection');
      if (!ok) throw new WdlUnsupportedError(`runtimeConfiguration.${k} on a ${type} action`, name);
    }
    const secured = securedParts(rc, name);
    const startTime = frame.clock.now();
    const childFrame: Frame = { ...frame, path: [...frame.path, name] };
    let outcome: Outcome;
    try {
      outcome = await this.dispatch(key, name, def, childFrame);
    } catch (e) {
      if (e instanceof WdlEvalError) {
        outcome = { status: 'Failed', code: 'InvalidTemplate', error: { code: 'InvalidTemplate', message: `Unable to process template language expressions in action '${name}': ${e.message}` } };
      } else if (e instanceof WdlUnsupportedError) {
        throw e.withAction(name);
      } else if (e instanceof TerminateSignal) {
        // Terminate and every container it ends were executed: each is a request.
        this.stats.powerPlatformRequests++;
        const now = frame.clock.now();
        frame.states.map.set(name, { name, type, status: 'Succeeded', code: null, inputs: null, outputs: null, error: null, startTime, endTime: now });
        throw e;
      } else throw e;
    }
    // Secured outputs stay hidden downstream (as in the service); secured inputs hide only this action's inputs.
    if (secured.outputs) this.addSecrets(outcome.outputs);
    const endTime = frame.clock.now();
    const state: ActionState = {
      name,
      type,
      status: outcome.status,
      code: outcome.code ?? (outcome.status === 'Succeeded' ? 'OK' : null),
      inputs: outcome.inputs ?? null,
      outputs: outcome.outputs ?? null,
      error: outcome.error ?? null,
      startTime,
      endTime,
    };
    frame.states.map.set(name, state);
    this.stats.retries += outcome.retries ?? 0;
    this.stats.powerPlatformRequests += 1 + (outcome.retries ?? 0) + (outcome.extraRequests ?? 0);
    this.record(name, def, frame, outcome, startTime, endTime, true, secured);
    return outcome.status;
  }

  private record(name: string, def: ActionDef, frame: Frame, o: Outcome, startTime: string, endTime: string, ran: boolean, secured = { inputs: false, outputs: false }): void {
    if (!this.keepHistory) return;
    this.history.push({
      name,
      path: [...frame.path, name].join('/'),
      iteration: frame.loops.map((l) => l.index),
      type: String(def.type),
      status: o.status,
      code: o.code ?? (o.status === 'Succeeded' ? 'OK' : null),
      error: o.error ? { code: o.error.code, message: this.redact(o.error.message) } : null,
      inputs: !ran ? null : secured.inputs ? SECURED : this.mask(o.inputs ?? null),
      outputs: !ran ? null : secured.outputs ? SECURED : this.mask(o.outputs ?? null),
      startTime,
      endTime,
      durationMs: parseTimestamp(endTime, 'end').ms - parseTimestamp(startTime, 'start').ms,
      retries: o.retries ?? 0,
    });
  }

  /** Registers the strings of secured outputs (not variable names, headers or etags) for masking. */
  private addSecrets(v: WdlValue | undefined): void {
    if (typeof v === 'string') {
      if (v.length >= 4) this.secrets.add(v);
    } else if (Array.isArray(v)) v.forEach((x) => this.addSecrets(x));
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) if (k !== 'name' && k !== 'headers' && k !== '@odata.etag') this.addSecrets(x);
    }
  }

  /** A copy for the run history with every known secret replaced. */
  mask(v: WdlValue): WdlValue {
    if (typeof v === 'string') return this.redact(v);
    if (Array.isArray(v)) return v.map((x) => this.mask(x));
    if (isObject(v)) {
      const out: WdlObject = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.mask(x);
      return out;
    }
    return v;
  }

  redact(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('***');
    return out;
  }

  // ---------------------------------------------------------------- expressions

  context(frame: Frame, actionName: string): EvalContext {
    return {
      now: () => frame.clock.now(),
      variable: (n) => {
        const v = this.variables.get(n);
        if (!v) throw new WdlEvalError(`the variable '${n}' is not initialized`);
        return v.value;
      },
      parameter: (n) => {
        if (n === '$connections' || n === '$authentication') return {};
        const v = this.parameterValues.get(n);
        if (v === undefined) {
          const declared = isObject(this.definition.parameters) && n in this.definition.parameters;
          throw new WdlEvalError(declared ? `the parameter '${n}' has no value (no environment variable value, no default)` : `the parameter '${n}' is not declared in the flow`);
        }
        return v;
      },
      action: (n) => {
        if (!this.defs.has(n)) throw new WdlEvalError(`the action '${n}' is not defined in the flow`);
        const s = frame.states.get(n);
        return s ? stateValue(s) : null;
      },
      trigger: () => ({ name: this.triggerState!.name, outputs: this.triggerState!.outputs, startTime: this.triggerState!.startTime, status: 'Succeeded' }),
      items: (loop) => {
        for (let i = frame.loops.length - 1; i >= 0; i--) if (frame.loops[i]!.name === loop) return frame.loops[i]!.item;
        throw new WdlEvalError(`items('${loop}'): '${loop}' is not an enclosing Foreach of '${actionName}'`);
      },
      item: () => {
        if (frame.items.length) return frame.items[frame.items.length - 1]!;
        const l = frame.loops[frame.loops.length - 1];
        if (!l) throw new WdlEvalError(`item() is used outside a Foreach, Query or Select (in '${actionName}')`);
        return l.item;
      },
      iterationIndexes: (loop) => {
        for (let i = frame.loops.length - 1; i >= 0; i--) if (frame.loops[i]!.name === loop) return frame.loops[i]!.index;
        throw new WdlEvalError(`iterationIndexes('${loop}'): '${loop}' is not an enclosing loop of '${actionName}'`);
      },
      workflow: () => ({
        id: `/workflows/${this.options.displayName}`,
        name: this.workflowName(),
        type: 'Microsoft.Logic/workflows',
        location: 'local',
        run: { id: `/workflows/${this.workflowName()}/runs/${this.runName}`, name: this.runName, type: 'Microsoft.Logic/workflows/runs' },
        tags: {
          flowDisplayName: this.options.displayName,
          environmentName: this.options.environmentName ?? 'local',
          logicAppName: this.workflowName(),
        },
      }),
      result: (scope) => {
        const d = this.defs.get(scope);
        if (!d) throw new WdlEvalError(`result('${scope}'): no action '${scope}' in the flow`);
        return d.children.map((c) => frame.states.get(c)).filter((s): s is ActionState => !!s).map(stateValue);
      },
      guid: () => this.nextGuid('guid'),
    };
  }

  private workflowName(): string {
    return this.nextGuidFor('workflow', this.options.displayName);
  }

  nextGuid(ns: string): string {
    return this.nextGuidFor(ns, `${this.runName}:${++this.guidCounter}`);
  }

  private nextGuidFor(ns: string, key: string): string {
    const h = createHash('sha1').update(`${ns}:${key}`).digest('hex');
    const v = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  ev(value: unknown, frame: Frame, name: string): WdlValue {
    return evaluateDeep(value, this.context(frame, name));
  }

  compileSchema(schema: WdlObject): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.schemaCache.get(key);
    if (!v) {
      try {
        v = this.ajv.compile(schema);
      } catch (e) {
        throw new WdlEvalError(`the JSON schema is invalid: ${(e as Error).message}`);
      }
      this.schemaCache.set(key, v);
    }
    return v;
  }

  // ---------------------------------------------------------------- actions

  private async dispatch(key: string, name: string, def: ActionDef, frame: Frame): Promise<Outcome> {
    switch (key) {
      case 'initializevariable':
        return this.initializeVariable(name, def, frame);
      case 'setvariable':
      case 'incrementvariable':
      case 'decrementvariable':
      case 'appendtoarrayvariable':
      case 'appendtostringvariable':
        return this.changeVariable(key, name, def, frame);
      case 'compose': {
        const value = this.ev(def.inputs, frame, name);
        return { status: 'Succeeded', inputs: value, outputs: value };
      }
      case 'parsejson':
        return this.parseJson(name, def, frame);
      case 'query':
        return this.query(name, def, frame);
      case 'select':
        return this.select(name, def, frame);
      case 'foreach':
        return this.foreach(name, def, frame);
      case 'if':
        return this.ifAction(name, def, frame);
      case 'switch':
        return this.switchAction(name, def, frame);
      case 'until':
        return this.until(name, def, frame);
      case 'scope': {
        const status = await this.runActionMap(def.actions ?? {}, frame);
        return scopeOutcome(status, name);
      }
      case 'terminate':
        return this.terminate(name, def, frame);
      case 'response':
        return this.respond(name, def, frame);
      case 'wait':
        return this.wait(name, def, frame);
      case 'http':
        return runHttpAction(this, name, def, frame.clock, (v) => this.ev(v, frame, name));
      case 'openapiconnection':
        return runConnectorAction(this, name, def, frame.clock, (v) => this.ev(v, frame, name));
      default:
        throw new WdlUnsupportedError(`the action type '${String(def.type)}'`, name);
    }
  }

  private initializeVariable(name: string, def: ActionDef, frame: Frame): Outcome {
    if (this.defs.get(name)!.parent !== undefined) throw new FlowDefinitionError(`action '${name}': InitializeVariable must be at the top level of the flow`);
    const inputs = this.ev(def.inputs, frame, name);
    const vars = isObject(inputs) && Array.isArray(inputs.variables) ? inputs.variables : null;
    if (!vars || vars.length !== 1 || !isObject(vars[0])) throw new WdlEvalError(`InitializeVariable needs inputs.variables with one {name, type, value}`);
    const v = vars[0];
    const vname = String(v.name ?? '');
    const vtype = String(v.type ?? '').toLowerCase();
    if (!VAR_DEFAULTS.has(vtype)) throw new WdlEvalError(`variable '${vname}': unknown type '${String(v.type)}'; use Boolean, Integer, Float, String, Object or Array`);
    if (this.variables.has(vname)) throw new WdlEvalError(`the variable '${vname}' is already initialized`);
    const value = 'value' in v ? coerceVariable(vname, vtype, v.value ?? null) : cloneValue(VAR_DEFAULTS.get(vtype)!);
    this.variables.set(vname, { type: vtype, value });
    return { status: 'Succeeded', inputs: { variables: [{ name: vname, type: String(v.type), value }] } };
  }

  private changeVariable(key: string, name: string, def: ActionDef, frame: Frame): Outcome {
    const inputs = this.ev(def.inputs, frame, name);
    if (!isObject(inputs) || typeof inputs.name !== 'string') throw new WdlEvalError('inputs.name must name a variable');
    const vname = inputs.name;
    const v = this.variables.get(vname);
    if (!v) throw new WdlEvalError(`the variable '${vname}' is not initialized`);
    const value = inputs.value ?? null;
    switch (key) {
      case 'setvariable':
        v.value = coerceVariable(vname, v.type, value);
        return { status: 'Succeeded', inputs: { name: vname, value }, outputs: { body: { name: vname, value: v.value } } };
      case 'incrementvariable':
      case 'decrementvariable': {
        if (v.type !== 'integer' && v.type !== 'float') throw new WdlEvalError(`the variable '${vname}' is ${v.type}; only Integer and Float variables can be incremented`);
        const by = 'value' in inputs ? inputs.value : 1;
        if (typeof by !== 'number') throw new WdlEvalError(`the increment of '${vname}' must be a number, not ${typeName(by ?? null)}`);
        v.value = (v.value as number) + (key === 'incrementvariable' ? by : -by);
        return { status: 'Succeeded', inputs: { name: vname, value: by }, outputs: { body: { name: vname, value: v.value } } };
      }
      case 'appendtoarrayvariable':
        if (v.type !== 'array') throw new WdlEvalError(`the variable '${vname}' is ${v.type}, not Array`);
        (v.value as WdlValue[]).push(value);
        return { status: 'Succeeded', inputs: { name: vname, value } };
      default:
        if (v.type !== 'string') throw new WdlEvalError(`the variable '${vname}' is ${v.type}, not String`);
        if (typeof value !== 'string') throw new WdlEvalError(`only a string can be appended to '${vname}', not ${typeName(value)}`);
        v.value = (v.value as string) + value;
        return { status: 'Succeeded', inputs: { name: vname, value } };
    }
  }

  private parseJson(name: string, def: ActionDef, frame: Frame): Outcome {
    if (!isObject(def.inputs)) throw new WdlEvalError('ParseJson needs inputs {content, schema}');
    let content = this.ev(def.inputs.content, frame, name);
    const schema = this.ev(def.inputs.schema ?? {}, frame, name);
    if (!isObject(schema)) throw new WdlEvalError('ParseJson: inputs.schema must be an object');
    if (typeof content === 'string') {
      try {
        content = JSON.parse(content) as WdlValue;
      } catch {
        return { status: 'Failed', code: 'InvalidJSON', inputs: { content, schema }, error: { code: 'InvalidJSON', message: `the content of '${name}' is not valid JSON` } };
      }
    }
    const validate = this.compileSchema(schema);
    if (!validate(content)) {
      const message = (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim()).join('; ');
      return { status: 'Failed', code: 'BadRequest', inputs: { content, schema }, outputs: { body: content }, error: { code: 'ValidationFailed', message: `The schema validation failed: ${message}` } };
    }
    return { status: 'Succeeded', inputs: { content, schema }, outputs: { body: content } };
  }

  private query(name: string, def: ActionDef, frame: Frame): Outcome {
    if (!isObject(def.inputs)) throw new WdlEvalError('Query needs inputs {from, where}');
    const from = this.ev(def.inputs.from, frame, name);
    if (!Array.isArray(from)) throw new WdlEvalError(`Query: 'from' must be an array, not ${typeName(from)}`);
    const where = def.inputs.where;
    if (typeof where !== 'string') throw new WdlEvalError("Query: 'where' must be an expression string");
    const out: WdlValue[] = [];
    // One frame and one context for the whole loop: item() reads the last slot, updated per item.
    const f: Frame = { ...frame, items: [...frame.items, null] };
    const ctx = this.context(f, name);
    const slot = f.items.length - 1;
    for (const item of from) {
      f.items[slot] = item;
      const keep = evaluateString(where, ctx);
      if (typeof keep !== 'boolean') throw new WdlEvalError(`Query: 'where' must give a boolean, not ${typeName(keep)}`);
      if (keep) out.push(item);
    }
    return { status: 'Succeeded', inputs: { from, where }, outputs: { body: out } };
  }

  private select(name: string, def: ActionDef, frame: Frame): Outcome {
    if (!isObject(def.inputs)) throw new WdlEvalError('Select needs inputs {from, select}');
    const from = this.ev(def.inputs.from, frame, name);
    if (!Array.isArray(from)) throw new WdlEvalError(`Select: 'from' must be an array, not ${typeName(from)}`);
    const f: Frame = { ...frame, items: [...frame.items, null] };
    const ctx = this.context(f, name);
    const slot = f.items.length - 1;
    const select = def.inputs.select;
    const out = from.map((item) => {
      f.items[slot] = item;
      return evaluateDeep(select, ctx);
    });
    return { status: 'Succeeded', inputs: { from, select: (def.inputs.select ?? null) as WdlValue }, outputs: { body: out } };
  }

  private clearStates(container: string, scope: StateScope): void {
    for (const c of this.defs.get(container)!.children) {
      scope.map.delete(c);
      this.clearStates(c, scope);
    }
  }

  private async foreach(name: string, def: ActionDef, frame: Frame): Promise<Outcome> {
    const items = typeof def.foreach === 'string' ? this.ev(def.foreach, frame, name) : null;
    if (typeof def.foreach !== 'string') throw new WdlEvalError("Foreach needs a 'foreach' expression");
    if (!Array.isArray(items)) throw new WdlEvalError(`the 'foreach' expression must give an array, not ${typeName(items)}`);
    if (items.length > 100_000) throw new WdlEvalError(`Foreach '${name}' has ${items.length} items, over the 100000 limit`);
    // Power Automate's default: iterations one at a time ("Apply to each concurrency: 1 is the default limit",
    // learn.microsoft.com/power-automate/limits-and-config); runtimeConfiguration.concurrency.repetitions 1–50.
    let lanes = 1;
    const rc = isObject(def.runtimeConfiguration) ? def.runtimeConfiguration : {};
    if (isObject(rc.concurrency)) {
      const reps = rc.concurrency.repetitions;
      if (typeof reps !== 'number' || !Number.isInteger(reps) || reps < 1 || reps > 50) throw new WdlEvalError('runtimeConfiguration.concurrency.repetitions must be an integer from 1 to 50');
      lanes = reps;
    }
    if (def.operationOptions !== undefined) {
      if (String(def.operationOptions).toLowerCase() !== 'sequential') throw new WdlUnsupportedError(`operationOptions '${String(def.operationOptions)}' on a Foreach`, name);
      lanes = 1;
    }
    // Each lane has its own virtual clock and takes the next item when it is free; the scheduler interleaves
    // the lanes' actions and requests by virtual time. Each iteration reads its own actions' results.
    this.clearStates(name, frame.states);
    const laneCount = Math.min(lanes, Math.max(items.length, 1));
    let next = 0;
    let failed = false;
    let lastScope: StateScope | undefined;
    const runLane = async (): Promise<Instant> => {
      const clock = new Clock(frame.clock.t);
      while (next < items.length) {
        const i = next++;
        const scope = new StateScope(frame.states);
        const f: Frame = { clock, loops: [...frame.loops, { name, item: items[i]!, index: i }], items: [], path: frame.path, states: scope };
        const status = await this.runActionMap(def.actions ?? {}, f);
        if (status !== 'Succeeded') failed = true;
        lastScope = scope;
      }
      return clock.t;
    };
    let ends: Instant[];
    if (laneCount === 1) ends = [await runLane()];
    else {
      this.scheduler.fork(laneCount);
      let running = laneCount;
      ends = await Promise.all(
        Array.from({ length: laneCount }, () =>
          runLane().then(
            (t) => {
              this.scheduler.laneDone(--running === 0);
              return t;
            },
            (e: unknown) => {
              this.scheduler.fail(e);
              throw e;
            },
          ),
        ),
      );
    }
    // After the loop, its actions read as in the last iteration that ended.
    if (lastScope) for (const [k, v] of (lastScope as StateScope).map) frame.states.map.set(k, v);
    for (const t of ends) if (cmpInstant(t, frame.clock.t) > 0) frame.clock.t = t;
    return failed
      ? { status: 'Failed', code: 'ActionFailed', inputs: { items: items.length }, error: { code: 'ActionFailed', message: `An action failed in an iteration of '${name}'.` } }
      : { status: 'Succeeded', inputs: { items: items.length } };
  }

  private condition(expr: unknown, frame: Frame, name: string): boolean {
    let v: WdlValue;
    if (typeof expr === 'string') v = this.ev(expr, frame, name);
    else if (isObject(expr)) v = this.designerCondition(expr, frame, name);
    else if (typeof expr === 'boolean') v = expr;
    else throw new WdlEvalError("the 'expression' must be an expression string or a condition object");
    if (typeof v !== 'boolean') throw new WdlEvalError(`the condition must give a boolean, not ${typeName(v)}`);
    return v;
  }

  /** The designer's condition object: {and: [...]}, {or: [...]}, {not: {...}}, {equals: [a, b]}, … */
  private designerCondition(expr: WdlObject, frame: Frame, name: string): WdlValue {
    const keys = Object.keys(expr);
    if (keys.length !== 1) throw new WdlEvalError('a condition object must have exactly one operator');
    const op = keys[0]!;
    const arg = expr[op];
    if (op === 'and' || op === 'or') {
      if (!Array.isArray(arg)) throw new WdlEvalError(`'${op}' needs an array of conditions`);
      const values = arg.map((c) => (isObject(c) ? this.designerCondition(c, frame, name) : this.ev(c, frame, name)));
      return FUNCTIONS[op]!(values, this.context(frame, name));
    }
    if (op === 'not') {
      const inner = isObject(arg) ? this.designerCondition(arg, frame, name) : this.ev(arg, frame, name);
      return FUNCTIONS.not!([inner], this.context(frame, name));
    }
    const known = ['equals', 'greater', 'greaterOrEquals', 'less', 'lessOrEquals', 'contains', 'startsWith', 'endsWith'];
    if (!known.includes(op)) throw new WdlUnsupportedError(`the condition operator '${op}'`);
    if (!Array.isArray(arg)) throw new WdlEvalError(`'${op}' needs an array of two operands`);
    return FUNCTIONS[op]!(arg.map((a) => this.ev(a, frame, name)), this.context(frame, name));
  }

  private async ifAction(name: string, def: ActionDef, frame: Frame): Promise<Outcome> {
    const result = this.condition(def.expression, frame, name);
    const branch = result ? def.actions : isObject(def.else) ? def.else.actions : undefined;
    const status = branch === undefined ? 'Succeeded' : await this.runActionMap(branch, frame);
    const o = scopeOutcome(status, name);
    return { ...o, inputs: { expressionResult: result } };
  }

  private async switchAction(name: string, def: ActionDef, frame: Frame): Promise<Outcome> {
    const value = this.ev(def.expression, frame, name);
    if (typeof value === 'object' && value !== null) throw new WdlEvalError(`the Switch expression must give a string or number, not ${typeName(value)}`);
    const cases = isObject(def.cases) ? def.cases : {};
    let chosen: unknown;
    let chosenName = 'default';
    const seen: WdlValue[] = [];
    for (const [caseName, c] of Object.entries(cases)) {
      if (!isObject(c) || !('case' in c)) throw new FlowDefinitionError(`action '${name}': case '${caseName}' needs a 'case' value`);
      const cv = c.case as WdlValue;
      if (seen.some((s) => deepEqual(s, cv))) throw new FlowDefinitionError(`action '${name}': the case value ${JSON.stringify(cv)} appears twice`);
      seen.push(cv);
      if (chosen === undefined && deepEqual(cv, value)) {
        chosen = c.actions ?? {};
        chosenName = caseName;
      }
    }
    if (chosen === undefined && isObject(def.default)) chosen = def.default.actions;
    const status = chosen === undefined ? 'Succeeded' : await this.runActionMap(chosen, frame);
    return { ...scopeOutcome(status, name), inputs: { expression: value, case: chosenName } };
  }

  private async until(name: string, def: ActionDef, frame: Frame): Promise<Outcome> {
    const limit = isObject(def.limit) ? (this.ev(def.limit, frame, name) as WdlObject) : {};
    const count = limit.count === undefined || limit.count === null ? 60 : limit.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 5000) throw new WdlEvalError(`Until: limit.count must be an integer from 1 to 5000, not ${JSON.stringify(count)}`);
    const timeoutMs = parseDuration(limit.timeout === undefined || limit.timeout === null ? 'PT1H' : limit.timeout, 'Until limit.timeout');
    const started = frame.clock.t;
    for (let i = 0; ; i++) {
      this.clearStates(name, frame.states);
      const f: Frame = { ...frame, loops: [...frame.loops, { name, item: null, index: i }], items: [] };
      const status = await this.runActionMap(def.actions ?? {}, f);
      if (status !== 'Succeeded') {
        return { status: 'Failed', code: 'ActionFailed', inputs: { iterations: i + 1 }, error: { code: 'ActionFailed', message: `An action failed in iteration ${i + 1} of '${name}'.` } };
      }
      if (this.condition(def.expression, frame, name)) return { status: 'Succeeded', inputs: { iterations: i + 1 } };
      if (frame.clock.t.ms - started.ms >= timeoutMs) {
        return { status: 'TimedOut', code: 'ActionTimedOut', inputs: { iterations: i + 1 }, error: { code: 'ActionTimedOut', message: `'${name}' reached its timeout of ${String(limit.timeout ?? 'PT1H')} after ${i + 1} iterations.` } };
      }
      if (i + 1 >= count) return { status: 'Succeeded', code: 'LimitReached', inputs: { iterations: i + 1, limitReached: 'count' } };
    }
  }

  private terminate(name: string, def: ActionDef, frame: Frame): never {
    const inputs = this.ev(def.inputs ?? {}, frame, name);
    if (!isObject(inputs)) throw new WdlEvalError('Terminate needs inputs {runStatus, runError}');
    const raw = String(inputs.runStatus ?? '');
    const status = (['Succeeded', 'Failed', 'Cancelled'] as const).find((s) => s.toLowerCase() === raw.toLowerCase());
    if (!status) throw new WdlEvalError(`Terminate: runStatus must be Succeeded, Failed or Cancelled, not '${raw}'`);
    let error: { code: string; message: string } | null = null;
    if (status === 'Failed') {
      const re = isObject(inputs.runError) ? inputs.runError : {};
      error = { code: String(re.code ?? 'Terminated'), message: this.redact(String(re.message ?? '')) };
    }
    const now = frame.clock.now();
    this.record(name, def, { ...frame, path: frame.path.slice(0, -1) }, { status: 'Succeeded', inputs }, now, now, true);
    throw new TerminateSignal(status, error);
  }

  private respond(name: string, def: ActionDef, frame: Frame): Outcome {
    const inputs = this.ev(def.inputs ?? {}, frame, name);
    if (!isObject(inputs)) throw new WdlEvalError('Response needs inputs {statusCode, body}');
    if (this.response) return { status: 'Failed', code: 'ResponseAlreadySent', inputs, error: { code: 'ResponseAlreadySent', message: 'A response was already sent for this run.' } };
    const statusCode = typeof inputs.statusCode === 'string' ? Number(inputs.statusCode) : inputs.statusCode;
    if (typeof statusCode !== 'number' || !Number.isInteger(statusCode)) throw new WdlEvalError(`Response: statusCode must be an integer, not ${JSON.stringify(inputs.statusCode)}`);
    let body = inputs.body ?? null;
    if (isObject(inputs.schema) && body !== null) {
      const validate = this.compileSchema(inputs.schema);
      if (!validate(body)) {
        return { status: 'Failed', code: 'BadRequest', inputs, error: { code: 'ValidationFailed', message: `the response body does not match the schema: ${this.ajv.errorsText(validate.errors)}` } };
      }
    }
    body = this.mask(body);
    this.response = { statusCode, headers: this.mask(inputs.headers ?? {}), body };
    return { status: 'Succeeded', inputs, outputs: { statusCode, headers: inputs.headers ?? {}, body } };
  }

  private wait(name: string, def: ActionDef, frame: Frame): Outcome {
    const inputs = this.ev(def.inputs ?? {}, frame, name);
    if (!isObject(inputs)) throw new WdlEvalError('Wait needs inputs {interval: {count, unit}} or {until: {timestamp}}');
    if (isObject(inputs.interval)) {
      const count = inputs.interval.count;
      const unit = inputs.interval.unit;
      if (typeof count !== 'number' || count < 0) throw new WdlEvalError('Wait: interval.count must be a non-negative number');
      if (typeof unit !== 'string') throw new WdlEvalError('Wait: interval.unit must be Second, Minute, Hour, Day, Week or Month');
      frame.clock.t = addUnits(frame.clock.t, count, unit, 'Wait');
    } else if (isObject(inputs.until)) {
      const ts = parseTimestamp(String(inputs.until.timestamp ?? ''), 'Wait until.timestamp');
      if (cmpInstant(ts, frame.clock.t) > 0) frame.clock.t = ts;
    } else throw new WdlEvalError('Wait needs inputs {interval: {count, unit}} or {until: {timestamp}}');
    return { status: 'Succeeded', inputs };
  }
}

// ---------------------------------------------------------------- helpers

const VAR_DEFAULTS = new Map<string, WdlValue>([
  ['boolean', false],
  ['integer', 0],
  ['float', 0],
  ['string', ''],
  ['object', {}],
  ['array', []],
]);

function coerceVariable(name: string, type: string, value: WdlValue): WdlValue {
  const ok =
    value === null ||
    (type === 'boolean' && typeof value === 'boolean') ||
    (type === 'integer' && typeof value === 'number' && Number.isInteger(value)) ||
    (type === 'float' && typeof value === 'number') ||
    (type === 'string' && typeof value === 'string') ||
    (type === 'object' && isObject(value)) ||
    (type === 'array' && Array.isArray(value));
  if (!ok) throw new WdlEvalError(`the variable '${name}' is ${type}; a value of type ${typeName(value)} cannot be assigned to it`);
  return cloneValue(value);
}

function convertParameter(raw: string, type: string, name: string): WdlValue {
  if (type === 'int') {
    if (!/^[+-]?\d+$/.test(raw.trim())) throw new WdlEvalError(`the parameter '${name}' is Int but its environment variable value is '${raw}'`);
    return Number(raw);
  }
  if (type === 'bool') {
    if (!/^(true|false|yes|no)$/i.test(raw.trim())) throw new WdlEvalError(`the parameter '${name}' is Bool but its environment variable value is '${raw}'`);
    return /^(true|yes)$/i.test(raw.trim());
  }
  if (type === 'object' || type === 'array') return JSON.parse(raw) as WdlValue;
  return raw;
}

function securedParts(rc: WdlObject, name: string): { inputs: boolean; outputs: boolean } {
  if (!('secureData' in rc)) return { inputs: false, outputs: false };
  const sd = rc.secureData;
  const props = isObject(sd) && Array.isArray(sd.properties) ? sd.properties.map((p) => String(p).toLowerCase()) : null;
  if (!props || props.some((p) => p !== 'inputs' && p !== 'outputs')) throw new WdlUnsupportedError("runtimeConfiguration.secureData other than {properties: ['inputs'|'outputs']}", name);
  return { inputs: props.includes('inputs'), outputs: props.includes('outputs') };
}

function stateValue(s: ActionState): WdlObject {
  return { name: s.name, status: s.status, code: s.code, inputs: s.inputs, outputs: s.outputs, error: s.error, startTime: s.startTime, endTime: s.endTime };
}

function scopeOutcome(status: ActionStatus, name: string): Outcome {
  if (status === 'Succeeded') return { status };
  return { status: 'Failed', code: 'ActionFailed', error: { code: 'ActionFailed', message: `An action failed in '${name}'. No dependent actions succeeded.` } };
}

function cmpInstant(a: Instant, b: Instant): number {
  return a.ms - b.ms || a.sub - b.sub;
}

/**
 * The status of a group of sibling actions, from its terminal actions (those no sibling runs after): a
 * terminal that failed or timed out fails the group; a skipped terminal takes the status of what it waited on.
 * So a failure handled by a `runAfter: Failed` branch does not fail the group.
 */
function scopeStatus(names: string[], deps: Map<string, [string, string[]][]>, done: Map<string, ActionStatus>): ActionStatus {
  const referenced = new Set<string>();
  for (const list of deps.values()) for (const [d] of list) referenced.add(d);
  const memo = new Map<string, ActionStatus>();
  const effective = (n: string): ActionStatus => {
    const m = memo.get(n);
    if (m) return m;
    const s = done.get(n)!;
    let r: ActionStatus = s;
    if (s === 'Skipped') {
      const preds = deps.get(n)!.map(([d]) => effective(d));
      r = preds.find((p) => p === 'Failed' || p === 'TimedOut') ?? 'Succeeded';
    }
    memo.set(n, r);
    return r;
  };
  for (const n of names) {
    if (referenced.has(n)) continue;
    const e = effective(n);
    if (e === 'Failed' || e === 'TimedOut' || e === 'Cancelled') return 'Failed';
  }
  return 'Succeeded';
}

function locate(flow: unknown): { definition: WdlObject; connectionReferences: WdlObject | undefined } {
  if (isObject(flow) && isObject(flow.properties) && isObject(flow.properties.definition)) {
    return { definition: flow.properties.definition, connectionReferences: isObject(flow.properties.connectionReferences) ? flow.properties.connectionReferences : undefined };
  }
  if (isObject(flow) && isObject(flow.definition)) return { definition: flow.definition, connectionReferences: isObject(flow.connectionReferences) ? flow.connectionReferences : undefined };
  if (isObject(flow) && (isObject(flow.triggers) || isObject(flow.actions))) return { definition: flow, connectionReferences: undefined };
  throw new FlowDefinitionError('not a flow: expected {properties: {definition}} or a workflow definition with triggers and actions');
}

export type { FlowRun };
export { Clock, DEFAULT_PAGE_SIZE };
