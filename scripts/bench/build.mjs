// `coe-audit build` benchmark: the whole process of one full build (all four clouds, both package types) against
// `node -e 0`, paired in the same run, best and median of RUNS (>= 5) rounds (target: median <= 10x). The output
// goes to a temporary folder that is deleted at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paired, pairedLine, RUNS, timeCommand } from './_measure.mjs';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'coe-audit-bench-build-'));
const node = process.execPath;
try {
  let n = 0;
  const p = paired(
    RUNS,
    () => timeCommand([node, cli, 'build', '--cloud', 'all', '--packagetype', 'Both', '--output-directory', join(work, `dist-${n++}`), '--quiet'], { cwd: work }).ms,
    () => timeCommand([node, '-e', '0']).ms,
  );
  console.log(pairedLine('coe-audit build (4 clouds, Unmanaged + Managed) vs node -e 0', p, 10));
} finally {
  rmSync(work, { recursive: true, force: true });
}
