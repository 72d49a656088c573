import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * The one helper for temporary folders in tests: `makeTempDir()` makes a new empty folder under os.tmpdir(),
 * and every folder it made is removed after the tests of the file that imported it (this module is evaluated
 * once per test file, so the hook below belongs to that file). test/global-setup.ts checks nothing is left.
 */
const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function makeTempDir(label = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `coe-audit-${label}-`));
  made.push(dir);
  return dir;
}
