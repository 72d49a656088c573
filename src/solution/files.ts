import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { readUserFile } from '../io/read-file.js';
import { writeFileAtomic, writeTreeAtomic } from '../io/atomic-write.js';
import { managedZipPath, packSolution, type PackageType } from './pack.js';
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
  const tree = readSourceTree(o.folder);
  const types: PackageType[] = o.packageType === 'Both' ? ['Unmanaged', 'Managed'] : [o.packageType];
  // Every zip is built before the first is written: a bad source leaves nothing behind.
  const zips = types.map((packageType) => packSolution(tree, { packageType, timestamp: o.timestamp, origin: o.folder }));
  zips.forEach((zip, i) => writeOrExplain(() => writeFileAtomic(written[i]!, zip), written[i]!, 'choose a writable --zipfile location'));
  return { packer: 'native', written };
}

export interface UnpackFolderResult {
  folder: string;
  files: number;
}

/** Unpacks a zip file into a new or empty folder, whole or not at all (temporary folder, then rename). */
export function unpackToFolder(o: { zipfile: string; folder: string; limits?: Partial<ZipLimits> }): UnpackFolderResult {
  const zip = readUserFile(o.zipfile, MAX_ZIP_FILE_BYTES);
  const tree = unpackSolution(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength), { origin: o.zipfile, limits: o.limits });
  let entries: string[] | undefined;
  try {
    entries = statSync(o.folder).isDirectory() ? readdirSync(o.folder) : undefined;
    if (!entries) throw new UsageError([{ file: o.folder, message: 'exists and is not a folder; choose a new or empty --folder' }]);
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
  if (entries && entries.length > 0) throw new UsageError([{ file: o.folder, message: 'exists and is not empty; choose a new or empty --folder' }]);
  writeOrExplain(() => writeTreeAtomic(o.folder, tree), o.folder, 'choose a writable --folder location');
  return { folder: o.folder, files: tree.size };
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
    throw new UsageError([{ file: path, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }]);
  }
  if (isFolder) return readSourceTree(path);
  const zip = readUserFile(path, MAX_ZIP_FILE_BYTES);
  return unpackSolution(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength), { origin: path });
}
