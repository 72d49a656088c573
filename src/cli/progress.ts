import type { CliContext } from './context.js';

/**
 * Progress of a long read on stderr (silenced by --quiet): nothing during the first second, then at most one line
 * a second, `<label>: 42% (10.5 of 25.0 MB)`. Quick runs stay silent; a slow one says it is alive.
 */
export function byteProgress(ctx: CliContext, label: string, now: () => number = Date.now): (done: number, total: number) => void {
  const started = now();
  let last = started;
  return (done, total) => {
    const t = now();
    if (t - last < 1000 || done >= total) return;
    last = t;
    const mb = (n: number) => (n / 1_048_576).toFixed(1);
    ctx.info(`${label}: ${total > 0 ? Math.floor((done / total) * 100) : 100}% (${mb(done)} of ${mb(total)} MB)`);
  };
}
