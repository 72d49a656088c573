/** Reading a Purview export as a stream of records: the shared front of split, inspect and convert. */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { fileSystemError, UsageError } from '../errors.js';
import { CURRENT_LAYOUT, detectLayout, LEGACY_LAYOUT, type Layout } from './layout.js';
import { countLineFeeds, RecordScanner, RecordTooLongError, type RecordHandler, type ScanEngine } from './scanner.js';

/** Bytes read per chunk (by lineAtOffset; the scanner reads SCAN_CHUNK_BYTES). */
const CHUNK_BYTES = 1024 * 1024;

export interface HeaderInfo {
  /** The header record's bytes as in the file: BOM and line end included. */
  bytes: Buffer;
  layout: Layout;
  bom: boolean;
  lineEnd: 'crlf' | 'lf' | 'none';
}

export interface ScanHandlers {
  header: (info: HeaderInfo) => void;
  /** Every record after the header, blank lines included; see RecordHandler. */
  record: RecordHandler;
  /** Called after each chunk, when the views given to `record` are about to go stale. */
  chunkDone?: () => void;
  /** Called after each chunk read with the bytes read so far and the file's size (progress on stderr). */
  progress?: CsvProgress;
}

/** Bytes read so far of a file of `totalBytes` (called once per chunk; the caller decides how often to report). */
export type CsvProgress = (bytesRead: number, totalBytes: number) => void;

export interface ScanResult {
  header: HeaderInfo;
  /** Where the record whose quote is never closed starts (the input ends inside it); handed to no handler. */
  unterminated?: { buf: Buffer; offset: number };
}

/** A file the user named, checked: a missing path or a folder is a UsageError. */
export function checkInputFile(file: string): number {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError([{ file, message: 'is not a file' }]);
    return st.size;
  } catch (e) {
    throw fileSystemError(file, e);
  }
}

/**
 * Streams `file` through the record scanner: the first record is the header (its layout detected, a file that is
 * not an export refused), every later record goes to `handlers.record`. A record over `maxRecordBytes` is a
 * UsageError naming its line.
 */
export async function scanPurviewFile(
  file: string,
  maxRecordBytes: number,
  handlers: ScanHandlers,
  engine: ScanEngine = 'wasm',
): Promise<ScanResult> {
  const totalBytes = checkInputFile(file);
  let readSoFar = 0;
  let header: HeaderInfo | undefined;
  const onRecord: RecordHandler = (buf, start, end, offset) => {
    if (header) {
      handlers.record(buf, start, end, offset);
      return;
    }
    const bytes = Buffer.from(buf.subarray(start, end));
    header = {
      bytes,
      layout: detectLayout(bytes, file),
      bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf,
      lineEnd: bytes[bytes.length - 1] !== 0x0a ? 'none' : bytes[bytes.length - 2] === 0x0d ? 'crlf' : 'lf',
    };
    handlers.header(header);
  };
  const scanner = new RecordScanner(onRecord, maxRecordBytes, engine);
  const commit = (length: number): void => {
    try {
      scanner.commit(length);
      handlers.chunkDone?.();
    } catch (e) {
      // Failures of the handlers (a write that failed) are theirs to report, not a read failure.
      throw e instanceof RecordTooLongError ? e : new HandlerFailure(e);
    }
  };
  try {
    // One buffer, reused for every read (the wasm engine's own memory): no allocation and no copy per chunk. Safe
    // because the scanner copies a record that crosses chunks and handlers are done with their views at chunkDone.
    // Reads are synchronous: a batch tool gains nothing from yielding, and a hop through the thread pool per chunk
    // costs more than the read itself on a busy machine.
    const fd = openSync(file, 'r');
    try {
      const buf = scanner.inputBuffer();
      for (;;) {
        const bytesRead = readSync(fd, buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        commit(bytesRead);
        readSoFar += bytesRead;
        handlers.progress?.(readSoFar, totalBytes);
      }
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (e instanceof RecordTooLongError) {
      const line = await lineAtOffset(file, e.offset);
      throw new UsageError([
        {
          file,
          line,
          message: `the record starting here is longer than ${e.maxRecordBytes} bytes (raise --max-record-bytes, or look for a quote that is never closed)`,
        },
      ]);
    }
    if (e instanceof HandlerFailure) throw e.cause;
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof UsageError || !code) throw e;
    throw fileSystemError(file, e);
  }
  const end = scanner.end();
  let unterminated: ScanResult['unterminated'];
  if (end.tail) {
    if (end.unterminated && header) unterminated = end.tail;
    else onRecord(end.tail.buf, 0, end.tail.buf.length, end.tail.offset);
  }
  if (!header) {
    throw new UsageError([
      {
        file,
        message: `is empty: expected the header '${CURRENT_LAYOUT.columns.join(',')}' (current export) or '${LEGACY_LAYOUT.columns.join(',')}' (classic export)`,
      },
    ]);
  }
  handlers.chunkDone?.();
  return unterminated ? { header, unterminated } : { header };
}

/** The 1-based line on which byte `offset` of `file` lies (for messages about a record found by offset). */
export async function lineAtOffset(file: string, offset: number): Promise<number> {
  let line = 1;
  let pos = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
    const buf = chunk as Buffer;
    const upto = Math.min(buf.length, offset - pos);
    line += countLineFeeds(buf, 0, upto);
    pos += buf.length;
    if (pos >= offset) break;
  }
  return line;
}

class HandlerFailure extends Error {
  constructor(cause: unknown) {
    super('a record handler failed', { cause });
  }
}
