import {
  apiRootStep,
  batchedWriteStep,
  dataverse,
  envelope,
  EV,
  explainFailure,
  finishSteps,
  isAppEvent,
  LIMITS,
  oauth,
  param,
  retryingHttp,
  runLink,
  secretSteps,
  status,
  watermarkAdvanceStep,
  watermarkReadSteps,
  watermarkValue,
  whenSecret,
  APP_ID_PROPERTY,
  APP_PROPERTIES,
  type FlowContext,
} from './shared.js';
import type { FlowSource } from './types.js';
import {
  appendToArray,
  compose,
  expr,
  foreach,
  ifAction,
  increment,
  initVariable,
  lit,
  query,
  scope,
  secureData,
  select,
  sequence,
  setVariable,
  until,
  type Action,
  type Actions,
  type Step,
} from './wdl.js';
import { CSV_DISPLAY_NAME } from './csv-loader.js';
import { graphQuerySteps, graphQueryVariables } from './graph-query.js';

export const SYNC_DISPLAY_NAME = 'coe-audit | Sync Audit Logs';

const BOUND = [EV.tenantId, EV.audience, EV.authority, EV.clientId, EV.minutesToLookBack, EV.endTimeMinutesAgo, EV.powerAutomate, EV.rowByRow, EV.useGraphApi, EV.graphUrl];

/**
 * With Audit Logs - Use Graph API, windows end at least this many minutes ago: Graph filters on event time, and an
 * event becomes searchable only when its content is available (typically 60-90 minutes, no guaranteed maximum;
 * activity-api.md §1.12), so a window is read once its events have arrived. Raise End Time Minutes Ago for more.
 */
export const GRAPH_MIN_END_MINUTES_AGO = 180;

/**
 * With Audit Logs - Use Graph API, a run reads only when at least this many minutes are unread (one Graph query per
 * batch): 4 reading runs a day instead of 24, so the runs cost few Power Platform requests and the tenant's
 * 200 query submissions a day stay far away. The other hourly runs end after computing the window.
 */
export const GRAPH_MIN_BATCH_MINUTES = 360;

/** Largest End Time Minutes Ago honoured, and the oldest start (7 days = 10080 minutes, less a 10-minute margin). */
export const WINDOW = { maxEndMinutesAgo: 10069, maxStartMinutesAgo: 10070, maxLengthMinutes: 1440, minLengthMinutes: 1 } as const;

/** The window rule, as written in the flow description and docs/flows.md. */
export const WINDOW_FORMULA =
  'each run reads from the watermark (Audit Logs - Sync Watermark; on the first run: now - End Time Minutes Ago - Minutes to Look Back) ' +
  `to now - E, where E = clamp(End Time Minutes Ago, 0, ${WINDOW.maxEndMinutesAgo}), in windows of at most 24 hours, at most ${LIMITS.maxSlicesPerRun} per run; ` +
  `a watermark older than ${WINDOW.maxStartMinutesAgo} minutes (7 days less 10 minutes) is moved forward and the skipped interval reported as lost; ` +
  'the watermark advances only past windows whose every page, blob and write succeeded.';

/** Placeholder time that sorts before every real one: what `newest` is for an app with no launch. */
const NEVER = '0000-00-00T00:00:00Z';
const FMT = "'yyyy-MM-ddTHH:mm:ssZ'";
const API_FMT = "'yyyy-MM-ddTHH:mm:ss'";
/** The `Name` of the app id entry, as it appears in a PropertyCollection serialized by string(). */
const APP_ID_KEY = `"${APP_ID_PROPERTY}","Value":"`;
/** Padding so substring() of a PropertyCollection without the app id never reads past the end (no short-circuit). */
const PAD = '#'.repeat(100);

/**
 * A text entry of a serialized PropertyCollection, '' when absent. Safe under eager evaluation: the start is inside
 * the padded text and the end search always finds a quote.
 */
