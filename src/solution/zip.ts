import * as zlib from 'node:zlib';
import { UsageError } from '../errors.js';
import { ContentCache } from './content-cache.js';
import { crc32 } from './crc32.js';

export { crc32 };

/**
 * The zip container, written and read here on top of node:zlib so every header byte is ours to choose:
 * pac's Linux flavour (version made by 0x0314, needed 20, flag 0x0800, deflate for every entry, no extra
 * fields, no data descriptors, external attributes 0, one DOS timestamp) on write; bounded, strict reading.
 */

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** Bounds applied to untrusted zips before anything is inflated. */
export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio accepted for entries over 64 KiB (zip-bomb guard). */
  maxCompressionRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 100,
};

const RATIO_FLOOR_BYTES = 64 * 1024;
const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const FLAG_UTF8 = 0x0800;
/** 1980-01-01 00:00:00, the DOS epoch: the timestamp when none is given, so output stays reproducible. */
export const DOS_EPOCH = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

/** Writes entries in the given order, each deflated (level 6), all with the same timestamp (its UTC fields). */
export function writeZip(entries: readonly ZipEntry[], options: { timestamp?: Date } = {}): Uint8Array {
  if (entries.length > 0xffff) throw new UsageError(`a solution zip holds at most 65535 entries; this one would hold ${entries.length}`);
  const { time, date } = dosDateTime(options.timestamp ?? DOS_EPOCH);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const deflated = deflate(e.data);
    if (offset > 0xffffffff || e.data.length > 0xffffffff) throw new UsageError(`${e.name}: too large for a zip without zip64`);
    // Both headers share the run from "version needed" to "file name length".
    const shared = Buffer.alloc(24);
    shared.writeUInt16LE(20, 0);
    shared.writeUInt16LE(FLAG_UTF8, 2);
    shared.writeUInt16LE(8, 4);
    shared.writeUInt16LE(time, 6);
    shared.writeUInt16LE(date, 8);
    shared.writeUInt32LE(crc, 10);
    shared.writeUInt32LE(deflated.length, 14);
    shared.writeUInt32LE(e.data.length, 18);
    shared.writeUInt16LE(name.length, 22);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    shared.copy(local, 4); // extra length 0
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(SIG_CENTRAL, 0);
    cd.writeUInt16LE(0x0314, 4);
    shared.copy(cd, 6);
    // extra length, comment length, disk, internal attrs, external attrs: all 0
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, deflated);
    central.push(cd, name);
    offset += local.length + name.length + deflated.length;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdSize, 12);
  eocd.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, ...central, eocd]));
}

/**
 * Deflated bytes by input: deflate (level 6) is a function of the bytes alone, and `build` writes the same entries
 * (flows, tables, connector files) into the Unmanaged and Managed zips of every cloud and edition, so each distinct
 * entry is deflated once per process.
 */
const deflateCache = new ContentCache<Buffer>(16 * 1024 * 1024);

function deflate(data: Uint8Array): Buffer {
  let out = deflateCache.get(data);
  if (!out) {
    out = zlib.deflateRawSync(data, { level: 6 });
    deflateCache.set(data, out);
  }
  return out;
}

/**
 * Reads an untrusted zip. Refuses, before inflating anything: zip64, encryption, methods other than stored and
 * deflate, names that are absolute, drive-lettered, contain `..`, `.`, empty segments, backslashes or control
 * characters, symbolic links, duplicate names (also when they differ only in case), a name that is both a file
 * and a folder, local headers that disagree with the central directory (flags, method, CRC, sizes, zip64 or
 * encryption in the local header only), and entries or totals over `limits`. Inflation is capped at the declared
 * size and the CRC is checked. Directory entries are skipped.
 */
