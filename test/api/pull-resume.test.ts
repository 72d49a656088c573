import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/api/index.js';
import { seededRandom } from '../../src/api/rng.js';
import { runBuiltCli } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'coe-audit-pull-resume-'));
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ https: true, seed: 21, days: 2, eventsPerHour: 20, eventsPerBlob: 4, pageSize: 5, duplicateRate: 0.2, faults: 'server-error=0.05,drop=0.03' });
});
afterAll(async () => {
  await emu.close();
  rmSync(work, { recursive: true, force: true });
});

// One window for the whole file: every pull of a test (the reference, the killed ones, the resumed one) must ask for
// the same interval, even when the test runs across an hour boundary.
const end = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;

function pull(out: string, extra: string[] = [], crashAt?: string) {
  const args = [
    'content', 'pull', '--cloud', 'commercial', '--tenant-id', emu.tenantId, '--client-id', emu.clientId, '--authority-url', emu.authorityUrl, '--management-url', emu.managementUrl,
    '--start', new Date(end - 30 * 3_600_000).toISOString(), '--end', new Date(end).toISOString(), '--output-file', out, '--concurrency', '4', '--requests-per-minute', '100000', ...extra,
  ];
  return runBuiltCli(args, { env: { COE_AUDIT_CLIENT_SECRET: emu.clientSecret, NODE_EXTRA_CA_CERTS: emu.caFile!, ...(crashAt ? { COE_AUDIT_TEST_CRASH_AT: crashAt } : {}) } });
}

describe('content pull --resume after kills (COE_AUDIT_TEST_CRASH_AT, against the emulator)', () => {
  for (const format of ['ndjson', 'csv'] as const) {
    it(`${format}: killed at 10 random points and resumed, the output equals an uninterrupted pull`, async () => {
      const dir = mkdtempSync(join(work, `${format}-`));
      const ref = join(dir, `ref.${format}`);
      const r0 = await pull(ref, ['--output', 'json']);
      expect(r0.status, r0.stderr).toBe(0);
      const summary = JSON.parse(r0.stdout) as { records: number; blobsFetched: number };
      expect(summary.records).toBeGreaterThan(300);
      // Three writes per blob (records, ids, journal) plus the checkpoint's parameters.
      const writes = 3 * summary.blobsFetched + 1;

      const out = join(dir, `out.${format}`);
      const rnd = seededRandom(format === 'csv' ? 7 : 5);
      let kills = 0;
      for (let i = 0; i < 10; i++) {
        // The first run must get past writing its parameters; later ones crash anywhere, the last before the rename.
        const at = i === 9 ? 'rename:1' : `write:${(i === 0 ? 2 : 1) + Math.floor(rnd() * (writes / 12))}`;
        const r = await pull(out, i === 0 ? [] : ['--resume'], at);
        expect(r.status, r.stderr).not.toBe(2);
        if (r.status !== 0) kills++;
        expect(existsSync(out)).toBe(false);
      }
      expect(kills).toBe(10);
      const last = await pull(out, ['--resume', '--output', 'json']);
      expect(last.status, last.stderr).toBe(0);
      expect(last.stderr).toMatch(/resuming: \d+ blobs and \d+ records already written/);
      expect(readFileSync(out).equals(readFileSync(ref))).toBe(true);
      expect((JSON.parse(last.stdout) as { records: number }).records).toBe(summary.records);
      // No checkpoint or temporary file is left.
      expect(readdirSync(dir).sort()).toEqual([`out.${format}`, `ref.${format}`].sort());
    }, 300_000);
  }

  it('--resume is refused without a checkpoint, without --out, and for other parameters', async () => {
    const dir = mkdtempSync(join(work, 'refuse-'));
    const out = join(dir, 'x.ndjson');
    let r = await pull(out, ['--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has no interrupted pull to resume/);
    expect((await pull(out, [], 'write:5')).status).not.toBe(0);
    r = await pull(out, ['--resume', '--operation', 'LaunchPowerApp']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/was for other --start, --end, --content-type, --operation or format/);
    // Without --resume the interrupted pull is discarded and redone whole.
    r = await pull(out);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['x.ndjson']);
  }, 120_000);
});
