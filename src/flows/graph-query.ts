/**
 * The Microsoft Graph audit log query, as flow steps (activity-api.md §5; the CoE kit's "Use Graph API" branch,
 * coe-audit-components.md §5.2.4, without its hard-coded records host): create a query for a window, poll its status
 * with back-off, read the records page by page following @odata.nextLink, and hand each page's original records
 * (`auditData`) to the caller's steps. Every host comes from the Graph URL expression the caller passes (the kit's
 * Graph URL Environment Variable), so the same steps run in every cloud that offers the API.
 *
 * A window that cannot be loaded (creation refused, the query ended failed or cancelled, no success within the
 * poll limit, the record limit exceeded, a records page that kept failing) is appended to `failures` naming the
 * window and the reason, and `graphWindowLoaded` is false, so the caller does not advance past it.
 */
import { bodyText, explainFailure, retryingHttp, status, type FlowContext } from './shared.js';
import { after, compose, expr, ifAction, initVariable, select, sequence, setVariable, until, wait, type Actions, type JsonObject, type Step } from './wdl.js';

export interface GraphQuerySteps {
  /** WDL expression of the Graph root (the kit's Graph URL variable, with or without its trailing slash). */
  graphUrl: string;
  version: 'v1.0' | 'beta';
  /** ActiveDirectoryOAuth block whose audience is the Graph URL. */
  authentication: JsonObject;
  /** WDL expressions of the window's start and end (UTC date-time text). */
  start: string;
  end: string;
  operations: readonly string[];
  /** Steps run for each page; `records` is the expression of the page's original records. */
  onPage: (records: string) => Step[];
}

/**
 * Poll waits in seconds (then the last one again) and the poll limit (the kit waits 60 s between polls, up to
 * 1 hour); records per page ($top, as the kit) and pages per window; submissions of a query that ends failed.
 */
export const GRAPH_LIMITS = { pollWaitsSeconds: [10, 20, 40, 60], polls: 70, pollTimeout: 'PT1H', pageSize: 500, pages: 400, submissions: 3 } as const;

/** Variables the steps use; initialise them at the top level of the flow. */
export function graphQueryVariables(): Step[] {
  return [
    ['Initialize_graphQueryId', initVariable('graphQueryId', 'string', '')],
    ['Initialize_graphQueryStatus', initVariable('graphQueryStatus', 'string', 'notStarted')],
    ['Initialize_graphRecordsUrl', initVariable('graphRecordsUrl', 'string', '')],
    ['Initialize_graphWindowLoaded', initVariable('graphWindowLoaded', 'boolean', false)],
  ];
}

