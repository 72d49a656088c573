import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Writes one file atomically: a temporary sibling, then rename. The parent directory is created.
 * An unwritable location is a UsageError naming it.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(resolve(path));
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, data);
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

/**
 * Writes a whole folder atomically: every file into a temporary sibling folder, then the target is replaced
 * by a rename. Keys of `files` are relative paths with `/` separators. Nothing is left half-written: on any
 * failure the temporary folder is removed and the previous target (if any) is untouched.
 */
export function writeTreeAtomic(target: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  const abs = resolve(target);
  const parent = dirname(abs);
  let tmp: string | undefined;
  try {
    mkdirSync(parent, { recursive: true });
    tmp = mkdtempSync(join(parent, `.${basename(abs)}.tmp-`));
    // mkdtemp creates 0700; the finished folder gets the permissions a plain mkdir would give it.
    chmodSync(tmp, 0o777 & ~process.umask());
    // Each folder is made once (a tree of hundreds of files has a few dozen folders).
    const made = new Set<string>([tmp]);
    for (const [rel, data] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const out = safeJoin(tmp, rel);
      const dir = dirname(out);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(out, data);
    }
    if (existsSync(abs)) {
      const old = `${tmp}.old`;
      renameSync(abs, old);
      try {
        renameSync(tmp, abs);
      } catch (e) {
        renameSync(old, abs);
        throw e;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, abs);
    }
    tmp = undefined;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw unwritable(target, e);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
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
