import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { runFlow, WdlUnsupportedError, type HttpFunction, type HttpRequest, type HttpResponse, type RunOptions, type WdlValue } from '../../src/wdl/index.js';

const APP = '11111111-1111-4111-8111-111111111111';
const EVENT = 'aaaaaaaa-0000-4000-8000-000000000001';

function flow(actions: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return {
    properties: {
      connectionReferences: { shared_commondataserviceforapps: { connection: { connectionReferenceLogicalName: 'admin_CoECoreDataverseForApps' } } },
      definition: {
        $schema: 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
        contentVersion: '1.0.0.0',
        parameters: {
          'TenantID (admin_TenantID)': { type: 'String', defaultValue: 'tenant-default', metadata: { schemaName: 'admin_TenantID' } },
          'Minutes (admin_AuditLogsMinutestoLookBack)': { type: 'Int', defaultValue: 65, metadata: { schemaName: 'admin_AuditLogsMinutestoLookBack' } },
        },
        triggers: { Recurrence: { type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } } },
        actions,
        ...extra,
      },
    },
  };
}

const noHttp: HttpFunction = async (req) => {
  throw new Error(`unexpected HTTP ${req.method} ${req.url}`);
};

function options(f: unknown, over: Partial<RunOptions> = {}): RunOptions {
  return {
    flow: f,
    displayName: 'Test flow',
    now: '2026-01-01T10:00:00Z',
    http: noHttp,
    store: createStore({ apps: [{ id: APP, displayName: 'App' }], environmentVariables: [{ schemaName: 'admin_TenantID', type: 'String', value: 'tenant-1' }] }),
    ...over,
  };
}

const compose = (inputs: unknown, runAfter: Record<string, string[]> = {}): Record<string, unknown> => ({ type: 'Compose', inputs, runAfter });

