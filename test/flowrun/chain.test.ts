import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlowChain, type ChainFlow } from '../../src/flowrun/index.js';
import { createStore, type TableDef } from '../../src/store/index.js';
import { runFlow, type HttpFunction } from '../../src/wdl/index.js';
import { runCliInProcess } from '../helpers/run-cli.js';
import { HAS_SHARED, SHARED_DIR, SHARED_SKIP_REASON } from '../helpers/shared.js';

const noHttp: HttpFunction = async (req) => {
  throw new Error(`unexpected HTTP ${req.url}`);
};
const DV = '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps';
const refs = { shared_commondataserviceforapps: { connection: { connectionReferenceLogicalName: 'ref_dataverse' } } };

/** A flow triggered by a row of `entity`, which logs what fired it into ba_teamlogs. */
function rowFlow(parameters: Record<string, unknown>, message = "@{triggerOutputs()?['body/SdkMessage']} @{triggerOutputs()?['body/ba_teamname']}"): unknown {
  return {
    properties: {
      connectionReferences: refs,
      definition: {
        triggers: {
          'When_a_row_is_added,_modified_or_deleted': {
            type: 'OpenApiConnectionWebhook',
            inputs: { host: { connectionName: 'shared_commondataserviceforapps', operationId: 'SubscribeWebhookTrigger', apiId: DV }, parameters, authentication: "@parameters('$authentication')" },
          },
        },
        actions: {
          Log: {
            type: 'OpenApiConnection',
            inputs: {
              host: { connectionName: 'shared_commondataserviceforapps', operationId: 'CreateRecord', apiId: DV },
              parameters: { entityName: 'ba_teamlogs', 'item/ba_text': message, 'item/ba_at': '@utcNow()' },
            },
            runAfter: {},
          },
        },
      },
    },
  };
}

function writer(actions: Record<string, unknown>): unknown {
  return { properties: { connectionReferences: refs, definition: { triggers: { manual: { type: 'Request', kind: 'Button', inputs: { schema: { type: 'object' } } } }, actions } } };
}
const dv = (operationId: string, parameters: Record<string, unknown>, runAfter: Record<string, string[]> = {}): Record<string, unknown> => ({
  type: 'OpenApiConnection',
  inputs: { host: { connectionName: 'shared_commondataserviceforapps', operationId, apiId: DV }, parameters },
  runAfter,
});

const TABLES: Record<string, TableDef> = {
  ba_favouriteteams: { logicalName: 'ba_favouriteteam', primaryKey: 'ba_favouriteteamid', columns: { ba_teamname: { type: 'string', maxLength: 100 }, ba_user: { type: 'string', maxLength: 100 } }, lookups: {} },
  ba_teamlogs: { logicalName: 'ba_teamlog', primaryKey: 'ba_teamlogid', columns: { ba_text: { type: 'string', maxLength: 400 }, ba_at: { type: 'datetime' } }, lookups: {} },
};
const ROW = 'bbbbbbbb-0000-4000-8000-000000000001';