export function readZip(bytes: Uint8Array, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (message: string): UsageError => new UsageError([{ file, message: `${message}; refusing to unpack it` }]);
  const eocdAt = findEocd(buf);
  if (eocdAt < 0) throw bad('is not a zip file (no end-of-central-directory record)');
  const count = buf.readUInt16LE(eocdAt + 10);
  const cdSize = buf.readUInt32LE(eocdAt + 12);
  const cdOffset = buf.readUInt32LE(eocdAt + 16);
  if (buf.readUInt16LE(eocdAt + 4) !== 0 || buf.readUInt16LE(eocdAt + 6) !== 0 || buf.readUInt16LE(eocdAt + 8) !== count) {
    throw bad('is a multi-disk zip');
  }
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw bad('is a zip64 archive');
  if (count > limits.maxEntries) throw bad(`has ${count} entries, over the limit of ${limits.maxEntries}`);
  if (cdOffset + cdSize > eocdAt) throw bad('has a central directory outside the file');

  const seen = new Map<string, string>();
  /** Every folder the names imply (lower-cased, as the names are compared), with the name that implies it. */
  const folders = new Map<string, string>();
  const out: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocdAt || buf.readUInt32LE(p) !== SIG_CENTRAL) throw bad(`has a damaged central directory (entry ${i + 1})`);
    const madeBy = buf.readUInt16LE(p + 4);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    const localAt = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen > eocdAt) throw bad(`has a damaged central directory (entry ${i + 1})`);
    const rawName = buf.subarray(p + 46, p + 46 + nameLen);
    const centralExtra = buf.subarray(p + 46 + nameLen, Math.min(p + 46 + nameLen + extraLen, eocdAt));
    p += 46 + nameLen + extraLen + commentLen;
    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(rawName);
    } catch {
      throw bad(`has an entry name that is not UTF-8 (entry ${i + 1})`);
    }
    const shown = JSON.stringify(name);
    const unsafe = unsafeName(name);
    if (unsafe) throw bad(`has an entry ${shown} ${unsafe}`);
    if (flags & 0x0001) throw bad(`has an encrypted entry ${shown}`);
    if (csize === 0xffffffff || usize === 0xffffffff || localAt === 0xffffffff || hasZip64Extra(centralExtra)) throw bad(`has a zip64 entry ${shown}`);
    const segments = name.replace(/\/$/, '').split('/');
    for (let s = 1; s < segments.length; s++) {
      const folder = segments.slice(0, s).join('/').toLowerCase();
      if (!folders.has(folder)) folders.set(folder, name);
    }
    const mode = external >>> 16;
    if (madeBy >> 8 === 3 && (mode & 0o170000) === 0o120000) throw bad(`has a symbolic link ${shown}`);
    if (name.endsWith('/')) {
      if (usize !== 0) throw bad(`has a directory entry with content ${shown}`);
      const folder = name.slice(0, -1).toLowerCase();
      if (!folders.has(folder)) folders.set(folder, name);
      continue;
    }
    if (method !== 0 && method !== 8) throw bad(`has an entry ${shown} with compression method ${method} (only stored and deflate are read)`);
    const key = name.toLowerCase();
    const twin = seen.get(key);
    if (twin !== undefined) throw bad(twin === name ? `has the entry ${shown} twice` : `has entries ${JSON.stringify(twin)} and ${shown} that differ only in case`);
    seen.set(key, name);
    if (usize > limits.maxEntryBytes) throw bad(`has an entry ${shown} of ${usize} bytes, over the per-entry limit of ${limits.maxEntryBytes}`);
    total += usize;
    if (total > limits.maxTotalBytes) throw bad(`expands to more than the limit of ${limits.maxTotalBytes} bytes`);
    if (usize > RATIO_FLOOR_BYTES && usize > csize * limits.maxCompressionRatio) {
      throw bad(`has an entry ${shown} compressed ${Math.floor(usize / Math.max(csize, 1))}:1, over the ratio limit of ${limits.maxCompressionRatio}:1 (a zip bomb?)`);
    }
    if (localAt + 30 > eocdAt || buf.readUInt32LE(localAt) !== SIG_LOCAL) throw bad(`has a damaged local header for ${shown}`);
    const localNameLen = buf.readUInt16LE(localAt + 26);
    const localExtraLen = buf.readUInt16LE(localAt + 28);
    const localName = buf.subarray(localAt + 30, localAt + 30 + localNameLen);
    if (!localName.equals(rawName)) throw bad(`has a local header whose name differs from the central directory for ${shown}`);
    // Other extractors read the local header: any disagreement with the central directory means the zip can
    // unpack differently elsewhere, so it is refused rather than read one way here.
    const localFlags = buf.readUInt16LE(localAt + 6);
    const localCrc = buf.readUInt32LE(localAt + 14);
    const localCsize = buf.readUInt32LE(localAt + 18);
    const localUsize = buf.readUInt32LE(localAt + 22);
    if (localFlags & 0x0001) throw bad(`has an encrypted entry ${shown} (flagged in its local header)`);
    if (localCsize === 0xffffffff || localUsize === 0xffffffff || hasZip64Extra(buf.subarray(localAt + 30 + localNameLen, Math.min(localAt + 30 + localNameLen + localExtraLen, eocdAt)))) {
      throw bad(`has a zip64 entry ${shown} (in its local header)`);
    }
    if (localFlags !== flags) throw bad(`has a local header whose flags (0x${localFlags.toString(16)}) differ from the central directory (0x${flags.toString(16)}) for ${shown}`);
    if (buf.readUInt16LE(localAt + 8) !== method) throw bad(`has a local header whose compression method differs from the central directory for ${shown}`);
    // With a data descriptor (flag bit 3) the local CRC and sizes may be zero; otherwise they must agree.
    const deferred = (flags & 0x0008) !== 0 && localCrc === 0 && localCsize === 0 && localUsize === 0;
    if (!deferred && (localCrc !== crc || localCsize !== csize || localUsize !== usize)) {
      throw bad(`has a local header whose ${localCrc !== crc ? 'CRC' : 'sizes'} differ from the central directory for ${shown}`);
    }
    const dataAt = localAt + 30 + localNameLen + localExtraLen;
    if (dataAt + csize > cdOffset) throw bad(`has entry data for ${shown} that overlaps the central directory`);
    const raw = buf.subarray(dataAt, dataAt + csize);
    let data: Buffer;
    if (method === 0) {
      if (csize !== usize) throw bad(`has a stored entry ${shown} whose sizes disagree`);
      data = Buffer.from(raw);
    } else {
      const entryKey = `${crc}:${usize}`;
      const kept = inflateCache.get(raw, entryKey);
      const known = kept && Buffer.from(kept);
      try {
        data = known ?? zlib.inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) });
      } catch (e) {
        const tooBig = e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        throw bad(tooBig ? `has an entry ${shown} that inflates beyond its declared size` : `has an entry ${shown} that does not inflate (${(e as Error).message})`);
      }
      if (!known && data.length === usize && crc32(data) === crc) inflateCache.set(raw, Buffer.from(data), entryKey);
    }
    if (data.length !== usize) throw bad(`has an entry ${shown} whose size differs from the declared ${usize} bytes`);
    if (crc32(data) !== crc) throw bad(`has an entry ${shown} whose CRC does not match`);
    out.push({ name, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  }
  for (const { name } of out) {
    const implied = folders.get(name.toLowerCase());
    if (implied !== undefined) throw bad(`has ${JSON.stringify(name)} both as a file and as a folder (${JSON.stringify(implied)})`);
  }
  return out;
}

