import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRecords, legacyPowerAppsRecord, powerPlatformAppRecord } from '../../src/api/index.js';
import { csvField } from '../../src/csv/index.js';
import { createStore, type StoreSeed } from '../../src/store/index.js';
import { runFlow, type RunResult } from '../../src/wdl/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { fakeActivityApi, launch, type FakeApiOptions } from './fake-activity-api.js';

/**
 * The generated flows (the committed build output of `coe-audit build`, not hand-written flows), run by the
 * interpreter against an in-process Activity API stand-in and the local store.
 */
const DIR = process.env.COE_AUDIT_GENERATED_FLOWS ?? join(REPO_ROOT, 'test', 'golden', 'solution', 'commercial', 'coe', 'solution', 'Workflows');
const present = existsSync(DIR) && readdirSync(DIR).some((f) => f.endsWith('.json'));
if (!present) console.warn(`generated-flows.test.ts: skipped, no generated flows in ${DIR}`);

function load(prefix: string): { flow: unknown; name: string } {
  const file = readdirSync(DIR).find((f) => f.startsWith(prefix) && f.endsWith('.json'))!;
  const xml = readFileSync(join(DIR, `${file}.data.xml`), 'utf8');
  return { flow: JSON.parse(readFileSync(join(DIR, file), 'utf8')), name: /Name="([^"]*)"/.exec(xml)![1]! };
}

export const TENANT = '0c4f7e7a-2f3b-4b8e-9f59-2d0f7d1b8a11';
export const APPS = ['a1a1a1a1-0000-4000-8000-000000000001', 'a1a1a1a1-0000-4000-8000-000000000002', 'a1a1a1a1-0000-4000-8000-000000000003'];

export function seed(flowNames: string[]): StoreSeed {
  return {
    apps: APPS.map((id, i) => ({ id, displayName: `App ${i + 1}`, lastLaunchedOn: i === 2 ? '2030-01-01T00:00:00Z' : '2025-12-01T00:00:00Z' })),
    environmentVariables: [
      { schemaName: 'admin_TenantID', type: 'String', value: TENANT },
      { schemaName: 'admin_AuditLogsAudience', type: 'String', value: 'https://manage.office.com' },
      { schemaName: 'admin_AuditLogsAuthority', type: 'String', value: 'https://login.microsoftonline.com' },
      { schemaName: 'admin_AuditLogsClientID', type: 'String', value: 'client-1' },
      { schemaName: 'admin_AuditLogsClientSecret', type: 'String', value: 'test-secret' },
      { schemaName: 'admin_AuditLogsClientAzureSecret', type: 'Secret' },
      { schemaName: 'admin_PowerAutomateEnvironmentVariable', type: 'String', value: 'https://make.powerautomate.com/environments/' },
      { schemaName: 'admin_AuditLogsSyncWatermark', type: 'String' },
      { schemaName: 'admin_AuditLogsWriteRowByRow', type: 'Boolean', defaultValue: 'no' },
    ],
    tables: {
      admin_coesolutionmetadatas: flowNames.map((n, i) => ({ admin_coesolutionmetadataid: `cccccccc-0000-4000-8000-00000000000${i}`, admin_objectname: n })),
    },
  };
}

function summary(r: RunResult): string[] {
  return r.actions.filter((a) => a.status === 'Failed').map((a) => `${a.path}: ${a.error?.message ?? a.code}`);
}

