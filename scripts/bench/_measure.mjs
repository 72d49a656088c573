// Shared helpers for the benchmark scripts: wall time of whole processes, paired runs, best and median, ratios.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Runs argv once and returns { ms, status, stdout, stderr }. */
export function timeCommand(argv, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !options.allowFailure) {
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Best (minimum) wall time of `runs` runs: the least noisy figure on a shared 2-core machine. */
export function bestOf(runs, fn) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, fn());
  return best;
}

/** Best and median of a list of times. */
export function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { best: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, runs: s.length };
}

/**
 * Paired runs: `runs` rounds, each timing the subject then the baseline (each a function returning ms, usually a
 * whole process through timeCommand), so both sides see the same load of a shared machine. One untimed warm-up of
 * each first (file-system cache). Returns best and median of both sides.
 */
export function paired(runs, subject, baseline) {
  subject();
  baseline();
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(subject());
    b.push(baseline());
  }
  return { subject: stats(a), baseline: stats(b) };
}

export const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));

/** `label: median A ms vs B ms = Rx (best: a vs b = rx) (target <= T x on the median: met)`. */
export function pairedLine(label, p, target) {
  const rm = p.subject.median / p.baseline.median;
  const rb = p.subject.best / p.baseline.best;
  const verdict = target === undefined ? '' : `  (target <= ${target}x on the median: ${rm <= target ? 'met' : 'NOT met'})`;
  return `${label}: median ${p.subject.median.toFixed(1)} ms vs ${p.baseline.median.toFixed(1)} ms = ${rm.toFixed(2)}x; best ${p.subject.best.toFixed(1)} vs ${p.baseline.best.toFixed(1)} ms = ${rb.toFixed(2)}x; ${p.subject.runs} paired runs${verdict}`;
}

export function ratioLine(label, subjectMs, baselineMs, target) {
  const ratio = subjectMs / baselineMs;
  const verdict = target === undefined ? '' : ratio <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: NOT met)`;
  return `${label}: ${subjectMs.toFixed(1)} ms vs ${baselineMs.toFixed(1)} ms = ${ratio.toFixed(2)}x${verdict}`;
}
