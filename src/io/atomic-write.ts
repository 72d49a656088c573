import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { faultPoint } from './faults.js';
import { ensureDir, escapeRegExp, processAlive, stageFolder } from './folders.js';

/**
 * Writes one file atomically: a temporary sibling, then rename. The parent directory is created. Temporary files
 * of earlier runs that died before their rename are removed. An unwritable location is a UsageError naming it.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(resolve(path));
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    ensureDir(dir);
    removeStaleTempFiles(dir, basename(path));
    faultPoint('write');
    writeFileSync(tmp, data);
    faultPoint('rename');
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The temporary file could not even be made (for example the parent is a regular file).
    }
    throw unwritable(path, e);
  }
}

/** Removes `.<name>.<pid>.<ms>.tmp` files of processes that no longer run. */
function removeStaleTempFiles(dir: string, name: string): void {
  const re = new RegExp(`^\\.${escapeRegExp(name)}\\.(\\d+)\\.\\d+\\.tmp$`);
  for (const n of readdirSync(dir)) {
    const m = re.exec(n);
    if (m && !processAlive(Number(m[1]))) rmSync(join(dir, n), { force: true });
  }
}

/**
 * Writes a whole folder atomically: every file into a temporary sibling folder, then swapped in (see
 * `stageFolder`). Keys of `files` are relative paths with `/` separators. Nothing is left half-written: on any
 * failure the temporary folder is removed and the previous target (if any) is untouched; what a crashed earlier
 * run left next to the target is put back or removed first.
 */
export function writeTreeAtomic(target: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  let staged: ReturnType<typeof stageFolder> | undefined;
  try {
    staged = stageFolder(target);
    // Folders made (or found) for earlier files: each is checked once, not once per file in it.
    const folders = new Set<string>();
    for (const [rel, data] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const out = safeJoin(staged.path, rel);
      const dir = dirname(out);
      if (!folders.has(dir)) {
        ensureDir(dir);
        folders.add(dir);
      }
      faultPoint('write');
      writeFileSync(out, data);
    }
    staged.commit();
  } catch (e) {
    staged?.abort();
    if (e instanceof UsageError) throw e;
    throw unwritable(target, e);
  }
}

/** Joins a relative path under a root, refusing `..`, absolute and drive-letter paths. */
export function safeJoin(root: string, rel: string): string {
  if (rel.startsWith('/') || rel.startsWith('\\') || /^[A-Za-z]:/.test(rel) || rel.split(/[\\/]/).includes('..')) {
    throw new UsageError(`refusing to write outside the target folder: '${rel}'`);
  }
  const out = resolve(root, rel);
  if (out !== resolve(root) && !out.startsWith(resolve(root) + sep)) {
    throw new UsageError(`refusing to write outside the target folder: '${rel}'`);
  }
  return out;
}

function unwritable(path: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  return new UsageError([{ file: path, message: `cannot write (${code}); choose a writable location with --output-directory` }], { cause: e });
}
