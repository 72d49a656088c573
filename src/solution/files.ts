import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileSystemError, UsageError } from '../errors.js';
import { readUserFile } from '../io/read-file.js';
import { writeFileAtomic, writeTreeAtomic } from '../io/atomic-write.js';
import { isUnpackedCanvasSource } from './components.js';
import { managedZipPath, packSolutions, type PackageType } from './pack.js';
import { locatePac, pacPackArgs, runPac, type PacLocator, type Spawner } from './pac.js';
import { readSourceTree, type SourceTree } from './source-tree.js';
import { unpackSolution } from './unpack.js';
import type { ZipLimits } from './zip.js';

/** The file-level operations behind `solution pack` and `solution unpack`: read, pack or hand to pac, write atomically. */

export type PackageTypeChoice = PackageType | 'Both';
export type PackerChoice = 'native' | 'pac' | 'auto';
export const PACKAGE_TYPES: readonly PackageTypeChoice[] = ['Unmanaged', 'Managed', 'Both'];
export const PACKERS: readonly PackerChoice[] = ['native', 'pac', 'auto'];
const MAX_ZIP_FILE_BYTES = 1024 * 1024 * 1024;

export interface PackFolderOptions {
  /** Absolute paths. */
  folder: string;
  zipfile: string;
  packageType: PackageTypeChoice;
  packer: PackerChoice;
  /** Entry timestamp for the native packer. */
  timestamp?: Date;
  pac: { locator: PacLocator; spawn: Spawner; cwd: string; onOutput: (text: string) => void };
}

export interface PackFolderResult {
  packer: 'native' | 'pac';
  pacPath?: string;
  /** The zip files written, in order. */
  written: string[];
}

export async function packFolder(o: PackFolderOptions): Promise<PackFolderResult> {
  const written = o.packageType === 'Both' ? [o.zipfile, managedZipPath(o.zipfile)] : [o.zipfile];
  const pacPath = o.packer === 'native' ? undefined : locatePac(o.pac.locator);
  if (o.packer === 'pac' && !pacPath) {
    throw new UsageError(`pac was not found: set POWERPLATFORMTOOLS_PACPATH to its full path or put pac on PATH, or pack with --packer native`);
  }
  if (pacPath) {
    writeOrExplain(() => mkdirSync(dirname(o.zipfile), { recursive: true }), o.zipfile, 'choose a writable --zipfile location');
    await runPac(pacPath, pacPackArgs(o), { cwd: o.pac.cwd, env: o.pac.locator.env, spawn: o.pac.spawn, onOutput: o.pac.onOutput });
    return { packer: 'pac', pacPath, written };
  }
  const tree = readSourceTree(o.folder, { skipFolder: isUnpackedCanvasSource });
  const types: PackageType[] = o.packageType === 'Both' ? ['Unmanaged', 'Managed'] : [o.packageType];
  // Every zip is built before the first is written: a bad source leaves nothing behind.
  const zips = packSolutions(tree, types, { timestamp: o.timestamp, origin: o.folder });
  zips.forEach((zip, i) => writeOrExplain(() => writeFileAtomic(written[i]!, zip), written[i]!, 'choose a writable --zipfile location'));
  return { packer: 'native', written };
}

export interface UnpackFolderOptions {
  zipfile: string;
  folder: string;
  /** pac's --packagetype: Unmanaged (the default) writes <Managed>0</Managed>, Managed 1, Both 2 and reads `<zip>_managed.zip` too. */
  packageType?: PackageTypeChoice;
  /** pac's --allowWrite (default true): false checks and plans everything and writes nothing. */
  allowWrite?: boolean;
  /** pac's --allowDelete (default false): delete files in --folder that the zip does not hold. */
  allowDelete?: boolean;
  /** pac's --clobber (default false): overwrite or delete files marked read-only. */
  clobber?: boolean;
  limits?: Partial<ZipLimits>;
}

export interface UnpackFolderResult {
  folder: string;
  /** Files the zip unpacks to. */
  files: number;
  /** Files written (new or changed), unchanged ones kept, and files deleted (--allowDelete). */
  written: number;
  unchanged: number;
  deleted: number;
  /** True when --allowWrite false: nothing was written or deleted. */
  dryRun: boolean;
}