export function graphQuerySteps(ctx: FlowContext, o: GraphQuerySteps): Step[] {
  const root = `if(endsWith(${o.graphUrl}, '/'), substring(${o.graphUrl}, 0, sub(length(${o.graphUrl}), 1)), ${o.graphUrl})`;
  const window = `concat('window ', ${o.start}, ' to ', ${o.end})`;
  const notLoaded = (name: string, reason: string): Step => ['Not_loaded_' + name, { type: 'AppendToArrayVariable', inputs: { name: 'failures', value: expr(`concat(${window}, ' not loaded: ', ${reason})`) } }];
  const auth = { authentication: o.authentication };
  const waits = `createArray(${GRAPH_LIMITS.pollWaitsSeconds.join(', ')})`;
  const last = GRAPH_LIMITS.pollWaitsSeconds.length - 1;

  const poll: Actions = sequence([
    ['Wait_before_poll', wait(expr(`${waits}[min(iterationIndexes('Wait_for_audit_log_query'), ${last})]`))],
    retryingHttp(ctx, 'Get_audit_log_query', { method: 'GET', uri: "@{outputs('Graph_root')}/security/auditLog/queries/@{variables('graphQueryId')}", ...auth }),
    [
      'Poll_answered',
      ifAction(
        expr(`equals(${status('Get_audit_log_query')}, 200)`),
        sequence([['Set_query_status', setVariable('graphQueryStatus', "@{coalesce(body('Get_audit_log_query')?['status'], 'unknown')}")]]),
        sequence([
          notLoaded('poll_failed', `concat('reading the status of the Graph audit log query ', variables('graphQueryId'), ' failed: ', ${explainFailure('Get_audit_log_query')})`),
          ['Stop_polling', setVariable('graphQueryStatus', 'pollFailed')],
        ]),
      ),
    ],
  ]);

  const readPage: Actions = sequence([
    retryingHttp(ctx, 'Get_audit_log_records', { method: 'GET', uri: "@{variables('graphRecordsUrl')}", ...auth }),
    [
      'Records_page_read',
      ifAction(
        expr(`equals(${status('Get_audit_log_records')}, 200)`),
        sequence([
          ['Original_records', select("@coalesce(body('Get_audit_log_records')?['value'], createArray())", "@item()?['auditData']")],
          ...o.onPage("body('Original_records')"),
          ['Next_records_page', setVariable('graphRecordsUrl', "@{coalesce(body('Get_audit_log_records')?['@odata.nextLink'], '')}")],
        ]),
        sequence([
          notLoaded('page_failed', `concat('a records page of the Graph audit log query ', variables('graphQueryId'), ' failed: ', ${explainFailure('Get_audit_log_records')})`),
          ['Stop_reading', setVariable('graphRecordsUrl', '')],
          ['Graph_window_incomplete', setVariable('graphWindowLoaded', false)],
        ]),
      ),
    ],
  ]);

  const succeeded: Actions = sequence([
    ['Set_window_loaded', setVariable('graphWindowLoaded', true)],
    ['First_records_page', setVariable('graphRecordsUrl', `@{outputs('Graph_root')}/security/auditLog/queries/@{variables('graphQueryId')}/records?$top=${GRAPH_LIMITS.pageSize}`)],
    ['Read_records_pages', until("@empty(variables('graphRecordsUrl'))", readPage, { count: GRAPH_LIMITS.pages, timeout: 'PT2H' })],
    [
      'Records_page_cap',
      after(ifAction(
        expr("not(empty(variables('graphRecordsUrl')))"),
        sequence([notLoaded('page_cap', `'the records page cap of ${GRAPH_LIMITS.pages} pages (or 2 hours) was reached; shorten Audit Logs - Minutes to Look Back'`), ['Window_cut', setVariable('graphWindowLoaded', false)]]),
      ), { Read_records_pages: ['Succeeded', 'Failed', 'TimedOut'] }),
    ],
  ]);

  const created: Actions = sequence([
    ['Set_query_id', setVariable('graphQueryId', "@{body('Create_audit_log_query')?['id']}")],
    [
      'Wait_for_audit_log_query',
      until("@not(or(equals(variables('graphQueryStatus'), 'notStarted'), equals(variables('graphQueryStatus'), 'running')))", poll, {
        count: GRAPH_LIMITS.polls,
        timeout: GRAPH_LIMITS.pollTimeout,
      }),
    ],
  ]);

  // One submission: create the query, then poll it. A query that ends failed or cancelled is submitted again.
  const submit: Actions = sequence([
    ['Reset_graph_query_status', setVariable('graphQueryStatus', 'notStarted')],
    retryingHttp(ctx, 'Create_audit_log_query', { method: 'POST', uri: "@{outputs('Graph_root')}/security/auditLog/queries", body: queryBody(o), ...auth }),
    [
      'Query_created',
      ifAction(
        expr(`equals(${status('Create_audit_log_query')}, 201)`),
        created,
        sequence([
          notLoaded(
            'create_failed',
            `concat('creating the Graph audit log query failed: ', if(contains(${bodyText('Create_audit_log_query')}, 'segment ''auditLog'''), 'Graph does not offer the audit log query API in this cloud (GCC High, DoD): set Audit Logs - Use Graph API to no. ', ''), ${explainFailure('Create_audit_log_query')})`,
          ),
          ['Creation_failed', setVariable('graphQueryStatus', 'createFailed')],
        ]),
      ),
    ],
  ]);

  const ended = "or(equals(variables('graphQueryStatus'), 'failed'), equals(variables('graphQueryStatus'), 'cancelled'))";
  const outcome: Step = [
    'Query_outcome',
    after(
      ifAction(
        expr("equals(variables('graphQueryStatus'), 'succeeded')"),
        sequence([
          ['Last_query_state', compose("@body('Get_audit_log_query')")],
          [
            'Record_limit_exceeded',
            ifAction(
              expr("equals(outputs('Last_query_state')?['isRecordCountLimitExceeded'], true)"),
              sequence([
                notLoaded(
                  'record_limit',
                  `concat('the Graph audit log query ', variables('graphQueryId'), ' exceeded its record limit of ', string(outputs('Last_query_state')?['recordCountLimit']), ' records (isRecordCountLimitExceeded); shorten Audit Logs - Minutes to Look Back')`,
                ),
              ]),
              succeeded,
            ),
          ],
        ]),
        sequence([
          [
            'Query_not_succeeded',
            ifAction(
              expr("or(equals(variables('graphQueryStatus'), 'notStarted'), equals(variables('graphQueryStatus'), 'running'), equals(variables('graphQueryStatus'), 'failed'), equals(variables('graphQueryStatus'), 'cancelled'))"),
              sequence([
                notLoaded(
                  'query_not_succeeded',
                  `if(${ended}, concat('the Graph audit log query ended ', variables('graphQueryStatus'), ' ${GRAPH_LIMITS.submissions} times (last ', variables('graphQueryId'), ')'), concat('the Graph audit log query ', variables('graphQueryId'), ' did not succeed within 1 hour (last status ', variables('graphQueryStatus'), ')'))`,
                ),
              ]),
            ),
          ],
        ]),
      ),
      { Submit_audit_log_query: ['Succeeded', 'Failed', 'TimedOut'] },
    ),
  ];

  return [
    ['Reset_graph_records_url', setVariable('graphRecordsUrl', '')],
    ['Reset_graph_window_loaded', setVariable('graphWindowLoaded', false)],
    ['Graph_root', compose(expr(`concat(${root}, '/${o.version}')`), 'Graph root and version, built from the Graph URL variable (no host is written in this flow).')],
    ['Submit_audit_log_query', until(`@not(${ended})`, submit, { count: GRAPH_LIMITS.submissions, timeout: 'PT3H' })],
    outcome,
  ];
}

function queryBody(o: GraphQuerySteps): JsonObject {
  return {
    displayName: `@{concat('coe-audit Sync ', ${o.start}, ' to ', ${o.end})}`,
    filterStartDateTime: `@{${o.start}}`,
    filterEndDateTime: `@{${o.end}}`,
    operationFilters: [...o.operations],
  };
}
