// Start-up: the whole process of `coe-audit --help` against `node -e 0`, paired in the same run, best and median of
// RUNS (>= 5) rounds (target: median <= 3x).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paired, pairedLine, RUNS, timeCommand } from './_measure.mjs';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'cli', 'main.js');
const node = process.execPath;
const p = paired(RUNS, () => timeCommand([node, cli, '--help']).ms, () => timeCommand([node, '-e', '0']).ms);
console.log(pairedLine('coe-audit --help vs node -e 0', p, 3));
const q = paired(RUNS, () => timeCommand([node, cli, 'build', '--help']).ms, () => timeCommand([node, '-e', '0']).ms);
console.log(pairedLine('coe-audit build --help vs node -e 0', q));