describe('Dataverse row triggers fired by the local store', () => {
  it('create, update (filtering attributes), delete and filter expression; each run after the writing run', async () => {
    const store = createStore({}, { tables: TABLES });
    const flows: ChainFlow[] = [
      {
        name: 'Writer',
        flow: writer({
          Create: dv('CreateRecord', { entityName: 'ba_favouriteteams', 'item/ba_favouriteteamid': ROW, 'item/ba_teamname': 'Arsenal', 'item/ba_user': 'ann' }),
          Wait: { type: 'Wait', inputs: { interval: { count: 5, unit: 'Minute' } }, runAfter: { Create: ['Succeeded'] } },
          RenameUser: dv('UpdateRecord', { entityName: 'ba_favouriteteams', recordId: ROW, 'item/ba_user': 'bob' }, { Wait: ['Succeeded'] }),
          RenameTeam: dv('UpdateRecord', { entityName: 'ba_favouriteteams', recordId: ROW, 'item/ba_teamname': 'Spurs' }, { RenameUser: ['Succeeded'] }),
          Remove: dv('DeleteRecord', { entityName: 'ba_favouriteteams', recordId: ROW }, { RenameTeam: ['Succeeded'] }),
        }),
      },
      { name: 'OnCreate', flow: rowFlow({ 'subscriptionRequest/message': 1, 'subscriptionRequest/entityname': 'ba_favouriteteam', 'subscriptionRequest/scope': 4 }) },
      { name: 'OnTeamChange', flow: rowFlow({ 'subscriptionRequest/message': 3, 'subscriptionRequest/entityname': 'ba_favouriteteam', 'subscriptionRequest/scope': 4, 'subscriptionRequest/filteringattributes': 'ba_teamname' }) },
      { name: 'OnSpurs', flow: rowFlow({ 'subscriptionRequest/message': 4, 'subscriptionRequest/entityname': 'ba_favouriteteam', 'subscriptionRequest/scope': 1, 'subscriptionRequest/filterexpression': "ba_teamname eq 'spurs'" }) },
      { name: 'OnDelete', flow: rowFlow({ 'subscriptionRequest/message': 2, 'subscriptionRequest/entityname': 'ba_favouriteteam', 'subscriptionRequest/scope': 4 }, "@{triggerOutputs()?['body/SdkMessage']} @{triggerOutputs()?['body/ba_favouriteteamid']} @{triggerOutputs()?['body/ba_teamname']}") },
      { name: 'OtherTable', flow: rowFlow({ 'subscriptionRequest/message': 7, 'subscriptionRequest/entityname': 'admin_app', 'subscriptionRequest/scope': 4 }) },
    ];
    const chain = await runFlowChain({ flows, start: { flow: 'Writer', now: '2026-05-01T08:00:00Z', triggerBody: {} }, store, http: noHttp });
    expect(chain.truncated).toBe(false);
    expect(chain.runs.map((r) => [r.flow, r.result.status, r.cause.kind === 'row' ? r.cause.message : 'start'])).toEqual([
      ['Writer', 'Succeeded', 'start'],
      ['OnCreate', 'Succeeded', 'Create'],
      ['OnTeamChange', 'Succeeded', 'Update'],
      ['OnSpurs', 'Succeeded', 'Update'],
      ['OnDelete', 'Succeeded', 'Delete'],
    ]);
    const writerEnd = chain.runs[0]!.result.endTime;
    expect(writerEnd).toBe('2026-05-01T08:05:00.0000000Z');
    for (const r of chain.runs.slice(1)) expect(r.result.startTime).toBe(writerEnd);
    expect(store.rows('ba_teamlogs').map((r) => r.ba_text)).toEqual(['Create Arsenal', 'Update Spurs', 'Update Spurs', `Delete ${ROW} `]);
    expect(store.rows('ba_teamlogs').every((r) => r.ba_at === '2026-05-01T08:05:00Z')).toBe(true);
  });

  it('a flow that updates the table it is triggered by loops, and maxRuns stops the chain', async () => {
    const store = createStore({}, { tables: TABLES });
    const loop = rowFlow({ 'subscriptionRequest/message': 1, 'subscriptionRequest/entityname': 'ba_teamlog', 'subscriptionRequest/scope': 4 }, 'again');
    const chain = await runFlowChain({
      flows: [{ name: 'Seed', flow: writer({ Log: dv('CreateRecord', { entityName: 'ba_teamlogs', 'item/ba_text': 'first' }) }) }, { name: 'Loop', flow: loop }],
      start: { flow: 'Seed', now: '2026-05-01T08:00:00Z', triggerBody: {} },
      store,
      http: noHttp,
      maxRuns: 5,
    });
    expect(chain.runs).toHaveLength(5);
    expect(chain.truncated).toBe(true);
  });

  it('a row trigger refuses unknown parameters and runs only with a row event', async () => {
    const bad = rowFlow({ 'subscriptionRequest/message': 1, 'subscriptionRequest/entityname': 'ba_teamlog', 'subscriptionRequest/postponeuntil': '2026-01-01' });
    await expect(runFlow({ flow: bad, displayName: 'x', now: '2026-05-01T08:00:00Z', http: noHttp, store: createStore({}, { tables: TABLES }), triggerBody: {} })).rejects.toThrow(/subscriptionRequest\/postponeuntil/);
    const ok = rowFlow({ 'subscriptionRequest/message': 1, 'subscriptionRequest/entityname': 'ba_teamlog', 'subscriptionRequest/scope': 4 });
    await expect(runFlow({ flow: ok, displayName: 'x', now: '2026-05-01T08:00:00Z', http: noHttp, store: createStore({}, { tables: TABLES }) })).rejects.toThrow(/without a row event/);
  });

  it.skipIf(!HAS_SHARED)(`chains a real flow's write (VARify: Set favourite team) into a Dataverse-triggered flow${HAS_SHARED ? '' : ` (${SHARED_SKIP_REASON})`}`, async () => {
    const file = join(SHARED_DIR, 'anchors', 'real-flows', 'varify-bot', 'VARify_SetFavouriteTeam-B320508C-D212-F011-998A-6045BD0E2FC6.json');
    const real = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const store = createStore({}, { tables: TABLES });
    const chain = await runFlowChain({
      flows: [
        { name: 'VARify_SetFavouriteTeam', flow: real },
        { name: 'OnFavourite', flow: rowFlow({ 'subscriptionRequest/message': 4, 'subscriptionRequest/entityname': 'ba_favouriteteam', 'subscriptionRequest/scope': 4 }) },
      ],
      start: { flow: 'VARify_SetFavouriteTeam', now: '2026-05-01T08:00:00Z', triggerBody: { text: 'Arsenal', text_1: 'ann@contoso.example' } },
      store,
      http: noHttp,
    });
    expect(chain.runs.map((r) => [r.flow, r.result.status])).toEqual([
      ['VARify_SetFavouriteTeam', 'Succeeded'],
      ['OnFavourite', 'Succeeded'],
    ]);
    expect(chain.runs[0]!.result.response?.body).toEqual({ response: 'Your favourite team has now been set to Arsenal.' });
    expect(store.rows('ba_teamlogs').map((r) => r.ba_text)).toEqual(['Create Arsenal']);
  });
});

