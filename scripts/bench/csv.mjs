// `csv split` benchmark: generates a ~300 MB synthetic Purview export (scripts/gen-purview-csv.mjs, fixed seed)
// into .bench/, then measures in one run:
//   - `coe-audit csv split --rows 50000` against coreutils `split -l 50000` (target <= 3x; split -l cuts records
//     whose AuditData holds a line break, so it is a speed reference, not a correct tool);
//   - the same against a straightforward csv-parse + csv-stringify splitter (target: at least 10x faster);
//   - the peak RSS of the `csv split` process (target < 100 MiB).
// Everything generated is deleted at the end. BENCH_CSV_BYTES overrides the size (for a quick try).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bestOf, ratioLine, timeCommand } from './_measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'build', 'cli', 'main.js');
const bytes = Number(process.env.BENCH_CSV_BYTES ?? 300_000_000);
const work = join(root, '.bench', `csv-${process.pid}`);
const file = join(work, 'AuditLog.csv');
const node = process.execPath;

const fresh = (name) => {
  const d = join(work, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
};

try {
  mkdirSync(work, { recursive: true });
  const gen = timeCommand([node, join(root, 'scripts', 'gen-purview-csv.mjs'), '--bytes', String(bytes), '--seed', '42', '--tricky', '--out', file]);
  const size = statSync(file).size;
  console.log(`generated ${(size / 1e6).toFixed(0)} MB synthetic export in ${(gen.ms / 1000).toFixed(1)} s`);

  // coreutils split -l: best of 3.
  const coreutils = bestOf(3, () => {
    const d = fresh('coreutils');
    return timeCommand(['split', '-l', '50000', file, join(d, 'x-')]).ms;
  });

  // coe-audit csv split: best of 3, peak RSS of the run measured from inside the process.
  let maxRssKib = 0;
  let summary;
  const ours = bestOf(3, () => {
    const d = fresh('ours');
    const r = timeCommand([node, join(here, '_rss-child.mjs'), cli, 'csv', 'split', file, '--rows', '50000', '--output-directory', d, '--output', 'json']);
    maxRssKib = Math.max(maxRssKib, Number(/maxrss-kib=(\d+)/.exec(r.stderr)?.[1] ?? 0));
    summary = JSON.parse(r.stdout);
    return r.ms;
  });

  // The csv-parse + csv-stringify splitter: one run (it is the slow one).
  const naiveDir = fresh('naive');
  const naive = timeCommand([node, join(here, '_naive-csv-split.mjs'), file, '50000', naiveDir]).ms;
  const naiveParts = readdirSync(naiveDir).length;

  console.log(`records: ${summary.records}, parts: ${summary.parts.length} (csv-parse splitter: ${naiveParts} parts)`);
  console.log(ratioLine('csv split --rows 50000 vs coreutils split -l 50000', ours, coreutils, 3));
  const speedup = naive / ours;
  console.log(
    `csv split --rows 50000 vs csv-parse + csv-stringify splitter: ${ours.toFixed(1)} ms vs ${naive.toFixed(1)} ms = ${speedup.toFixed(1)}x faster` +
      `  (target >= 10x: ${speedup >= 10 ? 'met' : 'NOT met'})`,
  );
  const mib = maxRssKib / 1024;
  console.log(`csv split peak RSS: ${mib.toFixed(1)} MiB  (target < 100 MiB: ${mib < 100 ? 'met' : 'NOT met'})`);
  const split = spawnSync('split', ['--version'], { encoding: 'utf8' });
  console.log(`(${split.stdout.split('\n')[0]}; node ${process.version})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
