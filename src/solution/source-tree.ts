import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileSystemError, UsageError } from '../errors.js';
import { readUserFile } from '../io/index.js';

/** Relative POSIX paths of the `pac solution unpack` layout → bytes. */
export type SourceTree = Map<string, Uint8Array>;

const MAX_SOURCE_FILE_BYTES = 64 * 1024 * 1024;
const MAX_SOURCE_FILES = 20_000;
/** Deeper than any real layout; stops a symbolic-link loop. */
const MAX_DEPTH = 32;

/** Reads a solution source folder into memory. A missing or unreadable folder is a UsageError naming it. */
export function readSourceTree(folder: string): SourceTree {
  try {
    if (!statSync(folder).isDirectory()) throw new UsageError([{ file: folder, message: 'is not a folder; give the folder that holds Other/Solution.xml' }]);
  } catch (e) {
    throw fileSystemError(folder, e);
  }
  const tree: SourceTree = new Map();
  const walk = (dir: string, rel: string, depth: number) => {
    if (depth > MAX_DEPTH) throw new UsageError([{ file: dir, message: `is nested more than ${MAX_DEPTH} folders deep (a symbolic-link loop?)` }]);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw fileSystemError(dir, e);
    }
    for (const name of names) {
      const abs = join(dir, name);
      const relPath = rel ? `${rel}/${name}` : name;
      let st;
      try {
        st = statSync(abs);
      } catch (e) {
        throw fileSystemError(abs, e);
      }
      if (st.isDirectory()) walk(abs, relPath, depth + 1);
      else if (st.isFile()) {
        if (tree.size >= MAX_SOURCE_FILES) throw new UsageError([{ file: folder, message: `holds more than ${MAX_SOURCE_FILES} files` }]);
        tree.set(relPath, new Uint8Array(readUserFile(abs, MAX_SOURCE_FILE_BYTES)));
      }
    }
  };
  walk(folder, '', 0);
  return tree;
}

/**
 * Order of files as pac enumerates a folder on Windows: per folder, its files and then its subfolders, each
 * case-insensitively alphabetical (ordinal on upper case, as NTFS sorts), ties broken ordinally.
 */
export function compareEnumerationOrder(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] === sb[i]) continue;
    const aIsFile = i === sa.length - 1;
    const bIsFile = i === sb.length - 1;
    if (aIsFile !== bIsFile) return aIsFile ? -1 : 1;
    return compareNames(sa[i]!, sb[i]!);
  }
  return sa.length - sb.length;
}

/** Case-insensitive name order (ordinal on upper case), ties broken ordinally. */
export function compareNames(a: string, b: string): number {
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  if (ua !== ub) return ua < ub ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
