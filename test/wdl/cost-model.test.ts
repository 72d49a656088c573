import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { runFlow, type HttpFunction, type HttpResponse, type RunOptions } from '../../src/wdl/index.js';

const DV = { connectionName: 'shared_commondataserviceforapps', apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps' };
const TOKEN_BODY = JSON.stringify({ access_token: 'tok-1', expires_in: '3599' });
const ERROR_BODY = '{"error":{"code":"AF50000"}}';
const OK_BODY = '[{"contentId":"c1"},{"contentId":"c2"},{"contentId":"c3"}]';

function flow(actions: Record<string, unknown>): unknown {
  return {
    properties: {
      connectionReferences: { shared_commondataserviceforapps: { connection: { connectionReferenceLogicalName: 'admin_CoECoreDataverseForApps' } } },
      definition: { triggers: { Recurrence: { type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } } }, actions },
    },
  };
}

const guid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function options(f: unknown, http: HttpFunction, rows = 0): RunOptions {
  const apps = Array.from({ length: rows }, (_, i) => ({ admin_appid: guid(i + 1), admin_displayname: `App ${i + 1}` }));
  return { flow: f, displayName: 'Cost', now: '2026-01-01T10:00:00Z', http, store: createStore({ tables: { admin_apps: apps } }) };
}

function scripted(statuses: number[]): HttpFunction {
  let i = 0;
  return async (req): Promise<HttpResponse> => {
    if (req.url.endsWith('/oauth2/token')) return { status: 200, headers: { 'content-type': 'application/json' }, body: TOKEN_BODY };
    const status = statuses[Math.min(i++, statuses.length - 1)]!;
    return { status, headers: { 'content-type': 'application/json' }, body: status === 200 ? OK_BODY : ERROR_BODY };
  };
}

const target = (i: number, extra: Record<string, unknown> = {}) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.admin_auditlog', admin_auditlogid: guid(100 + i), admin_operation: 'LaunchPowerApp', ...extra });

describe('cost model: Power Platform requests as the platform counts them', () => {
  it('counts a hand-counted flow: trigger, actions, loop iterations, retries, pagination pages; skipped actions are free', async () => {
    const f = flow({
      // 1
      Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'n', type: 'integer', value: 0 }] }, runAfter: {} },
      // 1 execution + 1 retry (503 then 200) = 2
      Call: {
        type: 'Http',
        inputs: {
          method: 'GET',
          uri: 'https://manage.office.com/api/v1.0/t/activity/feed/subscriptions/content',
          authentication: { type: 'ActiveDirectoryOAuth', authority: 'https://login.microsoftonline.com', tenant: 't', audience: 'https://manage.office.com', clientId: 'c', secret: 's3cret' },
        },
        runAfter: { Init: ['Succeeded'] },
      },
      // Foreach 1 + 3 iterations x (Compose 1 + If 1) + the If's inner Compose for 2 of the 3 items = 1 + 6 + 2 = 9
      Loop: {
        type: 'Foreach',
        foreach: "@body('Call')",
        actions: {
          Id: { type: 'Compose', inputs: "@items('Loop')?['contentId']", runAfter: {} },
          Not_c2: {
            type: 'If',
            expression: "@not(equals(outputs('Id'), 'c2'))",
            actions: { Keep: { type: 'Compose', inputs: '@outputs(\'Id\')', runAfter: {} } },
            runAfter: { Id: ['Succeeded'] },
          },
        },
        runAfter: { Call: ['Succeeded'] },
      },
      // skipped: 0
      On_failure: { type: 'Compose', inputs: 'never', runAfter: { Loop: ['Failed'] } },
      // 5,001 rows with a pagination policy: 2 pages = 1 execution + 1 page = 2
      List: {
        type: 'OpenApiConnection',
        inputs: { host: { ...DV, operationId: 'ListRecords' }, parameters: { entityName: 'admin_apps', $select: 'admin_appid' } },
        runtimeConfiguration: { paginationPolicy: { minimumItemCount: 100000 } },
        runAfter: { On_failure: ['Succeeded', 'Skipped'] },
      },
      // one bulk request of 3 rows = 1
      Upsert: {
        type: 'OpenApiConnection',
        inputs: { host: { ...DV, operationId: 'PerformBoundAction' }, parameters: { entityName: 'admin_auditlogs', actionName: 'Microsoft.Dynamics.CRM.UpsertMultiple', 'item/Targets': [target(1), target(2), target(3)] } },
        runAfter: { List: ['Succeeded'] },
      },
      // Until 1 + 2 iterations x Increment 1 = 3
      Twice: {
        type: 'Until',
        expression: "@equals(variables('n'), 2)",
        limit: { count: 10, timeout: 'PT1H' },
        actions: { Inc: { type: 'IncrementVariable', inputs: { name: 'n', value: 1 }, runAfter: {} } },
        runAfter: { Upsert: ['Succeeded'] },
      },
    });
    const r = await runFlow(options(f, scripted([503, 200]), 5001));
    expect(r.status).toBe('Succeeded');
    // trigger 1 + Init 1 + Call 2 + Loop 9 + On_failure 0 + List 2 + Upsert 1 + Twice 3 = 19
    expect(r.stats.powerPlatformRequests).toBe(19);
    expect(r.stats.actions).toBe(16);
    expect(r.stats.retries).toBe(1);
    // List: 2 pages; Upsert: 3 rows.
    expect(r.stats.dataverseOperations).toBe(5);
    expect(r.stats.dataverseCalls).toBe(2);
    expect(r.stats.httpCalls).toBe(3);
    expect(r.stats.bytesDownloaded).toBe(TOKEN_BODY.length + ERROR_BODY.length + OK_BODY.length);
    // 7.5 s of retry delay on the virtual clock.
    expect(r.durationMs).toBe(7500);
  });

  it('a Terminate and the containers it ends are counted', async () => {
    const f = flow({
      Outer: { type: 'Scope', actions: { Stop: { type: 'Terminate', inputs: { runStatus: 'Failed', runError: { code: 'X', message: 'stop' } }, runAfter: {} } }, runAfter: {} },
    });
    const r = await runFlow(options(f, scripted([200])));
    expect(r.status).toBe('Failed');
    expect(r.stats.powerPlatformRequests).toBe(3);
  });
});

