import { PURVIEW_CSV_HEADER, toPurviewCsvRow, type AuditRecord } from '../csv/purview-row.js';
import { UsageError } from '../errors.js';

export type RecordFormat = 'ndjson' | 'csv';

/** The format an output file name asks for: .ndjson/.jsonl → NDJSON, .csv → the Purview CSV layout. */
export function recordFormatOf(file: string): RecordFormat {
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  if (/\.csv$/i.test(file)) return 'csv';
  throw new UsageError([{ file, message: 'unknown output format: name the file *.ndjson (one JSON record a line) or *.csv (Purview export layout)' }]);
}

/** Text before the first record: the Purview header line for CSV, nothing for NDJSON. */
export function recordsHeader(format: RecordFormat): string {
  return format === 'csv' ? PURVIEW_CSV_HEADER : '';
}

/** One record as NDJSON (a compact JSON object and LF) or as a current-layout Purview row (issue 6's writer). */
export function recordSerializer(format: RecordFormat): (record: AuditRecord) => string {
  return format === 'csv' ? (r) => toPurviewCsvRow(r) : (r) => JSON.stringify(r) + '\n';
}

/** Records as NDJSON or as a whole Purview export. */
export function formatRecords(records: readonly AuditRecord[], format: RecordFormat): string {
  const line = recordSerializer(format);
  return recordsHeader(format) + records.map(line).join('');
}

/** An ISO 8601 time from the user; without a zone it is read as UTC (the API's times are UTC). */
export function parseUserTime(text: string, flag: string): number {
  const withZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : `${text}Z`;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(withZone) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${flag}: '${text}' is not an ISO 8601 time such as 2025-01-15T09:00:00Z`);
  return ms;
}