describe('runFlow: basics', () => {
  it('runs actions in runAfter order, with variables and parameters from environment variables', async () => {
    const r = await runFlow(
      options(
        flow({
          Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'n', type: 'integer', value: 1 }] }, runAfter: {} },
          Inc: { type: 'IncrementVariable', inputs: { name: 'n', value: 41 }, runAfter: { Init: ['Succeeded'] } },
          Out: compose("@{parameters('TenantID (admin_TenantID)')}:@{variables('n')}:@{parameters('Minutes (admin_AuditLogsMinutestoLookBack)')}", { Inc: ['Succeeded'] }),
        }),
      ),
    );
    expect(r.status).toBe('Succeeded');
    expect(r.actions.map((a) => a.name)).toEqual(['Init', 'Inc', 'Out']);
    expect(r.actions[2]!.outputs).toBe('tenant-1:42:65');
  });

  it('a failure handled by a runAfter Failed branch does not fail the run; an unhandled one does', async () => {
    const handled = await runFlow(
      options(
        flow({
          Bad: compose("@int('x')"),
          Catch: compose('caught', { Bad: ['Failed'] }),
        }),
      ),
    );
    expect(handled.status).toBe('Succeeded');
    expect(handled.actions[0]).toMatchObject({ name: 'Bad', status: 'Failed', code: 'InvalidTemplate' });
    expect(handled.actions[0]!.error!.message).toMatch(/int: String "x" cannot be converted/);
    const unhandled = await runFlow(options(flow({ Bad: compose("@int('x')"), After: compose('never', { Bad: ['Succeeded'] }) })));
    expect(unhandled.status).toBe('Failed');
    expect(unhandled.actions[1]).toMatchObject({ name: 'After', status: 'Skipped' });
  });

  it('the error-handling scaffold: a failed scope runs Error_Handling and terminates Failed; success skips it', async () => {
    const scaffold = (body: Record<string, unknown>): unknown =>
      flow({
        Work: { type: 'Scope', actions: body, runAfter: {} },
        Error_Handling: {
          type: 'Scope',
          runAfter: { Work: ['Failed'] },
          actions: { Terminate: { type: 'Terminate', inputs: { runStatus: 'Failed', runError: { code: '500', message: 'Work failed' } }, runAfter: {} } },
        },
        Pass: compose('passed', { Error_Handling: ['Skipped'] }),
      });
    const ok = await runFlow(options(scaffold({ A: compose('a') })));
    expect(ok.status).toBe('Succeeded');
    expect(ok.actions.map((a) => `${a.path}:${a.status}`)).toEqual(['Work/A:Succeeded', 'Work:Succeeded', 'Error_Handling:Skipped', 'Pass:Succeeded']);
    const bad = await runFlow(options(scaffold({ A: compose("@json('{')") })));
    expect(bad.status).toBe('Failed');
    expect(bad.error).toEqual({ code: '500', message: 'Work failed' });
    expect(bad.actions.map((a) => `${a.path}:${a.status}`)).toEqual(['Work/A:Failed', 'Work:Failed', 'Error_Handling/Terminate:Succeeded']);
  });

  it('If (designer condition), Switch, Query and Select', async () => {
    const r = await runFlow(
      options(
        flow({
          Data: compose([{ n: 1, op: 'LaunchPowerApp' }, { n: 2, op: 'Other' }, { n: 3, op: 'LaunchPowerApp' }]),
          Filter: { type: 'Query', inputs: { from: "@outputs('Data')", where: "@equals(item()?['op'], 'LaunchPowerApp')" }, runAfter: { Data: ['Succeeded'] } },
          Ids: { type: 'Select', inputs: { from: "@body('Filter')", select: { Id: "@item()['n']" } }, runAfter: { Filter: ['Succeeded'] } },
          Check: {
            type: 'If',
            expression: { and: [{ greater: ["@length(body('Ids'))", 1] }] },
            actions: { Yes: compose("@body('Ids')") },
            else: { actions: { No: compose('no') } },
            runAfter: { Ids: ['Succeeded'] },
          },
          Sw: {
            type: 'Switch',
            expression: "@toLower('START')",
            cases: { Stop: { case: 'stop', actions: { S1: compose('stopped') } }, Start: { case: 'start', actions: { S2: compose('started') } } },
            default: { actions: { S3: compose('default') } },
            runAfter: { Check: ['Succeeded'] },
          },
        }),
      ),
    );
    expect(r.status).toBe('Succeeded');
    const out = Object.fromEntries(r.actions.map((a) => [a.name, a.outputs]));
    expect(out.Yes).toEqual([{ Id: 1 }, { Id: 3 }]);
    expect(out.S2).toBe('started');
    expect(out.No).toBeUndefined();
  });

  it('ParseJson validates against the schema (ajv)', async () => {
    const schema = { type: 'array', items: { type: 'object', properties: { Id: { type: 'string' } }, required: ['Id'] } };
    const r = await runFlow(
      options(
        flow({
          Good: { type: 'ParseJson', inputs: { content: '[{"Id":"x"}]', schema }, runAfter: {} },
          Bad: { type: 'ParseJson', inputs: { content: [{ Nope: 1 }], schema }, runAfter: { Good: ['Succeeded'] } },
          Handle: compose('handled', { Bad: ['Failed'] }),
        }),
      ),
    );
    expect(r.actions[0]).toMatchObject({ status: 'Succeeded', outputs: { body: [{ Id: 'x' }] } });
    expect(r.actions[1]!.status).toBe('Failed');
    expect(r.actions[1]!.error!.message).toMatch(/must have required property 'Id'/);
  });
});

