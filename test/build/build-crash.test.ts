import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sameTree, snapshot } from '../helpers/folders.js';
import { runBuiltCli } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'coe-audit-build-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const build = (out: string, timestamp: string, crashAt?: string) =>
  runBuiltCli(['build', '--cloud', 'commercial', '--output-directory', out, '--timestamp', timestamp], {
    cwd: work,
    ...(crashAt ? { env: { COE_AUDIT_TEST_CRASH_AT: crashAt } } : {}),
  });

describe('build killed between the renames of a cloud folder (COE_AUDIT_TEST_CRASH_AT)', () => {
  it('keeps the previous complete folder, and the next run puts it back and leaves no hidden folder', async () => {
    const ref = join(work, 'ref');
    expect((await build(join(ref, 'old'), '2020-01-01T00:00:00Z')).status).toBe(0);
    expect((await build(join(ref, 'new'), '2021-01-01T00:00:00Z')).status).toBe(0);
    const oldSet = snapshot(join(ref, 'old', 'commercial'));
    const newSet = snapshot(join(ref, 'new', 'commercial'));
    expect(sameTree(oldSet, newSet)).toBe(false);

    for (const k of [1, 2]) {
      const out = mkdtempSync(join(work, `k${k}-`));
      expect((await build(out, '2020-01-01T00:00:00Z')).status).toBe(0);
      const r = await build(out, '2021-01-01T00:00:00Z', `rename:${k}`);
      expect(r.status).not.toBe(0);
      expect(r.status).not.toBe(2);
      const visible = snapshot(join(out, 'commercial'));
      if (k === 2) {
        // Between the two renames: the target is absent, the previous complete folder parked beside it.
        expect(visible).toBeUndefined();
        const parked = readdirSync(out).filter((n) => n.endsWith('.old'));
        expect(parked).toHaveLength(1);
        expect(sameTree(snapshot(join(out, parked[0]!)), oldSet)).toBe(true);
      } else {
        expect(sameTree(visible, oldSet)).toBe(true);
      }
      // A later `build --check` does not write; a later build puts back / cleans up, then replaces.
      const next = await build(out, '2021-01-01T00:00:00Z');
      expect(next.status, next.stderr).toBe(0);
      expect(readdirSync(out)).toEqual(['commercial']);
      expect(sameTree(snapshot(join(out, 'commercial')), newSet)).toBe(true);
    }
  });
});
