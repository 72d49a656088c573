import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCsv, inspectCsv, PURVIEW_CSV_HEADER, splitCsv, toPurviewCsvRow } from '../../src/csv/index.js';
import { RecordScanner } from '../../src/csv/scanner.js';
import { CURRENT_HEADER, fixture, LEGACY_HEADER, prng, q, tmp } from './helpers.js';

/** Random records whose fields hold commas, quotes, doubled quotes and line breaks, as a whole export. */
function randomExport(seed: number, count: number, opts: { pad?: number } = {}) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pieces = ['a', 'Zürich', ',', '"', '""', '\r\n', '\n', ' ', '{', '}', '\\', 'é—', 'x,y', '"q"'];
  const str = (max: number) => Array.from({ length: int(max) }, () => pieces[int(pieces.length)]).join('');
  const legacy = rnd() < 0.3;
  const eol = rnd() < 0.5 ? '\r\n' : '\n';
  const bom = rnd() < 0.5 ? '\ufeff' : '';
  const audits: Record<string, unknown>[] = [];
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = new Date(Date.UTC(2025, 0, 1) + int(365 * 86400) * 1000);
    const time = t.toISOString().slice(0, 19);
    const audit: Record<string, unknown> = {
      CreationTime: time,
      Id: `id-${seed}-${i}`,
      Operation: rnd() < 0.7 ? 'LaunchPowerApp' : 'Op, "odd"',
      RecordType: rnd() < 0.5 ? 256 : 45,
      UserId: `u${int(5)}@x.com`,
      Text: str(12),
      Pad: 'p'.repeat(int(opts.pad ?? 10)),
    };
    audits.push(audit);
    let json = JSON.stringify(audit);
    if (rnd() < 0.3) json = json.replace('{', '{\r\n'); // a real line break inside the quoted AuditData
    const h = t.getUTCHours();
    const us = `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${t.getUTCFullYear()} ${h % 12 || 12}:${time.slice(14, 19)} ${h < 12 ? 'AM' : 'PM'}`;
    const date = rnd() < 0.5 ? us : q(`${time}.0000000Z `);
    const op = audit['Operation'] as string;
    const cell = (v: string) => (/[",\r\n]/.test(v) ? q(v) : v);
    rows.push(
      legacy
        ? [date, audit['UserId'], cell(op), q(json)].join(',') + eol
        : [audit['Id'], date, audit['RecordType'], cell(op), audit['UserId'], q(json), rnd() < 0.3 ? q(str(6)) : '', ''].join(',') + eol,
    );
  }
  const header = bom + (legacy ? LEGACY_HEADER : CURRENT_HEADER) + eol;
  return { header, rows, audits, text: header + rows.join('') };
}

describe.each(['wasm', 'js'] as const)('property: random records round-trip (%s engine)', (engine) => {
  it('the scanner finds exactly the generated records for random chunk sizes', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const ex = randomExport(seed, 40);
      const bytes = Buffer.from(ex.text);
      const rnd = prng(seed * 7);
      const found: string[] = [];
      const s = new RecordScanner((buf, a, b) => found.push(buf.toString('utf8', a, b)), undefined, engine);
      for (let i = 0; i < bytes.length; ) {
        const n = 1 + Math.floor(rnd() * 300);
        s.push(bytes.subarray(i, i + n));
        i += n;
      }
      expect(s.end()).toEqual({ unterminated: false });
      expect(found, `seed ${seed}`).toEqual([ex.header, ...ex.rows]);
    }
  });

  it('split parts concatenate to the original records; convert returns the original AuditData', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const ex = randomExport(seed, 60 + seed * 5);
      const file = fixture(ex.text);
      const rows = 1 + (seed % 7);
      const out = tmp();
      const split = await splitCsv({ file, rows, outputDirectory: out, engine });
      expect(split.records).toBe(ex.rows.length);
      expect(split.parts).toHaveLength(Math.ceil(ex.rows.length / rows));
      let joined = '';
      for (const p of split.parts) {
        const text = readFileSync(join(out, p.file), 'utf8');
        expect(text.startsWith(ex.header), `seed ${seed}: every part starts with the header`).toBe(true);
        expect(p.records).toBeLessThanOrEqual(rows);
        joined += text.slice(ex.header.length);
      }
      expect(joined, `seed ${seed}`).toBe(ex.rows.join(''));

      let nd = '';
      const conv = await convertCsv({ file, to: 'ndjson', engine }, (t) => (nd += t));
      expect(conv.malformedRecords, `seed ${seed}: ${JSON.stringify(conv.malformed)}`).toBe(0);
      expect(nd.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(ex.audits);

      let csv = '';
      await convertCsv({ file, to: 'csv' }, (t) => (csv += t));
      const again = fixture(csv);
      let nd2 = '';
      await convertCsv({ file: again, to: 'ndjson' }, (t) => (nd2 += t));
      expect(nd2).toBe(nd);
      if (ex.header.includes('UserIds')) expect(csv).toBe(PURVIEW_CSV_HEADER + ex.audits.map((a) => toPurviewCsvRow(a)).join(''));

      const ins = await inspectCsv({ file, engine });
      expect(ins.records).toBe(ex.rows.length);
      expect(ins.validRecords).toBe(ex.rows.length);
      expect(ins.launchPowerApp).toBe(ex.audits.filter((a) => a['Operation'] === 'LaunchPowerApp').length);
    }
  });

  it('holds for an export larger than one read chunk, records crossing chunk boundaries', async () => {
    const ex = randomExport(99, 2500, { pad: 2000 });
    expect(ex.text.length).toBeGreaterThan(2.5 * 1024 * 1024);
    const file = fixture(ex.text);
    const out = tmp();
    const split = await splitCsv({ file, rows: 1000, maxBytes: 1024 * 1024, outputDirectory: out, engine });
    expect(split.records).toBe(2500);
    let joined = '';
    for (const p of split.parts) {
      expect(p.bytes).toBeLessThanOrEqual(1024 * 1024);
      joined += readFileSync(join(out, p.file), 'utf8').slice(ex.header.length);
    }
    expect(joined).toBe(ex.rows.join(''));
    let nd = '';
    await convertCsv({ file, to: 'ndjson', engine }, (t) => (nd += t));
    expect(nd.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(ex.audits);
  });
});
