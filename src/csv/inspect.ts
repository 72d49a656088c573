/**
 * `csv inspect`: what an export holds, in one streaming pass. Memory grows only with the distinct users, apps,
 * operations and record types (sets of strings), and with at most MAX_LISTED_MALFORMED malformed-record entries.
 */
import type { LayoutName } from './layout.js';
import { scanPurviewFile } from './reader.js';
import { appIdOf, LineCounter, MALFORMED, readRecord, recordTypeOf } from './records.js';
import { DEFAULT_MAX_RECORD_BYTES, isBlankLine } from './scanner.js';

/** At most this many malformed records are listed; `malformedRecords` always counts them all. */
export const MAX_LISTED_MALFORMED = 1000;

export interface MalformedRecord {
  /** Line the record starts on (the header is line 1). */
  line: number;
  reason: string;
}

export interface InspectResult {
  file: string;
  layout: LayoutName;
  bom: boolean;
  lineEnd: 'crlf' | 'lf' | 'none';
  /** Data records (the header and blank lines are not records), malformed ones included. */
  records: number;
  validRecords: number;
  malformedRecords: number;
  malformed: MalformedRecord[];
  /** True when more malformed records exist than are listed. */
  malformedTruncated: boolean;
  /** Earliest and latest CreationDate of the valid records, ISO 8601 UTC; null without valid records. */
  dateRange: { first: string; last: string } | null;
  /** Valid records per operation and per record type, keys sorted. */
  operations: Record<string, number>;
  recordTypes: Record<string, number>;
  launchPowerApp: number;
  /** Distinct user ids (compared case-insensitively) and app ids (lower-cased) over the valid records. */
  uniqueUsers: number;
  uniqueApps: number;
}

export interface InspectOptions {
  file: string;
  maxRecordBytes?: number;
}

export async function inspectCsv(options: InspectOptions): Promise<InspectResult> {
  const { file } = options;
  const lines = new LineCounter();
  const operations = new Map<string, number>();
  const recordTypes = new Map<string, number>();
  const users = new Set<string>();
  const apps = new Set<string>();
  const malformed: MalformedRecord[] = [];
  let records = 0;
  let valid = 0;
  let malformedCount = 0;
  let launch = 0;
  let first: string | undefined;
  let last: string | undefined;
  let layout: Parameters<typeof readRecord>[3] | undefined;

  const bad = (line: number, reason: string): void => {
    malformedCount++;
    if (malformed.length < MAX_LISTED_MALFORMED) malformed.push({ line, reason });
  };

  const scan = await scanPurviewFile(file, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, {
    header: (h) => {
      layout = h.layout;
      lines.advance(h.bytes, 0, h.bytes.length);
    },
    record: (buf, start, end) => {
      const line = lines.advance(buf, start, end);
      if (isBlankLine(buf, start, end)) return;
      records++;
      const r = readRecord(buf, start, end, layout!);
      if (!r.ok) {
        bad(line, r.reason);
        return;
      }
      valid++;
      const rec = r.record;
      operations.set(rec.operation, (operations.get(rec.operation) ?? 0) + 1);
      const type = recordTypeOf(rec, layout!);
      recordTypes.set(type, (recordTypes.get(type) ?? 0) + 1);
      if (rec.operation === 'LaunchPowerApp') launch++;
      if (rec.userId) users.add(rec.userId.toLowerCase());
      const app = appIdOf(rec.audit);
      if (app) apps.add(app.toLowerCase());
      if (first === undefined || rec.creationDate < first) first = rec.creationDate;
      if (last === undefined || rec.creationDate > last) last = rec.creationDate;
    },
  });
  if (scan.unterminated) {
    records++;
    bad(lines.next, MALFORMED.unterminated);
  }
  return {
    file,
    layout: scan.header.layout.name,
    bom: scan.header.bom,
    lineEnd: scan.header.lineEnd,
    records,
    validRecords: valid,
    malformedRecords: malformedCount,
    malformed,
    malformedTruncated: malformedCount > malformed.length,
    dateRange: first !== undefined && last !== undefined ? { first, last } : null,
    operations: sortedObject(operations),
    recordTypes: sortedObject(recordTypes),
    launchPowerApp: launch,
    uniqueUsers: users.size,
    uniqueApps: apps.size,
  };
}

function sortedObject(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}