describe.skipIf(!present)('generated flows on the interpreter', () => {
  it('Subscription: start (fresh and already enabled), stop, list', async () => {
    const { flow, name } = load('coeauditOffice365ManagementAPISubscription');
    const store = createStore(seed([name]));
    const api = fakeActivityApi({ tenant: TENANT });
    const run = (text: string) => runFlow({ flow, displayName: name, now: '2026-03-01T08:00:00Z', http: api.http, store, triggerBody: { text } });
    const first = await run('Start');
    expect(first.status, summary(first).join('\n')).toBe('Succeeded');
    expect(first.response?.body).toMatchObject({ operation: 'Start', statuscode: '200' });
    const again = await run('start');
    expect(again.status, summary(again).join('\n')).toBe('Succeeded');
    expect(JSON.stringify(again.response?.body)).toMatch(/enabled/);
    const list = await run('LIST');
    expect(list.status, summary(list).join('\n')).toBe('Succeeded');
    expect(JSON.stringify(list.response?.body)).toMatch(/enabled/);
    const stop = await run('stop');
    expect(stop.status, summary(stop).join('\n')).toBe('Succeeded');
    expect(api.state.enabled).toBe(false);
    expect(JSON.stringify([first, again, list, stop])).not.toContain('test-secret');
  });

  it('Sync: pages and blobs, every launch written once, overlapping rerun adds none', async () => {
    const { flow, name } = load('coeauditSyncAuditLogs');
    const store = createStore(seed([name]));
    const ev = (n: number, app: number, t: string, legacy = false) => launch(`e0000000-0000-4000-8000-00000000000${n}`, APPS[app]!, t, legacy);
    const blobs: FakeApiOptions['blobs'] = [
      { contentCreated: '2026-03-01T07:10:00.000Z', events: [ev(1, 0, '2026-03-01T07:01:00'), ev(2, 1, '2026-03-01T07:02:00')] },
      { contentCreated: '2026-03-01T07:20:00.000Z', events: [ev(3, 0, '2026-03-01T07:15:00'), ev(1, 0, '2026-03-01T07:01:00')] },
      { contentCreated: '2026-03-01T07:30:00.000Z', events: [ev(4, 1, '2026-03-01T07:25:00', true)] },
      { contentCreated: '2026-03-01T07:40:00.000Z', events: [ev(5, 2, '2026-03-01T07:35:00'), { Id: 'e0000000-0000-4000-8000-000000000009', CreationTime: '2026-03-01T07:36:00', Operation: 'FileAccessed', RecordType: 6 }] },
    ];
    const api = fakeActivityApi({ tenant: TENANT, enabled: true, blobs, pageSize: 2 });
    const r = await runFlow({ flow, displayName: name, now: '2026-03-01T08:00:00Z', http: api.http, store });
    expect(r.status, summary(r).join('\n')).toBe('Succeeded');
    expect(summary(r)).toEqual([]);
    const ids = store.rows('admin_auditlogs').map((x) => x.admin_auditlogid).sort();
    expect(ids).toEqual([1, 2, 3, 4, 5].map((n) => `e0000000-0000-4000-8000-00000000000${n}`));
    const apps = Object.fromEntries(store.rows('admin_apps').map((a) => [a.admin_appid, a.admin_applastlaunchedon]));
    expect(apps[APPS[0]!]).toBe('2026-03-01T07:15:00Z');
    expect(apps[APPS[1]!]).toBe('2026-03-01T07:25:00Z');
    expect(apps[APPS[2]!]).toBe('2030-01-01T00:00:00Z');
    // The watermark is the end of the window read: the next run starts there and writes nothing again.
    expect(store.environmentVariableValue('admin_AuditLogsSyncWatermark')).toBe('2026-03-01T08:00:00Z');
    const writes = { ...store.writes.get('admin_auditlogs') };
    const again = await runFlow({ flow, displayName: name, now: '2026-03-01T08:30:00Z', http: api.http, store });
    expect(again.status, summary(again).join('\n')).toBe('Succeeded');
    expect(store.rows('admin_auditlogs')).toHaveLength(5);
    expect(store.writes.get('admin_auditlogs')).toEqual(writes);
    expect(store.environmentVariableValue('admin_AuditLogsSyncWatermark')).toBe('2026-03-01T08:30:00Z');
  });

  it('Sync: an app never launched before gets its first last-launch date, and no action fails', async () => {
    const { flow, name } = load('coeauditSyncAuditLogs');
    const base = seed([name]);
    const store = createStore({ ...base, apps: base.apps!.map(({ id, displayName }) => ({ id, displayName })) });
    const blobs: FakeApiOptions['blobs'] = [
      { contentCreated: '2026-03-01T07:10:00.000Z', events: [launch('e0000000-0000-4000-8000-000000000001', APPS[0]!, '2026-03-01T07:01:00', false)] },
    ];
    const api = fakeActivityApi({ tenant: TENANT, enabled: true, blobs });
    const r = await runFlow({ flow, displayName: name, now: '2026-03-01T08:00:00Z', http: api.http, store });
    expect(r.status, summary(r).join('\n')).toBe('Succeeded');
    expect(summary(r)).toEqual([]);
    const apps = Object.fromEntries(store.rows('admin_apps').map((a) => [a.admin_appid, a.admin_applastlaunchedon]));
    expect(apps[APPS[0]!]).toBe('2026-03-01T07:01:00Z');
  });

  it('Sync: four requests per fetched blob; a throttled blob goes through the retry scope and the run still succeeds', async () => {
    const { flow, name } = load('coeauditSyncAuditLogs');
    const blobs: FakeApiOptions['blobs'] = [1, 2, 3, 4].map((n) => ({
      contentCreated: `2026-03-01T07:${n}0:00.000Z`,
      events: [launch(`e0000000-0000-4000-8000-00000000000${n}`, APPS[n % 2]!, `2026-03-01T07:0${n}:00`, false)],
    }));
    const throttledOnce = new Set<string>();
    const run = async (fault?: FakeApiOptions['fault']) => {
      const store = createStore(seed([name]));
      const api = fakeActivityApi({ tenant: TENANT, enabled: true, blobs, ...(fault ? { fault } : {}) });
      const r = await runFlow({ flow, displayName: name, now: '2026-03-01T08:00:00Z', http: api.http, store });
      return { r, ids: store.rows('admin_auditlogs').map((x) => x.admin_auditlogid).sort() };
    };
    const perBlob = (r: RunResult) => r.actions.filter((a) => a.path.includes('/Fetch_blobs/') && a.status !== 'Skipped');
    const clean = await run();
    expect(clean.r.status, summary(clean.r).join('\n')).toBe('Succeeded');
    expect(clean.ids).toHaveLength(4);
    // GET, Filter array, Select, Append: the retry scope is skipped and costs nothing.
    const count = (r: RunResult) => {
      const n = new Map<string, number>();
      for (const a of perBlob(r)) n.set(a.name, (n.get(a.name) ?? 0) + 1);
      return [...n].map(([name, k]) => `${name} ${k}`).sort();
    };
    expect(count(clean.r)).toEqual(['App_events 4', 'Collect_events 4', 'Get_content_blob 4', 'Slim_events 4']);
    // Each blob throttled once (403 AF429, which the platform's retry policy does not retry): the retry scope fetches it.
    const throttled = await run((req) => {
      if (!req.url.includes('/audit/') || throttledOnce.has(req.url)) return undefined;
      throttledOnce.add(req.url);
      return { status: 403, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: { code: 'AF429', message: 'Too many requests.' } }) };
    });
    expect(throttled.r.status, summary(throttled.r).join('\n')).toBe('Succeeded');
    expect(throttled.ids).toEqual(clean.ids);
    expect(perBlob(throttled.r).filter((a) => a.name === 'Blob_not_fetched')).toHaveLength(4);
    expect(perBlob(throttled.r).filter((a) => a.name === 'App_events')).toHaveLength(0);
  });

  it('Sync row by row keeps an app\'s last launch to the UTC day; bulk writes keep it exact', async () => {
    const { flow, name } = load('coeauditSyncAuditLogs');
    const blobs: FakeApiOptions['blobs'] = [
      { contentCreated: '2026-03-01T07:10:00.000Z', events: [launch('e0000000-0000-4000-8000-000000000001', APPS[0]!, '2026-03-01T07:05:00'), launch('e0000000-0000-4000-8000-000000000002', APPS[1]!, '2026-03-01T07:06:00')] },
    ];
    const lastLaunches = async (rowByRow: string) => {
      const base = seed([name]);
      const store = createStore({
        ...base,
        // App 1 was last launched earlier the same day, app 2 the day before.
        apps: [
          { id: APPS[0]!, displayName: 'App 1', lastLaunchedOn: '2026-03-01T01:00:00Z' },
          { id: APPS[1]!, displayName: 'App 2', lastLaunchedOn: '2026-02-28T23:00:00Z' },
        ],
        environmentVariables: base.environmentVariables!.map((v) => (v.schemaName === 'admin_AuditLogsWriteRowByRow' ? { ...v, value: rowByRow } : v)),
      });
      const api = fakeActivityApi({ tenant: TENANT, enabled: true, blobs });
      const r = await runFlow({ flow, displayName: name, now: '2026-03-01T08:00:00Z', http: api.http, store });
      expect(r.status, summary(r).join('\n')).toBe('Succeeded');
      expect(store.rows('admin_auditlogs')).toHaveLength(2);
      return { apps: Object.fromEntries(store.rows('admin_apps').map((a) => [a.admin_appid, a.admin_applastlaunchedon])), appWrites: store.writes.get('admin_apps')?.updated ?? 0 };
    };
    const rows = await lastLaunches('yes');
    expect(rows.apps).toEqual({ [APPS[0]!]: '2026-03-01T01:00:00Z', [APPS[1]!]: '2026-03-01T07:06:00Z' });
    expect(rows.appWrites).toBe(1);
    const bulk = await lastLaunches('no');
    expect(bulk.apps).toEqual({ [APPS[0]!]: '2026-03-01T07:05:00Z', [APPS[1]!]: '2026-03-01T07:06:00Z' });
  });

  it('Sync failure path: a refused token writes the error row and fails the run with a message', async () => {
    const { flow, name } = load('coeauditSyncAuditLogs');
    const s = seed([name]);
    s.environmentVariables = s.environmentVariables!.map((v) => (v.schemaName === 'admin_AuditLogsClientSecret' ? { ...v, value: 'wrong-secret' } : v));
    const store = createStore(s);
    const api = fakeActivityApi({ tenant: TENANT, enabled: true, blobs: [] });
    const r = await runFlow({ flow, displayName: name, now: '2026-03-01T08:00:00Z', http: api.http, store });
    expect(r.status).toBe('Failed');
    expect(r.error?.message).toBeTruthy();
    const errors = store.rows('admin_syncflowerrorses');
    expect(errors).toHaveLength(1);
    expect(String(errors[0]!.admin_name)).toBe(name);
    expect(store.rows('admin_coesolutionmetadatas')[0]).toMatchObject({ admin_lastrunpassed: false });
    expect(JSON.stringify(r)).not.toContain('wrong-secret');
  });

  describe('Load events from exported Audit Log CSV file', () => {
    const app = { id: APPS[0]!, displayName: 'App 1', environmentId: 'Default-x', environmentName: 'Contoso' };
    const common = (n: number, t: string) => ({ id: `f0000000-0000-4000-8000-00000000000${n}`, creationTime: t, tenantId: TENANT, userId: 'u@contoso.com', userKey: 'k' });
    const records = [
      powerPlatformAppRecord(common(1, '2026-02-01T10:00:00'), 'LaunchPowerApp', app),
      legacyPowerAppsRecord(common(2, '2026-02-02T10:00:00'), 'LaunchPowerApp', { ...app, id: APPS[1]! }),
      powerPlatformAppRecord(common(3, '2026-02-03T10:00:00'), 'DeletePowerApp', { ...app, id: APPS[2]! }),
    ];
    const runCsv = async (csv: string) => {
      const { flow, name } = load('coeauditLoadeventsfromexportedAuditLogCSVfile');
      const store = createStore(seed([name]));
      const r = await runFlow({ flow, displayName: name, now: '2026-03-01T08:00:00Z', http: fakeActivityApi({ tenant: TENANT }).http, store, triggerBody: { file: { name: 'x.csv', contentBytes: Buffer.from(csv, 'utf8').toString('base64') } } });
      return { r, store };
    };
    it('reads a file as `coe-audit content pull --out x.csv` writes it (current layout)', async () => {
      const { r, store } = await runCsv(formatRecords(records, 'csv'));
      expect(r.status, summary(r).join('\n')).toBe('Succeeded');
      expect(store.rows('admin_auditlogs').map((x) => x.admin_auditlogid).sort()).toEqual(['f0000000-0000-4000-8000-000000000001', 'f0000000-0000-4000-8000-000000000002']);
      const apps = Object.fromEntries(store.rows('admin_apps').map((a) => [a.admin_appid, a]));
      expect(apps[APPS[0]!]!.admin_applastlaunchedon).toBe('2026-02-01T10:00:00Z');
      expect(apps[APPS[1]!]!.admin_applastlaunchedon).toBe('2026-02-02T10:00:00Z');
      expect(apps[APPS[2]!]!.admin_appdeleted).toBe(true);
    });
    it('reads the legacy layout (CreationDate,UserIds,Operations,AuditData), CRLF and a BOM', async () => {
      const rows = records.map((rec) => [rec.CreationTime, rec.UserId, rec.Operation, JSON.stringify(rec)].map((f) => csvField(String(f))).join(','));
      const csv = '\ufeffCreationDate,UserIds,Operations,AuditData\r\n' + rows.join('\r\n') + '\r\n';
      const { r, store } = await runCsv(csv);
      expect(r.status, summary(r).join('\n')).toBe('Succeeded');
      expect(store.rows('admin_auditlogs')).toHaveLength(2);
    });
  });
});
