#!/usr/bin/env node
// Peak RSS of `content pull --output-file` for N seeded events (argv[2], default 300,000) against the emulator (its
// own process), measured inside the CLI process (_rss-child.mjs). Issue 14: under 150 MiB at 300,000 and 1,000,000.
// Run through `npm run bench -- pull-memory` or `node scripts/bench/pull-memory.mjs 1000000` after `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readyLine } from './_measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'build', 'cli', 'main.js');
const EVENTS = Number(process.argv[2] ?? 300_000);
const HOURS = 150;
const EVENTS_PER_BLOB = 100;

const script = `
import { startEmulator } from ${JSON.stringify(join(root, 'build', 'api', 'index.js'))};
const emu = await startEmulator({ https: true, alsoHttp: true, seed: 1, hours: ${HOURS}, eventsPerHour: ${Math.ceil(EVENTS / HOURS)},
  eventsPerBlob: ${EVENTS_PER_BLOB}, duplicateRate: 0.05, pageSize: 100, quotaPerMinute: 1000000 });
console.log(JSON.stringify({ httpUrl: emu.httpManagementUrl, authorityUrl: emu.authorityUrl, tenantId: emu.tenantId, clientId: emu.clientId,
  clientSecret: emu.clientSecret, caFile: emu.caFile, events: emu.seeded.events.length, blobs: emu.seeded.blobs.length,
  first: emu.seeded.blobs[0].contentCreated, last: emu.seeded.blobs.at(-1).contentCreated }));
process.on('SIGTERM', async () => { await emu.close(); process.exit(0); });
`;
const child = spawn(process.execPath, ['--max-old-space-size=8192', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await readyLine(child);
const dir = mkdtempSync(join(tmpdir(), 'coe-audit-bench-pull-mem-'));
try {
  const out = join(dir, 'pull.ndjson');
  const args = [
    join(root, 'scripts', 'bench', '_rss-child.mjs'), cli, 'content', 'pull', '--tenant-id', ready.tenantId, '--client-id', ready.clientId,
    '--authority-url', ready.authorityUrl, '--management-url', ready.httpUrl, '--start', new Date(ready.first).toISOString(),
    '--end', new Date(ready.last + 1).toISOString(), '--output-file', out, '--output', 'json', '--requests-per-minute', '1000000', '--quiet',
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, COE_AUDIT_CLIENT_SECRET: ready.clientSecret, NODE_EXTRA_CA_CERTS: ready.caFile }, maxBuffer: 1 << 26 });
  if (process.env.COE_AUDIT_BENCH_MEM) console.log(r.stderr.trim().split('\n').at(-1));
  if (r.status !== 0) throw new Error(`content pull exited ${r.status}: ${r.stderr}`);
  const kib = Number(/maxrss-kib=(\d+)/.exec(r.stderr)?.[1]);
  const summary = JSON.parse(r.stdout);
  console.log(`emulator: ${ready.events} events in ${ready.blobs} blobs`);
  console.log(`content pull: ${summary.records} records (${(statSync(out).size / 2 ** 20).toFixed(1)} MiB written), peak RSS ${(kib / 1024).toFixed(1)} MiB`);
} finally {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
