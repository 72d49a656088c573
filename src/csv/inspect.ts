import type { CsvProgress } from './reader.js';
/**
 * `csv inspect`: what an export holds, in one streaming pass. Memory grows only with the distinct users, apps,
 * operations and record types (sets of strings), and with at most MAX_LISTED_MALFORMED malformed-record entries.
 */
import type { LayoutName } from './layout.js';
import { appIdOf, readPurviewRecords, recordTypeOf, type MalformedRecord } from './records.js';
import type { ScanEngine } from './scanner.js';

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
  /** Scanner engine; 'wasm' (default) falls back to 'js' where WebAssembly is unavailable. */
  engine?: ScanEngine;
  file: string;
  maxRecordBytes?: number;
  /** Progress after each chunk read (bytes so far, file size). */
  onProgress?: CsvProgress;
}

export async function inspectCsv(options: InspectOptions): Promise<InspectResult> {
  const operations = new Map<string, number>();
  const recordTypes = new Map<string, number>();
  const users = new Set<string>();
  const apps = new Set<string>();
  let valid = 0;
  let launch = 0;
  let first: string | undefined;
  let last: string | undefined;

  const pass = await readPurviewRecords(options.file, options, (rec, layout) => {
    valid++;
    operations.set(rec.operation, (operations.get(rec.operation) ?? 0) + 1);
    const type = recordTypeOf(rec, layout);
    recordTypes.set(type, (recordTypes.get(type) ?? 0) + 1);
    if (rec.operation === 'LaunchPowerApp') launch++;
    if (rec.userId) users.add(rec.userId.toLowerCase());
    const app = appIdOf(rec.audit);
    if (app) apps.add(app.toLowerCase());
    if (first === undefined || rec.creationDate < first) first = rec.creationDate;
    if (last === undefined || rec.creationDate > last) last = rec.creationDate;
  });
  return {
    file: options.file,
    layout: pass.header.layout.name,
    bom: pass.header.bom,
    lineEnd: pass.header.lineEnd,
    records: pass.records,
    validRecords: valid,
    malformedRecords: pass.malformedRecords,
    malformed: pass.malformed,
    malformedTruncated: pass.malformedTruncated,
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
