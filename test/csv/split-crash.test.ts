import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitCsv } from '../../src/csv/index.js';
import { recoverFolder } from '../../src/io/index.js';
import { sameTree, snapshot } from '../helpers/folders.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { CURRENT_HEADER, currentRow, launch256 } from './helpers.js';
import { writeFileSync } from 'node:fs';

const work = mkdtempSync(join(tmpdir(), 'coe-audit-split-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const source = CURRENT_HEADER + '\r\n' + Array.from({ length: 9 }, (_, i) => currentRow(launch256(`id-${i}`, `u${i}@contoso.com`, 'app'), '9/20/2023 4:05:03 AM', '\r\n', '')).join('');

/**
 * Kills `csv split` (SIGKILL through COE_AUDIT_TEST_CRASH_AT) at every rename and every write of a split that
 * replaces an earlier one. Whatever the step, the parts folder is the old complete set or the new complete set;
 * at most, between the two renames of the swap, the old complete set is parked and the next run puts it back.
 */
describe('csv split killed at each step (COE_AUDIT_TEST_CRASH_AT)', () => {
  for (const op of ['rename', 'write'] as const) {
    it(`leaves the old or the new complete set when killed at each ${op}`, async () => {
      const ref = mkdtempSync(join(work, 'ref-'));
      const file = join(ref, 'AuditLog.csv');
      writeFileSync(file, source);
      await splitCsv({ file, rows: 3, outputDirectory: join(ref, 'old') });
      await splitCsv({ file, rows: 2, outputDirectory: join(ref, 'new') });
      const oldSet = snapshot(join(ref, 'old'))!;
      const newSet = snapshot(join(ref, 'new'))!;
      expect(oldSet.size).toBe(3);
      expect(newSet.size).toBe(5);

      let killed = 0;
      for (let k = 1; k <= 40; k++) {
        const dir = mkdtempSync(join(work, `${op}-${k}-`));
        const out = join(dir, 'parts');
        await splitCsv({ file, rows: 3, outputDirectory: out });
        const r = await runBuiltCli(['csv', 'split', file, '--rows', '2', '--output-directory', out], { env: { COE_AUDIT_TEST_CRASH_AT: `${op}:${k}` } });
        const visible = snapshot(out);
        if (r.status === 0) {
          // The run got past its last fault point of this kind: it must have produced the new set.
          expect(sameTree(visible, newSet)).toBe(true);
          break;
        }
        killed++;
        expect(r.status, r.stderr).not.toBe(2);
        if (!sameTree(visible, oldSet) && !sameTree(visible, newSet)) {
          // Only possible between the two renames of the swap: nothing visible, the old set parked.
          expect(visible).toBeUndefined();
          const parked = readdirSync(dir).filter((n) => n.endsWith('.old'));
          expect(parked).toHaveLength(1);
          expect(sameTree(snapshot(join(dir, parked[0]!)), oldSet)).toBe(true);
        }
        // The next run (here: its first step) puts the old set back or removes the incomplete staging folder.
        recoverFolder(out);
        const after = snapshot(out);
        expect(sameTree(after, oldSet) || sameTree(after, newSet)).toBe(true);
        expect(readdirSync(dir)).toEqual(['parts']);
      }
      // Every fault point of the run was tried: renames are the two of the swap; writes one per part at least.
      expect(killed).toBeGreaterThanOrEqual(op === 'rename' ? 2 : 5);
    });
  }

  it('a later successful split cleans what a killed one left', async () => {
    const dir = mkdtempSync(join(work, 'later-'));
    const file = join(dir, 'AuditLog.csv');
    writeFileSync(file, source);
    const out = join(dir, 'parts');
    await splitCsv({ file, rows: 3, outputDirectory: out });
    const r = await runBuiltCli(['csv', 'split', file, '--rows', '2', '--output-directory', out], { env: { COE_AUDIT_TEST_CRASH_AT: 'rename:2' } });
    expect(r.status).not.toBe(0);
    expect(readdirSync(dir).filter((n) => n.startsWith('.')).length).toBe(2);
    const ok = await runBuiltCli(['csv', 'split', file, '--rows', '4', '--output-directory', out]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['AuditLog.csv', 'parts']);
    expect(readdirSync(out)).toHaveLength(3);
  });
});
