import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { isAbsolute, posix, win32 } from 'node:path';
import { RuntimeError, UsageError } from '../errors.js';

/**
 * The adapter to a real `pac` (Power Platform CLI). It is found through POWERPLATFORMTOOLS_PACPATH (the CI
 * convention of powerplatform-actions), then `pac` / `pac.exe` on PATH; it is run with an argument array (no
 * shell) and its output is passed through line by line. Environment, file checks and the spawn are injected,
 * so only the CLI touches the real process.
 */

export const PAC_PATH_VARIABLE = 'POWERPLATFORMTOOLS_PACPATH';

export interface PacLocator {
  env: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  /** True when `path` is an existing file (and executable where that is checked). */
  isFile?: (path: string) => boolean;
}

/** The pac executable to run, or undefined when there is none. A POWERPLATFORMTOOLS_PACPATH that names nothing is a UsageError. */
export function locatePac(locator: PacLocator): string | undefined {
  const isFile = locator.isFile ?? defaultIsFile;
  const platform = locator.platform ?? process.platform;
  const explicit = locator.env[PAC_PATH_VARIABLE]?.trim();
  if (explicit) {
    if (!isFile(explicit)) throw new UsageError([{ file: explicit, message: `is named by ${PAC_PATH_VARIABLE} but is not an executable file; fix or unset the variable` }]);
    return explicit;
  }
  const pathVar = locator.env.PATH ?? locator.env.Path ?? '';
  const names = platform === 'win32' ? ['pac.exe', 'pac.cmd', 'pac'] : ['pac', 'pac.exe'];
  const paths = platform === 'win32' ? win32 : posix;
  for (const dir of pathVar.split(paths.delimiter)) {
    if (!dir || !paths.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = paths.join(dir, name);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface SpawnResult {
  status: number | null;
  signal?: string | null;
}
/** Runs a program with an argument array; every chunk of its stdout and stderr goes to `onOutput`. */
export type Spawner = (command: string, args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string | undefined>>; onOutput: (text: string) => void }) => Promise<SpawnResult>;

/** The argument array of `pac solution pack`, with absolute paths (what Microsoft's wrappers send). */
export function pacPackArgs(options: { zipfile: string; folder: string; packageType: 'Unmanaged' | 'Managed' | 'Both' }): string[] {
  if (!isAbsolute(options.zipfile) || !isAbsolute(options.folder)) throw new Error('pacPackArgs needs absolute paths');
  return ['solution', 'pack', '--zipfile', options.zipfile, '--folder', options.folder, '--packagetype', options.packageType];
}

/** Runs pac; a failure to start or a non-zero exit is a RuntimeError naming pac and its status. */
export async function runPac(
  pacPath: string,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>>; spawn: Spawner; onOutput: (text: string) => void },
): Promise<void> {
  let result: SpawnResult;
  try {
    result = await options.spawn(pacPath, args, { cwd: options.cwd, env: { ...options.env, PP_TOOLS_AUTOMATION_AGENT: 'coe-audit' }, onOutput: options.onOutput });
  } catch (e) {
    throw new RuntimeError(`could not start pac (${pacPath}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  if (result.status !== 0) {
    throw new RuntimeError(`pac (${pacPath}) ${result.status === null ? `was ended by ${result.signal ?? 'a signal'}` : `exited with status ${result.status}`}; its output is above`);
  }
}

/** The real spawner: node:child_process without a shell. */
export const nodeSpawner: Spawner = (command, args, options) =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    child.stdout.setEncoding('utf8').on('data', options.onOutput);
    child.stderr.setEncoding('utf8').on('data', options.onOutput);
    child.on('error', reject);
    child.on('close', (status, signal) => resolvePromise({ status, signal }));
  });

function defaultIsFile(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && (process.platform === 'win32' || (st.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}
