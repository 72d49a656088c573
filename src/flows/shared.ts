/**
 * The pieces every audit-log flow shares, written once: environment-variable parameters, the Dataverse
 * connection, the ActiveDirectoryOAuth block, the explicit Key Vault / plain secret choice, the bounded retry
 * loop around Management API calls, the per-event collection and application, and the error-handling scaffold.
 */
import {
  after,
  appendToArray,
  compose,
  expr,
  foreach,
  ifAction,
  lit,
  query,
  secureData,
  select,
  sequence,
  setVariable,
  terminate,
  until,
  wait,
  type Action,
  type Actions,
  type Json,
  type JsonObject,
  type Step,
} from './wdl.js';

/** An environment variable as the flows see it (the solution source holds the full definition). */
export interface FlowEnvVar {
  schemaName: string;
  displayName: string;
  type: 'String' | 'Number' | 'Boolean' | 'Secret';
  /** Cloud-neutral one-line description, written into the flow parameter's metadata. */
  summary: string;
  /** Number defaults only; string defaults are per cloud and never written into a flow. */
  defaultValue?: string;
}

export interface FlowContext {
  envVars: readonly FlowEnvVar[];
  /** Logical name of the Dataverse connection reference (default admin_CoECoreDataverseForApps). */
  connectionReferenceLogicalName: string;
  /**
   * The flows keep the app table themselves (standalone edition: no CoE inventory fills it): each app seen in
   * the events is upserted with its name and environment before its launches are written.
   */
  recordApps?: boolean;
}

/**
 * Every name a flow uses for a Dataverse component (tables, columns, navigation properties, environment
 * variables, connection reference) is `<publisher prefix>_<name>`. The flows are written with the CoE prefix
 * `admin`; an edition with another publisher prefix takes the same flow with every `admin_` name re-prefixed
 * (keys and strings, including descriptions that name a table).
 */
export function withPrefix(json: Json, prefix: string): Json {
  if (prefix === 'admin') return json;
  const re = /\badmin_/g;
  const walk = (v: Json): Json => {
    if (typeof v === 'string') return v.replace(re, `${prefix}_`);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(re, `${prefix}_`), walk(x)]));
    return v;
  };
  return walk(json);
}

export const DATAVERSE_API = 'shared_commondataserviceforapps';
export const DATAVERSE_API_ID = `/providers/Microsoft.PowerApps/apis/${DATAVERSE_API}`;
export const WDL_SCHEMA = 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#';

/** Schema names of the variables the flows bind or read. */
export const EV = {
  audience: 'admin_AuditLogsAudience',
  authority: 'admin_AuditLogsAuthority',
  clientId: 'admin_AuditLogsClientID',
  clientSecret: 'admin_AuditLogsClientSecret',
  clientAzureSecret: 'admin_AuditLogsClientAzureSecret',
  tenantId: 'admin_TenantID',
  minutesToLookBack: 'admin_AuditLogsMinutestoLookBack',
  endTimeMinutesAgo: 'admin_AuditLogsEndTimeMinutesAgo',
  powerAutomate: 'admin_PowerAutomateEnvironmentVariable',
  watermark: 'admin_AuditLogsSyncWatermark',
  rowByRow: 'admin_AuditLogsWriteRowByRow',
  useGraphApi: 'admin_AuditLogsUseGraphAPI',
  graphUrl: 'admin_GraphURLEnvironmentVariable',
} as const;

/** Sync settings that are deliberately constants of the generated flow (documented in docs/flows.md). */
export const LIMITS = {
  /** Content-listing pages read per run before the run reports the cap. */
  maxPages: 200,
  /** Blobs fetched at once. */
  blobConcurrency: 5,
  /** Events and apps processed at once (Dataverse writes). */
  eventConcurrency: 10,
  /** Attempts per Management API call (first try included). */
  attempts: 5,
  /** Seconds waited before attempt 2, 3, 4, 5. */
  backoffSeconds: [15, 30, 60, 120],
  /** Rows of a CSV file parsed at once. */
  csvRowConcurrency: 20,
  /** Windows of at most 24 hours (the API's longest) the Sync flow reads per run when it catches up. */
  maxSlicesPerRun: 3,
  /** Targets per bulk request (UpsertMultiple, UpdateMultiple): the top of the range Microsoft recommends. */
  batchSize: 1000,
  /** Rows written at once by the row-by-row fallback. */
  rowConcurrency: 20,
} as const;

