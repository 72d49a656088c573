/** Reading one data record of an export into its parts, for inspect and convert (split never looks inside). */
import { jsonNestingExceeded, MAX_NESTING_DEPTH } from '../io/index.js';
import { parseCreationDate } from './dates.js';
import { parseFields } from './fields.js';
import type { Layout } from './layout.js';
import { stripLineEnd } from './layout.js';
import type { AuditRecord } from './purview-row.js';
import { scanPurviewFile, type CsvProgress, type HeaderInfo } from './reader.js';
import { countLineFeeds, DEFAULT_MAX_RECORD_BYTES, isBlankLine, type ScanEngine } from './scanner.js';

/** At most this many malformed records are listed; the count always covers them all. */
export const MAX_LISTED_MALFORMED = 1000;

export interface MalformedRecord {
  /** Line the record starts on (the header is line 1). */
  line: number;
  reason: string;
}

/** What one pass over the records found, besides what the handler did with the valid ones. */
export interface RecordsPass {
  header: HeaderInfo;
  /** Data records (the header and blank lines are not records), malformed ones included. */
  records: number;
  malformedRecords: number;
  /** The first MAX_LISTED_MALFORMED malformed records. */
  malformed: MalformedRecord[];
  malformedTruncated: boolean;
}

/**
 * Streams the data records of an export, parsed: `onHeader` gets the header, `onRecord` every valid record;
 * malformed records (unterminated quote included) are counted and listed with their lines, not handed out.
 */
export async function readPurviewRecords(
  file: string,
  options: { maxRecordBytes?: number; engine?: ScanEngine; onProgress?: CsvProgress },
  onRecord: (record: ParsedRecord, layout: Layout) => void,
  onHeader?: (header: HeaderInfo) => void,
): Promise<RecordsPass> {
  const lines = new LineCounter();
  const malformed: MalformedRecord[] = [];
  let records = 0;
  let malformedCount = 0;
  let layout: Layout | undefined;
  const bad = (line: number, reason: string): void => {
    malformedCount++;
    if (malformed.length < MAX_LISTED_MALFORMED) malformed.push({ line, reason });
  };
  const scan = await scanPurviewFile(
    file,
    options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    {
      ...(options.onProgress ? { progress: options.onProgress } : {}),
      header: (h) => {
        layout = h.layout;
        lines.advance(h.bytes, 0, h.bytes.length);
        onHeader?.(h);
      },
      record: (buf, start, end) => {
        const line = lines.advance(buf, start, end);
        if (isBlankLine(buf, start, end)) return;
        records++;
        const r = readRecord(buf, start, end, layout!);
        if (r.ok) onRecord(r.record, layout!);
        else bad(line, r.reason);
      },
    },
    options.engine,
  );
  if (scan.unterminated) {
    records++;
    bad(lines.next, MALFORMED.unterminated);
  }
  return { header: scan.header, records, malformedRecords: malformedCount, malformed, malformedTruncated: malformedCount > malformed.length };
}

export interface ParsedRecord {
  fields: string[];
  audit: AuditRecord;
  /** CreationDate normalised to ISO 8601 UTC (see parseCreationDate). */
  creationDate: string;
  /** Operation column, or AuditData.Operation when the column is empty. */
  operation: string;
  /** UserId (UserIds) column, or AuditData.UserId when the column is empty. */
  userId: string;
  /** AuditData.Id, or the RecordId column. Empty when neither is there. */
  recordId: string;
}

export type RecordResult = { ok: true; record: ParsedRecord } | { ok: false; reason: string };

/** Why records are malformed; stable words that tests and users can rely on. */
export const MALFORMED = {
  unterminated: 'unterminated quoted field: the file ends inside it',
} as const;

const POWER_APP_ID = 'powerplatform.analytics.resource.power_app.id';

/** Parses one record's bytes (line end included) against the layout. */
export function readRecord(buf: Buffer, start: number, end: number, layout: Layout): RecordResult {
  const text = stripLineEnd(buf.toString('utf8', start, end));
  const parsed = parseFields(text);
  if ('error' in parsed) return { ok: false, reason: parsed.error };
  const fields = parsed.fields;
  if (fields.length !== layout.columns.length) {
    return { ok: false, reason: `has ${fields.length} column${fields.length === 1 ? '' : 's'}, expected ${layout.columns.length}` };
  }
  let audit: unknown;
  const deep = jsonNestingExceeded(fields[layout.auditData]!);
  if (deep) return { ok: false, reason: `AuditData nests deeper than ${MAX_NESTING_DEPTH} levels (at character ${deep.offset + 1}; the limit of every structured input, see docs/limits.md)` };
  try {
    audit = JSON.parse(fields[layout.auditData]!);
  } catch (e) {
    return { ok: false, reason: `AuditData is not JSON (${(e as Error).message})` };
  }
  if (!audit || typeof audit !== 'object' || Array.isArray(audit)) return { ok: false, reason: 'AuditData is not a JSON object' };
  const a = audit as AuditRecord;
  const rawDate = fields[layout.creationDate]!;
  const creationDate = parseCreationDate(rawDate);
  if (!creationDate) {
    return { ok: false, reason: `CreationDate '${rawDate}' is neither M/d/yyyy h:mm:ss AM/PM nor yyyy-MM-ddTHH:mm:ss.fffffffZ` };
  }
  const recordId = text_(a['Id']) || (layout.recordId !== undefined ? fields[layout.recordId]! : '');
  return {
    ok: true,
    record: {
      fields,
      audit: a,
      creationDate,
      operation: fields[layout.operation]! || text_(a['Operation']),
      userId: fields[layout.userId]! || text_(a['UserId']),
      recordId,
    },
  };
}

/** RecordType from AuditData (authoritative), else the RecordType column, else empty. */
export function recordTypeOf(r: ParsedRecord, layout: Layout): string {
  const t = text_(r.audit['RecordType']);
  if (t) return t;
  return layout.recordType !== undefined ? r.fields[layout.recordType]! : '';
}

/**
 * The Power Apps app id of a record, from either format: RecordType 256 records carry it in PropertyCollection
 * (`powerplatform.analytics.resource.power_app.id`), legacy RecordType 45 records in `AppName`.
 */
export function appIdOf(audit: AuditRecord): string | undefined {
  const pc = audit['PropertyCollection'];
  if (Array.isArray(pc)) {
    for (const item of pc as unknown[]) {
      if (item && typeof item === 'object' && (item as { Name?: unknown }).Name === POWER_APP_ID) {
        const v = text_((item as { Value?: unknown }).Value);
        if (v) return v;
      }
    }
  }
  const legacy = text_(audit['AppName']);
  return legacy || undefined;
}

/** Tracks the line each record starts on: records may hold line breaks inside quoted fields. */
export class LineCounter {
  /** The line the next record starts on; the header is line 1. */
  next = 1;
  /** Advances past a record; returns the line it started on. */
  advance(buf: Buffer, start: number, end: number): number {
    const line = this.next;
    this.next += countLineFeeds(buf, start, end);
    return line;
  }
}

function text_(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}
