import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { createStore, loadStore, parseFilter } from '../../src/store/index.js';
import { DataverseError } from '../../src/wdl/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

function store() {
  return createStore({
    apps: [
      { id: A, displayName: 'Alpha', lastLaunchedOn: '2026-01-01T10:00:00Z' },
      { id: B, displayName: 'beta', lastLaunchedOn: null },
      { id: C, displayName: "O'Neil", lastLaunchedOn: '2026-01-03T00:00:00Z', deleted: true },
    ],
  });
}

describe('OData $filter on the local store', () => {
  const cases: [string, string[]][] = [
    [`admin_appid eq ${A}`, [A]],
    [`admin_appid eq '${B.toUpperCase()}'`, [B]],
    ["admin_displayname eq 'ALPHA'", [A]],
    ["admin_displayname eq 'O''Neil'", [C]],
    ["admin_displayname ne 'alpha'", [B, C]],
    ['admin_applastlaunchedon eq null', [B]],
    ['admin_applastlaunchedon ne null', [A, C]],
    ['admin_applastlaunchedon gt 2026-01-02T00:00:00Z', [C]],
    ["admin_applastlaunchedon le '2026-01-01T10:00:00Z'", [A]],
    ['admin_applastlaunchedon lt 2026-01-01T10:00:01Z', [A]],
    ['admin_appdeleted eq true', [C]],
    ['admin_appdeleted eq false and admin_applastlaunchedon ne null', [A]],
    ["admin_displayname eq 'beta' or admin_appdeleted eq true", [B, C]],
    ["not (admin_displayname eq 'beta')", [A, C]],
    ["(admin_displayname eq 'beta' or admin_displayname eq 'alpha') and admin_applastlaunchedon eq null", [B]],
    ["contains(admin_displayname, 'ET')", [B]],
    ["startswith(admin_displayname, 'o''')", [C]],
  ];
  it.each(cases)('%s', (filter, ids) => {
    const r = store().listRecords('admin_apps', { filter, pageSize: 5000, select: 'admin_appid' });
    expect(r.value.map((v) => v.admin_appid)).toEqual(ids);
  });

  it.each([
    ["admin_displayname eq 'x", /unterminated string/],
    ['admin_displayname eq', /expected a value/],
    ["admin_displayname like 'x'", /expected eq, ne, gt, ge, lt or le/],
    ["admin_displayname eq 'x' and", /unexpected end/],
  ])('rejects %s', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(message);
  });

  it.each([
    ["admin_nosuch eq 'x'", 400, /Could not find a property named 'admin_nosuch'/],
    ["admin_appdeleted eq 'yes'", 400, /incompatible types/],
    ['admin_applastlaunchedon gt null', 400, /cannot compare with null/],
  ])('refuses %s as Dataverse does', (filter, status, message) => {
    let err: unknown;
    try {
      store().listRecords('admin_apps', { filter, pageSize: 5000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataverseError);
    expect((err as DataverseError).status).toBe(status);
    expect((err as DataverseError).message).toMatch(message);
  });
});

describe('$select, $top, $orderby and paging', () => {
  it('selects columns (primary key always), orders and limits', () => {
    const s = store();
    const r = s.listRecords('admin_apps', { select: 'admin_displayname', orderby: 'admin_displayname desc', top: 2, pageSize: 5000 });
    expect(r.value).toEqual([
      { '@odata.etag': 'W/"3"', admin_appid: C, admin_displayname: "O'Neil" },
      { '@odata.etag': 'W/"2"', admin_appid: B, admin_displayname: 'beta' },
    ]);
    expect(r.nextSkipToken).toBeUndefined();
  });
  it('pages by the page size with a skip token', () => {
    const s = store();
    const p1 = s.listRecords('admin_apps', { pageSize: 2, select: 'admin_appid' });
    expect(p1.value).toHaveLength(2);
    const p2 = s.listRecords('admin_apps', { pageSize: 2, select: 'admin_appid', skipToken: p1.nextSkipToken! });
    expect(p2.value.map((v) => v.admin_appid)).toEqual([C]);
    expect(p2.nextSkipToken).toBeUndefined();
  });
  it('refuses an unknown table and an unknown $select column', () => {
    expect(() => store().listRecords('admin_nope', { pageSize: 1 })).toThrow(/Resource not found for the segment 'admin_nope'/);
    expect(() => store().listRecords('admin_apps', { pageSize: 1, select: 'admin_nope' })).toThrow(/admin_nope/);
  });
});

describe('writes', () => {
  it('UpdateRecord upserts; values are coerced and validated', () => {
    const s = store();
    s.updateRecord('admin_apps', A, { admin_applastlaunchedon: '2026-02-01T01:02:03.1234567Z', admin_appdeleted: 'true' });
    expect(s.getItem('admin_apps', A, 'admin_applastlaunchedon,admin_appdeleted')).toMatchObject({ admin_applastlaunchedon: '2026-02-01T01:02:03Z', admin_appdeleted: true });
    expect(() => s.updateRecord('admin_apps', A, { admin_appdeleted: 'maybe' })).toThrow(/Edm.Boolean/);
    expect(() => s.updateRecord('admin_apps', 'not-a-guid', {})).toThrow(/Dataverse record ids are GUIDs/);
    expect(() => s.updateRecord('admin_auditlogs', A, { admin_title: 'x'.repeat(101) })).toThrow(/maximum allowed length of '100'/);
    expect(() => s.updateRecord('admin_auditlogs', A, { admin_nosuch: 1 })).toThrow(/Invalid property 'admin_nosuch'/);
    expect(() => s.getItem('admin_apps', '44444444-4444-4444-8444-444444444444')).toThrow(/admin_app With Id = 44444444-4444-4444-8444-444444444444 Does Not Exist/);
  });
  it('CreateRecord uses the given new id', () => {
    const s = store();
    const row = s.createRecord('admin_syncflowerrorses', { admin_name: 'Sync' }, '55555555-5555-4555-8555-555555555555');
    expect(row.admin_syncflowerrorsid).toBe('55555555-5555-4555-8555-555555555555');
    expect(s.rows('admin_syncflowerrorses')).toHaveLength(1);
  });
});

describe('seed files', () => {
  const dir = makeTempDir('store');
  it('loads YAML with apps and environment variables', () => {
    const f = join(dir, 'seed.yaml');
    writeFileSync(f, `apps:\n  - id: ${A}\n    displayName: Alpha\nenvironmentVariables:\n  - schemaName: admin_TenantID\n    type: String\n    value: t-1\n`);
    const s = loadStore(f);
    expect(s.environmentVariableValue('admin_tenantid')).toBe('t-1');
    expect(s.rows('admin_apps')).toHaveLength(1);
  });
  it('reports schema problems with file, line and column', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, `apps:\n  - id: ${A}\n    colour: red\n`);
    expect(() => loadStore(f)).toThrow(UsageError);
    expect(() => loadStore(f)).toThrow(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: /apps/0: unknown key 'colour'`));
  });
  it('refuses a secret where a Key Vault reference belongs, and a bad row, naming the place', () => {
    expect(() => createStore({ environmentVariables: [{ schemaName: 'admin_X', type: 'Secret', value: 'plain-secret' }] }, {}, 's.yaml')).toThrow(/s.yaml environmentVariables\[0\]: the value of a Secret environment variable must be a Key Vault reference/);
    expect(() => createStore({ tables: { admin_apps: [{ admin_appid: A, admin_colour: 'x' }] } }, {}, 's.yaml')).toThrow(/s.yaml tables.admin_apps\[0\]: Invalid property 'admin_colour'/);
  });
});
