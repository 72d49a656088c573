#!/usr/bin/env node
// `npm run update:golden`: the only way golden files under test/golden/ change. Runs every
// scripts/golden/*.mjs (after `npm run build`); each rewrites its own folder under test/golden/ from the built
// CLI or core. Review the diff before committing it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, [join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.error(failed ? `${failed} golden script(s) failed` : `golden files refreshed by ${files.length} script(s); review 'git diff test/golden'`);
process.exit(failed ? 1 : 0);