describe('flow run --chain', () => {
  it("runs the solution's row-triggered flows the first run's writes fire, and reports every run", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coe-audit-chain-'));
    try {
      mkdirSync(join(dir, 'Workflows'));
      const app = 'cccccccc-0000-4000-8000-000000000001';
      writeFileSync(join(dir, 'Workflows', 'AddApp-11111111-1111-4111-8111-111111111111.json'), JSON.stringify(writer({ Add: dv('CreateRecord', { entityName: 'admin_apps', 'item/admin_appid': app, 'item/admin_displayname': '@triggerBody()?[\'name\']' }) })));
      const onApp = rowFlow({ 'subscriptionRequest/message': 1, 'subscriptionRequest/entityname': 'admin_app', 'subscriptionRequest/scope': 4 }) as { properties: { definition: { actions: Record<string, unknown> } } };
      onApp.properties.definition.actions = { Seen: { type: 'Compose', inputs: "@{triggerOutputs()?['body/SdkMessage']}: @{triggerOutputs()?['body/admin_displayname']}", runAfter: {} } };
      writeFileSync(join(dir, 'Workflows', 'OnApp-22222222-2222-4222-8222-222222222222.json'), JSON.stringify(onApp));
      const r = await runCliInProcess(['flow', 'run', 'AddApp', '--solution', dir, '--chain', '--input', '{"name":"Expenses"}', '--now', '2026-05-01T08:00:00Z', '--output', 'json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as { runs: { flow: string; cause: { kind: string; message?: string }; result: { status: string; actions: { name: string; outputs: unknown }[] } }[]; truncated: boolean };
      expect(out.runs.map((x) => [x.flow, x.cause.kind, x.result.status])).toEqual([
        ['AddApp', 'start', 'Succeeded'],
        ['OnApp', 'row', 'Succeeded'],
      ]);
      expect(out.runs[1]!.result.actions[0]!.outputs).toBe('Create: Expenses');
      const text = await runCliInProcess(['flow', 'run', 'AddApp', '--solution', dir, '--chain', '--input', '{"name":"Expenses"}', '--now', '2026-05-01T08:00:00Z']);
      expect(text.stdout).toContain(`== run 2: OnApp (Create of admin_apps(${app}) by run 1)`);
      const noSolution = await runCliInProcess(['flow', 'run', join(dir, 'Workflows', 'AddApp-11111111-1111-4111-8111-111111111111.json'), '--chain']);
      expect(noSolution.status).toBe(2);
      expect(noSolution.stderr).toContain('--chain needs --solution');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