export const APP_ID_PROPERTY = 'powerplatform.analytics.resource.power_app.id';
/** PropertyCollection entries the standalone edition copies onto its app rows. */
export const APP_PROPERTIES = {
  AppDisplayName: 'powerplatform.analytics.resource.power_app.display_name',
  EnvironmentId: 'powerplatform.analytics.resource.environment.id',
  EnvironmentName: 'powerplatform.analytics.resource.environment.name',
} as const;

/** `Display Name (schemaName)`, the key of a bound environment variable in `definition.parameters`. */
export function parameterName(ctx: FlowContext, schemaName: string): string {
  const v = envVar(ctx, schemaName);
  return `${v.displayName} (${v.schemaName})`;
}

/** `parameters('Display Name (schemaName)')`. */
export function param(ctx: FlowContext, schemaName: string): string {
  return `parameters(${lit(parameterName(ctx, schemaName))})`;
}

function envVar(ctx: FlowContext, schemaName: string): FlowEnvVar {
  const v = ctx.envVars.find((e) => e.schemaName === schemaName);
  if (!v) throw new Error(`flows bind ${schemaName}, which the solution source does not define`);
  return v;
}

/** `definition.parameters`: $authentication, $connections and the bound variables (no cloud value in them). */
export function definitionParameters(ctx: FlowContext, bound: readonly string[]): JsonObject {
  const out: JsonObject = {
    $authentication: { defaultValue: {}, type: 'SecureObject' },
    $connections: { defaultValue: {}, type: 'Object' },
  };
  for (const schemaName of bound) {
    const v = envVar(ctx, schemaName);
    if (v.type === 'Secret') throw new Error(`${schemaName} is a secret: it is read at run time, never bound as a parameter`);
    const type = v.type === 'Number' ? 'Int' : v.type === 'Boolean' ? 'Bool' : 'String';
    const defaultValue: Json = type === 'Int' ? Number(v.defaultValue ?? 0) : type === 'Bool' ? v.defaultValue === 'yes' : '';
    out[parameterName(ctx, schemaName)] = { defaultValue, type, metadata: { schemaName: v.schemaName, description: v.summary } };
  }
  return out;
}

/** The flow's `connectionReferences`: one Dataverse reference. */
export function connectionReferences(ctx: FlowContext): JsonObject {
  return {
    [DATAVERSE_API]: {
      runtimeSource: 'embedded',
      connection: { connectionReferenceLogicalName: ctx.connectionReferenceLogicalName },
      api: { name: DATAVERSE_API },
    },
  };
}

