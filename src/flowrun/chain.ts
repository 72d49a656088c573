import type { MemoryStore, StoreChange } from '../store/index.js';
import { rowTriggerOf, runFlow, type HttpFunction, type RowTrigger, type RunResult, type WdlObject, type WdlValue } from '../wdl/index.js';

/** A flow of the chain: Dataverse row-triggered flows run when a write of another run matches their trigger. */
export interface ChainFlow {
  name: string;
  /** The flow file (`{properties: {definition, connectionReferences}}`) or a definition. */
  flow: unknown;
  parameters?: Record<string, WdlValue>;
}

export interface ChainRequest {
  flows: ChainFlow[];
  /** The run that starts the chain (any trigger): a flow of `flows` by name. */
  start: { flow: string; now: string; triggerBody?: WdlValue };
  store: MemoryStore;
  http: HttpFunction;
  /** Stops after this many runs (a flow that writes the table it is triggered by loops, as in the service). Default 100. */
  maxRuns?: number;
  environmentName?: string;
}

export interface ChainRun {
  flow: string;
  /** What started the run: the chain's start, or a write (its SdkMessage, table, row id, and the run that wrote it). */
  cause: { kind: 'start' } | { kind: 'row'; message: StoreChange['message']; entitySet: string; id: string; byRun: number };
  result: RunResult;
}

export interface ChainResult {
  runs: ChainRun[];
  /** True when maxRuns stopped the chain with triggered runs still pending. */
  truncated: boolean;
}

/** The local Dataverse has one user, who owns every row: each scope (user, business unit, organization) sees every write. */
const LOCAL_USER = '00000000-0000-4000-8000-00000000c0e1';

/**
 * Runs a flow, then every Dataverse row-triggered flow its writes fire ("When a row is added, modified or
 * deleted": change type, table, filtering attributes on updates, filter expression on the row after the
 * change), each starting when the writing run ended on the virtual clock, in the order of the writes; and
 * so on for their own writes.
 */
export async function runFlowChain(req: ChainRequest): Promise<ChainResult> {
  const byName = new Map(req.flows.map((f) => [f.name, f]));
  const first = byName.get(req.start.flow);
  if (!first) throw new Error(`runFlowChain: no flow named '${req.start.flow}' among ${[...byName.keys()].join(', ')}`);
  const triggered: { flow: ChainFlow; trigger: RowTrigger; entitySet: string | undefined }[] = [];
  for (const f of req.flows) {
    const t = rowTriggerOf(definitionOf(f.flow));
    if (t) triggered.push({ flow: f, trigger: t, entitySet: req.store.entitySetOf(t.entityName) });
  }
  const maxRuns = req.maxRuns ?? 100;
  const queue: { flow: ChainFlow; now: string; triggerBody?: WdlValue; cause: ChainRun['cause'] }[] = [
    { flow: first, now: req.start.now, ...(req.start.triggerBody !== undefined ? { triggerBody: req.start.triggerBody } : {}), cause: { kind: 'start' } },
  ];
  const runs: ChainRun[] = [];
  while (queue.length > 0 && runs.length < maxRuns) {
    const next = queue.shift()!;
    const changes: StoreChange[] = [];
    const unsubscribe = req.store.onChange((c) => changes.push(c));
    let result: RunResult;
    try {
      result = await runFlow({
        flow: next.flow.flow,
        displayName: next.flow.name,
        now: next.now,
        http: req.http,
        store: req.store,
        runName: `chain-${runs.length + 1}`,
        ...(next.triggerBody !== undefined ? { triggerBody: next.triggerBody } : {}),
        ...(next.flow.parameters ? { parameters: next.flow.parameters } : {}),
        ...(req.environmentName ? { environmentName: req.environmentName } : {}),
      });
    } finally {
      unsubscribe();
    }
    runs.push({ flow: next.flow.name, cause: next.cause, result });
    const byRun = runs.length - 1;
    for (const c of changes) {
      for (const t of triggered) {
        if (t.entitySet !== c.entitySet || !fires(req.store, t.trigger, c)) continue;
        queue.push({ flow: t.flow, now: result.endTime, triggerBody: rowEventBody(req.store, c), cause: { kind: 'row', message: c.message, entitySet: c.entitySet, id: c.id, byRun } });
      }
    }
  }
  return { runs, truncated: queue.length > 0 };
}

function fires(store: MemoryStore, t: RowTrigger, c: StoreChange): boolean {
  if (!t.messages.includes(c.message)) return false;
  if (c.message === 'Update' && t.filteringAttributes.length > 0 && !c.columns.some((col) => t.filteringAttributes.includes(col.toLowerCase()))) return false;
  if (t.filterExpression && !store.rowMatches(c.entitySet, t.filterExpression, c.row)) return false;
  return true;
}

/** The trigger body: the row's columns with SdkMessage, ItemInternalId and RunAsSystemUserId (a delete carries the id only). */
function rowEventBody(store: MemoryStore, c: StoreChange): WdlObject {
  const key = store.primaryKeyOf(c.entitySet);
  const base: WdlObject = c.message === 'Delete' ? { [key]: c.id } : { ...c.row };
  return { ...base, SdkMessage: c.message, ItemInternalId: c.id, RunAsSystemUserId: LOCAL_USER };
}

function definitionOf(flow: unknown): WdlObject {
  const f = flow as { properties?: { definition?: WdlObject }; definition?: WdlObject };
  return f.properties?.definition ?? f.definition ?? (flow as WdlObject);
}
