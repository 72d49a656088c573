import { createHash } from 'node:crypto';
import { DataverseError, type DataverseStore, type ListRecordsQuery, type WdlObject, type WdlValue } from '../wdl/index.js';
import { filterColumns, ODataError, parseFilter, type FilterNode, type Literal } from './odata.js';
import { coeStoreSchema, type StoreSchema } from './schema.js';
import { ENVVAR_TYPES, type ColumnDef, type TableDef } from './tables.js';

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const NULL_SECRET = 'Error occured while reading secret: Value cannot be null. Parameter name: input';

export interface MemoryStoreOptions {
  /**
   * Stands in for Key Vault: returns the secret a Secret environment variable's value (a Key Vault reference)
   * points at, or undefined when it cannot be read. Secrets never live in the store's tables.
   */
  keyVault?: (reference: string, schemaName: string) => string | undefined;
  /** The tables and columns the store holds (default: the coe edition's, CoE Core's documented tables). */
  schema?: StoreSchema;
}

interface Row {
  values: WdlObject;
  version: number;
}

/** A deterministic GUID for seeded rows (stable across runs). */
export function stableGuid(namespace: string, key: string): string {
  const h = createHash('sha1').update(`${namespace}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The local Dataverse: the six tables the flows touch, in memory, with the OData subset of the connector.
 * Row order is insertion order; every write is validated against the table's columns as Dataverse would.
 */
export class MemoryStore implements DataverseStore {
  private readonly tables = new Map<string, Map<string, Row>>();
  private versionCounter = 0;
  /** Writes per table (creates and updates), for summaries. */
  readonly writes = new Map<string, { created: number; updated: number }>();

  /** The tables and columns every read and write is checked against. */
  readonly schema: StoreSchema;

  constructor(private readonly options: MemoryStoreOptions = {}) {
    this.schema = options.schema ?? coeStoreSchema();
    for (const name of Object.keys(this.schema.tables)) this.tables.set(name, new Map());
  }

  private table(entitySet: string): { def: TableDef; rows: Map<string, Row> } {
    const def = this.schema.tables[entitySet];
    const rows = this.tables.get(entitySet);
    if (!def || !rows) {
      throw new DataverseError(404, `Resource not found for the segment '${entitySet}'. The local store has: ${Object.keys(this.schema.tables).join(', ')}.`);
    }
    return { def, rows };
  }

  /** All rows of a table, as stored (copies). */
  rows(entitySet: string): WdlObject[] {
    return [...this.table(entitySet).rows.values()].map((r) => structuredClone(r.values));
  }

  listRecords(entitySet: string, query: ListRecordsQuery): { value: WdlObject[]; nextSkipToken?: string } {
    const { def, rows } = this.table(entitySet);
    const select = parseSelect(def, query.select);
    let filter: FilterNode | undefined;
    if (query.filter) {
      try {
        filter = parseFilter(query.filter);
      } catch (e) {
        if (e instanceof ODataError) throw new DataverseError(400, `Invalid $filter '${query.filter}': ${e.message}`);
        throw e;
      }
      for (const c of filterColumns(filter)) columnOf(def, c);
    }
    let list = [...rows.values()].map((r) => r);
    if (filter) list = list.filter((r) => matches(def, filter!, r.values));
    if (query.orderby) {
      const keys = query.orderby.split(',').map((part) => {
        const [col, dir] = part.trim().split(/\s+/);
        columnOf(def, col ?? '');
        if (dir && !/^(asc|desc)$/i.test(dir)) throw new DataverseError(400, `Invalid $orderby '${query.orderby}'`);
        return { col: col!, desc: /^desc$/i.test(dir ?? '') };
      });
      list = [...list].sort((a, b) => {
        for (const k of keys) {
          const c = compareValues(a.values[k.col] ?? null, b.values[k.col] ?? null);
          if (c !== 0) return k.desc ? -c : c;
        }
        return 0;
      });
    }
    const offset = query.skipToken ? Number(query.skipToken) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new DataverseError(400, `Invalid $skiptoken '${query.skipToken}'`);
    const limit = query.top !== undefined ? Math.min(query.top, query.pageSize) : query.pageSize;
    const available = query.top !== undefined ? Math.min(list.length, query.top) : list.length;
    const page = list.slice(offset, Math.min(offset + limit, available));
    const out: { value: WdlObject[]; nextSkipToken?: string } = { value: page.map((r) => project(def, r, select)) };
    if (offset + page.length < available) out.nextSkipToken = String(offset + page.length);
    return out;
  }

  getItem(entitySet: string, id: string, select?: string): WdlObject {
    const { def, rows } = this.table(entitySet);
    const key = checkId(def, id);
    const row = rows.get(key);
    if (!row) throw new DataverseError(404, `${def.logicalName} With Id = ${id} Does Not Exist`, '0x80040217');
    return project(def, row, parseSelect(def, select));
  }

  createRecord(entitySet: string, item: WdlObject, newId: string): WdlObject {
    const { def, rows } = this.table(entitySet);
    const given = item[def.primaryKey];
    const id = typeof given === 'string' ? checkId(def, given) : checkId(def, newId);
    if (rows.has(id)) throw new DataverseError(412, `A record with matching key values already exists.`, '0x80040237');
    const values = this.applyItem(def, { [def.primaryKey]: id }, item);
    const row = { values, version: ++this.versionCounter };
    rows.set(id, row);
    this.count(entitySet, 'created');
    return project(def, row, undefined);
  }

  updateRecord(entitySet: string, id: string, item: WdlObject): WdlObject {
    const { def, rows } = this.table(entitySet);
    const key = checkId(def, id);
    const existing = rows.get(key);
    const values = this.applyItem(def, existing ? structuredClone(existing.values) : { [def.primaryKey]: key }, item);
    const row = { values, version: ++this.versionCounter };
    rows.set(key, row);
    this.count(entitySet, existing ? 'updated' : 'created');
    return project(def, row, undefined);
  }

  deleteRecord(entitySet: string, id: string): void {
    const { def, rows } = this.table(entitySet);
    const key = checkId(def, id);
    if (!rows.delete(key)) throw new DataverseError(404, `${def.logicalName} With Id = ${id} Does Not Exist`);
  }

  retrieveEnvironmentVariableSecretValue(schemaName: string): string {
    const d = this.definition(schemaName);
    if (!d) throw new DataverseError(404, `Environment variable definition '${schemaName}' was not found.`);
    if (d.type !== ENVVAR_TYPES.secret) throw new DataverseError(400, `Environment variable '${schemaName}' is not of type Secret.`);
    const ref = this.currentValue(d);
    if (!ref) throw new DataverseError(400, NULL_SECRET);
    const secret = this.options.keyVault?.(ref, String(d.schemaname));
    if (secret === undefined || secret === '') throw new DataverseError(400, `Error occured while reading secret: the Key Vault secret '${ref}' could not be read.`);
    return secret;
  }

  environmentVariableValue(schemaName: string): string | undefined {
    const d = this.definition(schemaName);
    if (!d) return undefined;
    const v = this.currentValue(d);
    return v ?? undefined;
  }

  private definition(schemaName: string): WdlObject | undefined {
    const lower = schemaName.toLowerCase();
    for (const r of this.table('environmentvariabledefinitions').rows.values()) {
      if (String(r.values.schemaname ?? '').toLowerCase() === lower) return r.values;
    }
    return undefined;
  }

  private currentValue(d: WdlObject): string | null {
    const id = String(d.environmentvariabledefinitionid);
    for (const r of this.table('environmentvariablevalues').rows.values()) {
      if (r.values._environmentvariabledefinitionid_value === id && typeof r.values.value === 'string' && r.values.value !== '') return r.values.value;
    }
    return typeof d.defaultvalue === 'string' && d.defaultvalue !== '' ? d.defaultvalue : null;
  }

  private count(entitySet: string, kind: 'created' | 'updated'): void {
    const c = this.writes.get(entitySet) ?? { created: 0, updated: 0 };
    c[kind]++;
    this.writes.set(entitySet, c);
  }

  private applyItem(def: TableDef, target: WdlObject, item: WdlObject): WdlObject {
    for (const [k, v] of Object.entries(item)) {
      if (k === def.primaryKey) continue;
      if (k.endsWith('@odata.bind')) {
        const nav = k.slice(0, -'@odata.bind'.length);
        const lookup = def.lookups[nav];
        if (!lookup) throw new DataverseError(400, `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload. The table ${def.logicalName} has no navigation property '${nav}'.`);
        if (v === null || v === '') {
          target[lookup.column] = null;
          continue;
        }
        const m = /^\/?([A-Za-z0-9_]+)\(([^)]*)\)$/.exec(String(v));
        if (!m || m[1] !== lookup.target) throw new DataverseError(400, `The value '${String(v)}' of ${k} must be '${lookup.target}(<id>)'.`);
        const targetDef = this.table(lookup.target).def;
        if (!GUID_RE.test(m[2]!)) throw new DataverseError(400, `Bad Request - Error in query syntax: '${String(v)}' is not ${lookup.target}(<guid>).`);
        if (!this.table(lookup.target).rows.has(m[2]!.toLowerCase())) throw new DataverseError(404, `${targetDef.logicalName} With Id = ${m[2]} Does Not Exist`);
        target[lookup.column] = m[2]!.toLowerCase();
        continue;
      }
      const col = def.columns[k];
      if (!col || k.startsWith('_')) throw new DataverseError(400, `Invalid property '${k}' was found in entity 'Microsoft.Dynamics.CRM.${def.logicalName}'.`);
      target[k] = coerce(def, k, col, v);
    }
    return target;
  }

  /** Loads rows as given (already validated by the seed loader). */
  insertSeedRow(entitySet: string, values: WdlObject): void {
    const { def, rows } = this.table(entitySet);
    const id = checkId(def, String(values[def.primaryKey] ?? ''));
    const rest = { ...values };
    delete rest[def.primaryKey];
    const lookups: WdlObject = {};
    for (const [k, v] of Object.entries(rest)) {
      if (k.startsWith('_') && def.columns[k]) {
        lookups[k] = typeof v === 'string' ? v.toLowerCase() : null;
        delete rest[k];
      }
    }
    const row = this.applyItem(def, { [def.primaryKey]: id, ...lookups }, rest);
    rows.set(id, { values: row, version: ++this.versionCounter });
  }
}

function checkId(def: TableDef, id: string): string {
  if (!GUID_RE.test(id)) throw new DataverseError(400, `'${id}' is not a valid id for ${def.logicalName}: Dataverse record ids are GUIDs.`);
  return id.toLowerCase();
}

function columnOf(def: TableDef, name: string): ColumnDef {
  if (name === def.primaryKey) return { type: 'guid' };
  const c = def.columns[name];
  if (!c) throw new DataverseError(400, `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${def.logicalName}'.`);
  return c;
}

function parseSelect(def: TableDef, select: string | undefined): string[] | undefined {
  if (!select || !select.trim()) return undefined;
  const cols = select.split(',').map((c) => c.trim()).filter(Boolean);
  for (const c of cols) columnOf(def, c);
  return cols;
}

function project(def: TableDef, row: Row, select: string[] | undefined): WdlObject {
  const out: WdlObject = { '@odata.etag': `W/"${row.version}"` };
  const cols = select ?? Object.keys(def.columns);
  out[def.primaryKey] = row.values[def.primaryKey]!;
  for (const c of cols) if (c !== def.primaryKey) out[c] = row.values[c] ?? null;
  return out;
}

function coerce(def: TableDef, name: string, col: ColumnDef, v: WdlValue): WdlValue {
  if (v === null) return null;
  const bad = (type: string): DataverseError =>
    new DataverseError(400, `Cannot convert the literal '${typeof v === 'string' ? v : JSON.stringify(v)}' to the expected type '${type}' (column ${name} of ${def.logicalName}).`);
  switch (col.type) {
    case 'string': {
      if (typeof v === 'object') throw bad('Edm.String');
      const s = String(v);
      if (col.maxLength !== undefined && s.length > col.maxLength) {
        throw new DataverseError(400, `A validation error occurred. The length of the '${name}' attribute of the '${def.logicalName}' entity exceeded the maximum allowed length of '${col.maxLength}'.`);
      }
      return s;
    }
    case 'datetime': {
      if (typeof v !== 'string') throw bad('Edm.DateTimeOffset');
      const ms = parseDate(v);
      if (ms === undefined) throw bad('Edm.DateTimeOffset');
      return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      throw bad('Edm.Boolean');
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
      throw bad('Edm.Int32');
    case 'guid':
      if (typeof v === 'string' && GUID_RE.test(v)) return v.toLowerCase();
      throw bad('Edm.Guid');
  }
}

/** ISO timestamps; no zone means UTC (how the flows' CreationTime values arrive). */
function parseDate(s: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:\d{2})?$/.exec(s.trim());
  if (!m) return undefined;
  const iso = `${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function compareValues(a: WdlValue, b: WdlValue): number {
  if (a === null && b === null) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function matches(def: TableDef, f: FilterNode, row: WdlObject): boolean {
  switch (f.kind) {
    case 'and':
      return matches(def, f.left, row) && matches(def, f.right, row);
    case 'or':
      return matches(def, f.left, row) || matches(def, f.right, row);
    case 'not':
      return !matches(def, f.inner, row);
    case 'fn': {
      const v = row[f.column];
      if (typeof v !== 'string') return false;
      const a = v.toLowerCase();
      const b = f.value.toLowerCase();
      return f.fn === 'contains' ? a.includes(b) : f.fn === 'startswith' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'cmp': {
      const col = columnOf(def, f.column);
      const v = row[f.column] ?? null;
      if (f.value === null) {
        if (f.op === 'eq') return v === null;
        if (f.op === 'ne') return v !== null;
        throw new DataverseError(400, `the operator '${f.op}' cannot compare with null in $filter`);
      }
      if (v === null) return f.op === 'ne';
      const c = compareLiteral(def, f.column, col, v, f.value);
      switch (f.op) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'gt':
          return c > 0;
        case 'ge':
          return c >= 0;
        case 'lt':
          return c < 0;
        case 'le':
          return c <= 0;
      }
    }
  }
}

function compareLiteral(def: TableDef, name: string, col: ColumnDef, v: WdlValue, lit: Literal): number {
  const mismatch = (): DataverseError =>
    new DataverseError(400, `A binary operator with incompatible types was detected. Found operand types 'Edm.${col.type}' (${name} of ${def.logicalName}) and ${JSON.stringify(lit)}.`);
  switch (col.type) {
    case 'datetime': {
      const ms = typeof lit === 'string' ? parseDate(lit) : undefined;
      if (ms === undefined) throw mismatch();
      return parseDate(String(v))! - ms;
    }
    case 'bool':
      if (typeof lit !== 'boolean') throw mismatch();
      return Number(v) - Number(lit);
    case 'int':
      if (typeof lit !== 'number') throw mismatch();
      return (v as number) - lit;
    case 'guid':
      if (typeof lit !== 'string' || !GUID_RE.test(lit)) throw mismatch();
      return compareValues(v, lit);
    default:
      if (typeof lit !== 'string') throw mismatch();
      return compareValues(v, lit);
  }
}