/** The packaged envelope of §3.1 / solution-format §5. */
export function envelope(ctx: FlowContext, definition: { description: string; bound: readonly string[]; triggers: JsonObject; actions: Actions }): JsonObject {
  return {
    properties: {
      connectionReferences: connectionReferences(ctx),
      definition: {
        $schema: WDL_SCHEMA,
        contentVersion: '1.0.0.0',
        description: definition.description,
        parameters: definitionParameters(ctx, definition.bound),
        triggers: definition.triggers,
        actions: definition.actions,
      },
      templateName: '',
    },
    schemaVersion: '1.0.0.0',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Dataverse

const DATAVERSE_RETRY = { type: 'exponential', count: 4, interval: 'PT10S', minimumInterval: 'PT5S', maximumInterval: 'PT1M' };

/** A Dataverse connector action (ListRecords, UpdateRecord, CreateRecord, PerformUnboundAction). */
export function dataverse(operationId: string, parameters: JsonObject, options: { secure?: ('inputs' | 'outputs')[] } = {}): Action {
  return {
    type: 'OpenApiConnection',
    inputs: {
      host: { connectionName: DATAVERSE_API, operationId, apiId: DATAVERSE_API_ID },
      parameters,
      authentication: "@parameters('$authentication')",
      retryPolicy: DATAVERSE_RETRY,
    },
    ...(options.secure ? secureData(options.secure) : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Management Activity API calls

/**
 * The ActiveDirectoryOAuth block: authority, tenant, audience and client id from variables; the chosen secret.
 * The audience is Audit Logs - Audience (Management API), or for Graph calls the Graph URL variable, as the kit does.
 */
export function oauth(ctx: FlowContext, audience: string = EV.audience): JsonObject {
  return {
    type: 'ActiveDirectoryOAuth',
    authority: expr(param(ctx, EV.authority)),
    tenant: expr(param(ctx, EV.tenantId)),
    audience: expr(param(ctx, audience)),
    clientId: expr(param(ctx, EV.clientId)),
    secret: "@variables('clientSecret')",
  };
}

/** Compose `Api_root`: `{Audience without trailing slash}/api/v1.0/{TenantID}/activity/feed`. */
export function apiRootStep(ctx: FlowContext): Step {
  const aud = param(ctx, EV.audience);
  return [
    'Api_root',
    compose(
      expr(`concat(if(endsWith(${aud}, '/'), substring(${aud}, 0, sub(length(${aud}), 1)), ${aud}), '/api/v1.0/', ${param(ctx, EV.tenantId)}, '/activity/feed')`),
      'Management Activity API root, built from the Audience and TenantID variables (no host is written in this flow).',
    ),
  ];
}

export const status = (action: string): string => `coalesce(outputs(${lit(action)})?['statusCode'], 0)`;
export const bodyText = (action: string): string => `string(coalesce(body(${lit(action)}), ''))`;

/** True when a Management API answer should be retried: no answer, 408, 429, AF429 (HTTP 403) or 5xx. */
export function retryable(action: string): string {
  const s = status(action);
  return (
    `or(equals(${s}, 0), equals(${s}, 408), equals(${s}, 429), greaterOrEquals(${s}, 500), ` +
    `and(equals(${s}, 403), contains(${bodyText(action)}, 'AF429')))`
  );
}

/**
 * One Management API call with bounded retries: an Until loop (at most LIMITS.attempts attempts) around the
 * Http action, waiting LIMITS.backoffSeconds between attempts when the answer is retryable. The Http action
 * itself has retryPolicy none, so the platform adds no hidden retries; it carries the secret, so its inputs
 * are secureData. After the loop, `status(name)` is the final answer's status. `authentication` replaces the
 * Management API's OAuth block (Graph calls authenticate for the Graph URL).
 */
export function retryingHttp(
  ctx: FlowContext,
  name: string,
  request: { method: 'GET' | 'POST'; uri: string; headers?: JsonObject; body?: JsonObject; authentication?: JsonObject },
): Step {
  const loop = `Retry_${name}`;
  const table = `createArray(${LIMITS.backoffSeconds.join(', ')})`;
  const http: Action = {
    type: 'Http',
    inputs: {
      method: request.method,
      uri: request.uri,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body ? { body: request.body } : {}),
      authentication: request.authentication ?? oauth(ctx),
      retryPolicy: { type: 'none' },
    },
    ...secureData(['inputs']),
  };
  const actions = sequence([
    [name, http],
    [
      `Back_off_${name}`,
      after(
        ifAction(
          expr(`and(${retryable(name)}, less(iterationIndexes(${lit(loop)}), ${LIMITS.attempts - 1}))`),
          sequence([[`Wait_${name}`, wait(expr(`${table}[iterationIndexes(${lit(loop)})]`))]]),
        ),
        // A succeeded call (2xx) is never retryable: the back-off is skipped and costs nothing on the success path.
        { [name]: ['Failed', 'TimedOut'] },
      ),
    ],
  ]);
  return [loop, until(expr(`not(${retryable(name)})`), actions, { count: LIMITS.attempts, timeout: 'PT1H' })];
}

/** A message that tells the admin what to fix for a failed Management API answer (§10 of the reference). */
export function explainFailure(action: string): string {
  const s = status(action);
  const b = bodyText(action);
  return (
    `if(equals(${s}, 401), 'HTTP 401: the token was refused. Check Audit Logs - ClientID, the client secret, TenantID, and that Audit Logs - Audience and Audit Logs - Authority are the values of your cloud.', ` +
    `if(contains(${b}, 'AF10001'), 'AF10001: the token lacks ActivityFeed.Read. Give the app registration the Application (not Delegated) permission ActivityFeed.Read of Office 365 Management APIs and grant admin consent.', ` +
    `if(contains(${b}, 'AF20023'), 'AF20023: the Audit.General subscription was disabled. Run this flow with start; content from the stopped period cannot be recovered.', ` +
    `if(contains(${b}, 'AF20022'), 'AF20022: there is no Audit.General subscription. Run the Office 365 Management API Subscription flow with start.', ` +
    `concat('HTTP ', string(${s}), ': ', ${b})))))`
  );
}

// ---------------------------------------------------------------------------------------------------------
// Secret: Key Vault or plain, chosen by whether the Key Vault variable has a value

function readEnvironmentVariable(prefix: string, schemaName: string, secure: boolean, withValueId = false): Step[] {
  const definition = `Get_${prefix}_definition`;
  return [
    [
      definition,
      dataverse(
        'ListRecords',
        { entityName: 'environmentvariabledefinitions', $select: 'environmentvariabledefinitionid,defaultvalue', $filter: `schemaname eq '${schemaName}'`, $top: 1 },
        secure ? { secure: ['outputs'] } : {},
      ),
    ],
    [
      `Get_${prefix}_value`,
      dataverse(
        'ListRecords',
        {
          entityName: 'environmentvariablevalues',
          $select: withValueId ? 'environmentvariablevalueid,value' : 'value',
          $filter: withValueId
            ? `_environmentvariabledefinitionid_value eq @{coalesce(first(body(${lit(definition)})?['value'])?['environmentvariabledefinitionid'], '00000000-0000-0000-0000-000000000000')}`
            : `_environmentvariabledefinitionid_value eq @{first(body(${lit(definition)})?['value'])?['environmentvariabledefinitionid']}`,
          $top: 1,
        },
        secure ? { secure: ['outputs'] } : {},
      ),
    ],
  ];
}

/** The current value of a variable read by readEnvironmentVariable: its value row, else its default. */
function currentValue(prefix: string): string {
  return `coalesce(first(body('Get_${prefix}_value')?['value'])?['value'], first(body('Get_${prefix}_definition')?['value'])?['defaultvalue'], '')`;
}

/**
 * Sets variable `clientSecret`. The Key Vault variable is used when it has a value (a Key Vault reference);
 * otherwise the plain Client Secret variable. No step is expected to fail; every action that sees the secret is
 * secureData, so it never appears in run history.
 */
export function secretSteps(): Step[] {
  return [
    ...readEnvironmentVariable('Key_Vault_variable', EV.clientAzureSecret, false),
    ['Use_Key_Vault', compose(expr(`not(empty(${currentValue('Key_Vault_variable')}))`), 'True when Audit Logs - Client Azure Secret has a value.')],
    [
      'Choose_secret_source',
      ifAction(
        expr("equals(outputs('Use_Key_Vault'), true)"),
        sequence([
          [
            'Get_Key_Vault_secret',
            dataverse(
              'PerformUnboundAction',
              { actionName: 'RetrieveEnvironmentVariableSecretValue', 'item/EnvironmentVariableName': EV.clientAzureSecret },
              { secure: ['inputs', 'outputs'] },
            ),
          ],
          ['Set_secret_from_Key_Vault', setVariable('clientSecret', "@body('Get_Key_Vault_secret')?['EnvironmentVariableSecretValue']", { secure: true })],
        ]),
        sequence([
          ...readEnvironmentVariable('Client_Secret_variable', EV.clientSecret, true),
          ['Set_secret_from_Client_Secret', setVariable('clientSecret', expr(currentValue('Client_Secret_variable')), { secure: true })],
        ]),
      ),
    ],
  ];
}

/** An If that runs `actions` only when a secret was found, and records a failure otherwise. */
export function whenSecret(actions: Actions): Step {
  return [
    'Has_client_secret',
    ifAction(
      expr("not(empty(variables('clientSecret')))"),
      actions,
      sequence([
        [
          'No_client_secret',
          appendToArray(
            'failures',
            'no client secret: set Audit Logs - Client Azure Secret (a Key Vault reference, recommended) or Audit Logs - Client Secret (plain text, not recommended)',
          ),
        ],
      ]),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Watermark: the end of the last content window read completely, kept in an environment variable value

/** `Get_Watermark_definition` and `Get_Watermark_value`: the watermark variable and its current value row. */
export function watermarkReadSteps(): Step[] {
  return readEnvironmentVariable('Watermark', EV.watermark, false, true);
}

/** The stored watermark (`yyyy-MM-ddTHH:mm:ssZ`), or '' when the flow never completed a window. */
export function watermarkValue(): string {
  return currentValue('Watermark');
}

/**
 * Writes `value` (an expression) as the watermark: updates the variable's value row, or creates it the first
 * time (the solution ships the definition without a value, so an upgrade never resets it).
 */
export function watermarkAdvanceStep(name: string, value: string): Step {
  const valueId = "first(body('Get_Watermark_value')?['value'])?['environmentvariablevalueid']";
  const definitionId = "first(body('Get_Watermark_definition')?['value'])?['environmentvariabledefinitionid']";
  return [
    name,
    ifAction(
      expr(`empty(${valueId})`),
      sequence([
        [
          `${name}_create_value`,
          dataverse('CreateRecord', {
            entityName: 'environmentvariablevalues',
            'item/schemaname': EV.watermark,
            'item/value': value,
            'item/EnvironmentVariableDefinitionId@odata.bind': `environmentvariabledefinitions(@{${definitionId}})`,
          }),
        ],
      ]),
      sequence([[`${name}_update_value`, dataverse('UpdateRecord', { entityName: 'environmentvariablevalues', recordId: `@{${valueId}}`, 'item/value': value })]]),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Batched Dataverse writes: one bulk request per LIMITS.batchSize rows, or one request per row as a fallback

export interface BatchedWrite {
  /** Entity set, e.g. admin_auditlogs. */
  entitySet: string;
  /** UpsertMultiple creates or updates by primary key; UpdateMultiple only updates existing rows. */
  message: 'UpsertMultiple' | 'UpdateMultiple';
  /** Expression of the targets: records with `@odata.type` and the primary key. */
  targets: string;
  /** Columns of a target written by the row-by-row fallback (the primary key is the record id). */
  columns: readonly string[];
  primaryKey: string;
  /** Expression that is true when the row-by-row fallback is chosen (environment variable). */
  rowByRow: string;
}

/**
 * Writes `targets` to Dataverse: the Dataverse connector's "Perform a bound action" with the table's
 * UpsertMultiple/UpdateMultiple message, in chunks of LIMITS.batchSize (one action per chunk), or, when
 * `rowByRow` is true, one UpdateRecord (an upsert by id) per target: the leanest per-row write, one action per
 * row. A failed chunk fails its action (standard tables take a bulk request whole or not at all).
 */
export function batchedWriteStep(name: string, w: BatchedWrite): Step {
  const chunk = `items(${lit(`${name}_chunks`)})`;
  const row = `items(${lit(`${name}_rows`)})`;
  const perRow: JsonObject = { entityName: w.entitySet, recordId: `@{${row}?[${lit(w.primaryKey)}]}` };
  for (const c of w.columns) perRow[`item/${c}`] = expr(`${row}?[${lit(c)}]`);
  return [
    name,
    ifAction(
      expr(`equals(${w.rowByRow}, true)`),
      sequence([[`${name}_rows`, foreach(expr(w.targets), sequence([[`${name}_row`, dataverse('UpdateRecord', perRow)]]), LIMITS.rowConcurrency)]]),
      sequence([
        [
          `${name}_chunks`,
          foreach(
            expr(`chunk(${w.targets}, ${LIMITS.batchSize})`),
            sequence([[`${name}_chunk`, dataverse('PerformBoundAction', { entityName: w.entitySet, actionName: `Microsoft.Dynamics.CRM.${w.message}`, 'item/Targets': expr(chunk) })]]),
            LIMITS.blobConcurrency,
          ),
        ],
      ]),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Events: collected from the API or a CSV file, applied to Dataverse the same way

/** True for the events the flows keep: app launches and deletions, current (256) or legacy (45) format. */
export function isAppEvent(e: string): string {
  return (
    `and(or(equals(${e}?['Operation'], 'LaunchPowerApp'), equals(${e}?['Operation'], 'DeletePowerApp')), ` +
    `or(equals(${e}?['RecordType'], 256), equals(${e}?['RecordType'], 45)))`
  );
}

/**
 * Appends one event to the `events` array in the slim form Apply_events reads. The app id is the
 * PropertyCollection entry powerplatform.analytics.resource.power_app.id (RecordType 256) or AppName
 * (RecordType 45). Safe in concurrent loops: AppendToArrayVariable only.
 */
export function collectEventSteps(ctx: FlowContext, e: string, suffix: string): Step[] {
  const find = `Find_app_id_${suffix}`;
  const props = `coalesce(${e}?['PropertyCollection'], createArray())`;
  // Standalone: the app's name and environment, for its row (current format only; legacy records carry none).
  const appProperties = ctx.recordApps ? Object.entries(APP_PROPERTIES) : [];
  return [
    [find, query(expr(props), expr(`equals(item()?['Name'], '${APP_ID_PROPERTY}')`))],
    ...appProperties.map(([key, name]): Step => [`Find_${key}_${suffix}`, query(expr(props), expr(`equals(item()?['Name'], '${name}')`))]),
    [
      `Collect_${suffix}`,
      appendToArray('events', {
        Id: expr(`string(${e}?['Id'])`),
        CreationTime: expr(`formatDateTime(${e}?['CreationTime'], 'yyyy-MM-ddTHH:mm:ssZ')`),
        Seconds: expr(`div(ticks(${e}?['CreationTime']), 10000000)`),
        Operation: expr(`${e}?['Operation']`),
        RecordType: expr(`${e}?['RecordType']`),
        UserId: expr(`coalesce(${e}?['UserId'], '')`),
        Workload: expr(`coalesce(${e}?['Workload'], '')`),
        AppId: expr(`toLower(string(if(equals(${e}?['RecordType'], 256), coalesce(first(body(${lit(find)}))?['Value'], ''), coalesce(${e}?['AppName'], ''))))`),
        ...Object.fromEntries(appProperties.map(([key]) => [key, expr(`coalesce(first(body(${lit(`Find_${key}_${suffix}`)}))?['Value'], '')`)])),
      }),
    ],
  ];
}

function auditRowParameters(e: string, withLookup: boolean): JsonObject {
  return {
    entityName: 'admin_auditlogs',
    recordId: `@{${e}?['Id']}`,
    'item/admin_creationtime': `@{${e}?['CreationTime']}`,
    'item/admin_appid': `@{${e}?['AppId']}`,
    ...(withLookup ? { 'item/admin_AppLookup@odata.bind': `admin_apps(@{${e}?['AppId']})` } : {}),
    'item/admin_operation': `@{${e}?['Operation']}`,
    'item/admin_title': `Power App Launch @{${e}?['AppId']} - @{${e}?['CreationTime']}`,
    'item/admin_userupn': `@{${e}?['UserId']}`,
    'item/admin_workload': `@{${e}?['Workload']}`,
  };
}

/** Upsert of one audit-log row keyed by the event Id (UpdateRecord creates or updates), with its failure handler. */
function upsertAuditRow(e: string, withLookup: boolean): Actions {
  const name = withLookup ? 'Upsert_audit_log_with_app' : 'Upsert_audit_log_without_app';
  return sequence([
    [name, dataverse('UpdateRecord', auditRowParameters(e, withLookup))],
    [
      `${name}_failed`,
      after(appendToArray('failures', expr(`concat('writing audit event ', ${e}?['Id'], ' to admin_auditlogs failed')`)), { [name]: ['Failed', 'TimedOut'] }),
    ],
  ]);
}

/**
 * Applies `variables('events')` to Dataverse, one app at a time (apps in parallel, never one app twice at
 * once, so the newer-only compare has no race): upsert an admin_auditlogs row per launch keyed by the event Id,
 * set admin_apps.admin_applastlaunchedon to the newest launch only when it is newer than the stored value, and
 * mark the app deleted on a DeletePowerApp. Events whose app id is not a GUID are counted, not written.
 */
export function applyEventsSteps(ctx: FlowContext): Step[] {
  const app = "items('For_each_app')";
  const stored = "first(body('Get_app')?['value'])?['admin_applastlaunchedon']";
  const named = "first(body('App_named_events'))";
  const recordApp: Step[] = ctx.recordApps
    ? [
        ['App_named_events', query("@variables('events')", expr(`and(equals(item()?['AppId'], ${app}), not(empty(item()?['AppDisplayName'])))`))],
        [
          'Record_app',
          // Upsert: with its name and environment when an event carries them, else only so that the row exists
          // (a run with legacy records only never blanks a name written before).
          ifAction(
            expr("greater(length(body('App_named_events')), 0)"),
            sequence([
              [
                'Record_app_with_name',
                dataverse('UpdateRecord', {
                  entityName: 'admin_apps',
                  recordId: `@{${app}}`,
                  'item/admin_displayname': `@{${named}?['AppDisplayName']}`,
                  'item/admin_appenvironmentid': `@{${named}?['EnvironmentId']}`,
                  'item/admin_appenvironmentname': `@{${named}?['EnvironmentName']}`,
                }),
              ],
            ]),
            sequence([['Record_app_without_name', dataverse('UpdateRecord', { entityName: 'admin_apps', recordId: `@{${app}}` })]]),
          ),
        ],
      ]
    : [];
  const perApp = sequence([
    ['App_launches', query("@variables('events')", expr(`and(equals(item()?['AppId'], ${app}), equals(item()?['Operation'], 'LaunchPowerApp'))`))],
    ['App_deletions', query("@variables('events')", expr(`and(equals(item()?['AppId'], ${app}), equals(item()?['Operation'], 'DeletePowerApp'))`))],
    ...recordApp,
    ['Get_app', dataverse('ListRecords', { entityName: 'admin_apps', $select: 'admin_appid,admin_applastlaunchedon', $filter: `admin_appid eq @{${app}}`, $top: 1 })],
    ['App_in_inventory', compose(expr("greater(length(body('Get_app')?['value']), 0)"))],
    [
      'Write_launches',
      foreach(
        "@body('App_launches')",
        sequence([
          [
            'Upsert_audit_log_row',
            ifAction(expr("equals(outputs('App_in_inventory'), true)"), upsertAuditRow("items('Write_launches')", true), upsertAuditRow("items('Write_launches')", false)),
          ],
        ]),
        LIMITS.eventConcurrency,
      ),
    ],
    [
      'Update_last_launch',
      after(
        ifAction(
          expr("and(equals(outputs('App_in_inventory'), true), greater(length(body('App_launches')), 0))"),
          sequence([
            ['Launch_seconds', select("@body('App_launches')", "@item()?['Seconds']")],
            ['Newest_launch', query("@body('App_launches')", "@equals(item()?['Seconds'], max(body('Launch_seconds')))")],
            [
              'Is_newer_than_stored',
              ifAction(
                // Safe under eager evaluation of every argument (Logic Apps documents no short-circuit): ticks() is
                // never given a null or empty date; an app never launched before compares as year 1.
                expr(`less(div(ticks(if(empty(${stored}), '0001-01-01T00:00:00Z', ${stored})), 10000000), max(body('Launch_seconds')))`),
                sequence([
                  [
                    'Set_last_launched_on',
                    dataverse('UpdateRecord', {
                      entityName: 'admin_apps',
                      recordId: `@{${app}}`,
                      'item/admin_applastlaunchedon': "@{first(body('Newest_launch'))?['CreationTime']}",
                    }),
                  ],
                ]),
              ),
            ],
          ]),
        ),
        { Write_launches: ['Succeeded', 'Failed'] },
      ),
    ],
    [
      'Mark_app_deleted',
      after(ifAction(
        expr("and(equals(outputs('App_in_inventory'), true), greater(length(body('App_deletions')), 0))"),
        sequence([
          [
            'Set_app_deleted',
            dataverse('UpdateRecord', {
              entityName: 'admin_apps',
              recordId: `@{${app}}`,
              'item/admin_appdeleted': true,
              'item/admin_appdeletedon': "@{first(body('App_deletions'))?['CreationTime']}",
            }),
          ],
        ]),
      ), { Update_last_launch: ['Succeeded', 'Failed'] }),
    ],
  ]);
  const perAppWithHandler: Actions = {
    Apply_app_events: { runAfter: {}, type: 'Scope', actions: perApp },
    Apply_app_events_failed: {
      runAfter: { Apply_app_events: ['Failed', 'TimedOut'] },
      type: 'AppendToArrayVariable',
      inputs: { name: 'failures', value: `@{concat('applying the events of app ', ${app}, ' failed')}` },
    },
  };
  return [
    ['Select_app_ids', select("@variables('events')", "@item()?['AppId']")],
    ['Apps_with_events', query("@union(body('Select_app_ids'), body('Select_app_ids'))", "@equals(length(item()), 36)")],
    ['Events_without_app_id', query("@variables('events')", "@not(equals(length(item()?['AppId']), 36))")],
    ['For_each_app', foreach("@body('Apps_with_events')", perAppWithHandler, LIMITS.eventConcurrency)],
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Error-handling scaffold

/** `concat(<Power Automate URL>/environments/, environment, /flows/, flow, /runs/, run)`: the run link. */
export function runLink(ctx: FlowContext): string {
  return (
    `concat(${param(ctx, EV.powerAutomate)}, workflow()?['tags']?['environmentName'], '/flows/', workflow()?['name'], '/runs/', workflow()?['run']?['name'])`
  );
}

/**
 * After the `Work` scope: `Record_failure` (when Work failed: which steps failed) and `Finish`: an
 * admin_syncflowerrorses row with the run link and a failed run naming what failed when `failures` is not
 * empty; the admin_coesolutionmetadatas last-run row updated either way when it exists. Nothing here is
 * expected to fail.
 */
export function finishSteps(ctx: FlowContext, options: { before?: Step[] } = {}): Step[] {
  const lastRun = "first(body('Get_last_run_row')?['value'])?['admin_coesolutionmetadataid']";
  const updateLastRun = (name: string, passed: boolean): Step => [
    name,
    ifAction(
      expr("greater(length(body('Get_last_run_row')?['value']), 0)"),
      sequence([
        [
          `${name}_row`,
          dataverse('UpdateRecord', {
            entityName: 'admin_coesolutionmetadatas',
            recordId: `@{${lastRun}}`,
            'item/admin_lastrun': '@utcNow()',
            'item/admin_lastrunpassed': passed,
          }),
        ],
      ]),
    ),
  ];
  return [
    ...failedStepsSteps(),
    [
      'Record_failure',
      after(
        appendToArray('failures', expr("concat('step(s) failed: ', join(body('Failed_step_names'), ', '))")),
        { Failed_step_names: ['Succeeded'] },
      ),
    ],
    ...(options.before ?? []),
    [
      'Finish',
      after(
        {
          type: 'Scope',
          actions: sequence([
            [
              'Get_last_run_row',
              dataverse('ListRecords', {
                entityName: 'admin_coesolutionmetadatas',
                $select: 'admin_coesolutionmetadataid',
                $filter: "admin_objectname eq '@{workflow()?['tags']?['flowDisplayName']}'",
                $top: 1,
              }),
            ],
            [
              'Any_failures',
              ifAction(
                expr("greater(length(variables('failures')), 0)"),
                sequence([
                  [
                    'Create_sync_flow_error_row',
                    dataverse('CreateRecord', {
                      entityName: 'admin_syncflowerrorses',
                      'item/admin_name': "@{workflow()?['tags']?['flowDisplayName']}",
                      'item/admin_flowinstanceurl': expr(runLink(ctx)),
                    }),
                  ],
                  updateLastRun('Update_last_run_failed', false),
                  [
                    'Fail_the_run',
                    terminate('Failed', {
                      code: 'AuditLogFailures',
                      message: "@{concat(string(length(variables('failures'))), ' failure(s): ', join(take(variables('failures'), 20), ' | '))}",
                    }),
                  ],
                ]),
                sequence([updateLastRun('Update_last_run_passed', true)]),
              ),
            ],
          ]),
        },
        { [options.before?.length ? options.before[options.before.length - 1]![0] : 'Record_failure']: ['Succeeded', 'Skipped', 'Failed'] },
      ),
    ],
  ];
}

/** `Failed_steps` and `Failed_step_names`: the actions inside Work that failed, run only when Work failed. */
export function failedStepsSteps(): Step[] {
  return [
    ['Failed_steps', after(query("@result('Work')", "@equals(item()?['status'], 'Failed')"), { Work: ['Failed', 'TimedOut'] })],
    ['Failed_step_names', select("@body('Failed_steps')", "@item()?['name']")],
  ];
}