function propertyText(props: string, name: string): string {
  const key = `"${name}","Value":"`;
  const rest = `substring(${props}, add(indexOf(${props}, ${lit(key)}), ${key.length}))`;
  return `if(contains(${props}, ${lit(key)}), substring(${rest}, 0, indexOf(concat(${rest}, '"'), '"')), '')`;
}

/**
 * The slim event the run keeps of a launch or deletion: the app id from either record format; with recordApps
 * (standalone), also the app's name and environment (current format only).
 */
function slimEvent(e: string, recordApps = false): Record<string, string> {
  const props = `concat(string(coalesce(${e}?['PropertyCollection'], createArray())), ${lit(PAD)})`;
  const current = `substring(${props}, add(indexOf(${props}, ${lit(APP_ID_KEY)}), ${APP_ID_KEY.length}), 36)`;
  const app = recordApps ? Object.fromEntries(Object.entries(APP_PROPERTIES).map(([key, name]) => [key, expr(propertyText(props, name))])) : {};
  return {
    ...app,
    Id: expr(`toLower(string(${e}?['Id']))`),
    AppId: expr(`toLower(if(equals(${e}?['RecordType'], 256), ${current}, string(coalesce(${e}?['AppName'], ''))))`),
    CreationTime: expr(`formatDateTime(${e}?['CreationTime'], ${FMT})`),
    Operation: expr(`${e}?['Operation']`),
    UserId: expr(`string(coalesce(${e}?['UserId'], ''))`),
    Workload: expr(`string(coalesce(${e}?['Workload'], ''))`),
  };
}

/** The audit-log columns a launch row carries (the row-by-row fallback writes these). */
const AUDIT_COLUMNS = ['admin_creationtime', 'admin_appid', 'admin_operation', 'admin_title', 'admin_userupn', 'admin_workload'] as const;

function auditTarget(withApp: boolean): Record<string, string> {
  return {
    '@odata.type': 'Microsoft.Dynamics.CRM.admin_auditlog',
    admin_auditlogid: "@item()?['Id']",
    admin_creationtime: "@item()?['CreationTime']",
    admin_appid: "@item()?['AppId']",
    ...(withApp ? { 'admin_AppLookup@odata.bind': "@{concat('admin_apps(', item()?['AppId'], ')')}" } : {}),
    admin_operation: "@item()?['Operation']",
    admin_title: "@{concat('Power App Launch ', item()?['AppId'], ' - ', item()?['CreationTime'])}",
    admin_userupn: "@item()?['UserId']",
    admin_workload: "@item()?['Workload']",
  };
}

/**
 * Standalone (no CoE inventory): every app of the window's launches and deletions that the inventory read at the
 * start of the run lacks is upserted into admin_apps, once per app (a bulk request may name a record once; two
 * records of one app can disagree on its name), with the name and environment of one of its current-format
 * records, else the app id. Then its launches carry the app lookup and its last launch is kept. A failed write is
 * a failure of the window: the watermark stays and the next run writes the window again.
 */
function recordAppSteps(): Step[] {
  const unknown = "@and(equals(length(item()?['AppId']), 36), not(contains(item()?['AppId'], '#')), not(contains(outputs('Inventory_index'), concat('|', item()?['AppId'], '|'))))";
  const app = "items('For_each_new_app')";
  const named = "first(body('Named_events_of_app'))";
  return [
    ['Events_of_new_apps', query("@outputs('Slice_events')", unknown)],
    ['New_app_ids_all', select("@body('Events_of_new_apps')", "@item()?['AppId']")],
    ['New_app_ids', compose("@union(body('New_app_ids_all'), body('New_app_ids_all'))")],
    [
      'For_each_new_app',
      foreach(
        "@outputs('New_app_ids')",
        sequence([
          ['Named_events_of_app', query("@body('Events_of_new_apps')", `@and(equals(item()?['AppId'], ${app}), not(empty(item()?['AppDisplayName'])))`)],
          [
            'Record_new_app',
            dataverse('UpdateRecord', {
              entityName: 'admin_apps',
              recordId: `@{${app}}`,
              'item/admin_displayname': `@{coalesce(${named}?['AppDisplayName'], ${app})}`,
              'item/admin_appenvironmentid': `@{coalesce(${named}?['EnvironmentId'], '')}`,
              'item/admin_appenvironmentname': `@{coalesce(${named}?['EnvironmentName'], '')}`,
            }),
          ],
        ]),
        LIMITS.eventConcurrency,
      ),
    ],
    [
      'New_apps_failed',
      {
        type: 'AppendToArrayVariable',
        inputs: { name: 'failures', value: "@{concat('writing the new apps of the window ', variables('sliceStart'), ' to admin_apps failed')}" },
        runAfter: { For_each_new_app: ['Failed', 'TimedOut'] },
      },
    ],
  ];
}

