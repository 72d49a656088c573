import { describe, expect, it } from 'vitest';
import { parseFields } from '../../src/csv/fields.js';
import { parseCreationDate } from '../../src/csv/index.js';
import { countLineFeeds, RecordScanner, RecordTooLongError, SCAN_CHUNK_BYTES, type ScanEngine } from '../../src/csv/scanner.js';

/** Feeds `input` in chunks of `size` bytes and returns the records and the end state. */
function scan(
  input: string | Buffer,
  size: number,
  max?: number,
  engine: ScanEngine = 'wasm',
): { records: string[]; offsets: number[]; tail?: string; unterminated: boolean } {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const records: string[] = [];
  const offsets: number[] = [];
  const s = new RecordScanner((buf, start, end, offset) => {
    records.push(buf.toString('utf8', start, end));
    offsets.push(offset);
  }, max, engine);
  expect(s.engine).toBe(engine);
  for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
  const end = s.end();
  return { records, offsets, unterminated: end.unterminated, ...(end.tail ? { tail: end.tail.buf.toString('utf8') } : {}) };
}

const SAMPLE =
  'h1,h2\r\n' +
  'a,"b, with comma"\r\n' +
  '"x ""quoted"" y","line\r\nbreak"\r\n' +
  '"""",""""""\n' +
  'plain,last';

describe.each(['wasm', 'js'] as const)('RecordScanner (%s engine)', (engine) => {
  it('finds the same records whatever the chunk size', () => {
    const expected = ['h1,h2\r\n', 'a,"b, with comma"\r\n', '"x ""quoted"" y","line\r\nbreak"\r\n', '"""",""""""\n'];
    for (let size = 1; size <= SAMPLE.length + 1; size++) {
      const r = scan(SAMPLE, size, undefined, engine);
      expect(r.records, `chunk size ${size}`).toEqual(expected);
      expect(r.tail).toBe('plain,last');
      expect(r.unterminated).toBe(false);
      expect(r.offsets).toEqual([0, 7, 26, 58]);
    }
  });

  it('reports an input that ends inside quotes', () => {
    for (const size of [1, 3, 100]) {
      const r = scan('a,b\n"open,\nstill open\n', size, undefined, engine);
      expect(r.records).toEqual(['a,b\n']);
      expect(r.tail).toBe('"open,\nstill open\n');
      expect(r.unterminated).toBe(true);
    }
  });

  it('refuses a record over the cap with the offset where it starts', () => {
    for (const size of [2, 5, 1000]) {
      try {
        scan('ok\n"' + 'x'.repeat(50) + '"\nnext\n', size, 20, engine);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(RecordTooLongError);
        expect((e as RecordTooLongError).offset).toBe(3);
      }
    }
  });

  it('handles multi-byte UTF-8 split across chunks', () => {
    const text = 'é,"Zürich, ""Ops"""\n—,ü\n';
    for (let size = 1; size < 8; size++) expect(scan(text, size, undefined, engine).records).toEqual(['é,"Zürich, ""Ops"""\n', '—,ü\n']);
  });

  it('finds records across 16-byte blocks and chunk ends of the engine', () => {
    // Quotes and LFs at every position of a block; a record crossing the engine's own chunk size.
    const rec = (i: number) => `${'x'.repeat(i % 37)},"${'""'.repeat(i % 5)}\n${','.repeat(i % 3)}"\r\n`;
    const records = Array.from({ length: 400 }, (_, i) => rec(i));
    const big = `"${'y'.repeat(SCAN_CHUNK_BYTES + 10)}"\n`;
    const all = [...records, big, ...records];
    const r = scan(all.join(''), SCAN_CHUNK_BYTES * 3, undefined, engine);
    expect(r.records).toEqual(all);
    expect(scan(all.join(''), 4093, undefined, engine).records).toEqual(all);
  });

  it('counts line feeds in a range', () => {
    const b = Buffer.from('a\nb\r\nc\n');
    expect(countLineFeeds(b, 0, b.length)).toBe(3);
    expect(countLineFeeds(b, 2, 5)).toBe(1);
    expect(countLineFeeds(b, 0, 1)).toBe(0);
  });
});

describe('parseFields', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,', ['a', '', '']],
    ['', ['']],
    ['"a,b","c""d",""', ['a,b', 'c"d', '']],
    ['"line\r\nbreak",x', ['line\r\nbreak', 'x']],
    ['"""",x', ['"', 'x']],
  ])('%j', (text, fields) => {
    expect(parseFields(text)).toEqual({ fields });
  });

  it.each([
    ['a,"b"c', 'field 2: text after the closing quote'],
    ['a,b"c', 'field 2: quote inside an unquoted field'],
    ['"never closed', 'field 1: quoted field is never closed'],
  ])('%j is an error', (text, error) => {
    expect(parseFields(text)).toEqual({ error });
  });
});

describe('parseCreationDate', () => {
  it.each([
    ['9/20/2023 4:05:03 AM', '2023-09-20T04:05:03Z'],
    ['9/20/2023 12:05:03 AM', '2023-09-20T00:05:03Z'],
    ['12/31/2023 12:00:00 PM', '2023-12-31T12:00:00Z'],
    ['1/2/2024 11:59:59 pm', '2024-01-02T23:59:59Z'],
    ['2026-01-24T06:54:24.0000000Z ', '2026-01-24T06:54:24Z'],
    ['2026-01-24T06:54:24.1230000Z', '2026-01-24T06:54:24.123Z'],
    ['2026-01-24T06:54:24', '2026-01-24T06:54:24Z'],
  ])('%j → %s', (input, iso) => expect(parseCreationDate(input)).toBe(iso));

  it.each(['', 'yesterday', '13/1/2024 1:00:00 AM', '2/30/2024 1:00:00 AM', '1/1/2024 13:00:00 PM', '2026-01-24 06:54:24'])('%j is refused', (input) =>
    expect(parseCreationDate(input)).toBeUndefined(),
  );
});
