import type { WdlObject, WdlValue } from '../values.js';

export type ActionStatus = 'Succeeded' | 'Failed' | 'Skipped' | 'TimedOut' | 'Cancelled';
export type RunStatus = 'Succeeded' | 'Failed' | 'Cancelled';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** When the request is sent on the run's virtual clock (epoch ms), so a local server can share that clock. */
  atMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The runner's only way out to the network, injected (the CLI passes the project's HTTP module). */
export type HttpFunction = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * Thrown by an injected function (HTTP, Key Vault) to stop the whole run rather than fail one action, e.g.
 * when no network is configured for the run. It propagates out of runFlow unchanged.
 */
export class RunAbortedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunAbortedError';
  }
}

/** A Dataverse failure as the connector reports it: the HTTP status and the service's message. */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = '0x80040217',
  ) {
    super(message);
    this.name = 'DataverseError';
  }
}

export type BulkMessage = 'CreateMultiple' | 'UpdateMultiple' | 'UpsertMultiple';

/** Targets of one bulk request the local store accepts (docs/flow-runner.md: Microsoft gives 100-1,000 as the useful range). */
export const BULK_MAX_TARGETS = 1000;

export interface ListRecordsQuery {
  select?: string;
  filter?: string;
  orderby?: string;
  top?: number;
  skipToken?: string;
  /** `$expand` of single-valued navigation properties, optionally with `($select=…)`. */
  expand?: string;
  /** Page size the connector returns when there is no $top: 5000, or the pagination policy's minimum item count. */
  pageSize: number;
}

/**
 * The Dataverse tables the flows touch, as the Microsoft Dataverse connector sees them (entity set names,
 * logical column names). src/store/ implements it; src/wdl/ knows nothing else of Dataverse.
 * Every method throws DataverseError for what the service would refuse.
 */
export interface DataverseStore {
  listRecords(entitySet: string, query: ListRecordsQuery): { value: WdlObject[]; nextSkipToken?: string };
  getItem(entitySet: string, id: string, select?: string, expand?: string): WdlObject;
  createRecord(entitySet: string, item: WdlObject, newId: string): WdlObject;
  /** Upsert: creates the row with this id when it does not exist. */
  updateRecord(entitySet: string, id: string, item: WdlObject): WdlObject;
  deleteRecord(entitySet: string, id: string): void;
  /**
   * A bulk message bound to the table (CreateMultiple, UpdateMultiple, UpsertMultiple) with Dataverse's
   * standard-table semantics: every target is checked first and one bad target fails the whole request, so
   * nothing is written (no partial success); the ids of the targets in order when it succeeds.
   */
  bulk(entitySet: string, message: BulkMessage, targets: WdlObject[], newId: () => string): string[];
  /** The RetrieveEnvironmentVariableSecretValue unbound action. */
  retrieveEnvironmentVariableSecretValue(schemaName: string): string;
  /** The current value of an environment variable (value row, else the definition's default), or undefined. */
  environmentVariableValue(schemaName: string): string | undefined;
}

/** One action execution in the run history. */
export interface ActionRecord {
  name: string;
  /** Enclosing actions and the action, joined with '/'. */
  path: string;
  /** Iteration index of each enclosing Foreach/Until, outermost first. */
  iteration: number[];
  type: string;
  status: ActionStatus;
  code: string | null;
  error: { code: string; message: string } | null;
  inputs: WdlValue;
  outputs: WdlValue;
  startTime: string;
  endTime: string;
  durationMs: number;
  /** Retries made under the action's retryPolicy. */
  retries: number;
}

/**
 * What a run cost, counted as the platform counts it (docs/flow-runner.md, "Cost model"): Power Platform
 * requests are the trigger, every executed action (control actions and each loop iteration's inner actions
 * included, skipped ones not), every retry and every extra pagination page.
 */
export interface RunStats {
  /** Executed actions (skipped ones not counted). */
  actions: number;
  /** Power Platform requests: trigger + executed actions + retries + extra pagination pages. */
  powerPlatformRequests: number;
  httpCalls: number;
  tokenRequests: number;
  retries: number;
  /** Requests sent to Dataverse by connector actions (retries included). */
  dataverseCalls: number;
  /** Rows Dataverse operated on: one per single-row request, one per row of a bulk request, one per page read. */
  dataverseOperations: number;
  /** Bytes of HTTP response bodies received by Http actions (content throughput). */
  bytesDownloaded: number;
}

export interface RunResult {
  flow: string;
  status: RunStatus;
  error: { code: string; message: string } | null;
  startTime: string;
  endTime: string;
  durationMs: number;
  trigger: { name: string; type: string; kind: string | null; outputs: WdlValue };
  /** Every action execution in order (empty when the run was asked not to keep history). */
  actions: ActionRecord[];
  /** What a Response action sent, if any. */
  response: { statusCode: number; headers: WdlValue; body: WdlValue } | null;
  stats: RunStats;
}

export interface RunOptions {
  /** The packaged flow file (`{properties: {definition, connectionReferences}}`), `{definition}`, or a definition. */
  flow: unknown;
  /** Display name for the run history and `workflow()?['tags']['flowDisplayName']`. */
  displayName: string;
  /** Start of the run on the virtual clock (ISO 8601). */
  now: string;
  /** Body of a Request trigger (PowerAppV2, Button), validated against the trigger's schema. */
  triggerBody?: WdlValue;
  /** Values of flow parameters by parameter name or by environment variable schema name. */
  parameters?: Record<string, WdlValue>;
  http: HttpFunction;
  store: DataverseStore;
  /** Names the run (and seeds guid()); deterministic. Default derived from `now`. */
  runName?: string;
  environmentName?: string;
  /** Keep per-action inputs and outputs (default true). Simulations of many events turn it off. */
  keepHistory?: boolean;
  /** Stops a run that executes more actions than this (default 5,000,000). */
  maxActions?: number;
}