describe('bulk messages in the local store: Dataverse standard-table semantics', () => {
  const bulk = (targets: unknown[], actionName = 'UpsertMultiple') =>
    flow({
      Write: {
        type: 'OpenApiConnection',
        inputs: { host: { ...DV, operationId: 'PerformBoundAction' }, parameters: { entityName: 'admin_auditlogs', actionName, 'item/Targets': targets } },
        runAfter: {},
      },
    });

  it('one bad target fails the whole request and writes nothing (no partial success)', async () => {
    const o = options(bulk([target(1), target(2, { admin_operation: 'x'.repeat(101) }), target(3)]), scripted([200]));
    const r = await runFlow(o);
    expect(r.status).toBe('Failed');
    expect(r.actions[0]!.error?.message).toMatch(/UpsertMultiple Targets\[1\]: .*exceeded the maximum allowed length of '100'/);
    expect((o.store as ReturnType<typeof createStore>).rows('admin_auditlogs')).toEqual([]);
  });

  it('refuses a record named twice, a wrong @odata.type, more than 1,000 targets, and UpdateMultiple of a missing row', async () => {
    const cases: [unknown[], string, RegExp][] = [
      [[target(1), target(1)], 'UpsertMultiple', /appears twice in Targets/],
      [[{ ...target(1), '@odata.type': 'Microsoft.Dynamics.CRM.admin_app' }], 'UpsertMultiple', /'@odata.type' must be 'Microsoft.Dynamics.CRM.admin_auditlog'/],
      [Array.from({ length: 1001 }, (_, i) => target(i)), 'UpsertMultiple', /1001 targets in one request/],
      [[target(1)], 'UpdateMultiple', /Does Not Exist/],
    ];
    for (const [targets, action, message] of cases) {
      const r = await runFlow(options(bulk(targets, action), scripted([200])));
      expect(r.status).toBe('Failed');
      expect(r.actions[0]!.error?.message).toMatch(message);
    }
  });

  it('upserts by primary key: creates, then updates the same rows', async () => {
    const o = options(bulk([target(1), target(2)]), scripted([200]));
    await runFlow(o);
    await runFlow({ ...o, flow: bulk([target(2, { admin_operation: 'DeletePowerApp' }), target(3)]) });
    const store = o.store as ReturnType<typeof createStore>;
    expect(store.rows('admin_auditlogs').map((r) => [r.admin_auditlogid, r.admin_operation])).toEqual([
      [guid(101), 'LaunchPowerApp'],
      [guid(102), 'DeletePowerApp'],
      [guid(103), 'LaunchPowerApp'],
    ]);
    expect(store.writes.get('admin_auditlogs')).toEqual({ created: 3, updated: 1 });
  });
});
