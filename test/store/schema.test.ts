import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { coeStoreSchema, createStore, loadTableDefinitions, parseTableDefinitions, storeSchema } from '../../src/store/index.js';
import { DataverseError } from '../../src/wdl/index.js';

const APP = '11111111-1111-4111-8111-111111111111';
const EVENT = '22222222-2222-4222-8222-222222222222';

describe('table definitions: one schema for the shipped tables and the local store', () => {
  it('the coe store has CoE Core\'s documented columns and nothing else', () => {
    const t = coeStoreSchema().tables;
    expect(Object.keys(t)).toEqual(['admin_auditlogs', 'admin_apps', 'admin_syncflowerrorses', 'admin_coesolutionmetadatas', 'environmentvariabledefinitions', 'environmentvariablevalues']);
    expect(t.admin_auditlogs!.primaryKey).toBe('admin_auditlogid');
    expect(t.admin_auditlogs!.columns.admin_creationtime).toEqual({ type: 'datetime' });
    expect(t.admin_auditlogs!.columns.admin_userupn).toEqual({ type: 'string', maxLength: 300 });
    expect(t.admin_auditlogs!.lookups.admin_AppLookup).toEqual({ column: '_admin_applookup_value', target: 'admin_apps' });
    expect(t.admin_apps!.columns.admin_appenvironmentname).toBeUndefined();
  });

  it('the standalone store takes the edition\'s prefix and refuses what Dataverse refuses: a missing column, a wrong type, a too long text', () => {
    const schema = storeSchema(loadTableDefinitions('standalone'), 'ours');
    expect(Object.keys(schema.tables)).toContain('ours_auditlogs');
    const store = createStore({ apps: [{ id: APP, displayName: 'A' }] }, { schema });
    store.updateRecord('ours_auditlogs', EVENT, { ours_creationtime: '2026-01-01T00:00:00Z', 'ours_AppLookup@odata.bind': `ours_apps(${APP})`, ours_userupn: 'a@b' });
    expect(store.rows('ours_auditlogs')[0]).toMatchObject({ ours_auditlogid: EVENT, _ours_applookup_value: APP, ours_userupn: 'a@b' });
    const refused = (f: () => unknown, status: number, text: RegExp) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(DataverseError);
        expect((e as DataverseError).status).toBe(status);
        expect((e as Error).message).toMatch(text);
        return;
      }
      throw new Error('not refused');
    };
    refused(() => store.updateRecord('ours_auditlogs', EVENT, { ours_appname: 'x' }), 400, /Invalid property 'ours_appname'/);
    refused(() => store.updateRecord('ours_auditlogs', EVENT, { ours_creationtime: 'yesterday' }), 400, /Edm.DateTimeOffset/);
    refused(() => store.updateRecord('ours_apps', APP, { ours_appdeleted: 'maybe' }), 400, /Edm.Boolean/);
    refused(() => store.updateRecord('ours_auditlogs', EVENT, { ours_operation: 'x'.repeat(101) }), 400, /maximum allowed length of '100'/);
    refused(() => store.updateRecord('admin_auditlogs', EVENT, {}), 404, /Resource not found for the segment 'admin_auditlogs'/);
    expect(() => createStore({ tables: { admin_apps: [{ admin_appid: APP }] } }, { schema })).toThrow(UsageError);
  });

  it('reports definition mistakes with file, line and column', () => {
    const bad = (yaml: string, message: RegExp) => {
      expect(() => parseTableDefinitions(yaml, 't.yaml')).toThrow(UsageError);
      try {
        parseTableDefinitions(yaml, 't.yaml');
      } catch (e) {
        expect((e as UsageError).message).toMatch(message);
      }
    };
    const table = (columns: string, views = '') =>
      `tables:\n  - name: a\n    schemaName: A\n    displayName: A\n    pluralName: As\n    entitySet: as\n    description: A\n    primaryName: { name: title, displayName: T, maxLength: 10 }\n    columns:\n${columns}${views}`;
    bad(table('      - { name: b, schemaName: B, displayName: B, type: lookup, target: nowhere }\n'), /^t\.yaml:10:\d+: tables\.0\.columns\.0\.target: lookup b must name one of the tables: a/);
    bad(table('      - { name: b, schemaName: B, displayName: B, type: string }\n'), /^t\.yaml:10:\d+: .*string column b needs maxLength/);
    bad(table('      - { name: b, schemaName: B, displayName: B, type: bool }\n', '    views:\n      - { name: V, columns: [c], orderBy: { column: b, descending: true } }\n'), /view 'V' names c, which is not a column of a/);
    bad(table('      - { name: b, schemaName: B, displayName: B, type: money }\n'), /^t\.yaml:10:\d+: tables\.0\.columns\.0\.type: must be equal to one of the allowed values/);
  });
});
