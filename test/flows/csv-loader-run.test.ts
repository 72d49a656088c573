import { describe, expect, it } from 'vitest';
import { loadSolutionSource, placeFlows } from '../../src/audit-solution/index.js';
import { CSV_DISPLAY_NAME } from '../../src/flows/index.js';
import { createStore } from '../../src/store/index.js';
import { runFlow, type RunResult } from '../../src/wdl/index.js';

const APPS = ['a1a1a1a1-0000-4000-8000-000000000001', 'a1a1a1a1-0000-4000-8000-000000000002', 'a1a1a1a1-0000-4000-8000-000000000003'];
const seed = () => ({
  apps: APPS.map((id, i) => ({ id, displayName: `App ${i + 1}`, lastLaunchedOn: i === 2 ? '2030-01-01T00:00:00Z' : '2025-12-01T00:00:00Z' })),
  environmentVariables: [{ schemaName: 'admin_PowerAutomateEnvironmentVariable', type: 'String' as const, value: 'https://example.invalid/environments/' }],
  tables: { admin_coesolutionmetadatas: [{ admin_coesolutionmetadataid: 'cccccccc-0000-4000-8000-000000000000', admin_objectname: CSV_DISPLAY_NAME }] },
});

/** The generated CSV loader, run unmodified by the project's interpreter against the local store. */
const flow = placeFlows(loadSolutionSource()).find((p) => p.flow.displayName === CSV_DISPLAY_NAME)!.flow.json;
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
const current = (id: string, app: string, time: string, op = 'LaunchPowerApp') =>
  JSON.stringify({
    CreationTime: time,
    Id: id,
    Operation: op,
    RecordType: 256,
    UserId: 'someone@contoso.com',
    Workload: 'PowerPlatform',
    PropertyCollection: [
      { Name: 'powerplatform.analytics.resource.type', Value: 'PowerApp' },
      { Name: 'powerplatform.analytics.resource.power_app.id', Value: app },
      { Name: 'note', Value: 'commas, "quotes"\r\nand a line break' },
    ],
  });
const legacy = (id: string, app: string, time: string) =>
  JSON.stringify({ CreationTime: time, Id: id, Operation: 'LaunchPowerApp', RecordType: 45, UserId: 'x@contoso.com', Workload: 'PowerApps', AppName: app });
const failed = (r: RunResult) => r.actions.filter((a) => a.status === 'Failed').map((a) => `${a.path}: ${a.error?.message ?? a.code}`);

async function load(csv: string) {
  const store = createStore(seed());
  const r = await runFlow({
    flow,
    displayName: CSV_DISPLAY_NAME,
    now: '2026-03-01T08:00:00Z',
    http: async () => {
      throw new Error('the CSV loader makes no HTTP call');
    },
    store,
    triggerBody: { file: { name: 'AuditLog.csv', contentBytes: Buffer.from(csv, 'utf8').toString('base64') } },
  });
  return { r, store };
}

describe('Load events from exported Audit Log CSV file, on the interpreter', () => {
  it('loads the 8-column layout (BOM, CRLF, quoted JSON with line breaks), reports a bad row by number, updates last launch when newer', async () => {
    const header = 'RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames';
    const rows = [
      `e1,2026-02-01T10:00:00.0000000Z ,256,LaunchPowerApp,someone@contoso.com,${quote(current('c0000000-0000-4000-8000-000000000001', APPS[0]!, '2026-02-01T10:00:00'))},,`,
      `e2,"2/2/2026 10:00:00 AM",256,LaunchPowerApp,"Doe, Jane",${quote(current('c0000000-0000-4000-8000-000000000002', APPS[0]!, '2026-02-02T10:00:00'))},,`,
      'e3,2026-02-03,256,LaunchPowerApp,x,"{not json",,',
      `e4,2026-02-04,256,LaunchPowerApp,x,${quote(current('c0000000-0000-4000-8000-000000000004', APPS[2]!, '2026-02-04T10:00:00'))},,`,
      `e1,2026-02-01T10:00:00.0000000Z ,256,LaunchPowerApp,someone@contoso.com,${quote(current('c0000000-0000-4000-8000-000000000001', APPS[0]!, '2026-02-01T10:00:00'))},,`,
    ];
    const { r, store } = await load(`\ufeff${header}\r\n${rows.join('\r\n')}\r\n`);
    expect(r.status, failed(r).join('\n')).toBe('Succeeded');
    expect(store.rows('admin_auditlogs').map((x) => x.admin_auditlogid).sort()).toEqual([
      'c0000000-0000-4000-8000-000000000001',
      'c0000000-0000-4000-8000-000000000002',
      'c0000000-0000-4000-8000-000000000004',
    ]);
    const apps = Object.fromEntries(store.rows('admin_apps').map((a) => [a.admin_appid, a.admin_applastlaunchedon]));
    expect(apps[APPS[0]!]).toBe('2026-02-02T10:00:00Z');
    expect(apps[APPS[2]!]).toBe('2030-01-01T00:00:00Z'); // stored value is newer: unchanged
    const report = r.actions.find((a) => a.name === 'Bad_rows_report');
    expect(JSON.stringify(report?.outputs)).toContain('row 4:');
  });

  it('loads the legacy 4-column layout and legacy (RecordType 45) records', async () => {
    const csv = `CreationDate,UserIds,Operations,AuditData\n2026-02-05T10:00:00,x@contoso.com,LaunchPowerApp,${quote(legacy('c0000000-0000-4000-8000-000000000005', APPS[1]!, '2026-02-05T10:00:00'))}\n`;
    const { r, store } = await load(csv);
    expect(r.status, failed(r).join('\n')).toBe('Succeeded');
    expect(store.rows('admin_auditlogs').map((x) => x.admin_auditlogid)).toEqual(['c0000000-0000-4000-8000-000000000005']);
  });

  it('fails the run, naming the header it found, for a file without an AuditData column', async () => {
    const { r, store } = await load('a,b,c\n1,2,3\n');
    expect(r.status).toBe('Failed');
    expect(JSON.stringify(r)).toContain('the file has no AuditData column');
    expect(store.rows('admin_syncflowerrorses')).toHaveLength(1);
  });
});