/**
 * Unpacks a zip file into --folder, as `pac solution unpack` does. A new or empty folder is written whole or not
 * at all (temporary folder, then rename). Into a folder that holds files, each file is written atomically, files
 * with the same content are left alone, a read-only file is refused unless `clobber`, and files the zip does not
 * hold stay unless `allowDelete`. Every check runs before the first write.
 */
export function unpackToFolder(o: UnpackFolderOptions): UnpackFolderResult {
  const packageType = o.packageType ?? 'Unmanaged';
  const read = (path: string) => {
    const zip = readUserFile(path, MAX_ZIP_FILE_BYTES);
    return new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength);
  };
  const managedPath = managedZipPath(o.zipfile);
  if (packageType === 'Both' && !existsSync(managedPath)) {
    throw new UsageError([{ file: managedPath, message: `is missing; --packagetype Both unpacks ${o.zipfile} together with its managed zip beside it` }]);
  }
  const tree = unpackSolution(read(o.zipfile), {
    origin: o.zipfile,
    limits: o.limits,
    packageType,
    ...(packageType === 'Both' ? { managedZip: { zip: read(managedPath), origin: managedPath } } : {}),
  });
  let existing: string[] | undefined;
  try {
    if (!statSync(o.folder).isDirectory()) throw new UsageError([{ file: o.folder, message: 'exists and is not a folder; choose a folder for --folder' }]);
    existing = listFiles(o.folder);
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
  const result = { folder: o.folder, files: tree.size, written: 0, unchanged: 0, deleted: 0, dryRun: o.allowWrite === false };
  if (!existing || existing.length === 0) {
    result.written = tree.size;
    if (!result.dryRun) writeOrExplain(() => writeTreeAtomic(o.folder, tree), o.folder, 'choose a writable --folder location');
    return result;
  }
  const abs = (rel: string) => join(o.folder, ...rel.split('/'));
  const readOnly: string[] = [];
  const toWrite: string[] = [];
  for (const [rel, data] of tree) {
    let current: Buffer | undefined;
    try {
      current = readFileSync(abs(rel));
    } catch {
      current = undefined;
    }
    if (current?.equals(data)) result.unchanged++;
    else {
      toWrite.push(rel);
      if (current && isReadOnly(abs(rel))) readOnly.push(rel);
    }
  }
  const toDelete = o.allowDelete ? existing.filter((rel) => !tree.has(rel)) : [];
  for (const rel of toDelete) if (isReadOnly(abs(rel))) readOnly.push(rel);
  if (readOnly.length > 0 && !o.clobber) {
    throw new UsageError(readOnly.sort().map((rel) => ({ file: abs(rel), message: 'is read-only; unpack with --clobber to overwrite or delete read-only files' })));
  }
  result.written = toWrite.length;
  result.deleted = toDelete.length;
  if (result.dryRun) return result;
  for (const rel of toWrite) {
    if (readOnly.includes(rel)) chmodSync(abs(rel), 0o644);
    writeOrExplain(() => writeFileAtomic(abs(rel), tree.get(rel)!), abs(rel), 'choose a writable --folder location');
  }
  for (const rel of toDelete) writeOrExplain(() => rmSync(abs(rel), { force: true }), abs(rel), 'check the permissions of --folder');
  return result;
}

/** Files under `root`, as relative POSIX paths (symbolic links are not followed). */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), r);
      else out.push(r);
    }
  };
  walk(root, '');
  return out.sort();
}

function isReadOnly(path: string): boolean {
  try {
    return (lstatSync(path).mode & 0o200) === 0;
  } catch {
    return false;
  }
}

function writeOrExplain(write: () => void, path: string, hint: string): void {
  try {
    write();
  } catch (e) {
    if (e instanceof UsageError && !/cannot write/.test(e.message)) throw e;
    const cause = e instanceof UsageError ? e.cause : e;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'error';
    throw new UsageError([{ file: path, message: `cannot write (${code}); ${hint}` }], { cause: e });
  }
}

/** A folder (the source layout) or a zip file (unpacked in memory, unsafe zips refused), as a SourceTree. */
export function readSolutionInput(path: string): SourceTree {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (e) {
    throw fileSystemError(path, e);
  }
  if (isFolder) return readSourceTree(path);
  const zip = readUserFile(path, MAX_ZIP_FILE_BYTES);
  return unpackSolution(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength), { origin: path });
}
