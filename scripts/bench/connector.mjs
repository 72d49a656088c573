#!/usr/bin/env node
// Wall time of `coe-audit connector build --cloud all` followed by `coe-audit connector validate` on the four
// folders, as a ratio to `node -e 0`, measured side by side in one run (target: at most 10x).
// Needs the built CLI (`npm run bench` builds first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioLine, timeCommand } from './_measure.mjs';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'cli', 'main.js');
const out = mkdtempSync(join(tmpdir(), 'coe-bench-connector-'));
const node = process.execPath;
try {
  // One untimed warm-up of each, so both sides start from a warm file-system cache.
  timeCommand([node, '-e', '0']);
  timeCommand([node, cli, 'connector', 'build', '--cloud', 'all', '--output-directory', out, '--quiet']);

  const baseline = timeCommand([node, '-e', '0']).ms;
  const build = timeCommand([node, cli, 'connector', 'build', '--cloud', 'all', '--output-directory', out, '--quiet']).ms;
  const folders = ['commercial', 'gcc', 'gcchigh', 'dod'].map((c) => join(out, c));
  const validate = timeCommand([node, cli, 'connector', 'validate', ...folders, '--format', 'json']).ms;

  console.log(ratioLine('connector build --cloud all', build, baseline));
  console.log(ratioLine('connector validate (4 folders)', validate, baseline));
  console.log(ratioLine('build + validate', build + validate, baseline, 10));
} finally {
  rmSync(out, { recursive: true, force: true });
}
