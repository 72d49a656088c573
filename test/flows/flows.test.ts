import { describe, expect, it } from 'vitest';
import { allCloudHosts } from '../../src/clouds/index.js';
import { loadSolutionSource } from '../../src/audit-solution/index.js';
import {
  buildFlows,
  componentGuid,
  CSV_DISPLAY_NAME,
  flowFileName,
  LIMITS,
  SUBSCRIPTION_DISPLAY_NAME,
  SYNC_DISPLAY_NAME,
  uuidV5,
  WINDOW,
  type FlowSource,
} from '../../src/flows/index.js';

type A = Record<string, unknown> & { type: string };
interface Found {
  name: string;
  action: A;
  /** Names of the enclosing actions, outermost first. */
  parents: string[];
}

/** Every action of a definition, nested ones included (scopes, ifs, loops, switch cases). */
function allActions(actions: Record<string, A>, parents: string[] = []): Found[] {
  const out: Found[] = [];
  for (const [name, action] of Object.entries(actions)) {
    out.push({ name, action, parents });
    const inner: Record<string, A>[] = [];
    if (action.actions) inner.push(action.actions as Record<string, A>);
    if ((action.else as { actions?: Record<string, A> } | undefined)?.actions) inner.push((action.else as { actions: Record<string, A> }).actions);
    if (action.cases) for (const c of Object.values(action.cases as Record<string, { actions: Record<string, A> }>)) inner.push(c.actions);
    if ((action.default as { actions?: Record<string, A> } | undefined)?.actions) inner.push((action.default as { actions: Record<string, A> }).actions);
    for (const i of inner) out.push(...allActions(i, [...parents, name]));
  }
  return out;
}

const source = loadSolutionSource();
const flows = buildFlows({ envVars: source.environmentVariables, connectionReferenceLogicalName: 'admin_CoECoreDataverseForApps' });
const byName = (n: string): FlowSource => flows.find((f) => f.displayName === n)!;
const definition = (f: FlowSource) => (f.json.properties as { definition: { actions: Record<string, A>; triggers: Record<string, A>; parameters: Record<string, unknown> } }).definition;
const actionsOf = (f: FlowSource) => allActions(definition(f).actions);
const text = (v: unknown) => JSON.stringify(v);

