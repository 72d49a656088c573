// Shared helpers for the benchmark scripts: wall time of a command, best of N runs, and ratio printing.
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

export function ratioLine(label, subjectMs, baselineMs, target) {
  const ratio = subjectMs / baselineMs;
  const verdict = target === undefined ? '' : ratio <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: NOT met)`;
  return `${label}: ${subjectMs.toFixed(1)} ms vs ${baselineMs.toFixed(1)} ms = ${ratio.toFixed(2)}x${verdict}`;
}
