import { readFileSync, statSync } from 'node:fs';
import { fileSystemError, UsageError } from '../errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Default cap for text sources we parse whole (YAML, JSON, XML): far above any real source, far below memory. */
export const MAX_TEXT_SOURCE_BYTES = 32 * 1024 * 1024;

/** Reads a file the user gave us; a missing, oversized or unreadable file is a UsageError naming it. */
export function readUserFile(path: string, maxBytes = MAX_TEXT_SOURCE_BYTES): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError([{ file: path, message: 'is not a file' }]);
    size = st.size;
  } catch (e) {
    throw fileSystemError(path, e);
  }
  if (size > maxBytes) {
    throw new UsageError([{ file: path, message: `is ${size} bytes, over the ${maxBytes}-byte limit for this kind of file` }]);
  }
  try {
    return readFileSync(path);
  } catch (e) {
    // stat can succeed where open fails (EACCES on the file itself).
    throw fileSystemError(path, e);
  }
}

/**
 * Reads a UTF-8 text file strictly: invalid UTF-8 is a UsageError with the line and column of the first bad byte.
 * A leading BOM is dropped.
 */
export function readUtf8File(path: string, maxBytes = MAX_TEXT_SOURCE_BYTES): string {
  return decodeUtf8(readUserFile(path, maxBytes), path);
}

/** Decodes bytes as strict UTF-8 (BOM dropped); `file` names the source in the error. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    const text = decoder.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const at = firstInvalidUtf8Offset(bytes);
    const before = Buffer.from(bytes.subarray(0, at)).toString('latin1');
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new UsageError([{ file, line, column, message: `is not valid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16)} at offset ${at}); save it as UTF-8` }]);
  }
}

function firstInvalidUtf8Offset(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}
