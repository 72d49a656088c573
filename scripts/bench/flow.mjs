// flow simulate against a plain-JS loop doing the same work (same generated content, serialized and parsed,
// filtered, upserted by event Id, newest launch per app): whole processes, paired (baseline then simulate, twice),
// best of each, as a ratio (target <= 10x). Also the in-process split of the simulation's time (emulator start-up
// and data generation, HTTP wait, interpreter) and its cost figures.
// Usage: node scripts/bench/flow.mjs [profile] [hours]
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioLine, timeCommand } from './_measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const profile = process.argv[2] ?? 'medium';
const hours = Number(process.argv[3] ?? 24);
const cli = join(root, 'build', 'cli', 'main.js');
const simulate = [process.execPath, cli, 'flow', 'simulate', '--profile', profile, '--hours', String(hours), '--output', 'json', '--quiet'];
const plain = [process.execPath, join(root, 'scripts', 'bench', '_plain-sync.mjs'), profile, String(hours)];

let bestSim = Infinity;
let bestPlain = Infinity;
let summary;
for (let pair = 0; pair < 2; pair++) {
  const b = timeCommand(plain);
  const s = timeCommand(simulate);
  bestPlain = Math.min(bestPlain, b.ms);
  bestSim = Math.min(bestSim, s.ms);
  summary = JSON.parse(s.stdout);
}
const events = summary.eventsSeeded;
console.log(`flow simulate --profile ${profile} --hours ${hours}: ${events} events, ${summary.launchEvents} launches, ${summary.missingLaunches} missing, ${summary.powerPlatformRequestsPerDay} PPR a day, ${summary.powerPlatformRequestsPerLaunch} PPR a launch`);
console.log(`  simulate ${(events / (bestSim / 1000)).toFixed(0)} events/s, plain-JS loop ${(events / (bestPlain / 1000)).toFixed(0)} events/s (best of 2 paired runs, whole processes)`);
console.log(`  ${ratioLine('simulate vs plain-JS loop', bestSim, bestPlain, 10)}`);

const { simulateFlows } = await import(join(root, 'build', 'flowrun', 'index.js'));
const s = await simulateFlows({ profile, hours, seed: 1, timer: () => performance.now() });
const t = s.timing;
const pct = (x) => `${((100 * x) / t.wallMs).toFixed(0)}%`;
console.log(`in-process, timed: ${(t.wallMs / 1000).toFixed(1)} s wall`);
console.log(`  emulator start-up and data: ${(t.setupMs / 1000).toFixed(1)} s (${pct(t.setupMs)})`);
console.log(`  flow runs: ${(t.runsMs / 1000).toFixed(1)} s (${pct(t.runsMs)}): HTTP wait ${(t.httpWaitMs / 1000).toFixed(1)} s (${pct(t.httpWaitMs)}), interpreter ${(t.interpreterMs / 1000).toFixed(1)} s (${pct(t.interpreterMs)})`);
console.log(`  interpreter per seeded event: ${((1000 * t.interpreterMs) / s.eventsSeeded).toFixed(1)} µs; ${s.runs} runs, ${s.httpCalls} HTTP calls`);
