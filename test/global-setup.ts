import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The test run gets a temporary directory of its own (TMPDIR, TMP and TEMP point into it, for the test workers
 * and every CLI they spawn), so what a test leaves behind is found even on a machine others share: at the end,
 * anything left in it fails the run with the names, and the directory is removed.
 */
export default function setup(): () => void {
  const outer = tmpdir();
  const root = mkdtempSync(join(outer, 'coe-audit-test-run-'));
  const saved = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
  process.env.TMPDIR = process.env.TMP = process.env.TEMP = root;
  return () => {
    const left = readdirSync(root);
    rmSync(root, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (left.length > 0) {
      // Thrown errors of a teardown are printed but do not change vitest's exit status: set it too.
      process.exitCode = 1;
      throw new Error(`the tests left ${left.length} entries in the temporary directory (each test must remove what it creates, with test/helpers/temp-dir.ts): ${left.sort().join(', ')}`);
    }
  };
}
