#!/usr/bin/env node
import { processIO } from './context.js';
import { runCli } from './program.js';

runCli(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`coe-audit: internal error: ${String(e)}\n`);
    process.exitCode = 2;
  },
);
