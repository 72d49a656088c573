import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCsv, inspectCsv, PURVIEW_CSV_HEADER, toPurviewCsvRow } from '../../src/csv/index.js';
import { UsageError } from '../../src/errors.js';
import { CURRENT_HEADER, currentRow, fixture, LEGACY_HEADER, launch256, launch45, legacyRow, q, tmp } from './helpers.js';

const A = launch256('id-a', 'Alice@contoso.com', 'APP-1', '2025-03-04T05:06:07');
const B = launch256('id-b', 'bob@contoso.com', 'app-2', '2025-01-02T03:04:05', 'DeletePowerApp');
const C = launch45('id-c', 'alice@contoso.com', 'app-1', '2025-06-01T12:00:00');
const D = launch45('id-d', 'carol@contoso.com', 'app-3', '2025-02-01T00:00:00');
// AuditData holding commas and quotes; the fixture adds a real line break (JSON whitespace) inside it.
const E = { ...launch256('id-e', 'dave@contoso.com', 'app-4', '2025-04-04T04:04:04'), Note: 'x, "y"\r\nz' };

/**
 * Line numbers: 1 header; 2 A; 3 B; 4 A again (duplicate); 5-6 E (a break inside quotes); 7 wrong columns;
 * 8 AuditData not JSON; 9 blank; 10 C; 11 bad date; 12 D with the ISO date; 13 quote inside an unquoted field;
 * 14-15 unterminated quote at the end.
 */
const CURRENT =
  '\ufeff' +
  CURRENT_HEADER +
  '\r\n' +
  currentRow(A, '3/4/2025 5:06:07 AM') +
  currentRow(B, '1/2/2025 3:04:05 AM') +
  currentRow(A, '3/4/2025 5:06:07 AM') +
  currentRow(E, '"2025-04-04T04:04:04.0000000Z "').replace('"{""CreationTime', '"{\r\n""CreationTime') +
  'id-x,3/4/2025 5:06:07 AM,256,LaunchPowerApp,x@contoso.com\r\n' +
  `id-y,3/4/2025 5:06:07 AM,256,LaunchPowerApp,y@contoso.com,${q('{not json')},,\r\n` +
  '\r\n' +
  currentRow(C, '6/1/2025 12:00:00 PM') +
  currentRow(A, 'someday') +
  currentRow(D, '"2025-02-01T00:00:00.0000000Z "') +
  'id-z,3/4/2025 5:06:07 AM,256,Launch"Power"App,z@x,"{}",,\r\n' +
  'id-w,3/4/2025 5:06:07 AM,256,LaunchPowerApp,w@x,"{""open\r\n';

