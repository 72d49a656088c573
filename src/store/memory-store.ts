import { createHash } from 'node:crypto';
import { BULK_MAX_TARGETS, DataverseError, type BulkMessage, type DataverseStore, type ListRecordsQuery, type WdlObject, type WdlValue } from '../wdl/index.js';
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
  /** More tables (by entity set name) besides the CoE ones, e.g. the custom tables of another solution's flows. */
  tables?: Record<string, TableDef>;
}

/** One write, as Dataverse's row triggers see it (SdkMessage Create, Update or Delete). */
export interface StoreChange {
  message: 'Create' | 'Update' | 'Delete';
  entitySet: string;
  /** Logical (singular) table name, as `subscriptionRequest/entityname` names it. */
  logicalName: string;
  id: string;
  /** Columns the request set (Update: what filtering attributes are matched against). */
  columns: string[];
  /** The row after the write (Delete: as it was). */
  row: WdlObject;
  /** Seq number of the write in the store, increasing. */
  seq: number;
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
  private readonly defs: Record<string, TableDef>;
  private readonly listeners = new Set<(c: StoreChange) => void>();
  private versionCounter = 0;
  private changeSeq = 0;
  /** Writes per table (creates and updates), for summaries. */
  readonly writes = new Map<string, { created: number; updated: number }>();

  /** The tables and columns every read and write is checked against. */
  readonly schema: StoreSchema;

  constructor(private readonly options: MemoryStoreOptions = {}) {
    this.schema = options.schema ?? coeStoreSchema();
    this.defs = { ...this.schema.tables, ...options.tables };
    for (const name of Object.keys(this.defs)) this.tables.set(name, new Map());
  }

