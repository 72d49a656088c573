import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitCsv } from '../../src/csv/index.js';
import { UsageError } from '../../src/errors.js';
import { CURRENT_HEADER, currentRow, fixture, LEGACY_HEADER, launch256, launch45, legacyRow, tmp } from './helpers.js';

const BOM = '\ufeff';

function rows(n: number, eol = '\r\n'): string[] {
  return Array.from({ length: n }, (_, i) => {
    const a = launch256(`id-${i}`, `user${i % 3}@contoso.com`, `app-${i % 2}`);
    if (i % 3 === 1) (a['PropertyCollection'] as unknown[]).push({ Name: 'note', Value: 'commas, "quotes"\r\nand a break' });
    return currentRow(a, i % 2 ? '9/20/2023 4:05:03 AM' : '"2026-01-24T06:54:24.0000000Z "', eol, i % 4 === 2 ? '"North, ""Main""\r\nSouth"' : '');
  });
}

function partsOf(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.csv') && f.includes('-part-')).sort();
}

async function expectUsageError(p: Promise<unknown>, pattern: RegExp): Promise<UsageError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(pattern);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('splitCsv', () => {
  it('splits into parts of N records, each with the header (BOM kept), records byte for byte', async () => {
    const header = BOM + CURRENT_HEADER + '\r\n';
    const body = rows(7);
    const file = fixture(header + body.join(''));
    const out = join(tmp(), 'parts');
    const r = await splitCsv({ file, rows: 3, outputDirectory: out });
    expect(r.records).toBe(7);
    expect(r.bom).toBe(true);
    expect(r.layout).toBe('current');
    expect(r.parts.map((p) => [p.file, p.records])).toEqual([
      ['AuditLog-part-0001.csv', 3],
      ['AuditLog-part-0002.csv', 3],
      ['AuditLog-part-0003.csv', 1],
    ]);
    expect(partsOf(out)).toEqual(r.parts.map((p) => p.file));
    const texts = r.parts.map((p) => readFileSync(join(out, p.file), 'utf8'));
    expect(texts[0]).toBe(header + body.slice(0, 3).join(''));
    expect(texts[1]).toBe(header + body.slice(3, 6).join(''));
    expect(texts[2]).toBe(header + body[6]);
    for (const [i, p] of r.parts.entries()) expect(p.bytes).toBe(Buffer.byteLength(texts[i]!));
    // Nothing else is left in the output folder: no temp folder.
    expect(readdirSync(out).sort()).toEqual(r.parts.map((p) => p.file));
  });

  it('writes a <base>-parts folder next to the source by default and keeps LF files and a last record without a line end', async () => {
    const body = rows(4, '\n');
    const last = body[3]!.slice(0, -1);
    const file = fixture(CURRENT_HEADER + '\n' + body.slice(0, 3).join('') + last, 'export.2025.csv');
    const r = await splitCsv({ file, rows: 2 });
    expect(r.bom).toBe(false);
    const dir = r.outputDirectory;
    expect(dir).toBe(join(dirname(file), 'export.2025-parts'));
    expect(partsOf(dir)).toEqual(['export.2025-part-0001.csv', 'export.2025-part-0002.csv']);
    expect(readFileSync(join(dir, 'export.2025-part-0002.csv'), 'utf8')).toBe(CURRENT_HEADER + '\n' + body[2] + last);
  });

  it('concatenating the parts after their headers gives the source after its header, blank lines included', async () => {
    const header = CURRENT_HEADER + '\r\n';
    const source = header + rows(5).join('') + '\r\n' + rows(2).join('') + '\r\n';
    const file = fixture(source);
    const out = tmp();
    const r = await splitCsv({ file, rows: 2, outputDirectory: out });
    expect(r.records).toBe(7);
    const joined = r.parts.map((p) => readFileSync(join(out, p.file), 'utf8').slice(header.length)).join('');
    expect(header + joined).toBe(source);
  });

  it('honours --max-bytes as well as --rows', async () => {
    const body = rows(6);
    const header = CURRENT_HEADER + '\r\n';
    const file = fixture(header + body.join(''));
    const longest = Math.max(...body.map((b) => Buffer.byteLength(b)));
    const maxBytes = header.length + longest * 2;
    const r = await splitCsv({ file, rows: 50000, maxBytes, outputDirectory: tmp() });
    expect(r.parts.length).toBeGreaterThanOrEqual(3);
    for (const p of r.parts) expect(p.bytes).toBeLessThanOrEqual(maxBytes);
    expect(r.parts.reduce((n, p) => n + p.records, 0)).toBe(6);
  });

  it('refuses a record that cannot fit in --max-bytes, naming its line', async () => {
    const body = rows(3);
    const file = fixture(CURRENT_HEADER + '\r\n' + body.join(''));
    await expectUsageError(splitCsv({ file, rows: 10, maxBytes: CURRENT_HEADER.length + 10, outputDirectory: tmp() }), /AuditLog\.csv:2: this record is \d+ bytes/);
  });

  it('accepts the legacy layout and the AssociatedAdminUnitNames spelling', async () => {
    const legacy = fixture(LEGACY_HEADER + '\r\n' + legacyRow(launch45('a', 'u@x', 'app'), '9/20/2023 4:05:03 AM'));
    expect((await splitCsv({ file: legacy, rows: 1, outputDirectory: tmp() })).layout).toBe('legacy');
    const alt = fixture(CURRENT_HEADER.replace('AssociatedAdminUnitsNames', 'AssociatedAdminUnitNames') + '\r\n' + rows(1).join(''));
    expect((await splitCsv({ file: alt, rows: 1, outputDirectory: tmp() })).layout).toBe('current');
    // Export-Csv quotes every header field.
    const quoted = fixture(LEGACY_HEADER.split(',').map((h) => `"${h}"`).join(',') + '\r\n' + legacyRow(launch45('a', 'u@x', 'app'), '9/20/2023 4:05:03 AM'));
    expect((await splitCsv({ file: quoted, rows: 1, outputDirectory: tmp() })).layout).toBe('legacy');
  });

  it('refuses an unterminated quote at the end, naming the line where the broken record starts, and writes nothing', async () => {
    const body = rows(3);
    const file = fixture(CURRENT_HEADER + '\r\n' + body.join('') + 'x,"9/20/2023 4:05:03 AM",256,Op,u,"{""open\r\nmore\r\n');
    const out = join(tmp(), 'parts');
    const lineOfBroken = 2 + body.join('').split('\n').length - 1;
    const e = await expectUsageError(splitCsv({ file, rows: 1, outputDirectory: out }), /never closed/);
    expect(e.problems[0]!.line).toBe(lineOfBroken);
    expect(e.message).toContain(`AuditLog.csv:${lineOfBroken}:`);
    // A refused split leaves no output folder, not even an empty one, and no staging folder next to it.
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dirname(out))).toEqual([]);
  });

  it('refuses a file that is not a Purview export, saying which headers were expected', async () => {
    const file = fixture('Name,Value\r\na,b\r\n');
    await expectUsageError(
      splitCsv({ file, rows: 1, outputDirectory: tmp() }),
      /AuditLog\.csv:1: not a Microsoft Purview audit-log export: expected the header 'RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames' \(current export\) or 'CreationDate,UserIds,Operations,AuditData'/,
    );
    await expectUsageError(splitCsv({ file: fixture(''), rows: 1, outputDirectory: tmp() }), /is empty: expected the header/);
    await expectUsageError(splitCsv({ file: join(tmp(), 'missing.csv'), rows: 1 }), /missing\.csv: cannot read: ENOENT/);
  });

  it('refuses a record over --max-record-bytes, naming its line', async () => {
    const body = rows(3);
    const file = fixture(CURRENT_HEADER + '\r\n' + body.join(''));
    const e = await expectUsageError(splitCsv({ file, rows: 1, maxRecordBytes: 200, outputDirectory: tmp() }), /longer than 200 bytes/);
    expect(e.problems[0]!.line).toBe(2);
  });

  it('replaces the parts folder of an earlier split whole and lists the parts it no longer has', async () => {
    const file = fixture(CURRENT_HEADER + '\r\n' + rows(4).join(''));
    const out = tmp();
    writeFileSync(join(out, 'AuditLog-part-0001.csv'), 'old');
    writeFileSync(join(out, 'AuditLog-part-0009.csv'), 'old');
    const r = await splitCsv({ file, rows: 2, outputDirectory: out });
    expect(r.removedStaleParts).toEqual(['AuditLog-part-0009.csv']);
    expect(readdirSync(out).sort()).toEqual(['AuditLog-part-0001.csv', 'AuditLog-part-0002.csv']);
    expect(readFileSync(join(out, 'AuditLog-part-0001.csv'), 'utf8')).not.toBe('old');
    expect(readdirSync(dirname(out)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses a parts folder that holds other files, and leaves it untouched', async () => {
    const file = fixture(CURRENT_HEADER + '\r\n' + rows(4).join(''));
    const out = tmp();
    writeFileSync(join(out, 'AuditLog-part-0009.csv'), 'old');
    writeFileSync(join(out, 'other.csv'), 'keep');
    await expectUsageError(splitCsv({ file, rows: 2, outputDirectory: out }), /not parts of this export \(other\.csv\).*replaced whole/);
    expect(readdirSync(out).sort()).toEqual(['AuditLog-part-0009.csv', 'other.csv']);
  });

  it('writes no part for a file with only a header', async () => {
    const out = tmp();
    const r = await splitCsv({ file: fixture(CURRENT_HEADER + '\r\n'), rows: 2, outputDirectory: out });
    expect(r.parts).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });
});
