/**
 * Writing audit records in the current Microsoft Purview export layout (activity-api.md §4.1). `content pull
 * --out x.csv` and `csv convert --to csv` both write through here, so their files are byte-identical for the
 * same records.
 */

/** The current 8-column Purview header line, CRLF-terminated, without a BOM. */
export const PURVIEW_CSV_HEADER =
  'RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n';

/** An audit record as the Activity API returns it (the `AuditData` JSON object of an export row). */
export type AuditRecord = Record<string, unknown>;

/** The two admin-unit columns, which are not part of the AuditData object; empty when not given. */
export interface PurviewRowExtras {
  associatedAdminUnits?: string;
  associatedAdminUnitsNames?: string;
  /** The AuditData text to write (as read, so numbers stay exact); default: JSON.stringify of the record. */
  auditText?: string;
}

/**
 * One record as one row of the current Purview layout, CRLF-terminated, so that
 * `PURVIEW_CSV_HEADER + records.map((r) => toPurviewCsvRow(r)).join('')` is a whole export.
 *
 * - RecordId = `Id`, RecordType = `RecordType`, Operation = `Operation`, UserId = `UserId` (empty when absent).
 * - CreationDate = `CreationTime` in the quoted ISO form of current exports, `"2025-01-15T09:12:44.0000000Z "`
 *   (7-digit fraction, Z and a trailing space); a CreationTime that is not ISO is written as it is.
 * - AuditData = the record as compact JSON, keys in the record's own order, always quoted.
 * - Quoting follows RFC 4180: a field holding `,`, `"`, CR or LF is quoted and its quotes are doubled.
 */
export function toPurviewCsvRow(record: AuditRecord, extras: PurviewRowExtras = {}): string {
  const fields = [
    csvField(scalarText(record['Id'])),
    quoted(isoCreationDate(scalarText(record['CreationTime']))),
    csvField(scalarText(record['RecordType'])),
    csvField(scalarText(record['Operation'])),
    csvField(scalarText(record['UserId'])),
    quoted(extras.auditText ?? JSON.stringify(record)),
    csvField(extras.associatedAdminUnits ?? ''),
    csvField(extras.associatedAdminUnitsNames ?? ''),
  ];
  return fields.join(',') + '\r\n';
}

/** RFC 4180: quote only when needed. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? quoted(value) : value;
}

function quoted(value: string): string {
  return '"' + value.replace(/"/g, '""') + '"';
}

function scalarText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z?$/;

/** `2025-01-15T09:12:44` (UTC, as the API writes it) → `2025-01-15T09:12:44.0000000Z ` (as Purview exports it). */
export function isoCreationDate(creationTime: string): string {
  const m = ISO.exec(creationTime);
  if (!m) return creationTime;
  return `${m[1]!}.${(m[2] ?? '').padEnd(7, '0')}Z `;
}
