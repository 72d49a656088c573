import { basename } from 'node:path';
import { editionSolution, loadSolutionSource, type Edition } from '../audit-solution/index.js';
import { createHttpClient } from '../api/http.js';
import { findCloud } from '../clouds/resolve-cloud.js';
import { UsageError } from '../errors.js';
import { CSV_DISPLAY_NAME } from '../flows/csv-loader.js';
import { readUserFile, readUtf8File } from '../io/read-file.js';
import { createStore, readStoreSeed, withDefaults, type StoreSeed } from '../store/seed.js';
import type { MemoryStore } from '../store/memory-store.js';
import { FlowDefinitionError, runFlow } from '../wdl/runner/engine.js';
import { parseTimestamp } from '../wdl/datetime.js';
import { RunAbortedError, type HttpFunction, type RunResult } from '../wdl/runner/types.js';
import { WdlEvalError, WdlUnsupportedError, type WdlValue } from '../wdl/values.js';
import { emulatorHttp, startLocalEmulator, type LocalEmulator } from './emulator-http.js';
import { EMULATOR_SECRET_REFERENCE, emulatorStoreSeed } from './emulator-seed.js';
import { runFlowChain, type ChainResult } from './chain.js';
import { locateFlow, locateSolutionFlows, solutionEnvironmentVariables } from './locate.js';

export interface FlowRunRequest {
  /** A flow JSON file, or a display name / file name / unique part of a display name inside `solution`. Default with `csvFile`: the CSV flow. */
  flow?: string;
  /** An unpacked solution folder. */
  solution?: string;
  /** A store seed file (YAML or JSON). */
  store?: string;
  /** JSON text of the trigger body (Request triggers), or `@<file>` to read it from a file. */
  input?: string;
  /** A file holding the JSON of the trigger body. */
  inputFile?: string;
  /** A Purview CSV export given to the CSV flow as its trigger's file (name and base64 contentBytes). */
  csvFile?: string;
  /** Start of the run on the virtual clock. */
  now: string;
  cwd: string;
  /** The network for the flow's Http actions (tests inject one). Without it or an emulator, Http stops the run. */
  http?: HttpFunction;
  /** Management URL of a running emulator (`coe-audit emulator start`): cloud hosts are redirected to it. */
  emulatorUrl?: string;
  /** Start the emulator in-process on the run's virtual clock, with its tenant, client and seeded apps in the store. */
  startEmulator?: boolean;
  /** Key Vault stand-in for Secret environment variables. */
  keyVault?: (reference: string, schemaName: string) => string | undefined;
  environmentName?: string;
  /** Whose tables the store holds (the edition's table definitions) and whose variable names it seeds (default coe). */
  edition?: Edition;
  /** With `solution`: also run the solution's Dataverse row-triggered flows that the run's writes fire, and theirs. */
  chain?: boolean;
}

