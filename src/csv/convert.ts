import type { CsvProgress } from './reader.js';
/**
 * `csv convert`: either layout to NDJSON of AuditData records, or to the current CSV layout written by
 * toPurviewCsvRow (the format `content pull --out x.csv` writes). Malformed records are reported and skipped.
 *
 * `dedupe` keeps the record ids seen in a Set: memory grows by roughly 100 bytes per distinct record (about
 * 100 MB for a million records), which is why it is not the default.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { LayoutName } from './layout.js';
import { PURVIEW_CSV_HEADER, toPurviewCsvRow } from './purview-row.js';
import { readPurviewRecords, type MalformedRecord } from './records.js';
import type { ScanEngine } from './scanner.js';

export type ConvertTarget = 'ndjson' | 'csv';

export interface ConvertOptions {
  /** Scanner engine; 'wasm' (default) falls back to 'js' where WebAssembly is unavailable. */
  engine?: ScanEngine;
  file: string;
  to: ConvertTarget;
  /** Keep only these operations (case-insensitive); all when empty. */
  operations?: readonly string[];
  /** Drop records whose id (AuditData.Id, else RecordId) was already written. */
  dedupe?: boolean;
  /** Write to this file (atomically) instead of to `write`. */
  out?: string;
  maxRecordBytes?: number;
  /** Progress after each chunk read (bytes so far, file size). */
  onProgress?: CsvProgress;
}

export interface ConvertResult {
  file: string;
  layout: LayoutName;
  to: ConvertTarget;
  /** The output file, when `out` was given. */
  out?: string;
  /** Data records read, malformed ones included. */
  records: number;
  written: number;
  skippedByOperation: number;
  skippedDuplicates: number;
  malformedRecords: number;
  malformed: MalformedRecord[];
  malformedTruncated: boolean;
}

/** Output is handed out in pieces of about this many characters. */
const BATCH_CHARS = 1 << 20;

/**
 * Converts `options.file`. Without `options.out`, output goes to `write` in pieces as it is produced (stdout: on
 * Linux, writes to a pipe or file are synchronous, so memory stays flat).
 */
export async function convertCsv(options: ConvertOptions, write: (text: string) => void): Promise<ConvertResult> {
  const { file, to } = options;
  const wanted = options.operations && options.operations.length > 0 ? new Set(options.operations.map((o) => o.toLowerCase())) : undefined;
  const seen = options.dedupe ? new Set<string>() : undefined;
  let written = 0;
  let byOperation = 0;
  let duplicates = 0;

  let target: { fd: number; tmpDir: string; path: string } | undefined;
  if (options.out) {
    const path = resolve(options.out);
    try {
      mkdirSync(dirname(path), { recursive: true });
      const tmpDir = mkdtempSync(join(dirname(path), `.${basename(path)}.tmp-`));
      target = { fd: openSync(join(tmpDir, basename(path)), 'w'), tmpDir, path };
    } catch (e) {
      throw new UsageError([{ file: options.out, message: `cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)}); choose a writable --out` }]);
    }
  }
  let batch = '';
  const emit = (text: string): void => {
    batch += text;
    if (batch.length >= BATCH_CHARS) flush();
  };
  const flush = (): void => {
    if (!batch) return;
    if (target) writeSync(target.fd, batch);
    else write(batch);
    batch = '';
  };
  try {
    const pass = await readPurviewRecords(
      file,
      options,
      (rec, layout) => {
        if (wanted && !wanted.has(rec.operation.toLowerCase())) {
          byOperation++;
          return;
        }
        if (seen && rec.recordId) {
          if (seen.has(rec.recordId)) {
            duplicates++;
            return;
          }
          seen.add(rec.recordId);
        }
        written++;
        if (to === 'ndjson') {
          emit(JSON.stringify(rec.audit) + '\n');
        } else {
          emit(
            toPurviewCsvRow(rec.audit, {
              associatedAdminUnits: layout.associatedAdminUnits !== undefined ? rec.fields[layout.associatedAdminUnits]! : '',
              associatedAdminUnitsNames: layout.associatedAdminUnitsNames !== undefined ? rec.fields[layout.associatedAdminUnitsNames]! : '',
            }),
          );
        }
      },
      () => {
        if (to === 'csv') emit(PURVIEW_CSV_HEADER);
      },
    );
    flush();
    if (target) {
      closeSync(target.fd);
      target.fd = -1;
      renameSync(join(target.tmpDir, basename(target.path)), target.path);
    }
    const result: ConvertResult = {
      file,
      layout: pass.header.layout.name,
      to,
      records: pass.records,
      written,
      skippedByOperation: byOperation,
      skippedDuplicates: duplicates,
      malformedRecords: pass.malformedRecords,
      malformed: pass.malformed,
      malformedTruncated: pass.malformedTruncated,
    };
    if (target) result.out = options.out!;
    return result;
  } catch (e) {
    if (e instanceof UsageError || !target) throw e;
    throw new UsageError([{ file: options.out!, message: `cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)}); choose a writable --out` }], { cause: e });
  } finally {
    if (target) {
      if (target.fd >= 0) closeSync(target.fd);
      rmSync(target.tmpDir, { recursive: true, force: true });
    }
  }
}