export function syncFlow(ctx: FlowContext): FlowSource {
  const description =
    'Every hour: reads Audit.General content of the Office 365 Management Activity API from the watermark on, follows NextPageUri, fetches each blob ' +
    `(or, with Audit Logs - Use Graph API yes, creates a Microsoft Graph audit log query per window filtered on LaunchPowerApp and DeletePowerApp, polls it and reads its records pages; windows then end at least ${GRAPH_MIN_END_MINUTES_AGO} minutes ago and are read in batches of at least ${GRAPH_MIN_BATCH_MINUTES} minutes), ` +
    'keeps LaunchPowerApp and DeletePowerApp (RecordType 256 and legacy 45) with Filter array and Select (no per-event loop), upserts admin_auditlogs by event Id ' +
    'with bulk UpsertMultiple requests (or row by row when Audit Logs - Write Rows One by One is yes), updates admin_apps last launch (newer only) and marks deleted apps. ' +
    `Window: ${WINDOW_FORMULA} Generated by coe-audit.`;

  const tenant = param(ctx, EV.tenantId);
  const rowByRow = param(ctx, EV.rowByRow);
  const useGraph = "equals(outputs('Use_graph'), true)";

  // ---- where this run starts and ends
  const window: Actions = sequence([
    ['Now', { type: 'Compose', inputs: '@utcNow()' }],
    ['Use_graph', compose(expr(`equals(${param(ctx, EV.useGraphApi)}, true)`), 'True when Audit Logs - Use Graph API is yes: the Microsoft Graph audit log query API instead of the Management Activity API.')],
    [
      'End_minutes_ago',
      compose(
        expr(`min(max(${param(ctx, EV.endTimeMinutesAgo)}, if(${useGraph}, ${GRAPH_MIN_END_MINUTES_AGO}, 0)), ${WINDOW.maxEndMinutesAgo})`),
        `With Graph the window ends at least ${GRAPH_MIN_END_MINUTES_AGO} minutes ago (events must be searchable).`,
      ),
    ],
    ['Run_end', compose(expr(`formatDateTime(addMinutes(outputs('Now'), mul(-1, outputs('End_minutes_ago'))), ${FMT})`))],
    ['Oldest_start', compose(expr(`formatDateTime(addMinutes(outputs('Now'), -${WINDOW.maxStartMinutesAgo}), ${FMT})`))],
    ...watermarkReadSteps(),
    ['Stored_watermark', compose(expr(watermarkValue()))],
    [
      'First_start',
      compose(
        expr(
          `if(empty(outputs('Stored_watermark')), formatDateTime(addMinutes(outputs('Now'), mul(-1, add(outputs('End_minutes_ago'), ` +
            `min(max(${param(ctx, EV.minutesToLookBack)}, ${WINDOW.minLengthMinutes}), ${WINDOW.maxLengthMinutes})))), ${FMT}), formatDateTime(outputs('Stored_watermark'), ${FMT}))`,
        ),
      ),
    ],
    [
      'Older_than_7_days',
      ifAction(
        expr("less(ticks(outputs('First_start')), ticks(outputs('Oldest_start')))"),
        sequence([
          [
            'Report_lost_interval',
            appendToArray(
              'failures',
              expr(
                "concat('LOST INTERVAL ', outputs('First_start'), ' to ', outputs('Oldest_start'), ': content listed then is older than the Activity API keeps (7 days) and was not read. " +
                  `Load this interval from a Microsoft Purview audit export with the flow ${CSV_DISPLAY_NAME.replace(/'/g, "''")}.')`,
              ),
            ),
          ],
          [
            'Record_lost_interval',
            dataverse('CreateRecord', {
              entityName: 'admin_syncflowerrorses',
              'item/admin_name': expr(
                "concat(workflow()?['tags']?['flowDisplayName'], ' | LOST INTERVAL ', outputs('First_start'), ' to ', outputs('Oldest_start'), " +
                  `': older than the 7 days the Activity API keeps; load it from a Purview audit export with the CSV flow')`,
              ),
              'item/admin_flowinstanceurl': expr(runLink(ctx)),
            }),
          ],
          ['Start_at_oldest', setVariable('sliceStart', "@outputs('Oldest_start')")],
        ]),
        sequence([['Start_at_watermark', setVariable('sliceStart', "@outputs('First_start')")]]),
      ),
    ],
    ['Failures_before_windows', compose("@length(variables('failures'))")],
  ]);

  // ---- one window (slice) of at most 24 hours
  const sliceStartApi = `formatDateTime(variables('sliceStart'), ${API_FMT})`;
  const sliceEndApi = `formatDateTime(outputs('Slice_end'), ${API_FMT})`;
  const nextPageUri =
    "coalesce(outputs('List_content')?['headers']?['NextPageUri'], outputs('List_content')?['headers']?['NextPageUrl'], " +
    "outputs('List_content')?['headers']?['nextpageuri'], outputs('List_content')?['headers']?['nextpageurl'], '')";
  const listPage: Actions = sequence([
    retryingHttp(ctx, 'List_content', {
      method: 'GET',
      uri:
        `@{outputs('Api_root')}/subscriptions/content?contentType=Audit.General&PublisherIdentifier=@{${tenant}}` +
        `&startTime=@{${sliceStartApi}}&endTime=@{${sliceEndApi}}@{if(empty(variables('nextPage')), '', concat('&nextPage=', variables('nextPage')))}`,
    }),
    ['Count_page', increment('pageCount')],
    [
      'Page_listed',
      ifAction(
        expr(`equals(${status('List_content')}, 200)`),
        sequence([
          ['Page_content_ids', select("@body('List_content')", "@item()?['contentId']")],
          ['Set_content_ids', setVariable('contentIds', "@union(variables('contentIds'), body('Page_content_ids'))")],
          ['Next_page_uri', compose(expr(nextPageUri))],
          [
            'Has_next_page',
            ifAction(
              expr("not(empty(outputs('Next_page_uri')))"),
              sequence([
                ['Next_page_parameter', query("@split(last(split(outputs('Next_page_uri'), '?')), '&')", "@startsWith(toLower(item()), 'nextpage=')")],
                [
                  'Has_next_page_parameter',
                  ifAction(
                    expr("greater(length(body('Next_page_parameter')), 0)"),
                    sequence([['Set_next_page', setVariable('nextPage', "@{substring(first(body('Next_page_parameter')), 9)}")]]),
                    sequence([
                      ['Next_page_without_parameter', appendToArray('failures', "@{concat('NextPageUri has no nextPage parameter: ', outputs('Next_page_uri'))}")],
                      ['Stop_paging_bad_uri', setVariable('morePages', false)],
                    ]),
                  ),
                ],
              ]),
              sequence([['Last_page', setVariable('morePages', false)]]),
            ),
          ],
        ]),
        sequence([
          [
            'Listing_failed',
            appendToArray('failures', expr(`concat('listing content page ', string(variables('pageCount')), ' of the window ', variables('sliceStart'), ' to ', outputs('Slice_end'), ' failed: ', ${explainFailure('List_content')})`)),
          ],
          ['Stop_paging_after_failure', setVariable('morePages', false)],
        ]),
      ),
    ],
  ]);

  const blob = "items('Fetch_blobs')";
  const blobUri = `@{outputs('Api_root')}/audit/@{${blob}}?PublisherIdentifier=@{${tenant}}`;
  const keepEvents = (source: string, suffix: string): Step[] => [
    [`App_events${suffix}`, query(`@body('${source}')`, expr(isAppEvent('item()')))],
    [`Slim_events${suffix}`, select(`@body('App_events${suffix}')`, slimEvent('item()', ctx.recordApps))],
    [`Collect_events${suffix}`, appendToArray('batches', `@body('Slim_events${suffix}')`)],
  ];
  const getBlob: Action = {
    type: 'Http',
    inputs: { method: 'GET', uri: blobUri, authentication: oauth(ctx) },
    ...secureData(['inputs']),
  };
  // Per blob on the success path, 4 actions: the GET, Filter array, Select, Append. The GET's outcome chooses the path
  // by runAfter, not by a condition (a condition would be a fifth request per blob; skipped actions cost nothing):
  // the retry scope runs when the GET failed, the events are kept when the retry scope was skipped (the GET
  // succeeded). As one chain, a failed GET that the retry scope recovered leaves no failed terminal action, so the
  // iteration succeeds; what the retries could not fetch is a counted failure (Blob_failed).
  const [keepFirst, ...keepRest] = keepEvents('Get_content_blob', '');
  const fetchBlob: Actions = sequence([
    // The platform's default retry policy covers 408, 429, 5xx and dropped connections (each retry is a request).
    ['Get_content_blob', getBlob],
    [
      'Blob_not_fetched',
      {
        // 403 AF429 (throttled) and what the default policy gave up on: the bounded retry loop.
        ...scope(
          sequence([
            retryingHttp(ctx, 'Get_content_blob_again', { method: 'GET', uri: blobUri }),
            [
              'Blob_fetched_again',
              ifAction(
                expr(`equals(${status('Get_content_blob_again')}, 200)`),
                sequence(keepEvents('Get_content_blob_again', '_again')),
                sequence([
                  ['Blob_failed', appendToArray('failures', expr(`concat('content blob ', ${blob}, ' failed: ', ${explainFailure('Get_content_blob_again')})`))],
                ]),
              ),
            ],
          ]),
          'The blob was not fetched (throttled with 403 AF429, or the default retry policy gave up): the bounded retry loop.',
        ),
        runAfter: { Get_content_blob: ['Failed', 'TimedOut'] },
      },
    ],
    [keepFirst![0], { ...keepFirst![1], runAfter: { Blob_not_fetched: ['Skipped'] } }],
    ...keepRest,
  ]);

  // The slice's events: the per-blob arrays flattened with one expression (no loop), duplicates dropped.
  const flat = "string(body('Blob_event_arrays'))";
  const joined = `replace(${flat}, '}],[{', '},{')`;
  const writeSlice: Actions = sequence([
    ['Blob_event_arrays', query("@variables('batches')", '@greater(length(item()), 0)')],
    ['Slice_events', compose(expr(`union(json(if(equals(${flat}, '[]'), '[]', substring(${joined}, 1, sub(length(${joined}), 2)))), createArray())`))],
    ['Launches', query("@outputs('Slice_events')", "@and(equals(item()?['Operation'], 'LaunchPowerApp'), equals(length(item()?['AppId']), 36), not(contains(item()?['AppId'], '#')))")],
    ...(ctx.recordApps ? recordAppSteps() : []),
    [
      'Launches_of_known_apps',
      ctx.recordApps
        ? { ...query("@body('Launches')", '@true'), runAfter: { New_apps_failed: ['Succeeded', 'Skipped'] } }
        : query("@body('Launches')", "@contains(outputs('Inventory_index'), concat('|', item()?['AppId'], '|'))"),
    ],
    ['Launches_of_unknown_apps', query("@body('Launches')", ctx.recordApps ? '@false' : "@not(contains(outputs('Inventory_index'), concat('|', item()?['AppId'], '|')))")],
    ['Audit_rows_with_app', select("@body('Launches_of_known_apps')", auditTarget(true))],
    ['Audit_rows_without_app', select("@body('Launches_of_unknown_apps')", auditTarget(false))],
    batchedWriteStep('Write_audit_rows_with_app', {
      entitySet: 'admin_auditlogs',
      message: 'UpsertMultiple',
      targets: "body('Audit_rows_with_app')",
      columns: [...AUDIT_COLUMNS, 'admin_AppLookup@odata.bind'],
      primaryKey: 'admin_auditlogid',
      rowByRow,
    }),
    batchedWriteStep('Write_audit_rows_without_app', {
      entitySet: 'admin_auditlogs',
      message: 'UpsertMultiple',
      targets: "body('Audit_rows_without_app')",
      columns: AUDIT_COLUMNS,
      primaryKey: 'admin_auditlogid',
      rowByRow,
    }),
    ['Launch_keys', select("@body('Launches')", "@concat(item()?['CreationTime'], '@', item()?['AppId'])")],
    ['Add_launch_keys', { type: 'AppendToStringVariable', inputs: { name: 'launchKeys', value: "@{concat('|', join(body('Launch_keys'), '|'))}" } }],
    ['Deletions', query("@outputs('Slice_events')", "@equals(item()?['Operation'], 'DeletePowerApp')")],
    ['Deletion_keys', select("@body('Deletions')", "@concat(item()?['CreationTime'], '@', item()?['AppId'])")],
    ['Add_deletion_keys', { type: 'AppendToStringVariable', inputs: { name: 'deletionKeys', value: "@{concat('|', join(body('Deletion_keys'), '|'))}" } }],
    ['Window_done', setVariable('doneUntil', "@outputs('Slice_end')")],
  ]);

  const slice: Actions = sequence([
    [
      'Slice_end',
      compose(expr(`if(less(ticks(addHours(variables('sliceStart'), 24)), ticks(outputs('Run_end'))), formatDateTime(addHours(variables('sliceStart'), 24), ${FMT}), outputs('Run_end'))`)),
    ],
    ['Failures_before_window', compose("@length(variables('failures'))")],
    ['Reset_batches', setVariable('batches', '@createArray()')],
    [
      'Read_window',
      ifAction(
        expr(useGraph),
        sequence(
          graphQuerySteps(ctx, {
            graphUrl: param(ctx, EV.graphUrl),
            version: 'beta',
            authentication: oauth(ctx, EV.graphUrl),
            start: "variables('sliceStart')",
            end: "outputs('Slice_end')",
            operations: ['LaunchPowerApp', 'DeletePowerApp'],
            onPage: (records) => [
              ['App_events_graph', query(`@${records}`, expr(isAppEvent('item()')))],
              ['Slim_events_graph', select("@body('App_events_graph')", slimEvent('item()', ctx.recordApps))],
              ['Collect_events_graph', appendToArray('batches', "@body('Slim_events_graph')")],
            ],
          }),
        ),
        sequence([
    ['Reset_content_ids', setVariable('contentIds', '@createArray()')],
    ['Reset_next_page', setVariable('nextPage', '')],
    ['Reset_more_pages', setVariable('morePages', true)],
    ['Reset_page_count', setVariable('pageCount', 0)],
    [
      'List_content_pages',
      until("@or(equals(variables('morePages'), false), greaterOrEquals(variables('pageCount'), " + LIMITS.maxPages + '))', listPage, { count: LIMITS.maxPages, timeout: 'PT2H' }),
    ],
    [
      'Page_cap_reached',
      ifAction(
        expr("equals(variables('morePages'), true)"),
        sequence([
          [
            'Report_page_cap',
            appendToArray('failures', `@{concat('page cap of ${LIMITS.maxPages} content pages reached for the window ', variables('sliceStart'), ' to ', outputs('Slice_end'), '; the rest is read by the next run')}`),
          ],
        ]),
      ),
    ],
    ['Fetch_blobs', foreach("@variables('contentIds')", fetchBlob, LIMITS.blobConcurrency)],
        ]),
      ),
    ],
    [
      'Window_complete',
      ifAction(
        expr("equals(length(variables('failures')), outputs('Failures_before_window'))"),
        writeSlice,
        sequence([
          [
            'Window_incomplete',
            appendToArray(
              'failures',
              "@{concat('the window ', variables('sliceStart'), ' to ', outputs('Slice_end'), ' was not completed; the watermark stays at ', variables('sliceStart'), ' and the next run reads it again')}",
            ),
          ],
        ]),
      ),
    ],
    ['Next_window', setVariable('sliceStart', "@outputs('Slice_end')")],
  ]);

  // ---- apps: newest launch and deletion per inventoried app, from sorted key strings (no per-app loop)
  // Row by row, an app's last launch is kept to the UTC day: an app is rewritten when its newest launch falls on a
  // later day than the stored one, not on every newer launch (once a day per app instead of once a run; the stored
  // date is always the day of the last launch). Bulk writes keep it exact: one request writes all changed apps.
  const lastLaunchKey = (time: string) => `if(equals(${rowByRow}, true), substring(${time}, 0, 10), ${time})`;
  const index = (v: string) => `concat('${NEVER}|', join(sort(split(variables('${v}'), '|')), '|'), '|')`;
  const found = (indexName: string) =>
    `substring(outputs('${indexName}'), max(sub(lastIndexOf(outputs('${indexName}'), concat('@', toLower(item()?['admin_appid']), '|')), 20), 0), 20)`;
  const appTarget = {
    '@odata.type': 'Microsoft.Dynamics.CRM.admin_app',
    admin_appid: "@item()?['id']",
    admin_applastlaunchedon: `@if(greater(item()?['newest'], item()?['stored']), item()?['newest'], if(equals(item()?['stored'], '${NEVER}'), null, item()?['stored']))`,
    admin_appdeleted: `@or(equals(item()?['deleted'], true), not(equals(item()?['deletedOn'], '${NEVER}')))`,
    admin_appdeletedon: `@if(or(equals(item()?['deleted'], true), equals(item()?['deletedOn'], '${NEVER}')), item()?['storedDeletedOn'], item()?['deletedOn'])`,
  };
  const inventoryRead = dataverse('ListRecords', { entityName: 'admin_apps', $select: 'admin_appid,admin_applastlaunchedon,admin_appdeleted,admin_appdeletedon' });
  const apps: Actions = sequence([
    // Standalone: the apps this run created are in the table now, not in the inventory read at the start.
    ...(ctx.recordApps ? [['Get_inventory_again', { ...inventoryRead, runtimeConfiguration: { paginationPolicy: { minimumItemCount: 100000 } } }] as Step] : []),
    ['Launch_index', compose(expr(index('launchKeys')))],
    ['Deletion_index', compose(expr(index('deletionKeys')))],
    [
      'App_changes',
      select(`@body('${ctx.recordApps ? 'Get_inventory_again' : 'Get_inventory'}')?['value']`, {
        id: "@toLower(item()?['admin_appid'])",
        stored: `@formatDateTime(coalesce(item()?['admin_applastlaunchedon'], '0001-01-01T00:00:00Z'), ${FMT})`,
        newest: expr(found('Launch_index')),
        deleted: "@coalesce(item()?['admin_appdeleted'], false)",
        storedDeletedOn: "@item()?['admin_appdeletedon']",
        deletedOn: expr(found('Deletion_index')),
      }),
    ],
    [
      'Changed_apps',
      query(
        "@body('App_changes')",
        `@or(greater(${lastLaunchKey("item()?['newest']")}, ${lastLaunchKey("item()?['stored']")}), and(not(equals(item()?['deletedOn'], '${NEVER}')), not(equals(item()?['deleted'], true))))`,
      ),
    ],
    ['App_rows', select("@body('Changed_apps')", appTarget)],
    batchedWriteStep('Write_app_rows', {
      entitySet: 'admin_apps',
      message: 'UpdateMultiple',
      targets: "body('App_rows')",
      columns: ['admin_applastlaunchedon', 'admin_appdeleted', 'admin_appdeletedon'],
      primaryKey: 'admin_appid',
      rowByRow,
    }),
  ]);

  const api: Actions = sequence([
    apiRootStep(ctx),
    [
      'Get_inventory',
      {
        ...inventoryRead,
        runtimeConfiguration: { paginationPolicy: { minimumItemCount: 100000 } },
      },
    ],
    ['Inventory_ids', select("@body('Get_inventory')?['value']", "@toLower(item()?['admin_appid'])")],
    ['Inventory_index', compose("@concat('|', join(body('Inventory_ids'), '|'), '|')")],
    [
      'Windows_to_read',
      ifAction(
        expr("less(ticks(variables('sliceStart')), ticks(outputs('Run_end')))"),
        sequence([
          [
            'Read_windows',
            until(
              "@or(greaterOrEquals(ticks(variables('sliceStart')), ticks(outputs('Run_end'))), greater(length(variables('failures')), outputs('Failures_before_windows')))",
              slice,
              { count: LIMITS.maxSlicesPerRun, timeout: 'PT6H' },
            ),
          ],
        ]),
      ),
    ],
    ['Apply_app_changes', scope(apps, 'Newest launch and deletion of every inventoried app seen in this run, written with UpdateMultiple (newer only).')],
    [
      'Advance_watermark',
      ifAction(expr("not(empty(variables('doneUntil')))"), sequence([watermarkAdvanceStep('Write_watermark', "@variables('doneUntil')")])),
    ],
  ]);

  const actions = sequence([
    ['Initialize_clientSecret', initVariable('clientSecret', 'string', '')],
    ['Initialize_failures', initVariable('failures', 'array', [])],
    ['Initialize_contentIds', initVariable('contentIds', 'array', [])],
    ['Initialize_batches', initVariable('batches', 'array', [])],
    ['Initialize_nextPage', initVariable('nextPage', 'string', '')],
    ['Initialize_morePages', initVariable('morePages', 'boolean', true)],
    ['Initialize_pageCount', initVariable('pageCount', 'integer', 0)],
    ['Initialize_sliceStart', initVariable('sliceStart', 'string', '')],
    ['Initialize_doneUntil', initVariable('doneUntil', 'string', '')],
    ['Initialize_launchKeys', initVariable('launchKeys', 'string', '')],
    ['Initialize_deletionKeys', initVariable('deletionKeys', 'string', '')],
    ...graphQueryVariables(),
    [
      'Work',
      scope(
        sequence([
          ['Time_window', scope(window, `Window: ${WINDOW_FORMULA}`)],
          [
            'Window_due',
            ifAction(
              // Graph mode reads in batches of at least GRAPH_MIN_BATCH_MINUTES (one query per batch, few runs that read),
              // and on the first run (no watermark yet); the other runs end here. The Management API mode reads every run.
              expr(`or(not(${useGraph}), empty(outputs('Stored_watermark')), greaterOrEquals(div(sub(ticks(outputs('Run_end')), ticks(variables('sliceStart'))), 600000000), ${GRAPH_MIN_BATCH_MINUTES}))`),
              sequence([...secretSteps(), whenSecret(api)]),
            ),
          ],
        ]),
      ),
    ],
    ...finishSteps(ctx),
  ]);

  const triggers = { Recurrence: { type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } } };
  return { key: 'sync', displayName: SYNC_DISPLAY_NAME, description, json: envelope(ctx, { description, bound: BOUND, triggers, actions }) };
}