export interface FlowRunReport {
  file: string;
  /** The first run (the flow asked for). */
  result: RunResult;
  store: MemoryStore;
  /** With `chain`: every run, the first included, with what started it. */
  chain?: ChainResult;
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
  const triggerBody = readTriggerBody(req);
  const flow = req.flow ?? (req.csvFile !== undefined ? CSV_DISPLAY_NAME : undefined);
  if (flow === undefined) throw new UsageError('name the flow to run: a flow JSON file, or a display name with --solution (or give --csv <file> to run the CSV flow)');
  const located = locateFlow(flow, req.solution, req.cwd);
  if (req.chain && !req.solution) throw new UsageError('--chain needs --solution <folder|zip>: the row-triggered flows it runs are the solution\'s');
  if (req.emulatorUrl && req.startEmulator) throw new UsageError('give either --emulator <managementUrl> or --start-emulator, not both');
  const edition = editionSolution(loadSolutionSource(), req.edition ?? 'coe');
  let seed: StoreSeed = req.store ? readStoreSeed(req.store) : {};
  let http = req.http ?? noNetwork;
  let keyVault = req.keyVault;
  let local: LocalEmulator | undefined;
  if (req.emulatorUrl) {
    let url: URL;
    try {
      url = new URL(req.emulatorUrl);
    } catch {
      throw new UsageError(`--emulator '${req.emulatorUrl}' is not a URL; give the managementUrl that 'coe-audit emulator start' printed`);
    }
    http = emulatorHttp({ managementUrl: url.origin, authorityUrl: url.origin, client: createHttpClient(), counters: { requests: 0, retryable: 0, waitMs: 0 } });
  }
  if (req.startEmulator) {
    local = await startLocalEmulator(parseTimestamp(req.now, '--now').ms, { hours: 24 });
    const emulatorSeed = emulatorStoreSeed(local.emulator, findCloud('commercial')!, [], { prefix: edition.namePrefix });
    seed = withDefaults(seed, emulatorSeed);
    seed = withMetadataRow(seed, located.displayName, edition.namePrefix);
    http = local.http;
    const secret = local.emulator.clientSecret;
    keyVault = (ref, schema) => (ref === EMULATOR_SECRET_REFERENCE ? secret : req.keyVault?.(ref, schema));
  }
  // The solution's own variable definitions, as its import creates them; the seed's and the emulator's entries take precedence.
  if (located.tree) seed = withDefaults(seed, { environmentVariables: solutionEnvironmentVariables(located.tree, req.solution!) });
  const store = createStore(seed, { schema: edition.storeSchema, ...(keyVault ? { keyVault } : {}) }, req.store ?? 'store');
  if (req.emulatorUrl) {
    const missing = variablesNeeded(located.flow).filter((name) => !store.environmentVariableValue(name));
    if (missing.length > 0) {
      throw new UsageError(
        `${located.displayName} needs environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${req.store ? `${req.store} does` : 'the run does'} not set: ` +
          `add ${missing.length > 1 ? 'them' : 'it'} under environmentVariables of a --store seed (examples/store.yaml has every one, with the values 'coe-audit emulator start' prints), ` +
          'or use --start-emulator, which seeds them',
      );
    }
  }
  try {
    if (req.chain) {
      const flows = locateSolutionFlows(req.solution!, req.cwd).map((f) => ({ name: f.displayName, flow: f.flow }));
      const chain = await runFlowChain({
        flows,
        start: { flow: located.displayName, now: req.now, ...(triggerBody !== undefined ? { triggerBody } : {}) },
        store,
        http,
        ...(req.environmentName ? { environmentName: req.environmentName } : {}),
      });
      return { file: located.file, result: chain.runs[0]!.result, store, chain };
    }
    const result = await runFlow({
      flow: located.flow,
      displayName: located.displayName,
      now: req.now,
      http,
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
  } finally {
    await local?.close();
  }
}

/** The trigger body from --input (JSON, or @file), --input-file or --csv; undefined when none is given. */
function readTriggerBody(req: FlowRunRequest): WdlValue | undefined {
  const given = [req.input !== undefined, req.inputFile !== undefined, req.csvFile !== undefined].filter(Boolean).length;
  if (given > 1) throw new UsageError('give the trigger body once: --input, --input-file or --csv');
  if (req.csvFile !== undefined) {
    const bytes = readUserFile(req.csvFile, MAX_INPUT_BYTES);
    return { file: { name: basename(req.csvFile), contentBytes: bytes.toString('base64') } };
  }
  const file = req.inputFile ?? (req.input?.startsWith('@') ? req.input.slice(1) : undefined);
  const text = file !== undefined ? readUtf8File(file) : req.input;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as WdlValue;
  } catch (e) {
    throw new UsageError(file !== undefined ? [{ file, message: `is not valid JSON: ${(e as Error).message}` }] : `--input is not valid JSON: ${(e as Error).message}`);
  }
}

/** The largest trigger file read (a Purview export for the CSV flow). */
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/**
 * Environment variables a flow cannot run without: parameters bound to one (`metadata.schemaName`) with no
 * default of their own, and the Secret ones read by RetrieveEnvironmentVariableSecretValue.
 */
export function variablesNeeded(flow: unknown): string[] {
  const out = new Set<string>();
  const def = (flow as { properties?: { definition?: { parameters?: Record<string, { defaultValue?: unknown; metadata?: { schemaName?: unknown } }> } } })?.properties?.definition;
  for (const p of Object.values(def?.parameters ?? {})) {
    const schemaName = p?.metadata?.schemaName;
    if (typeof schemaName === 'string' && (p.defaultValue === undefined || p.defaultValue === '')) out.add(schemaName);
  }
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.actionName === 'RetrieveEnvironmentVariableSecretValue' && typeof o['item/EnvironmentVariableName'] === 'string') out.add(o['item/EnvironmentVariableName']);
      Object.values(o).forEach(walk);
    }
  };
  walk(def);
  return [...out];
}

/** Adds the last-run bookkeeping row of a flow (table `<prefix>_coesolutionmetadatas`) unless the seed has one. */
export function withMetadataRow(seed: StoreSeed, displayName: string, prefix = 'admin'): StoreSeed {
  const table = `${prefix}_coesolutionmetadatas`;
  const rows = seed.tables?.[table] ?? [];
  if (rows.some((r) => String(r[`${prefix}_objectname`] ?? '').toLowerCase() === displayName.toLowerCase())) return seed;
  const id = `c0e0a0d1-0000-4000-8000-${String(rows.length + 1).padStart(12, '0')}`;
  return { ...seed, tables: { ...seed.tables, [table]: [...rows, { [`${prefix}_coesolutionmetadataid`]: id, [`${prefix}_objectname`]: displayName }] } };
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
  lines.push(
    `cost: power platform requests ${r.stats.powerPlatformRequests}, dataverse operations ${r.stats.dataverseOperations}, http calls ${r.stats.httpCalls}, ` +
      `bytes downloaded ${r.stats.bytesDownloaded}, virtual duration ${(r.durationMs / 1000).toFixed(1)}s`,
  );
  return lines.join('\n') + '\n';
}

/** Every run of a chain as text: what started it, then its history. */
export function formatChainText(chain: ChainResult): string {
  const parts = chain.runs.map((r, i) => {
    const cause = r.cause.kind === 'start' ? 'start' : `${r.cause.message} of ${r.cause.entitySet}(${r.cause.id}) by run ${r.cause.byRun + 1}`;
    return `== run ${i + 1}: ${r.flow} (${cause})\n${formatRunText(r.result)}`;
  });
  if (chain.truncated) parts.push('chain stopped after the maximum number of runs, with triggered runs still pending\n');
  return parts.join('\n');
}