describe('runFlow: Foreach and Until', () => {
  const loopFlow = (repetitions: number): unknown =>
    flow({
      Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'seen', type: 'array' }] }, runAfter: {} },
      Loop: {
        type: 'Foreach',
        foreach: '@range(0, 6)',
        runtimeConfiguration: { concurrency: { repetitions } },
        actions: {
          Wait: { type: 'Wait', inputs: { interval: { count: 10, unit: 'Second' } }, runAfter: {} },
          Add: { type: 'AppendToArrayVariable', inputs: { name: 'seen', value: "@concat(string(items('Loop')), '@', utcNow('HH:mm:ss'))" }, runAfter: { Wait: ['Succeeded'] } },
        },
        runAfter: { Init: ['Succeeded'] },
      },
      Done: compose("@variables('seen')", { Loop: ['Succeeded'] }),
    });

  it('concurrency is deterministic: item order kept, lanes share the virtual time', async () => {
    const seq = await runFlow(options(loopFlow(1)));
    const par = await runFlow(options(loopFlow(3)));
    expect(seq.actions.at(-1)!.outputs).toEqual(['0@10:00:10', '1@10:00:20', '2@10:00:30', '3@10:00:40', '4@10:00:50', '5@10:01:00']);
    expect(par.actions.at(-1)!.outputs).toEqual(['0@10:00:10', '1@10:00:10', '2@10:00:10', '3@10:00:20', '4@10:00:20', '5@10:00:20']);
    expect(seq.endTime).toBe('2026-01-01T10:01:00.0000000Z');
    expect(par.endTime).toBe('2026-01-01T10:00:20.0000000Z');
    const again = await runFlow(options(loopFlow(3)));
    expect(JSON.stringify(again)).toBe(JSON.stringify(par));
  });

  it("a Foreach without a concurrency setting runs one iteration at a time (Power Automate's default of 1)", async () => {
    const f = loopFlow(1) as { properties: { definition: { actions: { Loop: Record<string, unknown> } } } };
    delete f.properties.definition.actions.Loop.runtimeConfiguration;
    const r = await runFlow(options(f));
    expect(r.endTime).toBe('2026-01-01T10:01:00.0000000Z');
  });

  it('each concurrent iteration reads its own actions (outputs of the iteration, not of another lane)', async () => {
    const r = await runFlow(
      options(
        flow({
          Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'pairs', type: 'array' }] }, runAfter: {} },
          Loop: {
            type: 'Foreach',
            foreach: '@range(0, 8)',
            runtimeConfiguration: { concurrency: { repetitions: 4 } },
            actions: {
              Mine: compose('@mul(item(), 10)'),
              Pause: { type: 'Wait', inputs: { interval: { count: "@sub(8, item())", unit: 'Second' } }, runAfter: { Mine: ['Succeeded'] } },
              Add: { type: 'AppendToArrayVariable', inputs: { name: 'pairs', value: "@concat(string(item()), '=', string(outputs('Mine')))" }, runAfter: { Pause: ['Succeeded'] } },
            },
            runAfter: { Init: ['Succeeded'] },
          },
          Done: compose("@variables('pairs')", { Loop: ['Succeeded'] }),
        }),
      ),
    );
    const pairs = r.actions.at(-1)!.outputs as string[];
    expect([...pairs].sort()).toEqual(['0=0', '1=10', '2=20', '3=30', '4=40', '5=50', '6=60', '7=70']);
    // Virtual-time order: the shorter waits of later items end first.
    expect(pairs.slice(0, 4)).toEqual(['3=30', '2=20', '1=10', '0=0']);
  });

  it('nested concurrent loops interleave by time; a Terminate in one lane ends the run at once', async () => {
    const nested = await runFlow(
      options(
        flow({
          Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'log', type: 'array' }] }, runAfter: {} },
          Outer: {
            type: 'Foreach',
            foreach: '@range(0, 3)',
            runtimeConfiguration: { concurrency: { repetitions: 3 } },
            actions: {
              Inner: {
                type: 'Foreach',
                foreach: '@range(0, 2)',
                runtimeConfiguration: { concurrency: { repetitions: 2 } },
                actions: {
                  Pause: { type: 'Wait', inputs: { interval: { count: "@add(mul(items('Outer'), 10), items('Inner'))", unit: 'Second' } }, runAfter: {} },
                  Add: { type: 'AppendToArrayVariable', inputs: { name: 'log', value: "@concat(string(items('Outer')), '.', string(items('Inner')))" }, runAfter: { Pause: ['Succeeded'] } },
                },
                runAfter: {},
              },
            },
            runAfter: { Init: ['Succeeded'] },
          },
          Done: compose("@variables('log')", { Outer: ['Succeeded'] }),
        }),
      ),
    );
    expect(nested.actions.at(-1)!.outputs).toEqual(['0.0', '0.1', '1.0', '1.1', '2.0', '2.1']);
    expect(nested.endTime).toBe('2026-01-01T10:00:21.0000000Z');
    const stopped = await runFlow(
      options(
        flow({
          Loop: {
            type: 'Foreach',
            foreach: '@range(0, 6)',
            runtimeConfiguration: { concurrency: { repetitions: 3 } },
            actions: {
              Pause: { type: 'Wait', inputs: { interval: { count: "@sub(6, item())", unit: 'Second' } }, runAfter: {} },
              Stop: { type: 'Terminate', inputs: { runStatus: 'Failed', runError: { code: 'Stopped', message: "@{item()}" } }, runAfter: { Pause: ['Succeeded'] } },
            },
            runAfter: {},
          },
        }),
      ),
    );
    expect(stopped.status).toBe('Failed');
    // The lane that reaches Terminate first in virtual time (item 2, after 4 s) ends the run.
    expect(stopped.error).toEqual({ code: 'Stopped', message: '2' });
  });

  it('Until stops on its condition, its count (Succeeded) and its timeout on the virtual clock (TimedOut)', async () => {
    const until = (limit: Record<string, unknown>, stopAt: number): unknown =>
      flow({
        Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'i', type: 'integer', value: 0 }] }, runAfter: {} },
        Loop: {
          type: 'Until',
          expression: `@greaterOrEquals(variables('i'), ${stopAt})`,
          limit,
          actions: {
            Inc: { type: 'IncrementVariable', inputs: { name: 'i' }, runAfter: {} },
            Wait: { type: 'Wait', inputs: { interval: { count: 30, unit: 'Second' } }, runAfter: { Inc: ['Succeeded'] } },
          },
          runAfter: { Init: ['Succeeded'] },
        },
        OnTimeout: compose('timed out', { Loop: ['TimedOut'] }),
        After: compose("@variables('i')", { Loop: ['Succeeded'] }),
      });
    const byCondition = await runFlow(options(until({ count: 10, timeout: 'PT1H' }, 3)));
    expect(byCondition.actions.find((a) => a.name === 'After')!.outputs).toBe(3);
    const byCount = await runFlow(options(until({ count: 5, timeout: 'PT1H' }, 99)));
    expect(byCount.actions.find((a) => a.name === 'Loop')).toMatchObject({ status: 'Succeeded', code: 'LimitReached' });
    expect(byCount.actions.find((a) => a.name === 'After')!.outputs).toBe(5);
    const byTimeout = await runFlow(options(until({ count: 100, timeout: 'PT2M' }, 99)));
    expect(byTimeout.actions.find((a) => a.name === 'Loop')!.status).toBe('TimedOut');
    expect(byTimeout.actions.find((a) => a.name === 'OnTimeout')!.status).toBe('Succeeded');
    // 'After' is a terminal action skipped because the loop timed out: the run reports that as a failure.
    expect(byTimeout.status).toBe('Failed');
  });
});

