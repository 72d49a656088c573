// `csv split` benchmark: generates a ~300 MB synthetic Purview export (scripts/gen-purview-csv.mjs, fixed seed)
// into .bench/, then measures in one run:
//   - `coe-audit csv split --rows 50000` against coreutils `split -l 50000` (target <= 3x; split -l cuts records
//     whose AuditData holds a line break, so it is a speed reference, not a correct tool);
//   - the same against a straightforward csv-parse + csv-stringify splitter (target: at least 10x faster);
//   - the peak RSS of the `csv split` process (target < 100 MiB).
// Wall times are the best of 3 runs (the csv-parse splitter: 1 run). CPU time (user + system, from the child's
// own resource usage or /usr/bin/time) is printed too: on a shared machine it is the steadier figure.
// Everything generated is deleted at the end. BENCH_CSV_BYTES overrides the size (for a quick try).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioLine, timeCommand } from './_measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'build', 'cli', 'main.js');
const bytes = Number(process.env.BENCH_CSV_BYTES ?? 300_000_000);
const work = join(root, '.bench', `csv-${process.pid}`);
const file = join(work, 'AuditLog.csv');
const node = process.execPath;
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const fresh = (name) => {
  const d = join(work, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
};

/** Runs argv once: wall ms, and CPU ms and peak RSS KiB when /usr/bin/time is there. */
function measure(argv) {
  if (!gnuTime) return { ...timeCommand(argv), cpuMs: NaN, rssKib: NaN };
  const out = join(work, 'time.txt');
  const r = timeCommand([gnuTime, '-f', '%U %S %M', '-o', out, ...argv]);
  const [user, sys, rss] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { ...r, cpuMs: (user + sys) * 1000, rssKib: rss };
}

function best(runs, fn) {
  let b;
  for (let i = 0; i < runs; i++) {
    const m = fn();
    if (!b || m.ms < b.ms) b = { ...m, cpuMs: Math.min(m.cpuMs, b?.cpuMs ?? Infinity), rssKib: Math.max(m.rssKib, b?.rssKib ?? 0) };
    else b = { ...b, cpuMs: Math.min(m.cpuMs, b.cpuMs), rssKib: Math.max(m.rssKib, b.rssKib) };
  }
  return b;
}

try {
  mkdirSync(work, { recursive: true });
  const gen = timeCommand([node, join(root, 'scripts', 'gen-purview-csv.mjs'), '--bytes', String(bytes), '--seed', '42', '--tricky', '--out', file]);
  const size = statSync(file).size;
  console.log(`generated ${(size / 1e6).toFixed(0)} MB synthetic export in ${(gen.ms / 1000).toFixed(1)} s`);

  const coreutils = best(3, () => measure(['split', '-l', '50000', file, join(fresh('coreutils'), 'x-')]));

  let ourRssKib = 0;
  let summary;
  const ours = best(3, () => {
    const d = fresh('ours');
    const m = measure([node, join(here, '_rss-child.mjs'), cli, 'csv', 'split', file, '--rows', '50000', '--output-directory', d, '--output', 'json']);
    ourRssKib = Math.max(ourRssKib, Number(/maxrss-kib=(\d+)/.exec(m.stderr)?.[1] ?? 0), m.rssKib || 0);
    summary = JSON.parse(m.stdout);
    return m;
  });

  // The fixed cost every coe-audit command pays before reading a byte: starting Node and loading the CLI.
  const startup = best(3, () => measure([node, cli, '--version']));

  const naiveDir = fresh('naive');
  const naive = measure([node, join(here, '_naive-csv-split.mjs'), file, '50000', naiveDir]);
  const naiveParts = readdirSync(naiveDir).length;

  console.log(`records: ${summary.records}, parts: ${summary.parts.length} (csv-parse splitter: ${naiveParts} parts)`);
  console.log(ratioLine('wall: csv split --rows 50000 vs coreutils split -l 50000', ours.ms, coreutils.ms, 3));
  const speedup = naive.ms / ours.ms;
  console.log(
    `wall: csv split --rows 50000 vs csv-parse + csv-stringify splitter: ${ours.ms.toFixed(1)} ms vs ${naive.ms.toFixed(1)} ms = ` +
      `${speedup.toFixed(1)}x faster  (target >= 10x: ${speedup >= 10 ? 'met' : 'NOT met'})`,
  );
  if (gnuTime) {
    console.log(ratioLine('cpu:  csv split --rows 50000 vs coreutils split -l 50000', ours.cpuMs, coreutils.cpuMs));
    console.log(`cpu:  csv split vs csv-parse + csv-stringify splitter: ${ours.cpuMs.toFixed(0)} ms vs ${naive.cpuMs.toFixed(0)} ms = ${(naive.cpuMs / ours.cpuMs).toFixed(1)}x less`);
  }
  console.log(
    `(of csv split's time, starting Node and loading the CLI takes ${startup.ms.toFixed(0)} ms wall` +
      `${gnuTime ? `, ${startup.cpuMs.toFixed(0)} ms CPU` : ''}: measured as \`coe-audit --version\`)`,
  );
  const mib = ourRssKib / 1024;
  console.log(`csv split peak RSS: ${mib.toFixed(1)} MiB  (target < 100 MiB: ${mib < 100 ? 'met' : 'NOT met'})`);
  const load = existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a';
  const version = spawnSync('split', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  console.log(`(${version}; node ${process.version}; load average ${load})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
