// `coe-audit build` benchmark: the wall time of one full build (all four clouds, every package type the build
// produces) as a ratio to `node -e 0` measured in the same run (target <= 15x). One run of each, as the issue
// asks; the output goes to a temporary folder under .bench/ that is deleted at the end.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioLine, timeCommand } from './_measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'build', 'cli', 'main.js');
const work = join(root, '.bench', `build-${process.pid}`);
const node = process.execPath;

try {
  mkdirSync(work, { recursive: true });
  const baseline = timeCommand([node, '-e', '0']).ms;
  const build = timeCommand([node, cli, 'build', '--cloud', 'all', '--output-directory', join(work, 'dist'), '--quiet'], { cwd: work }).ms;
  console.log(ratioLine('coe-audit build (4 clouds) vs node -e 0', build, baseline, 15));
} finally {
  rmSync(work, { recursive: true, force: true });
}
