#!/usr/bin/env node
import { processIO } from './context.js';
import { installCrashInjection } from './crash-injection.js';
import { runCli } from './program.js';

// A reader that stops early (`coe-audit csv convert big.csv --to ndjson | head`) closes the pipe: that is not an
// error of ours, so end quietly instead of crashing with EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

installCrashInjection(process.env);

runCli(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`coe-audit: internal error: ${String(e)}\n`);
    process.exitCode = 2;
  },
);
