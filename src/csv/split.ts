import type { CsvProgress } from './reader.js';
/**
 * `csv split`: cuts an export into parts of at most N records (and M bytes), each starting with the source's
 * header line exactly as it is in the source (BOM included when the source has one, so Excel still reads every
 * part as UTF-8). Records are copied byte for byte: the parts' bytes after their headers, concatenated in order,
 * are the source's bytes after its header. Blank lines are not records: they travel with the part being written.
 */
import { closeSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileSystemError, UsageError } from '../errors.js';
import { escapeRegExp, faultPoint, recoverFolder, stageFolder, type StagedFolder } from '../io/index.js';
import type { LayoutName } from './layout.js';
import { lineAtOffset, scanPurviewFile, type HeaderInfo } from './reader.js';
import { DEFAULT_MAX_RECORD_BYTES, isBlankLine, type ScanEngine } from './scanner.js';

export interface SplitOptions {
  /** Scanner engine; 'wasm' (default) falls back to 'js' where WebAssembly is unavailable. */
  engine?: ScanEngine;
  file: string;
  /** Records per part. */
  rows: number;
  /** Bytes per part, header included. */
  maxBytes?: number;
  /** The folder of the parts, replaced whole; default: `<base>-parts` next to the source. */
  outputDirectory?: string;
  maxRecordBytes?: number;
  /** Progress after each chunk read (bytes so far, file size). */
  onProgress?: CsvProgress;
}

export interface SplitPart {
  /** File name inside the output directory. */
  file: string;
  records: number;
  bytes: number;
}

export interface SplitResult {
  file: string;
  layout: LayoutName;
  bom: boolean;
  records: number;
  outputDirectory: string;
  parts: SplitPart[];
  /** Parts of the earlier split in that folder that this split no longer produces (gone with the old folder). */
  removedStaleParts: string[];
}

class RecordTooBigForPart extends Error {
  constructor(
    readonly offset: number,
    readonly size: number,
  ) {
    super('record too big for a part');
  }
}

export function partName(base: string, index: number): string {
  return `${base}-part-${String(index).padStart(4, '0')}.csv`;
}

export async function splitCsv(options: SplitOptions): Promise<SplitResult> {
  const { file, rows, maxBytes } = options;
  const base = basename(file).replace(/\.csv$/i, '');
  const outDir = resolve(options.outputDirectory ?? join(dirname(resolve(file)), `${base}-parts`));
  const partFile = new RegExp(`^${escapeRegExp(base)}-part-\\d{4,}\\.csv$`);
  let previous: string[];
  let staged: StagedFolder;
  try {
    recoverFolder(outDir);
    previous = previousParts(outDir, partFile);
    staged = stageFolder(outDir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError([{ file: outDir, message: `cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)}); choose a writable --output-directory` }]);
  }
  const tmp = staged.path;

  const parts: SplitPart[] = [];
  let header: HeaderInfo | undefined;
  let part: SplitPart | undefined;
  let fd = -1;
  let records = 0;
  // The pending run of records to write: consecutive records of one chunk go out in one write.
  let run: Buffer | undefined;
  let runStart = 0;
  let runEnd = 0;

  const flush = (): void => {
    if (run && runEnd > runStart) writeAll(fd, run, runStart, runEnd);
    run = undefined;
  };
  const closePart = (): void => {
    flush();
    if (fd >= 0) closeSync(fd);
    fd = -1;
  };
  const openPart = (): SplitPart => {
    closePart();
    const p: SplitPart = { file: partName(base, parts.length + 1), records: 0, bytes: header!.bytes.length };
    fd = openSync(join(tmp, p.file), 'w');
    writeAll(fd, header!.bytes, 0, header!.bytes.length);
    parts.push(p);
    return p;
  };

  try {
    const scan = await scanPurviewFile(file, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, {
      ...(options.onProgress ? { progress: options.onProgress } : {}),
      header: (h) => {
        header = h;
      },
      record: (buf, start, end, offset) => {
        const size = end - start;
        const blank = isBlankLine(buf, start, end);
        if (!blank && maxBytes !== undefined && header!.bytes.length + size > maxBytes) throw new RecordTooBigForPart(offset, size);
        if (!part) part = openPart();
        else if (maxBytes !== undefined && part.bytes + size > maxBytes && part.bytes > header!.bytes.length) part = openPart();
        else if (!blank && part.records >= rows) part = openPart();
        if (!blank) {
          part.records++;
          records++;
        }
        part.bytes += size;
        if (run === buf && runEnd === start) {
          runEnd = end;
        } else {
          flush();
          run = buf;
          runStart = start;
          runEnd = end;
        }
      },
      chunkDone: flush,
    }, options.engine);
    closePart();
    if (scan.unterminated) {
      const line = await lineAtOffset(file, scan.unterminated.offset);
      throw new UsageError([
        {
          file,
          line,
          message: 'the record starting here opens a quoted field that is never closed (the file ends inside it); split refuses to cut a file whose quoting is broken: fix or remove that record',
        },
      ]);
    }
    const wanted = new Set(parts.map((p) => p.file));
    const removedStaleParts = previous.filter((f) => !wanted.has(f));
    staged.commit();
    return { file, layout: header!.layout.name, bom: header!.bom, records, outputDirectory: outDir, parts, removedStaleParts };
  } catch (e) {
    if (e instanceof RecordTooBigForPart) {
      const line = await lineAtOffset(file, e.offset);
      throw new UsageError([
        { file, line, message: `this record is ${e.size} bytes: with the ${header!.bytes.length}-byte header it does not fit in --max-bytes ${maxBytes}; raise --max-bytes` },
      ]);
    }
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new UsageError([{ file: outDir, message: `cannot write (${code}); choose a writable --output-directory` }], { cause: e });
    throw e;
  } finally {
    if (fd >= 0) closeSync(fd);
    staged.abort();
  }
}

/**
 * The parts an earlier split left in the folder. The folder is replaced whole, so it must hold nothing else: a
 * folder with other files (or the parts of another export) is refused rather than emptied.
 */
function previousParts(outDir: string, partFile: RegExp): string[] {
  let names: string[];
  try {
    if (!statSync(outDir).isDirectory()) throw new UsageError([{ file: outDir, message: 'exists and is not a folder; choose a folder for the parts with --output-directory' }]);
    names = readdirSync(outDir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw fileSystemError(outDir, e);
  }
  const others = names.filter((n) => !partFile.test(n)).sort();
  if (others.length > 0) {
    throw new UsageError([
      {
        file: outDir,
        message: `holds ${others.length} file(s) that are not parts of this export (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}); the parts folder is replaced whole, so choose a new folder or one holding only these parts with --output-directory`,
      },
    ]);
  }
  return names.sort();
}

function writeAll(fd: number, buf: Buffer, start: number, end: number): void {
  faultPoint('write');
  let pos = start;
  while (pos < end) pos += writeSync(fd, buf, pos, end - pos);
}