describe('runFlow: Http, OAuth, retries, secrets', () => {
  const SECRET = 'sup3r-secret-value';
  function fakeHttp(script: number[]): { http: HttpFunction; calls: HttpRequest[] } {
    const calls: HttpRequest[] = [];
    let i = 0;
    const http: HttpFunction = async (req): Promise<HttpResponse> => {
      calls.push(req);
      if (req.url.endsWith('/oauth2/token')) {
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: 'tok-abc-123', expires_in: '3599', token_type: 'Bearer' }) };
      }
      const status = script[Math.min(i++, script.length - 1)]!;
      return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', NextPageUri: 'https://x/next' }, body: status === 200 ? '[{"contentId":"c1"}]' : '{"error":{"code":"AF50000"}}' };
    };
    return { http, calls };
  }
  const httpFlow = (retryPolicy?: unknown): unknown =>
    flow({
      Call: {
        type: 'Http',
        inputs: {
          method: 'GET',
          uri: "https://manage.office.com/api/v1.0/@{parameters('TenantID (admin_TenantID)')}/activity/feed/subscriptions/content",
          queries: { contentType: 'Audit.General', PublisherIdentifier: "@parameters('TenantID (admin_TenantID)')" },
          authentication: { type: 'ActiveDirectoryOAuth', authority: 'https://login.microsoftonline.com/', tenant: 'tenant-1', audience: 'https://manage.office.com', clientId: 'client-1', secret: SECRET },
          ...(retryPolicy ? { retryPolicy } : {}),
        },
        runAfter: {},
      },
      Next: compose("@outputs('Call')?['headers']?['NextPageUri']", { Call: ['Succeeded'] }),
      Leak: compose(`The secret is ${SECRET}`, { Call: ['Succeeded', 'Failed'] }),
    });

  it('gets a token from {authority}/{tenant}/oauth2/token with resource=audience, and masks the secret and token', async () => {
    const { http, calls } = fakeHttp([200]);
    const r = await runFlow(options(httpFlow(), { http }));
    expect(r.status).toBe('Succeeded');
    expect(calls[0]!.url).toBe('https://login.microsoftonline.com/tenant-1/oauth2/token');
    expect(new URLSearchParams(calls[0]!.body).get('resource')).toBe('https://manage.office.com');
    expect(new URLSearchParams(calls[0]!.body).get('grant_type')).toBe('client_credentials');
    expect(calls[1]!.url).toBe('https://manage.office.com/api/v1.0/tenant-1/activity/feed/subscriptions/content?contentType=Audit.General&PublisherIdentifier=tenant-1');
    expect(calls[1]!.headers.Authorization).toBe('Bearer tok-abc-123');
    expect(r.actions[1]!.outputs).toBe('https://x/next');
    const history = JSON.stringify(r);
    expect(history).not.toContain(SECRET);
    expect(history).not.toContain('tok-abc-123');
    expect(r.actions[2]!.outputs).toBe('The secret is ***');
    expect(r.stats).toMatchObject({ httpCalls: 2, tokenRequests: 1, retries: 0 });
  });

  it.each([
    ['default policy: 4 retries at 7.5, 15, 30, 45 s', undefined, [503, 503, 200], 'Succeeded', 2, '10:00:22.5'],
    ['default policy exhausted', undefined, [500], 'Failed', 4, '10:01:37.5'],
    ['fixed policy', { type: 'fixed', count: 2, interval: 'PT20S' }, [429, 429, 429], 'Failed', 2, '10:00:40'],
    ['exponential policy', { type: 'exponential', count: 3, interval: 'PT10S' }, [503, 503, 503, 200], 'Succeeded', 3, '10:01:10'],
    ['none', { type: 'none' }, [503, 200], 'Failed', 0, '10:00:00'],
    ['403 is not retried', undefined, [403, 200], 'Failed', 0, '10:00:00'],
  ] as const)('%s', async (_, policy, script, status, retries, end) => {
    const { http } = fakeHttp([...script]);
    const r = await runFlow(options(httpFlow(policy), { http }));
    const call = r.actions.find((a) => a.name === 'Call')!;
    expect(call.status).toBe(status);
    expect(call.retries).toBe(retries);
    expect(call.endTime.slice(11, 11 + end.length)).toBe(end);
    expect(r.stats.retries).toBe(retries);
  });

  it('secureData hides inputs/outputs in the history and masks the secured values downstream', async () => {
    const store = createStore({
      environmentVariables: [
        { schemaName: 'admin_AuditLogsClientAzureSecret', type: 'Secret', value: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v/secrets/n' },
      ],
    }, { keyVault: () => 'kv-secret-42' });
    const r = await runFlow(
      options(
        flow({
          Get_Azure_Secret: {
            type: 'OpenApiConnection',
            inputs: {
              host: { connectionName: 'shared_commondataserviceforapps', operationId: 'PerformUnboundAction', apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps' },
              parameters: { actionName: 'RetrieveEnvironmentVariableSecretValue', 'item/EnvironmentVariableName': 'admin_auditlogsclientazuresecret' },
            },
            runtimeConfiguration: { secureData: { properties: ['inputs', 'outputs'] } },
            runAfter: {},
          },
          Use: compose("@concat('secret=', body('Get_Azure_Secret')['EnvironmentVariableSecretValue'])", { Get_Azure_Secret: ['Succeeded'] }),
        }),
        { store },
      ),
    );
    expect(r.status).toBe('Succeeded');
    expect(r.actions[0]!.outputs).toBe('[secured]');
    expect(r.actions[0]!.inputs).toBe('[secured]');
    expect(r.actions[1]!.outputs).toBe('secret=***');
    expect(JSON.stringify(r)).not.toContain('kv-secret-42');
  });
});

