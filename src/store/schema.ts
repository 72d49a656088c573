import { join } from 'node:path';
import { Ajv } from 'ajv';
import { UsageError, type Problem } from '../errors.js';
import { locateYamlPath, parseYaml, readUtf8File } from '../io/index.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { SYSTEM_TABLES, type ColumnDef, type TableDef } from './tables.js';

/**
 * Table definitions: the one schema of the tables the flows write. The standalone edition ships them as
 * Dataverse tables (solution/tables/standalone.yaml); the coe edition depends on CoE Core's tables, whose
 * documented columns are solution/tables/coe.yaml. The local store is built from the same definitions, so what
 * the store accepts is what the shipped (or depended-on) tables accept.
 */
export type ColumnKind = 'string' | 'datetime' | 'bool' | 'int' | 'lookup';

export interface ColumnDefinition {
  /** Logical name after the prefix (`creationtime` → `<prefix>_creationtime`). */
  name: string;
  /** Schema name after the prefix (`CreationTime`). */
  schemaName: string;
  displayName: string;
  type: ColumnKind;
  description?: string;
  /** nvarchar length. */
  maxLength?: number;
  required?: boolean;
  /** Lookup: the `name` of the referenced table. */
  target?: string;
}

export interface ViewDefinition {
  name: string;
  /** Column names after the prefix, or system columns (createdon, modifiedon). */
  columns: string[];
  orderBy: { column: string; descending: boolean };
}

export interface TableDefinition {
  name: string;
  schemaName: string;
  displayName: string;
  pluralName: string;
  /** Entity set after the prefix (`auditlogs`). */
  entitySet: string;
  description: string;
  primaryName: { name: string; displayName: string; maxLength: number };
  columns: ColumnDefinition[];
  views?: ViewDefinition[];
}

export interface TableDefinitions {
  /** Fixed prefix of the definitions (coe: admin); absent when the edition's publisher prefix applies. */
  prefix?: string;
  tables: TableDefinition[];
}

/** Columns every user-owned table has, usable in views (the store does not hold them). */
export const SYSTEM_VIEW_COLUMNS = ['createdon', 'modifiedon'];

/** Where the two definition files live in the package. */
export const TABLE_DEFINITION_FILES = {
  coe: join(PACKAGE_ROOT, 'solution', 'tables', 'coe.yaml'),
  standalone: join(PACKAGE_ROOT, 'solution', 'tables', 'standalone.yaml'),
} as const;

const NAME = '^[a-z][a-z0-9]*$';
const SCHEMA_NAME = '^[A-Za-z][A-Za-z0-9]*$';
const text = { type: 'string', minLength: 1 } as const;

const DEFINITIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['tables'],
  properties: {
    prefix: { type: 'string', pattern: '^[a-z][a-z0-9]{1,7}$' },
    tables: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'schemaName', 'displayName', 'pluralName', 'entitySet', 'description', 'primaryName', 'columns'],
        properties: {
          name: { type: 'string', pattern: NAME },
          schemaName: { type: 'string', pattern: SCHEMA_NAME },
          displayName: text,
          pluralName: text,
          entitySet: { type: 'string', pattern: NAME },
          description: text,
          primaryName: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'displayName', 'maxLength'],
            properties: { name: { type: 'string', pattern: NAME }, displayName: text, maxLength: { type: 'integer', minimum: 1, maximum: 4000 } },
          },
          columns: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'schemaName', 'displayName', 'type'],
              properties: {
                name: { type: 'string', pattern: NAME },
                schemaName: { type: 'string', pattern: SCHEMA_NAME },
                displayName: text,
                type: { enum: ['string', 'datetime', 'bool', 'int', 'lookup'] },
                description: text,
                maxLength: { type: 'integer', minimum: 1, maximum: 4000 },
                required: { type: 'boolean' },
                target: { type: 'string', pattern: NAME },
              },
            },
          },
          views: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'columns', 'orderBy'],
              properties: {
                name: text,
                columns: { type: 'array', minItems: 1, items: { type: 'string', pattern: NAME } },
                orderBy: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['column', 'descending'],
                  properties: { column: { type: 'string', pattern: NAME }, descending: { type: 'boolean' } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile<TableDefinitions>(DEFINITIONS_SCHEMA);

/** Parses and checks table definitions: shape, unique names, lookup targets, view columns, string lengths. */
export function parseTableDefinitions(textValue: string, file: string): TableDefinitions {
  const value = parseYaml(textValue, file);
  if (!validate(value)) {
    throw new UsageError(
      (validate.errors ?? []).map((e) => {
        const path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        const detail = e.keyword === 'additionalProperties' ? `unknown key '${String((e.params as { additionalProperty: string }).additionalProperty)}'` : (e.message ?? 'is invalid');
        return { file, ...(locateYamlPath(textValue, path) ?? {}), message: `${path.join('.') || '(top level)'}: ${detail}` };
      }),
    );
  }
  const defs = value as TableDefinitions;
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push({ file, ...(locateYamlPath(textValue, path) ?? {}), message: `${path.join('.')}: ${message}` });
  const tableNames = new Set(defs.tables.map((t) => t.name));
  if (tableNames.size !== defs.tables.length) at(['tables'], 'two tables have the same name');
  defs.tables.forEach((t, ti) => {
    const names = [t.primaryName.name, ...t.columns.map((c) => c.name)];
    if (new Set(names).size !== names.length) at(['tables', ti, 'columns'], `table ${t.name} has two columns of the same name`);
    if (names.includes(`${t.name}id`)) at(['tables', ti, 'columns'], `${t.name}id is the primary key of ${t.name}; it is not a column to define`);
    t.columns.forEach((c, ci) => {
      if (c.type === 'lookup' && (c.target === undefined || !tableNames.has(c.target))) at(['tables', ti, 'columns', ci, 'target'], `lookup ${c.name} must name one of the tables: ${[...tableNames].join(', ')}`);
      if (c.type !== 'lookup' && c.target !== undefined) at(['tables', ti, 'columns', ci, 'target'], `only a lookup column has a target`);
      if (c.type === 'string' && c.maxLength === undefined) at(['tables', ti, 'columns', ci], `string column ${c.name} needs maxLength`);
      if (c.type !== 'string' && c.maxLength !== undefined) at(['tables', ti, 'columns', ci, 'maxLength'], `only a string column has maxLength`);
    });
    (t.views ?? []).forEach((v, vi) => {
      for (const [ci, col] of [...v.columns, v.orderBy.column].entries()) {
        if (!names.includes(col) && !SYSTEM_VIEW_COLUMNS.includes(col)) {
          at(['tables', ti, 'views', vi, ci < v.columns.length ? 'columns' : 'orderBy'], `view '${v.name}' names ${col}, which is not a column of ${t.name}`);
        }
      }
    });
  });
  if (problems.length > 0) throw new UsageError(problems);
  return defs;
}

/** Reads a definitions file (default: the package's file of the edition). */
export function loadTableDefinitions(edition: keyof typeof TABLE_DEFINITION_FILES, file: string = TABLE_DEFINITION_FILES[edition]): TableDefinitions {
  return parseTableDefinitions(readUtf8File(file), file);
}

const n = (prefix: string, name: string): string => `${prefix}_${name}`;

/** The prefix the definitions' names take: their own fixed one, else the given publisher prefix. */
export function definitionsPrefix(defs: TableDefinitions, publisherPrefix?: string): string {
  const p = defs.prefix ?? publisherPrefix;
  if (p === undefined) throw new Error('these table definitions take the publisher prefix of the edition; give it');
  return p;
}

/**
 * The store's tables (by entity set) from table definitions: `<prefix>_<name>` tables with primary key
 * `<prefix>_<name>id`, the primary name column, the defined columns (a lookup as its `_<prefix>_<name>_value`
 * column, settable through `<prefix>_<SchemaName>@odata.bind`), and statecode/statuscode.
 */
export function storeTables(defs: TableDefinitions, publisherPrefix?: string): Record<string, TableDef> {
  const p = definitionsPrefix(defs, publisherPrefix);
  const sets = new Map(defs.tables.map((t) => [t.name, n(p, t.entitySet)]));
  const out: Record<string, TableDef> = {};
  for (const t of defs.tables) {
    const columns: Record<string, ColumnDef> = { [n(p, t.primaryName.name)]: { type: 'string', maxLength: t.primaryName.maxLength } };
    const lookups: TableDef['lookups'] = {};
    for (const c of t.columns) {
      if (c.type === 'lookup') {
        const column = `_${n(p, c.name)}_value`;
        columns[column] = { type: 'guid' };
        lookups[n(p, c.schemaName)] = { column, target: sets.get(c.target!)! };
      } else {
        columns[n(p, c.name)] = c.type === 'string' ? { type: 'string', maxLength: c.maxLength! } : { type: c.type };
      }
    }
    columns.statecode = { type: 'int' };
    columns.statuscode = { type: 'int' };
    out[n(p, t.entitySet)] = { logicalName: n(p, t.name), primaryKey: `${n(p, t.name)}id`, columns, lookups };
  }
  return out;
}

/** What a local store holds: the tables of an edition (by entity set) and Dataverse's environment variable tables. */
export interface StoreSchema {
  /** The prefix of the edition's tables (admin for coe). */
  prefix: string;
  tables: Record<string, TableDef>;
}

/** The store schema of table definitions, with the system tables. */
export function storeSchema(defs: TableDefinitions, publisherPrefix?: string): StoreSchema {
  return { prefix: definitionsPrefix(defs, publisherPrefix), tables: { ...storeTables(defs, publisherPrefix), ...SYSTEM_TABLES } };
}

let coeSchema: StoreSchema | undefined;

/** The store schema of the coe edition: CoE Core's documented tables (solution/tables/coe.yaml), read once. */
export function coeStoreSchema(): StoreSchema {
  coeSchema ??= storeSchema(loadTableDefinitions('coe'));
  return coeSchema;
}
