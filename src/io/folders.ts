import { chmodSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { faultPoint } from './faults.js';

/**
 * Creates a folder and its missing parents one level at a time. Unlike `mkdirSync(…, { recursive: true })`, which
 * retries forever on some pseudo file systems (`/proc/nope`), every step is one system call and the number of
 * steps is bounded by the depth of the path. Errors are the file system's own (ENOENT, ENOTDIR, EACCES…).
 * Returns the folders it created, outermost first.
 */
export function ensureDir(dir: string): string[] {
  const missing: string[] = [];
  let cur = resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(cur).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(cur);
      const up = dirname(cur);
      if (up === cur) throw e;
      cur = up;
      continue;
    }
    if (!isDir) throw Object.assign(new Error(`ENOTDIR: not a directory, '${cur}'`), { code: 'ENOTDIR', path: cur });
    break;
  }
  const created: string[] = [];
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
      created.push(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return created;
}

/** Temporary folders this process is filling right now: never stale, whatever their name says. */
const active = new Set<string>();

const stagedName = (base: string) => new RegExp(`^\\.${escapeRegExp(base)}\\.tmp-(\\d+)-[A-Za-z0-9]{6}(\\.old)?$`);

/**
 * Puts back what an earlier run that died while replacing `target` left behind: if the target is missing and the
 * previous complete folder is parked as `.<name>.tmp-<pid>-XXXXXX.old`, it is renamed back; every other staging
 * folder of a process that no longer runs is removed (a new result that never got swapped in is incomplete by
 * definition of the protocol: only the swap makes it the result). Folders of live processes are left alone.
 */
export function recoverFolder(target: string): void {
  const abs = resolve(target);
  const parent = dirname(abs);
  const re = stagedName(basename(abs));
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const stale = names.filter((n) => {
    const m = re.exec(n);
    return m !== null && !active.has(join(parent, n.replace(/\.old$/, ''))) && !processAlive(Number(m[1]));
  });
  for (const n of stale.filter((x) => x.endsWith('.old'))) {
    if (!exists(abs)) renameSync(join(parent, n), abs);
    else rmSync(join(parent, n), { recursive: true, force: true });
  }
  for (const n of stale.filter((x) => !x.endsWith('.old'))) rmSync(join(parent, n), { recursive: true, force: true });
}

/** A new folder being filled next to `target`, published with `commit()` or thrown away with `abort()`. */
export interface StagedFolder {
  /** The temporary folder to fill. */
  readonly path: string;
  /**
   * Publishes the folder. When the target does not exist: one rename. Otherwise the complete previous folder is
   * first parked as `<path>.old` (rename 1), then the new one renamed onto the target (rename 2), then the old one
   * removed. A crash between the two renames leaves the previous complete folder parked; the next run puts it back
   * (`recoverFolder`). At every instant the target is the old complete folder, the new complete one, or absent with
   * the old complete one parked.
   */
  commit(): void;
  abort(): void;
}

/** Starts replacing `target`: recovers what a crashed earlier run left, then makes the sibling staging folder. */
export function stageFolder(target: string): StagedFolder {
  const abs = resolve(target);
  const parent = dirname(abs);
  const createdParents = ensureDir(parent);
  recoverFolder(abs);
  const path = mkdtempSync(join(parent, `.${basename(abs)}.tmp-${process.pid}-`));
  active.add(path);
  // mkdtemp creates 0700; the finished folder gets the permissions a plain mkdir would give it.
  chmodSync(path, 0o777 & ~process.umask());
  let done = false;
  return {
    path,
    commit() {
      if (done) return;
      if (exists(abs)) {
        const old = `${path}.old`;
        faultPoint('rename');
        renameSync(abs, old);
        try {
          faultPoint('rename');
          renameSync(path, abs);
        } catch (e) {
          renameSync(old, abs);
          throw e;
        }
        rmSync(old, { recursive: true, force: true });
      } else {
        faultPoint('rename');
        renameSync(path, abs);
      }
      done = true;
      active.delete(path);
    },
    abort() {
      if (done) return;
      done = true;
      active.delete(path);
      rmSync(path, { recursive: true, force: true });
      // A refused run leaves no empty folders behind: remove the parents this stage created, if still empty.
      for (const d of [...createdParents].reverse()) {
        try {
          rmdirSync(d);
        } catch {
          break;
        }
      }
    },
  };
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether another process with this id runs (our own id counts as not running: our live work is in `active`). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
