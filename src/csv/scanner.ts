/**
 * The record scanner: finds RFC 4180 record boundaries in a stream of byte chunks without decoding text or
 * building rows. A record ends at an LF outside quotes; quote state toggles on every `"` (a doubled `""`
 * toggles twice). Scanning jumps from one `"` or LF to the next with Buffer.indexOf (memchr), so bytes between
 * them are never looked at from JavaScript.
 *
 * Memory is flat: a record that lies wholly in one chunk is handed out as a view of that chunk; only a record
 * that crosses chunks is copied, and such a record is refused past `maxRecordBytes`.
 */

const QUOTE = 0x22;
const LF = 0x0a;

/** Default cap on one record, terminator included. Real Purview records are a few KiB. */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Receives each record as `buf[start, end)`, terminator (LF or CRLF) included when present. `offset` is the
 * byte offset of the record in the file. The view is valid only during the call and until the chunk ends.
 */
export type RecordHandler = (buf: Buffer, start: number, end: number, offset: number) => void;

/** Why scanning stopped: a record longer than the cap. `offset` is where that record starts in the file. */
export class RecordTooLongError extends Error {
  constructor(
    readonly offset: number,
    readonly maxRecordBytes: number,
  ) {
    super(`a record is longer than ${maxRecordBytes} bytes`);
    this.name = 'RecordTooLongError';
  }
}

/** The end of the input: the last record when it has no line end, and whether it ends inside quotes. */
export interface ScanEnd {
  /** The bytes after the last line end, if any, and where they start. */
  tail?: { buf: Buffer; offset: number };
  /** True when the input ends inside a quoted field: `tail` starts a record whose quote is never closed. */
  unterminated: boolean;
}

export class RecordScanner {
  private inQuote = false;
  /** Pieces of a record that started in an earlier chunk. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** File offset of the first byte of the current chunk. */
  private chunkOffset = 0;

  constructor(
    private readonly onRecord: RecordHandler,
    private readonly maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES,
  ) {}

  /** Scans one chunk, calling the handler for every record that ends in it. */
  push(chunk: Buffer): void {
    const len = chunk.length;
    let i = 0;
    let recStart = 0;
    let inQuote = this.inQuote;
    let nextQuote = -2;
    let nextLf = -2;
    while (i < len) {
      if (inQuote) {
        const q = chunk.indexOf(QUOTE, i);
        if (q < 0) {
          i = len;
          break;
        }
        if (q + 1 < len && chunk[q + 1] === QUOTE) {
          i = q + 2; // a doubled quote: still inside the field
          continue;
        }
        inQuote = false;
        i = q + 1;
        continue;
      }
      if (nextQuote !== -1 && nextQuote < i) nextQuote = chunk.indexOf(QUOTE, i);
      if (nextLf !== -1 && nextLf < i) nextLf = chunk.indexOf(LF, i);
      if (nextLf >= 0 && (nextQuote < 0 || nextLf < nextQuote)) {
        const end = nextLf + 1;
        if (this.carryBytes > 0) {
          this.emitCarried(chunk, end);
        } else {
          if (end - recStart > this.maxRecordBytes) throw new RecordTooLongError(this.chunkOffset + recStart, this.maxRecordBytes);
          this.onRecord(chunk, recStart, end, this.chunkOffset + recStart);
        }
        recStart = end;
        i = end;
        continue;
      }
      if (nextQuote >= 0) {
        inQuote = true;
        i = nextQuote + 1;
        continue;
      }
      break; // no LF and no quote left: the rest is the start of a record
    }
    this.inQuote = inQuote;
    if (recStart < len) {
      const piece = chunk.subarray(recStart);
      const startOffset = this.chunkOffset + recStart - this.carryBytes;
      this.carryBytes += piece.length;
      if (this.carryBytes > this.maxRecordBytes) throw new RecordTooLongError(startOffset, this.maxRecordBytes);
      // Copy: the chunk's memory must not be pinned by a long-lived view.
      this.carry.push(Buffer.from(piece));
    }
    this.chunkOffset += len;
  }

  /** Ends the input: returns the unterminated tail, if any. */
  end(): ScanEnd {
    if (this.carryBytes === 0) return { unterminated: false };
    const buf = Buffer.concat(this.carry, this.carryBytes);
    const offset = this.chunkOffset - this.carryBytes;
    this.carry = [];
    this.carryBytes = 0;
    return { tail: { buf, offset }, unterminated: this.inQuote };
  }

  private emitCarried(chunk: Buffer, end: number): void {
    const total = this.carryBytes + end;
    const offset = this.chunkOffset - this.carryBytes;
    if (total > this.maxRecordBytes) throw new RecordTooLongError(offset, this.maxRecordBytes);
    this.carry.push(chunk.subarray(0, end));
    const buf = Buffer.concat(this.carry, total);
    this.carry = [];
    this.carryBytes = 0;
    this.onRecord(buf, 0, total, offset);
  }
}

/** Number of LF bytes in `buf[start, end)`. */
export function countLineFeeds(buf: Buffer, start: number, end: number): number {
  let n = 0;
  let i = buf.indexOf(LF, start);
  while (i >= 0 && i < end) {
    n++;
    i = buf.indexOf(LF, i + 1);
  }
  return n;
}

/** A line with nothing on it (LF, CRLF or a lone CR at the end of the input): not a record. */
export function isBlankLine(buf: Buffer, start: number, end: number): boolean {
  const size = end - start;
  if (size === 1) return buf[start] === LF || buf[start] === 0x0d;
  return size === 2 && buf[start] === 0x0d && buf[start + 1] === LF;
}