describe('the three flows', () => {
  it("have display names of their own, none of CoE Core's (an environment with both shows each once)", () => {
    expect(flows.map((f) => f.displayName)).toEqual([
      'coe-audit | Office 365 Management API Subscription',
      'coe-audit | Sync Audit Logs',
      'coe-audit | Load events from exported Audit Log CSV file',
    ]);
    const core = [
      'Admin | Audit Logs | Office 365 Management API Subscription',
      'Admin | Audit Logs | Sync Audit Logs (V2)',
      'Admin | Audit Logs | Load events from exported Audit Log CSV file',
      'Admin | Audit Logs | Update Data (V2)',
    ];
    for (const f of flows) for (const c of core) expect(f.displayName.toLowerCase()).not.toBe(c.toLowerCase());
  });

  it('use the packaged envelope with $authentication, $connections and one Dataverse connection reference', () => {
    for (const f of flows) {
      expect(Object.keys(f.json)).toEqual(['properties', 'schemaVersion']);
      const p = f.json.properties as Record<string, unknown>;
      expect(Object.keys(p)).toEqual(['connectionReferences', 'definition', 'templateName']);
      expect(p.connectionReferences).toEqual({
        shared_commondataserviceforapps: {
          runtimeSource: 'embedded',
          connection: { connectionReferenceLogicalName: 'admin_CoECoreDataverseForApps' },
          api: { name: 'shared_commondataserviceforapps' },
        },
      });
      expect(definition(f).parameters.$authentication).toEqual({ defaultValue: {}, type: 'SecureObject' });
    }
  });

  it('contain no host of any cloud and no URL but the WDL schema', () => {
    const hosts = [...new Set(allCloudHosts().map((h) => h.host))];
    for (const f of flows) {
      const t = text(f.json).toLowerCase();
      for (const h of hosts) expect(t, `${f.displayName} contains ${h}`).not.toContain(h);
      const urls = t.match(/https?:\/\/[^"' ]+/g) ?? [];
      expect(new Set(urls)).toEqual(new Set(['https://schema.management.azure.com/providers/microsoft.logic/schemas/2016-06-01/workflowdefinition.json#']));
    }
  });

  it('give every action a name that is unique in its flow and a runAfter that names a sibling', () => {
    for (const f of flows) {
      const found = actionsOf(f);
      const names = found.map((x) => x.name);
      expect(new Set(names).size, f.displayName).toBe(names.length);
      const siblings = new Map<string, Set<string>>();
      for (const x of found) {
        const key = x.parents.join('/');
        if (!siblings.has(key)) siblings.set(key, new Set());
      }
      // Siblings are the actions with the same parent chain (branches of one If share it; their names are unique anyway).
      for (const x of found) siblings.get(x.parents.join('/'))!.add(x.name);
      for (const x of found) {
        for (const dep of Object.keys((x.action.runAfter as Record<string, string[]>) ?? {})) {
          expect(siblings.get(x.parents.join('/'))!.has(dep), `${x.name} runs after unknown ${dep}`).toBe(true);
        }
      }
    }
  });

  it('call the Management API only with Audience-built URLs, ActiveDirectoryOAuth from the variables, secureData and bounded retries', () => {
    for (const f of flows) {
      for (const x of actionsOf(f).filter((a) => a.action.type === 'Http')) {
        const inputs = x.action.inputs as Record<string, unknown>;
        // Graph calls (the Sync flow's Graph mode) are built on Graph_root and authenticate for the Graph URL variable.
        const graph = String(inputs.uri).startsWith("@{outputs('Graph_root')}/security/auditLog/queries") || inputs.uri === "@{variables('graphRecordsUrl')}";
        if (!graph) expect(String(inputs.uri)).toMatch(/^@\{outputs\('Api_root'\)\}\//);
        expect(inputs.authentication).toEqual({
          type: 'ActiveDirectoryOAuth',
          authority: "@parameters('Audit Logs - Authority (admin_AuditLogsAuthority)')",
          tenant: "@parameters('TenantID (admin_TenantID)')",
          audience: graph ? "@parameters('Graph URL Environment Variable (admin_GraphURLEnvironmentVariable)')" : "@parameters('Audit Logs - Audience (admin_AuditLogsAudience)')",
          clientId: "@parameters('Audit Logs - ClientID (admin_AuditLogsClientID)')",
          secret: "@variables('clientSecret')",
        });
        expect(x.action.runtimeConfiguration).toEqual({ secureData: { properties: ['inputs'] } });
        if (!graph) expect(String(inputs.uri)).toContain('PublisherIdentifier=@{parameters(\'TenantID (admin_TenantID)\')}');
        // Wrapped in a bounded retry loop that backs off on AF429 (HTTP 403), 429 and 5xx, or (blob GETs) a first attempt under
        // the platform's default policy whose failure goes to such a loop.
        const parent = actionsOf(f).find((a) => a.name === x.parents[x.parents.length - 1]);
        const loop = parent?.action.type === 'Until' ? parent : actionsOf(f).find((a) => a.name === `Retry_${x.name}_again`)!;
        if (parent?.action.type === 'Until') expect(inputs.retryPolicy).toEqual({ type: 'none' });
        else expect(inputs.retryPolicy).toBeUndefined();
        expect(loop.action.type).toBe('Until');
        expect((loop.action.limit as { count: number }).count).toBeLessThanOrEqual(LIMITS.attempts);
        const cond = String(loop.action.expression);
        for (const piece of ['AF429', 'equals(coalesce', '429)', 'greaterOrEquals(', '500)']) expect(cond).toContain(piece);
        expect(text(loop.action.actions)).toContain('"type":"Wait"');
      }
    }
  });

  it('mark every action that sees the secret as secureData', () => {
    for (const f of flows) {
      for (const x of actionsOf(f)) {
        const t = text({ ...x.action, actions: undefined, else: undefined, cases: undefined, default: undefined });
        const carries = t.includes("variables('clientSecret')") || x.name.startsWith('Get_Key_Vault_secret') || x.name.includes('Client_Secret_variable');
        if (!carries || ['If', 'Switch', 'Scope', 'Foreach', 'Until'].includes(x.action.type)) continue;
        const props = ((x.action.runtimeConfiguration as { secureData?: { properties: string[] } })?.secureData?.properties ?? []) as string[];
        expect(props.length, `${f.displayName}: ${x.name} is not secureData`).toBeGreaterThan(0);
      }
      for (const x of actionsOf(f).filter((a) => a.action.type === 'SetVariable' && (a.action.inputs as { name: string }).name === 'clientSecret')) {
        expect(x.action.runtimeConfiguration).toEqual({ secureData: { properties: ['inputs', 'outputs'] } });
      }
    }
  });

  it('choose Key Vault or the plain secret by whether the Key Vault variable has a value, with no step expected to fail', () => {
    for (const f of [byName(SUBSCRIPTION_DISPLAY_NAME), byName(SYNC_DISPLAY_NAME)]) {
      const found = actionsOf(f);
      const choose = found.find((x) => x.name === 'Choose_secret_source')!;
      expect(choose.action.type).toBe('If');
      expect(Object.keys(choose.action.actions as object)).toContain('Get_Key_Vault_secret');
      expect(text(found.find((x) => x.name === 'Use_Key_Vault')!.action)).toContain('not(empty(');
      const kv = found.find((x) => x.name === 'Get_Key_Vault_secret')!.action;
      expect(text(kv)).toContain('RetrieveEnvironmentVariableSecretValue');
      expect(kv.runtimeConfiguration).toEqual({ secureData: { properties: ['inputs', 'outputs'] } });
      // Nothing runs "after Failed" of a secret step.
      for (const x of found) expect(text(x.action.runAfter)).not.toMatch(/Key_Vault[^"]*":\["Failed/);
    }
  });

  it('ship the error scaffold: error row with run link, last-run row, and a failed run naming what failed', () => {
    for (const f of flows) {
      const found = actionsOf(f);
      const create = found.find((x) => x.name === 'Create_sync_flow_error_row')!;
      expect(text(create.action)).toContain('admin_syncflowerrorses');
      expect(text(create.action)).toContain("/runs/', workflow()?['run']?['name']");
      expect(text(create.action)).toContain('Power Automate Environment Variable (admin_PowerAutomateEnvironmentVariable)');
      const fail = found.find((x) => x.name === 'Fail_the_run')!;
      expect(fail.action.type).toBe('Terminate');
      expect(text(fail.action)).toContain("join(take(variables('failures'), 20)");
      expect(found.find((x) => x.name === 'Record_failure')!.action.type).toBe('AppendToArrayVariable');
      expect(found.find((x) => x.name === 'Failed_steps')!.action.runAfter).toEqual({ Work: ['Failed', 'TimedOut'] });
    }
  });
});

describe('Subscription flow', () => {
  const f = byName(SUBSCRIPTION_DISPLAY_NAME);
  const found = actionsOf(f);

  it('is triggered from a Power App with the text input Operation, matched case-insensitively', () => {
    const trigger = definition(f).triggers.manual!;
    expect(trigger).toMatchObject({ type: 'Request', kind: 'PowerAppV2' });
    expect(text(trigger)).toContain('"title":"Operation"');
    expect(text(found.find((x) => x.name === 'Initialize_operation')!.action)).toContain('toLower(trim(');
    const sw = found.find((x) => x.name === 'Switch_on_operation')!.action as unknown as { cases: Record<string, { case: string }> };
    expect(Object.values(sw.cases).map((c) => c.case)).toEqual(['start', 'stop', 'list']);
  });

  it('treats HTTP 400 with AF20024 on start as success and says enabled', () => {
    const result = found.find((x) => x.name === 'Start_subscription_result')!.action;
    expect(String(result.expression)).toContain('AF20024');
    expect(String(result.expression)).toContain('400)');
    expect(text(result.actions)).toContain('"value":"enabled"');
  });

  it('reports the status of Audit.General on list, not only its presence', () => {
    const t = text(found.find((x) => x.name === 'List_subscriptions_result')!.action);
    expect(t).toContain("first(body('Find_Audit_General'))?['status']");
    expect(t).toContain('not subscribed');
  });

  it('explains 401, AF10001 and AF20023', () => {
    const t = text(found.find((x) => x.name === 'Start_subscription_result')!.action);
    for (const code of ['equals(coalesce(outputs(\'Start_subscription\')?[\'statusCode\'], 0), 401)', 'AF10001', 'ActivityFeed.Read', 'AF20023']) expect(t).toContain(code);
  });

  it('responds {operation, response, statuscode} on every path, success or failure', () => {
    const respond = found.find((x) => x.name === 'Respond_to_Power_App')!.action;
    expect(respond).toMatchObject({ type: 'Response', kind: 'PowerApp', runAfter: { Record_failure: ['Succeeded', 'Skipped'] } });
    expect(Object.keys((respond.inputs as { body: object }).body)).toEqual(['operation', 'response', 'statuscode']);
    // Every branch sets the response variables.
    for (const branch of ['Start_subscription_succeeded', 'Start_subscription_failed', 'Stop_subscription_succeeded', 'Stop_subscription_failed', 'List_succeeded', 'List_failed', 'Unknown_operation']) {
      expect(found.some((x) => x.name === `${branch}_response`), branch).toBe(true);
      expect(found.some((x) => x.name === `${branch}_statuscode`), branch).toBe(true);
    }
  });
});

describe('Sync Audit Logs (V2) flow', () => {
  const f = byName(SYNC_DISPLAY_NAME);
  const found = actionsOf(f);
  const get = (n: string) => found.find((x) => x.name === n)!;

  it('runs every hour', () => {
    expect(definition(f).triggers.Recurrence).toEqual({ type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } });
  });

  it('continues from a watermark in windows of at most 24 hours, at most 7 days back, and says so in its description', () => {
    expect(String(get('Slice_end').action.inputs)).toContain("addHours(variables('sliceStart'), 24)");
    expect(String(get('Oldest_start').action.inputs)).toContain(`-${WINDOW.maxStartMinutesAgo})`);
    expect(WINDOW.maxStartMinutesAgo).toBeLessThan(7 * 24 * 60);
    expect(f.description).toContain('at most 24 hours');
    expect(f.description).toContain('7 days');
    expect(String(get('First_start').action.inputs)).toContain("outputs('Stored_watermark')");
    const windows = get('Read_windows').action;
    expect(windows.type).toBe('Until');
    expect((windows.limit as { count: number }).count).toBe(LIMITS.maxSlicesPerRun);
    expect(text(get('Report_lost_interval').action)).toContain('LOST INTERVAL');
    expect(text(get('Report_lost_interval').action)).toContain('Purview');
    // The watermark moves only to the end of a window whose pages, blobs and writes all succeeded.
    expect(get('Window_done').parents).toContain('Window_complete');
    expect(get('Window_done').action).toMatchObject({ type: 'SetVariable', inputs: { name: 'doneUntil' } });
    expect(text(get('Write_watermark').action)).toContain('environmentvariablevalues');
  });

  it('follows NextPageUri (or NextPageUrl) in a bounded loop and reports the page cap', () => {
    const loop = get('List_content_pages').action;
    expect(loop.type).toBe('Until');
    expect((loop.limit as { count: number }).count).toBe(LIMITS.maxPages);
    expect(String(loop.expression)).toContain("variables('morePages')");
    expect(String(loop.expression)).toContain(`${LIMITS.maxPages}`);
    const listing = get('List_content');
    expect(listing.parents).toContain('List_content_pages');
    expect(String((listing.action.inputs as { uri: string }).uri)).toContain('/subscriptions/content?contentType=Audit.General&PublisherIdentifier=');
    expect(String((listing.action.inputs as { uri: string }).uri)).toContain("concat('&nextPage=', variables('nextPage'))");
    const header = text(get('Next_page_uri').action);
    expect(header).toContain("['NextPageUri']");
    expect(header).toContain("['NextPageUrl']");
    expect(get('Last_page').action).toMatchObject({ type: 'SetVariable', inputs: { name: 'morePages', value: false } });
    expect(text(get('Page_cap_reached').action)).toContain(`page cap of ${LIMITS.maxPages}`);
  });

  it('fetches each blob with PublisherIdentifier and bounded concurrency', () => {
    const loop = get('Fetch_blobs').action;
    expect(loop.type).toBe('Foreach');
    expect(loop.runtimeConfiguration).toEqual({ concurrency: { repetitions: LIMITS.blobConcurrency } });
    expect(String((get('Get_content_blob').action.inputs as { uri: string }).uri)).toMatch(/\/audit\/@\{items\('Fetch_blobs'\)\}\?PublisherIdentifier=/);
    // No SetVariable inside concurrent loops (only appends).
    for (const x of found.filter((a) => a.parents.includes('Fetch_blobs'))) {
      expect(['SetVariable', 'IncrementVariable', 'AppendToStringVariable'], x.name).not.toContain(x.action.type);
    }
  });

  it('keeps LaunchPowerApp and DeletePowerApp of both record formats with data operations, no per-event loop', () => {
    const where = String((get('App_events').action.inputs as { where: string }).where);
    for (const piece of ["'LaunchPowerApp'", "'DeletePowerApp'", '256)', '45)']) expect(where).toContain(piece);
    const slim = text(get('Slim_events').action);
    expect(get('Slim_events').action.type).toBe('Select');
    expect(slim).toContain("?['AppName']");
    expect(slim).toContain('powerplatform.analytics.resource.power_app.id');
    expect(slim).toContain("?['PropertyCollection']");
    // The only loops: pages, windows, blobs, bulk chunks and the row-by-row fallback.
    const loops = found.filter((a) => a.action.type === 'Foreach').map((a) => a.name).sort();
    expect(loops).toEqual([
      'Fetch_blobs',
      'Write_app_rows_chunks',
      'Write_app_rows_rows',
      'Write_audit_rows_with_app_chunks',
      'Write_audit_rows_with_app_rows',
      'Write_audit_rows_without_app_chunks',
      'Write_audit_rows_without_app_rows',
    ]);
  });

  it('upserts admin_auditlogs keyed by the event Id with UpsertMultiple, or row by row when the variable says so', () => {
    for (const n of ['Write_audit_rows_with_app', 'Write_audit_rows_without_app']) {
      expect(String(get(n).action.expression)).toBe("@equals(parameters('Audit Logs - Write Rows One by One (admin_AuditLogsWriteRowByRow)'), true)");
      const bulk = get(`${n}_chunk`).action.inputs as { host: { operationId: string }; parameters: Record<string, unknown> };
      expect(bulk.host.operationId).toBe('PerformBoundAction');
      expect(bulk.parameters).toMatchObject({ entityName: 'admin_auditlogs', actionName: 'Microsoft.Dynamics.CRM.UpsertMultiple' });
      expect(String(get(`${n}_chunks`).action.foreach)).toContain(`, ${LIMITS.batchSize})`);
      const row = get(`${n}_row`).action.inputs as { host: { operationId: string }; parameters: Record<string, unknown> };
      expect(row.host.operationId).toBe('UpdateRecord');
      expect(row.parameters.recordId).toBe(`@{items('${n}_rows')?['admin_auditlogid']}`);
    }
    expect(text(get('Audit_rows_with_app').action)).toContain('admin_AppLookup@odata.bind');
    expect(text(get('Audit_rows_without_app').action)).not.toContain('admin_AppLookup@odata.bind');
    expect(text(get('Audit_rows_with_app').action)).toContain('"admin_auditlogid":"@item()?[\'Id\']"');
  });

  it('sets admin_applastlaunchedon only when newer and marks deleted apps, with UpdateMultiple', () => {
    expect(text(get('Changed_apps').action)).toContain("greater(if(equals(parameters('Audit Logs - Write Rows One by One (admin_AuditLogsWriteRowByRow)'), true), substring(item()?['newest'], 0, 10), item()?['newest'])");
    expect(text(get('Launch_index').action)).toContain("sort(split(variables('launchKeys'), '|'))");
    expect(text(get('App_rows').action)).toContain('admin_applastlaunchedon');
    expect(text(get('App_rows').action)).toContain('admin_appdeleted');
    expect((get('Write_app_rows_chunk').action.inputs as { parameters: Record<string, unknown> }).parameters.actionName).toBe('Microsoft.Dynamics.CRM.UpdateMultiple');
  });

  it('counts failures of list, blob and window steps', () => {
    for (const n of ['Listing_failed', 'Blob_failed', 'Window_incomplete', 'Report_lost_interval']) {
      expect(get(n).action).toMatchObject({ type: 'AppendToArrayVariable', inputs: { name: 'failures' } });
    }
  });
});

describe('Load events from exported Audit Log CSV file flow', () => {
  const f = byName(CSV_DISPLAY_NAME);
  const found = actionsOf(f);
  const get = (n: string) => found.find((x) => x.name === n)!;

  it('has a Button trigger with the file input Audit Log CSV', () => {
    const trigger = definition(f).triggers.manual!;
    expect(trigger).toMatchObject({ type: 'Request', kind: 'Button' });
    expect(text(trigger)).toContain('"title":"Audit Log CSV"');
    expect(text(trigger)).toContain('"contentBytes"');
  });

  it('parses CSV with quoting, not by splitting lines on commas', () => {
    expect(text(get('Csv_without_bom').action)).toContain('%EF%BB%BF');
    expect(get('Quote_segments').action.inputs).toBe("@split(outputs('Csv_without_bom'), '\"')");
    const resolve = String((get('Resolve_quoting').action.inputs as { select: string }).select);
    for (const piece of ['mod(item(), 2)', "'\"'", '%0D', '%0A', '%1E', '%1F']) expect(resolve).toContain(piece);
    expect(text(get('Find_AuditData_column').action)).toContain("'auditdata'");
  });

  it('reports a bad row by its number and goes on', () => {
    const report = get('Report_bad_row').action;
    expect(report.runAfter).toEqual({ Read_row: ['Failed', 'TimedOut'] });
    expect(text(report)).toContain("add(items('For_each_row'), 1)");
    expect(text(report)).toContain('badRows');
    expect(get('Select_app_ids').action.runAfter).toEqual({ For_each_row: ['Succeeded', 'Failed'] });
  });

  it('applies events with an upsert by event Id and a newer-only update of the app', () => {
    expect(text(get('Upsert_audit_log_with_app').action)).toContain('admin_AppLookup@odata.bind');
    expect(String(get('Is_newer_than_stored').action.expression)).toContain('ticks(');
    expect(text(get('Set_app_deleted').action)).toContain('"item/admin_appdeleted":true');
    expect(text(get('Collect_csv_event').action)).toContain("?['AppName']");
  });
});

/** The CSV algorithm of the flow, mirrored in JavaScript, on the cases the issue names. */
function parseLikeTheFlow(text: string): string[][] {
  const t = text.startsWith('\ufeff') ? text.slice(1) : text;
  const segs = t.split('"');
  const marked = segs.map((seg, i) =>
    i % 2 === 1 ? seg : i > 0 && i < segs.length - 1 && seg.length === 0 ? '"' : seg.replace(/\r\n/g, '\x1e').replace(/\n/g, '\x1e').replace(/\r/g, '\x1e').replace(/,/g, '\x1f'),
  );
  return marked.join('').split('\x1e').map((r) => r.split('\x1f'));
}

describe('CSV algorithm of the loader', () => {
  it('handles quoted commas, doubled quotes, line breaks in fields, CRLF and a BOM', () => {
    const csv = '\ufeffRecordId,CreationDate,AuditData\r\n1,"9/20/2023 4:05:03 AM","{""a"":""x,y""}"\r\n2,x,"line1\r\nline2 ""q"""\r\n3,,""\r\n';
    expect(parseLikeTheFlow(csv)).toEqual([
      ['RecordId', 'CreationDate', 'AuditData'],
      ['1', '9/20/2023 4:05:03 AM', '{"a":"x,y"}'],
      ['2', 'x', 'line1\r\nline2 "q"'],
      ['3', '', ''],
      [''],
    ]);
  });
});

describe('stable identities', () => {
  it('derives RFC 4122 v5 GUIDs (the DNS example of RFC 4122 errata / Python uuid5)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives each flow the same GUID on every build and a kit-style file name', () => {
    const id = componentGuid('CoEAuditLogs', 'workflow', 'csv');
    expect(id).toBe(componentGuid('CoEAuditLogs', 'workflow', 'csv'));
    expect(id).not.toBe(componentGuid('OtherSolution', 'workflow', 'csv'));
    expect(flowFileName(CSV_DISPLAY_NAME, id)).toBe(`coeauditLoadeventsfromexportedAuditLogCSVfile-${id.toUpperCase()}.json`);
    // The kit's rule: alphanumerics of the display name cut to 50 characters.
    expect(flowFileName('Admin | Audit Logs | Load events from exported Audit Log CSV file', id)).toBe(`AdminAuditLogsLoadeventsfromexportedAuditLogCSVfil-${id.toUpperCase()}.json`);
  });
});
