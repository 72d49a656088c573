import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors.js';
import type { CliContext } from './context.js';

/** How messages name standard input. */
export const STDIN_NAME = '<stdin>';

/**
 * `-` as the file of a CSV tool: standard input is copied to a temporary file (the tools read a file twice, for
 * line numbers of malformed records), `run` gets its path, and the file is removed afterwards. Messages and
 * results name it `<stdin>`, not the temporary path. Any other name is passed through unchanged.
 */
export async function withInputFile<T>(ctx: CliContext, file: string, run: (path: string) => Promise<T>): Promise<T> {
  if (file !== '-') return run(file);
  if (!ctx.stdin) throw new UsageError("'-' (standard input) is not available here; give a file");
  const dir = mkdtempSync(join(tmpdir(), 'coe-audit-stdin-'));
  const path = join(dir, 'stdin.csv');
  try {
    await pipeline(ctx.stdin(), createWriteStream(path));
    try {
      return renamed(await run(path), path);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(e.problems.map((p) => (p.file === path ? { ...p, file: STDIN_NAME } : p)), { cause: e });
      throw e;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The result with every string equal to the temporary path named `<stdin>` instead. */
function renamed<T>(value: T, path: string): T {
  if (value === path) return STDIN_NAME as T;
  if (Array.isArray(value)) return value.map((v: unknown) => renamed(v, path)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, path)])) as T;
  return value;
}
