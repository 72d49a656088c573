/**
 * The record scanner: finds RFC 4180 record boundaries in a stream of byte chunks without decoding text or
 * building rows. A record ends at an LF outside quotes; quote state toggles on every `"` (a doubled `""`
 * toggles twice). Two engines apply that one rule: WebAssembly SIMD (scan.wat: 16 bytes at a time, prefix XOR of
 * the quote mask), the default and about five times faster, and a JavaScript one that jumps from one `"` or LF
 * to the next with Buffer.indexOf (memchr), used where WebAssembly is unavailable and as the reference in tests.
 *
 * Memory is flat: a record that lies wholly in one chunk is handed out as a view of that chunk; only a record
 * that crosses chunks is copied, and such a record is refused past `maxRecordBytes`.
 */

import { SCAN_WASM_BASE64 } from './scan-wasm.js';

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

/** How record ends are found: WebAssembly SIMD (scan.wat, the default) or the JavaScript indexOf scanner. */
export type ScanEngine = 'wasm' | 'js';

/** Bytes the scanner takes per chunk; the wasm engine reads them straight into its memory. */
export const SCAN_CHUNK_BYTES = 1024 * 1024;

// The slice of the WebAssembly API used here (lib ES2023 and @types/node 20 do not declare it).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  readonly value: number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface WasmScan {
  input: Buffer;
  ends: Int32Array;
  scan: (p: number, len: number, out: number) => number;
  inQuote: WasmGlobal;
}

let wasmModule: object | null | undefined;

/** One instance per scanner (its memory holds the chunk and the record ends); null when WebAssembly is unavailable. */
function instantiateWasm(capacity: number): WasmScan | null {
  if (wasmModule === undefined) {
    try {
      wasmModule = new WebAssembly.Module(Buffer.from(SCAN_WASM_BASE64, 'base64'));
    } catch {
      wasmModule = null;
    }
  }
  if (!wasmModule) return null;
  const exports = new WebAssembly.Instance(wasmModule).exports as { memory: WasmMemory; scan: WasmScan['scan']; inQuote: WasmGlobal };
  // Memory: the chunk, then one i32 per possible record end. Grown once, here, so views never detach.
  const need = capacity * 5;
  const have = exports.memory.buffer.byteLength;
  if (need > have) exports.memory.grow(Math.ceil((need - have) / 65536));
  return {
    input: Buffer.from(exports.memory.buffer, 0, capacity),
    ends: new Int32Array(exports.memory.buffer, capacity, capacity),
    scan: exports.scan,
    inQuote: exports.inQuote,
  };
}

export class RecordScanner {
  private inQuote = false;
  /** Pieces of a record that started in an earlier chunk. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** File offset of the first byte of the current chunk. */
  private chunkOffset = 0;
  private readonly wasm: WasmScan | null;
  private ownInput: Buffer | undefined;

  constructor(
    private readonly onRecord: RecordHandler,
    private readonly maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES,
    engine: ScanEngine = 'wasm',
  ) {
    this.wasm = engine === 'wasm' ? instantiateWasm(SCAN_CHUNK_BYTES) : null;
  }

  /** The engine in use: 'js' when WebAssembly was asked for but is unavailable. */
  get engine(): ScanEngine {
    return this.wasm ? 'wasm' : 'js';
  }

  /**
   * A buffer of SCAN_CHUNK_BYTES to read the next chunk into, then hand to `commit`: the wasm engine's own memory,
   * so reading costs no copy.
   */
  inputBuffer(): Buffer {
    if (this.wasm) return this.wasm.input;
    this.ownInput ??= Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
    return this.ownInput;
  }

  /** Scans the first `length` bytes of `inputBuffer()`. */
  commit(length: number): void {
    const input = this.inputBuffer().subarray(0, length);
    if (this.wasm) this.scanWasm(input);
    else this.scanJs(input);
  }

  /** Scans one chunk of any size, calling the handler for every record that ends in it. */
  push(chunk: Buffer): void {
    if (!this.wasm) {
      this.scanJs(chunk);
      return;
    }
    for (let i = 0; i < chunk.length; i += SCAN_CHUNK_BYTES) {
      const piece = chunk.subarray(i, i + SCAN_CHUNK_BYTES);
      piece.copy(this.wasm.input);
      this.scanWasm(this.wasm.input.subarray(0, piece.length));
    }
  }

  /** Ends the input: returns the unterminated tail, if any. */
  end(): ScanEnd {
    if (this.carryBytes === 0) return { unterminated: false };
    const buf = Buffer.concat(this.carry, this.carryBytes);
    const offset = this.chunkOffset - this.carryBytes;
    this.carry = [];
    this.carryBytes = 0;
    return { tail: { buf, offset }, unterminated: this.wasm ? this.wasm.inQuote.value === 1 : this.inQuote };
  }

  private scanWasm(chunk: Buffer): void {
    const wasm = this.wasm!;
    const n = wasm.scan(0, chunk.length, SCAN_CHUNK_BYTES);
    const ends = wasm.ends;
    let recStart = 0;
    for (let k = 0; k < n; k++) {
      const end = ends[k]! + 1;
      this.emit(chunk, recStart, end);
      recStart = end;
    }
    this.keepTail(chunk, recStart);
  }

  private scanJs(chunk: Buffer): void {
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
        this.emit(chunk, recStart, end);
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
    this.keepTail(chunk, recStart);
  }

  /** Hands out the record `chunk[start, end)`, joined to the carried start of it if there is one. */
  private emit(chunk: Buffer, start: number, end: number): void {
    if (this.carryBytes === 0) {
      if (end - start > this.maxRecordBytes) throw new RecordTooLongError(this.chunkOffset + start, this.maxRecordBytes);
      this.onRecord(chunk, start, end, this.chunkOffset + start);
      return;
    }
    const total = this.carryBytes + end;
    const offset = this.chunkOffset - this.carryBytes;
    if (total > this.maxRecordBytes) throw new RecordTooLongError(offset, this.maxRecordBytes);
    this.carry.push(chunk.subarray(0, end));
    const buf = Buffer.concat(this.carry, total);
    this.carry = [];
    this.carryBytes = 0;
    this.onRecord(buf, 0, total, offset);
  }

  /** Keeps (a copy of) the bytes after the last record end for the next chunk; advances the file offset. */
  private keepTail(chunk: Buffer, recStart: number): void {
    const len = chunk.length;
    if (recStart < len) {
      const piece = chunk.subarray(recStart);
      const startOffset = this.chunkOffset + recStart - this.carryBytes;
      this.carryBytes += piece.length;
      if (this.carryBytes > this.maxRecordBytes) throw new RecordTooLongError(startOffset, this.maxRecordBytes);
      // Copy: the chunk's memory is reused for the next read.
      this.carry.push(Buffer.from(piece));
    }
    this.chunkOffset += len;
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
