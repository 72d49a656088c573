import { UsageError } from '../errors.js';
import { createStore, loadStore, type MemoryStore } from '../store/index.js';
import {
  FlowDefinitionError,
  parseTimestamp,
  runFlow,
  RunAbortedError,
  WdlEvalError,
  WdlUnsupportedError,
  type HttpFunction,
  type RunResult,
  type WdlValue,
} from '../wdl/index.js';
import { locateFlow } from './locate.js';

export interface FlowRunRequest {
  /** A flow JSON file, or a display name / file name inside `solution`. */
  flow: string;
  /** An unpacked solution folder. */
  solution?: string;
  /** A store seed file (YAML or JSON). */
  store?: string;
  /** JSON text of the trigger body (Request triggers). */
  input?: string;
  /** Start of the run on the virtual clock. */
  now: string;
  cwd: string;
  /** The network: the emulator's HTTP. Without it, a flow that calls Http stops with a clear error. */
  http?: HttpFunction;
  /** Key Vault stand-in for Secret environment variables. */
  keyVault?: (reference: string, schemaName: string) => string | undefined;
  environmentName?: string;
}

export interface FlowRunReport {
  file: string;
  result: RunResult;
  store: MemoryStore;
}

const noNetwork: HttpFunction = async (req) => {
  throw new RunAbortedError(`the flow calls ${new URL(req.url).origin} but no emulator is set up for this run`);
};

/** Runs one flow of a solution (or a flow file) against the local store; the run's history is the result. */
export async function runFlowRequest(req: FlowRunRequest): Promise<FlowRunReport> {
  try {
    parseTimestamp(req.now, '--now');
  } catch {
    throw new UsageError(`--now '${req.now}' is not an ISO 8601 timestamp, e.g. 2026-01-31T10:00:00Z`);
  }
  let triggerBody: WdlValue | undefined;
  if (req.input !== undefined) {
    try {
      triggerBody = JSON.parse(req.input) as WdlValue;
    } catch (e) {
      throw new UsageError(`--input is not valid JSON: ${(e as Error).message}`);
    }
  }
  const located = locateFlow(req.flow, req.solution, req.cwd);
  const keyVault = req.keyVault ? { keyVault: req.keyVault } : {};
  const store = req.store ? loadStore(req.store, keyVault) : createStore({}, keyVault);
  try {
    const result = await runFlow({
      flow: located.flow,
      displayName: located.displayName,
      now: req.now,
      http: req.http ?? noNetwork,
      store,
      ...(triggerBody !== undefined ? { triggerBody } : {}),
      ...(req.environmentName ? { environmentName: req.environmentName } : {}),
    });
    return { file: located.file, result, store };
  } catch (e) {
    if (e instanceof WdlUnsupportedError || e instanceof FlowDefinitionError || e instanceof WdlEvalError || e instanceof RunAbortedError) {
      throw new UsageError([{ file: located.file, message: e.message }]);
    }
    throw e;
  }
}

/** The run history as text: one line per action execution, then the outcome. */
export function formatRunText(r: RunResult): string {
  const rows: string[][] = [['status', 'action', 'iteration', 'type', 'duration', 'code']];
  for (const a of r.actions) {
    rows.push([a.status, a.path, a.iteration.length ? a.iteration.join('.') : '', a.type, `${(a.durationMs / 1000).toFixed(1)}s`, a.code ?? '']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  lines.push('');
  lines.push(`${r.flow}: ${r.status} (${r.startTime} → ${r.endTime}, ${(r.durationMs / 1000).toFixed(1)}s virtual)`);
  if (r.error) lines.push(`error: ${r.error.code}: ${r.error.message}`);
  if (r.response) lines.push(`response: ${r.response.statusCode} ${JSON.stringify(r.response.body)}`);
  lines.push(`actions ${r.stats.actions}, http calls ${r.stats.httpCalls} (token requests ${r.stats.tokenRequests}), retries ${r.stats.retries}, dataverse calls ${r.stats.dataverseCalls}`);
  return lines.join('\n') + '\n';
}