describe('inspectCsv', () => {
  it('gives exact counts, dates, users and apps from both record formats, and every malformed record with its line', async () => {
    const r = await inspectCsv({ file: fixture(CURRENT) });
    expect(r).toEqual({
      file: r.file,
      layout: 'current',
      bom: true,
      lineEnd: 'crlf',
      records: 11,
      validRecords: 6,
      malformedRecords: 5,
      malformed: [
        { line: 7, reason: 'has 5 columns, expected 8' },
        { line: 8, reason: expect.stringMatching(/^AuditData is not JSON \(/) as unknown as string },
        { line: 11, reason: "CreationDate 'someday' is neither M/d/yyyy h:mm:ss AM/PM nor yyyy-MM-ddTHH:mm:ss.fffffffZ" },
        { line: 13, reason: 'field 4: quote inside an unquoted field' },
        { line: 14, reason: 'unterminated quoted field: the file ends inside it' },
      ],
      malformedTruncated: false,
      dateRange: { first: '2025-01-02T03:04:05Z', last: '2025-06-01T12:00:00Z' },
      operations: { DeletePowerApp: 1, LaunchPowerApp: 5 },
      recordTypes: { '256': 4, '45': 2 },
      launchPowerApp: 5,
      uniqueUsers: 4,
      uniqueApps: 4,
    });
  });

  it('reads the legacy layout, LF line ends and the AppName of RecordType 45', async () => {
    const file = fixture(LEGACY_HEADER + '\n' + legacyRow(C, '6/1/2025 12:00:00 PM', '\n') + legacyRow(D, '2/1/2025 12:00:00 AM', '\n') + legacyRow(A, '3/4/2025 5:06:07 AM', '\n'));
    const r = await inspectCsv({ file });
    expect(r).toMatchObject({
      layout: 'legacy',
      bom: false,
      lineEnd: 'lf',
      records: 3,
      validRecords: 3,
      malformedRecords: 0,
      dateRange: { first: '2025-02-01T00:00:00Z', last: '2025-06-01T12:00:00Z' },
      operations: { LaunchPowerApp: 3 },
      recordTypes: { '256': 1, '45': 2 },
      uniqueUsers: 2,
      uniqueApps: 2,
    });
  });

  it('refuses a file that is not an export', async () => {
    await expect(inspectCsv({ file: fixture('a,b,c\n') })).rejects.toThrow(UsageError);
  });
});

describe('convertCsv', () => {
  const collect = async (opts: Omit<Parameters<typeof convertCsv>[0], 'file'>, content = CURRENT) => {
    let out = '';
    const result = await convertCsv({ file: fixture(content), ...opts }, (t) => (out += t));
    return { out, result };
  };

  it('writes NDJSON of the valid AuditData records and reports the malformed ones', async () => {
    const { out, result } = await collect({ to: 'ndjson' });
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([A, B, A, E, C, D]);
    expect(result).toMatchObject({ layout: 'current', to: 'ndjson', records: 11, written: 6, malformedRecords: 5, skippedDuplicates: 0, skippedByOperation: 0 });
    expect(result.malformed.map((m) => m.line)).toEqual([7, 8, 11, 13, 14]);
  });

  it('filters operations case-insensitively and drops duplicate ids with --dedupe', async () => {
    const { out, result } = await collect({ to: 'ndjson', operations: ['launchpowerapp'], dedupe: true });
    expect(out.trim().split('\n').map((l) => (JSON.parse(l) as { Id: string }).Id)).toEqual(['id-a', 'id-e', 'id-c', 'id-d']);
    expect(result).toMatchObject({ written: 4, skippedByOperation: 1, skippedDuplicates: 1 });
  });

  it('writes the current CSV layout through toPurviewCsvRow, from either layout', async () => {
    const { out } = await collect({ to: 'csv', operations: ['DeletePowerApp'] });
    expect(out).toBe(PURVIEW_CSV_HEADER + toPurviewCsvRow(B));
    const legacy = LEGACY_HEADER + '\r\n' + legacyRow(C, '6/1/2025 12:00:00 PM') + legacyRow(D, '2/1/2025 12:00:00 AM');
    const { out: out2, result } = await collect({ to: 'csv' }, legacy);
    expect(out2).toBe(PURVIEW_CSV_HEADER + toPurviewCsvRow(C) + toPurviewCsvRow(D));
    expect(result.malformedRecords).toBe(0);
  });

  it('carries the admin-unit columns of a current-layout source', async () => {
    const src = CURRENT_HEADER + '\r\n' + currentRow(A, '3/4/2025 5:06:07 AM', '\r\n', q('North, "Main"\r\nSouth'));
    const { out } = await collect({ to: 'csv' }, src);
    expect(out).toBe(PURVIEW_CSV_HEADER + toPurviewCsvRow(A, { associatedAdminUnits: 'North, "Main"\r\nSouth' }));
  });

  it('writes --out atomically and leaves no temporary file', async () => {
    const dir = join(tmp(), 'sub');
    const target = join(dir, 'out.ndjson');
    const result = await convertCsv({ file: fixture(CURRENT), to: 'ndjson', out: target }, () => {
      throw new Error('stdout must not be used with out');
    });
    expect(result.out).toBe(target);
    expect(readFileSync(target, 'utf8').trim().split('\n')).toHaveLength(6);
    expect(readdirSync(dirname(target))).toEqual(['out.ndjson']);
  });

  it('leaves no output when the input is refused', async () => {
    const dir = tmp();
    await expect(convertCsv({ file: fixture('x,y\n'), to: 'csv', out: join(dir, 'o.csv') }, () => {})).rejects.toThrow(/expected the header/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