describe('runFlow: Dataverse connector against the local store', () => {
  const dv = (operationId: string, parameters: Record<string, unknown>, runAfter: Record<string, string[]> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    type: 'OpenApiConnection',
    inputs: { host: { connectionName: 'shared_commondataserviceforapps', operationId, apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps' }, parameters, authentication: "@parameters('$authentication')" },
    runAfter,
    ...extra,
  });

  it('$expand of a lookup (with $select), read with a multi-segment designer path; UpdateOnlyRecord refuses a missing row', async () => {
    const store = createStore({ apps: [{ id: APP, displayName: 'Expense App' }] });
    const f = flow({
      Write: dv('CreateRecord', { entityName: 'admin_auditlogs', 'item/admin_auditlogid': EVENT, 'item/admin_operation': 'LaunchPowerApp', 'item/admin_AppLookup@odata.bind': `admin_apps(${APP})` }),
      Get: dv('GetItem', { entityName: 'admin_auditlogs', recordId: EVENT, $select: 'admin_operation', $expand: 'admin_AppLookup($select=admin_displayname)' }, { Write: ['Succeeded'] }),
      Name: compose("@outputs('Get')?['body/admin_AppLookup/admin_displayname']", { Get: ['Succeeded'] }),
      List: dv('ListRecords', { entityName: 'admin_auditlogs', $expand: 'admin_AppLookup' }, { Name: ['Succeeded'] }),
      First: compose("@first(outputs('List')?['body/value'])?['admin_AppLookup/admin_appid']", { List: ['Succeeded'] }),
      Missing: dv('UpdateOnlyRecord', { entityName: 'admin_auditlogs', recordId: 'aaaaaaaa-0000-4000-8000-000000000009', 'item/admin_operation': 'x' }, { First: ['Succeeded'] }),
      Handled: compose('handled', { Missing: ['Failed'] }),
    });
    const r = await runFlow(options(f, { store }));
    expect(r.status).toBe('Succeeded');
    expect(r.actions.find((a) => a.name === 'Name')!.outputs).toBe('Expense App');
    expect(r.actions.find((a) => a.name === 'First')!.outputs).toBe(APP);
    expect(r.actions.find((a) => a.name === 'Missing')).toMatchObject({ status: 'Failed', code: 'NotFound' });
    expect(store.rows('admin_auditlogs')).toHaveLength(1);
  });

  it('upserts by record id, binds the app lookup, and a bind to a missing app fails the action (handled)', async () => {
    const store = createStore({ apps: [{ id: APP }] });
    const upsert = (id: string, app: string, after: Record<string, string[]>): Record<string, unknown> =>
      dv('UpdateRecord', {
        entityName: 'admin_auditlogs',
        recordId: id,
        'item/admin_creationtime': '2026-01-01T09:10:11',
        'item/admin_appid': app,
        'item/admin_AppLookup@odata.bind': `admin_apps(${app})`,
        'item/admin_operation': 'LaunchPowerApp',
      }, after);
    const f = flow({
      U1: upsert(EVENT, APP, {}),
      U2: upsert(EVENT, APP, { U1: ['Succeeded'] }),
      U3: upsert('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', { U2: ['Succeeded'] }),
      AppDoesNotExist: compose('APP DOES NOT EXIST', { U3: ['Failed'] }),
      List: dv('ListRecords', { entityName: 'admin_auditlogs', $select: 'admin_auditlogid, admin_creationtime, _admin_applookup_value', $filter: `admin_operation eq 'launchpowerapp' and admin_creationtime ge 2026-01-01T00:00:00Z`, $top: 10 }, { AppDoesNotExist: ['Succeeded'] }),
    });
    const r = await runFlow(options(f, { store }));
    expect(r.status).toBe('Succeeded');
    expect(r.actions.find((a) => a.name === 'U3')!.error!.message).toMatch(/admin_app With Id = 22222222-2222-4222-8222-222222222222 Does Not Exist/);
    expect(store.rows('admin_auditlogs')).toHaveLength(1);
    expect(store.writes.get('admin_auditlogs')).toEqual({ created: 1, updated: 1 });
    const list = r.actions.find((a) => a.name === 'List')!.outputs as { body: { value: Record<string, WdlValue>[] } };
    expect(list.body.value).toEqual([{ '@odata.etag': 'W/"3"', admin_auditlogid: EVENT, admin_creationtime: '2026-01-01T09:10:11Z', _admin_applookup_value: APP }]);
  });

  it('reads optional environment variables the old way, and an unknown column is a 400', async () => {
    const store = createStore({ environmentVariables: [{ schemaName: 'admin_AuditLogsClientID', type: 'String', defaultValue: 'default-id', value: 'client-42' }] });
    const r = await runFlow(
      options(
        flow({
          ListDefns: dv('ListRecords', { entityName: 'environmentvariabledefinitions', $select: 'environmentvariabledefinitionid, defaultvalue', $filter: "schemaname eq 'admin_auditlogsclientid'" }, {}, { runtimeConfiguration: { paginationPolicy: { minimumItemCount: 100000 } } }),
          Id: compose("@first(body('ListDefns')?['value'])?['environmentvariabledefinitionid']", { ListDefns: ['Succeeded'] }),
          ListCurrents: dv('ListRecords', { entityName: 'environmentvariablevalues', $select: 'value', $filter: "_environmentvariabledefinitionid_value eq @{outputs('Id')}" }, { Id: ['Succeeded'] }),
          Value: compose("@if(greaterOrEquals(length(body('ListCurrents')?['value']), 1), first(body('ListCurrents')?['value'])?['value'], first(body('ListDefns')?['value'])?['defaultvalue'])", { ListCurrents: ['Succeeded'] }),
          BadColumn: dv('ListRecords', { entityName: 'admin_apps', $filter: "admin_nosuch eq 'x'" }, { Value: ['Succeeded'] }),
          Handle: compose('x', { BadColumn: ['Failed'] }),
        }),
        { store },
      ),
    );
    expect(r.actions.find((a) => a.name === 'Value')!.outputs).toBe('client-42');
    const bad = r.actions.find((a) => a.name === 'BadColumn')!;
    expect(bad).toMatchObject({ status: 'Failed', code: 'BadRequest' });
    expect(bad.error!.message).toMatch(/Could not find a property named 'admin_nosuch' on type 'Microsoft.Dynamics.CRM.admin_app'/);
  });

  it('the plain-secret path: RetrieveEnvironmentVariableSecretValue without a value fails as the service does', async () => {
    const store = createStore({ environmentVariables: [{ schemaName: 'admin_AuditLogsClientAzureSecret', type: 'Secret' }] });
    const r = await runFlow(options(flow({ Get: dv('PerformUnboundAction', { actionName: 'RetrieveEnvironmentVariableSecretValue', 'item/EnvironmentVariableName': 'admin_auditlogsclientazuresecret' }) }), { store }));
    expect(r.actions[0]!.error!.message).toBe('Error occured while reading secret: Value cannot be null. Parameter name: input');
  });
});

describe('runFlow: Request trigger, Response, Terminate', () => {
  const requestFlow = (actions: Record<string, unknown>): unknown => {
    const f = flow(actions) as { properties: { definition: Record<string, unknown> } };
    f.properties.definition.triggers = {
      manual: { type: 'Request', kind: 'PowerAppV2', inputs: { schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } } },
    };
    return f;
  };
  it('validates the input, responds, and terminates', async () => {
    const r = await runFlow(
      options(
        requestFlow({
          Respond: { type: 'Response', kind: 'PowerApp', inputs: { statusCode: 200, body: { operation: "@triggerBody()['text']", statuscode: '200' } }, runAfter: {} },
          Stop: { type: 'Terminate', inputs: { runStatus: 'Cancelled' }, runAfter: { Respond: ['Succeeded'] } },
          Never: compose('x', { Stop: ['Succeeded'] }),
        }),
        { triggerBody: { text: 'start' } },
      ),
    );
    expect(r.status).toBe('Cancelled');
    expect(r.response).toEqual({ statusCode: 200, headers: {}, body: { operation: 'start', statuscode: '200' } });
    expect(r.actions.map((a) => a.name)).toEqual(['Respond', 'Stop']);
    await expect(runFlow(options(requestFlow({}), { triggerBody: {} }))).rejects.toThrow(/must have required property 'text'/);
  });
});

