// flow simulate --events 100000: wall time of the whole simulation (built CLI, in its own process) and, from an
// in-process run with timing accumulators, how that time splits: emulator start-up and data generation, the
// runs, and within the runs the HTTP wait (loopback + the in-process emulator) versus the interpreter itself.
// Usage: node scripts/bench/flow.mjs [events] [hours]
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeCommand } from './_measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const events = Number(process.argv[2] ?? 100000);
const hours = Number(process.argv[3] ?? 24);
const cli = join(root, 'build', 'cli', 'main.js');

const wall = timeCommand([process.execPath, cli, 'flow', 'simulate', '--events', String(events), '--hours', String(hours), '--output', 'json', '--quiet']);
const summary = JSON.parse(wall.stdout);
console.log(`flow simulate --events ${events} --hours ${hours} (built CLI): ${(wall.ms / 1000).toFixed(1)} s wall`);
console.log(`  ${JSON.stringify(summary)}`);

const { simulateFlows } = await import(join(root, 'build', 'flowrun', 'index.js'));
const s = await simulateFlows({ events, hours, seed: 1, timer: () => performance.now() });
const t = s.timing;
const pct = (x) => `${((100 * x) / t.wallMs).toFixed(0)}%`;
console.log(`in-process, timed: ${(t.wallMs / 1000).toFixed(1)} s wall`);
console.log(`  emulator start-up and data: ${(t.setupMs / 1000).toFixed(1)} s (${pct(t.setupMs)})`);
console.log(`  flow runs: ${(t.runsMs / 1000).toFixed(1)} s (${pct(t.runsMs)}): HTTP wait ${(t.httpWaitMs / 1000).toFixed(1)} s (${pct(t.httpWaitMs)}), interpreter ${(t.interpreterMs / 1000).toFixed(1)} s (${pct(t.interpreterMs)})`);
console.log(`  interpreter per seeded event: ${((1000 * t.interpreterMs) / events).toFixed(0)} µs; ${s.runs} runs, ${s.httpCalls} HTTP calls`);