/**
 * Inflated entries by their deflated bytes (and declared CRC and size): `build` unpacks zips that share most entries
 * (every cloud's flows and tables), so each distinct entry is inflated once per process. Only an entry whose size
 * and CRC checked out is kept, and each caller gets its own copy.
 */
const inflateCache = new ContentCache<Buffer>(16 * 1024 * 1024);

/** Whether an extra-field block holds a zip64 extended-information record (header id 0x0001). */
function hasZip64Extra(extra: Buffer): boolean {
  for (let i = 0; i + 4 <= extra.length; ) {
    if (extra.readUInt16LE(i) === 0x0001) return true;
    i += 4 + extra.readUInt16LE(i + 2);
  }
  return false;
}

/** Why an entry name is unsafe to write under a target folder, or undefined when it is fine. */
export function unsafeName(name: string): string | undefined {
  if (name.length === 0) return 'with an empty name';
  if ([...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return 'with a control character in its name';
  if (name.includes('\\')) return 'with a backslash in its name';
  if (name.startsWith('/')) return 'with an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'with a drive-letter path';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.includes('..')) return "with '..' in its path";
  if (segments.some((s) => s === '.' || s === '')) return 'with an empty or "." path segment';
  return undefined;
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === SIG_EOCD && i + 22 + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  return -1;
}

function dosDateTime(d: Date): { time: number; date: number } {
  if (Number.isNaN(d.getTime())) throw new UsageError('the timestamp is not a valid date');
  const year = d.getUTCFullYear();
  if (year < 1980 || year > 2107) throw new UsageError(`the timestamp ${d.toISOString()} is outside the zip range 1980-2107`);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