describe('runFlow: outside the subset stops the run, naming the action and the construct', () => {
  it.each([
    [{ X: { type: 'ApiConnection', inputs: {}, runAfter: {} } }, /action 'X': the action type 'ApiConnection'/],
    [{ Y: compose("@xpath(xml('<a/>'), '/a')") }, /action 'Y': the function 'xpath'/],
    [{ Z: { type: 'Compose', inputs: 1, runAfter: {}, limit: { timeout: 'PT1M' } } }, /action 'Z': the property 'limit' on a Compose action/],
    [{ S: { type: 'Scope', runAfter: {}, actions: { Inner: { type: 'Http', inputs: { method: 'GET', uri: 'https://x', authentication: { type: 'Basic', username: 'u', password: 'p' } }, runAfter: {} } } } }, /action 'Inner': Http authentication type 'Basic'/],
    [{ C: { type: 'OpenApiConnection', inputs: { host: { connectionName: 'shared_commondataserviceforapps', operationId: 'ListRecords', apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps' }, parameters: { entityName: 'admin_apps', fetchXml: '<fetch/>' } }, runAfter: {} } }, /action 'C': the parameter 'fetchXml' of the Dataverse operation ListRecords/],
    [{ T: { type: 'OpenApiConnection', inputs: { host: { connectionName: 'shared_sharepointonline', operationId: 'GetItems', apiId: '/providers/Microsoft.PowerApps/apis/shared_sharepointonline' }, parameters: {} }, runtimeConfiguration: { contentTransfer: {} }, runAfter: {} } }, /action 'T': the connector 'shared_sharepointonline'/],
    [{ R: { type: 'Compose', inputs: 1, runAfter: {}, runtimeConfiguration: { staticResult: {} } } }, /action 'R': runtimeConfiguration.staticResult/],
  ])('%#', async (actions, message) => {
    const p = runFlow(options(flow(actions)));
    await expect(p).rejects.toThrow(WdlUnsupportedError);
    await expect(runFlow(options(flow(actions)))).rejects.toThrow(message);
  });
  it('an unknown runAfter target is a definition error', async () => {
    await expect(runFlow(options(flow({ A: compose(1, { Nope: ['Succeeded'] }) })))).rejects.toThrow(/runAfter names 'Nope'/);
  });
});