  /** Calls `listener` after every create, update and delete; returns the function that unsubscribes. */
  onChange(listener: (c: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The primary key column of a table. */
  primaryKeyOf(entitySet: string): string {
    return this.table(entitySet).def.primaryKey;
  }

  /** The table of a logical (singular) name, as row triggers name it. */
  entitySetOf(logicalName: string): string | undefined {
    const lower = logicalName.toLowerCase();
    return Object.keys(this.defs).find((k) => this.defs[k]!.logicalName.toLowerCase() === lower);
  }

  /** True when the row satisfies an OData $filter (a trigger's filter expression); throws DataverseError when it does not parse. */
  rowMatches(entitySet: string, filterText: string, row: WdlObject): boolean {
    const { def } = this.table(entitySet);
    let filter: FilterNode;
    try {
      filter = parseFilter(filterText);
    } catch (e) {
      if (e instanceof ODataError) throw new DataverseError(400, `Invalid filter expression '${filterText}': ${e.message}`);
      throw e;
    }
    for (const c of filterColumns(filter)) columnOf(def, c);
    return matches(def, filter, row);
  }

  private emit(message: StoreChange['message'], entitySet: string, def: TableDef, id: string, columns: string[], row: WdlObject): void {
    if (this.listeners.size === 0) return;
    const change: StoreChange = { message, entitySet, logicalName: def.logicalName, id, columns, row: structuredClone(row), seq: ++this.changeSeq };
    for (const l of this.listeners) l(change);
  }

  private table(entitySet: string): { def: TableDef; rows: Map<string, Row> } {
    const def = this.defs[entitySet];
    const rows = this.tables.get(entitySet);
    if (!def || !rows) {
      throw new DataverseError(404, `Resource not found for the segment '${entitySet}'. The local store has: ${Object.keys(this.defs).join(', ')}.`);
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
    const expand = this.parseExpand(def, query.expand);
    const out: { value: WdlObject[]; nextSkipToken?: string } = { value: page.map((r) => this.expanded(def, r, project(def, r, select), expand)) };
    if (offset + page.length < available) out.nextSkipToken = String(offset + page.length);
    return out;
  }

  getItem(entitySet: string, id: string, select?: string, expand?: string): WdlObject {
    const { def, rows } = this.table(entitySet);
    const key = checkId(def, id);
    const row = rows.get(key);
    if (!row) throw new DataverseError(404, `${def.logicalName} With Id = ${id} Does Not Exist`, '0x80040217');
    return this.expanded(def, row, project(def, row, parseSelect(def, select)), this.parseExpand(def, expand));
  }

  /** `$expand=Nav1($select=a,b),Nav2`: single-valued navigation properties (the table's lookups) only. */
  private parseExpand(def: TableDef, expand: string | undefined): { nav: string; target: string; column: string; select: string[] | undefined }[] {
    if (!expand || !expand.trim()) return [];
    const parts: string[] = [];
    let depth = 0;
    let cur = '';
    for (const ch of expand) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      if (ch === ',' && depth === 0) {
        parts.push(cur);
        cur = '';
      } else cur += ch;
    }
    parts.push(cur);
    return parts.map((raw) => {
      const m = /^\s*([A-Za-z0-9_]+)\s*(?:\((.*)\))?\s*$/.exec(raw);
      if (!m) throw new DataverseError(400, `Invalid $expand '${expand}'`);
      const lookup = def.lookups[m[1]!] ?? Object.entries(def.lookups).find(([k]) => k.toLowerCase() === m[1]!.toLowerCase())?.[1];
      if (!lookup) throw new DataverseError(400, `Could not find a property named '${m[1]}' on type 'Microsoft.Dynamics.CRM.${def.logicalName}'.`);
      let select: string[] | undefined;
      const options = (m[2] ?? '').trim();
      if (options) {
        const sm = /^\$select=([A-Za-z0-9_,\s]+)$/i.exec(options);
        if (!sm) throw new DataverseError(400, `Only $select is supported inside $expand (local store): '${raw.trim()}'`);
        select = parseSelect(this.defs[lookup.target]!, sm[1]);
      }
      return { nav: m[1]!, target: lookup.target, column: lookup.column, select };
    });
  }

  private expanded(def: TableDef, row: Row, out: WdlObject, expand: ReturnType<MemoryStore['parseExpand']>): WdlObject {
    void def;
    for (const e of expand) {
      const id = row.values[e.column];
      const target = typeof id === 'string' ? this.tables.get(e.target)!.get(id) : undefined;
      out[e.nav] = target ? project(this.defs[e.target]!, target, e.select) : null;
    }
    return out;
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
    this.emit('Create', entitySet, def, id, Object.keys(item), values);
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
    this.emit(existing ? 'Update' : 'Create', entitySet, def, key, Object.keys(item), values);
    return project(def, row, undefined);
  }

  bulk(entitySet: string, message: BulkMessage, targets: WdlObject[], newId: () => string): string[] {
    const { def, rows } = this.table(entitySet);
    if (targets.length === 0) throw new DataverseError(400, `${message}: Targets must contain at least one record.`);
    if (targets.length > BULK_MAX_TARGETS) {
      throw new DataverseError(400, `${message}: ${targets.length} targets in one request; the local store takes at most ${BULK_MAX_TARGETS} (split them with chunk()).`);
    }
    const type = `Microsoft.Dynamics.CRM.${def.logicalName}`;
    const planned: { id: string; values: WdlObject; existed: boolean }[] = [];
    const seen = new Set<string>();
    targets.forEach((t, i) => {
      const at = `${message} Targets[${i}]`;
      if (!isPlain(t)) throw new DataverseError(400, `${at} is not a record.`);
      if (t['@odata.type'] !== type) throw new DataverseError(400, `${at}: '@odata.type' must be '${type}', not ${JSON.stringify(t['@odata.type'] ?? null)}.`);
      const given = t[def.primaryKey];
      if (message !== 'CreateMultiple' && typeof given !== 'string') throw new DataverseError(400, `${at}: ${message} needs the primary key ${def.primaryKey}.`);
      const id = checkId(def, typeof given === 'string' ? given : newId());
      if (seen.has(id)) throw new DataverseError(400, `${at}: the record ${id} appears twice in Targets; a bulk request may name a record once.`, '0x80040333');
      seen.add(id);
      const existing = rows.get(id);
      if (message === 'CreateMultiple' && existing) throw new DataverseError(412, `${at}: a record with matching key values already exists.`, '0x80040237');
      if (message === 'UpdateMultiple' && !existing) throw new DataverseError(404, `${at}: ${def.logicalName} With Id = ${id} Does Not Exist`);
      const item: WdlObject = {};
      for (const [k, v] of Object.entries(t)) if (k !== '@odata.type') item[k] = v;
      try {
        planned.push({ id, existed: !!existing, values: this.applyItem(def, existing ? structuredClone(existing.values) : { [def.primaryKey]: id }, item) });
      } catch (e) {
        if (e instanceof DataverseError) throw new DataverseError(e.status, `${at}: ${e.message}`, e.code);
        throw e;
      }
    });
    // Standard tables: all or nothing. Every target passed, so all are written.
    for (const p of planned) {
      rows.set(p.id, { values: p.values, version: ++this.versionCounter });
      this.count(entitySet, p.existed ? 'updated' : 'created');
    }
    return planned.map((p) => p.id);
  }

  deleteRecord(entitySet: string, id: string): void {
    const { def, rows } = this.table(entitySet);
    const key = checkId(def, id);
    const before = rows.get(key);
    if (!before || !rows.delete(key)) throw new DataverseError(404, `${def.logicalName} With Id = ${id} Does Not Exist`);
    this.emit('Delete', entitySet, def, key, [], before.values);
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
      const col = def.columns[k] ?? (def.open && !k.startsWith('_') && /^[A-Za-z][A-Za-z0-9_]*$/.test(k) ? ANY : undefined);
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

function isPlain(v: WdlValue): v is WdlObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkId(def: TableDef, id: string): string {
  if (!GUID_RE.test(id)) throw new DataverseError(400, `'${id}' is not a valid id for ${def.logicalName}: Dataverse record ids are GUIDs.`);
  return id.toLowerCase();
}

const ANY: ColumnDef = { type: 'any' };

function columnOf(def: TableDef, name: string): ColumnDef {
  if (name === def.primaryKey) return { type: 'guid' };
  const c = def.columns[name] ?? (def.open ? ANY : undefined);
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
  const cols = select ?? (def.open ? [...new Set([...Object.keys(def.columns), ...Object.keys(row.values)])] : Object.keys(def.columns));
  out[def.primaryKey] = row.values[def.primaryKey]!;
  for (const c of cols) if (c !== def.primaryKey) out[c] = row.values[c] ?? null;
  return out;
}

function coerce(def: TableDef, name: string, col: ColumnDef, v: WdlValue): WdlValue {
  if (v === null) return null;
  const bad = (type: string): DataverseError =>
    new DataverseError(400, `Cannot convert the literal '${typeof v === 'string' ? v : JSON.stringify(v)}' to the expected type '${type}' (column ${name} of ${def.logicalName}).`);
  switch (col.type) {
    case 'any':
      return v;
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
    case 'any':
      return typeof v === 'number' && typeof lit === 'number' ? v - lit : compareValues(v, lit === null ? null : typeof lit === 'string' ? lit : String(lit));
    default:
      if (typeof lit !== 'string') throw mismatch();
      return compareValues(v, lit);
  }
}
