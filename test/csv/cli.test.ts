import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli, runCliInProcess } from '../helpers/run-cli.js';
import { CURRENT_HEADER, currentRow, fixture, launch256, tmp } from './helpers.js';

const GOOD =
  '\ufeff' +
  CURRENT_HEADER +
  '\r\n' +
  currentRow(launch256('id-1', 'a@x.com', 'app-1'), '3/4/2025 5:06:07 AM') +
  currentRow(launch256('id-2', 'b@x.com', 'app-2', '2025-03-05T00:00:00', 'DeletePowerApp'), '"2025-03-05T00:00:00.0000000Z "') +
  currentRow(launch256('id-1', 'a@x.com', 'app-1'), '3/4/2025 5:06:07 AM');
const BAD = GOOD + 'id-3,3/4/2025 5:06:07 AM,256,LaunchPowerApp,c@x.com,"{not json}",,\r\n';

describe('coe-audit csv (built CLI)', () => {
  it('split: exits 0 and prints the JSON summary', async () => {
    const file = fixture(GOOD);
    const out = join(tmp(), 'parts');
    const r = await runBuiltCli(['csv', 'split', file, '--rows', '2', '--output-directory', out, '--output', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ file, layout: 'current', bom: true, records: 3, outputDirectory: out, removedStaleParts: [] });
    expect(summary['parts']).toEqual([
      { file: 'AuditLog-part-0001.csv', records: 2, bytes: expect.any(Number) as number },
      { file: 'AuditLog-part-0002.csv', records: 1, bytes: expect.any(Number) as number },
    ]);
    expect(readdirSync(out).sort()).toEqual(['AuditLog-part-0001.csv', 'AuditLog-part-0002.csv']);
  });

  it('split: text summary, and exit 2 with one line for a bad --rows', async () => {
    const file = fixture(GOOD);
    const r = await runCliInProcess(['csv', 'split', file, '--max-bytes', '100000']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: 3 records \(current layout, BOM kept on every part\) in 1 part\(s\) in /);
    const bad = await runCliInProcess(['csv', 'split', file, '--rows', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--rows must be a positive integer/);
  });

  it('split: exits 2 naming the file and line of an unterminated quote, writing nothing', async () => {
    const file = fixture(GOOD + 'id-9,3/4/2025 5:06:07 AM,256,Op,u,"{""x\r\n\r\n');
    const out = join(tmp(), 'parts');
    const r = await runBuiltCli(['csv', 'split', file, '--output-directory', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`coe-audit: error: ${file}:5: the record starting here opens a quoted field that is never closed (the file ends inside it); split refuses to cut a file whose quoting is broken: fix or remove that record`]);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 with the expected headers for a file that is not an export', async () => {
    const file = fixture('Date,User,Action\r\n1,2,3\r\n');
    for (const args of [['split'], ['inspect'], ['convert', '--to', 'ndjson']]) {
      const r = await runBuiltCli(['csv', args[0]!, file, ...args.slice(1)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^coe-audit: error: .*AuditLog\.csv:1: not a Microsoft Purview audit-log export: expected the header 'RecordId,CreationDate,/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('inspect: exit 0 and JSON for a clean file, exit 1 when malformed records are found', async () => {
    const ok = await runBuiltCli(['csv', 'inspect', fixture(GOOD), '--output', 'json']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      layout: 'current',
      records: 3,
      validRecords: 3,
      malformedRecords: 0,
      malformed: [],
      dateRange: { first: '2025-03-04T05:06:07Z', last: '2025-03-05T00:00:00Z' },
      operations: { DeletePowerApp: 1, LaunchPowerApp: 2 },
      recordTypes: { '256': 3 },
      launchPowerApp: 2,
      uniqueUsers: 2,
      uniqueApps: 2,
    });
    const bad = await runBuiltCli(['csv', 'inspect', fixture(BAD)]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/records: 4 \(3 valid, 1 malformed\)/);
    expect(bad.stdout).toMatch(/AuditLog\.csv:5: AuditData is not JSON/);
  });

  it('convert: NDJSON on stdout, exit 1 with the skipped record on stderr, --out and --dedupe', async () => {
    const r = await runBuiltCli(['csv', 'convert', fixture(BAD), '--to', 'ndjson', '--operation', 'LaunchPowerApp', '--dedupe']);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { Id: string }).Id)).toEqual(['id-1']);
    expect(r.stderr).toMatch(/AuditLog\.csv:5: skipped malformed record: AuditData is not JSON/);
    expect(r.stderr).toMatch(/1 of 4 records written as ndjson \(1 malformed, 1 other operations, 1 duplicates skipped\)/);

    const target = join(tmp(), 'out.csv');
    const ok = await runBuiltCli(['csv', 'convert', fixture(GOOD), '--to', 'csv', '--out', target, '--quiet']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toBe('');
    expect(existsSync(target)).toBe(true);
    expect(readFileSync(target, 'utf8').split('\r\n')).toHaveLength(5);
  });

  it('convert: exits 2 without --to or with an unknown one', async () => {
    const file = fixture(GOOD);
    expect((await runCliInProcess(['csv', 'convert', file])).status).toBe(2);
    const r = await runCliInProcess(['csv', 'convert', file, '--to', 'xml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Allowed values: ndjson, csv/);
  });
});
