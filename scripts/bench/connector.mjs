#!/usr/bin/env node
// Whole processes of `coe-audit connector build --cloud all` then `coe-audit connector validate` of the four
// folders, against `node -e 0`, paired in the same run, best and median of RUNS (>= 5) rounds (target: median of
// build + validate <= 8x). Needs the built CLI (`npm run bench` builds first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paired, pairedLine, RUNS, timeCommand } from './_measure.mjs';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'cli', 'main.js');
const out = mkdtempSync(join(tmpdir(), 'coe-audit-bench-connector-'));
const node = process.execPath;
try {
  const folders = ['commercial', 'gcc', 'gcchigh', 'dod'].map((c) => join(out, c));
  let build = 0;
  let validate = 0;
  const p = paired(
    RUNS,
    () => {
      build = timeCommand([node, cli, 'connector', 'build', '--cloud', 'all', '--output-directory', out, '--quiet']).ms;
      validate = timeCommand([node, cli, 'connector', 'validate', ...folders, '--output', 'json']).ms;
      return build + validate;
    },
    () => timeCommand([node, '-e', '0']).ms,
  );
  console.log(`last round: build ${build.toFixed(1)} ms, validate ${validate.toFixed(1)} ms`);
  console.log(pairedLine('connector build + validate (4 clouds) vs node -e 0', p, 8));
} finally {
  rmSync(out, { recursive: true, force: true });
}
