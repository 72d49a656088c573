import { chmodSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertCsv, inspectCsv } from '../../src/csv/index.js';
import { UsageError } from '../../src/errors.js';
import { MAX_NESTING_DEPTH, parseYaml, readUserFile } from '../../src/io/index.js';
import { packSolution, parseXml, readZip, writeZip } from '../../src/solution/index.js';
import { CURRENT_HEADER, currentRow, launch256 } from '../csv/helpers.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { buildTree, FIXTURES } from '../solution/fixtures.js';
import { bytes, writeTree } from '../solution/helpers.js';

const work = mkdtempSync(join(tmpdir(), 'coe-audit-limits-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function usageError(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

const deepJson = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

describe(`nesting limit (${MAX_NESTING_DEPTH})`, () => {
  it('XML: refused with file, line and column instead of a stack overflow', () => {
    const xml = '<r>\n' + '<e>'.repeat(2300) + '</e>'.repeat(2300) + '</r>';
    const e = usageError(() => parseXml(xml, 'deep.xml'));
    expect(e.problems).toEqual([{ file: 'deep.xml', line: 2, column: 1 + 3 * (MAX_NESTING_DEPTH - 1), message: expect.stringMatching(/^XML elements nest deeper than 256 levels/) }]);
    // At the limit it parses.
    expect(parseXml('<e>'.repeat(MAX_NESTING_DEPTH) + '</e>'.repeat(MAX_NESTING_DEPTH), 'ok.xml').root.name).toBe('e');
  });

  it('XML in a zip: solution validate and unpack exit 2 with one line naming the entry', async () => {
    const tree = buildTree(FIXTURES['connector-with-connection-reference']!);
    const entries = readZip(packSolution(tree, { packageType: 'Unmanaged' }), 'x.zip').map((e) =>
      e.name === 'customizations.xml'
        ? { name: e.name, data: bytes(Buffer.from(e.data).toString().replace('<Workflows', '<x>'.repeat(2250) + '</x>'.repeat(2250) + '<Workflows')) }
        : e,
    );
    const zip = join(work, 'deep.zip');
    writeFileSync(zip, writeZip(entries));
    for (const args of [['solution', 'validate', zip], ['solution', 'unpack', '--zipfile', zip, '--folder', join(work, 'deep-out')]]) {
      const r = await runBuiltCli(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^coe-audit: error: ${zip.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:customizations\\.xml:\\d+:\\d+: XML elements nest deeper than 256`));
    }
  });

  it('flow JSON in a source folder: solution validate exits 2 with file, line and column', async () => {
    const tree = buildTree(FIXTURES['connector-with-connection-reference']!);
    const flow = [...tree.keys()].find((k) => /^Workflows\/.*\.json$/.test(k))!;
    tree.set(flow, bytes('{\n  "properties": ' + deepJson(2830) + '\n}\n'));
    const folder = writeTree(join(work, 'deep-flow'), tree);
    const r = await runBuiltCli(['solution', 'validate', folder]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^coe-audit: error: .*\.json:2:\d+: JSON nests deeper than 256 levels/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('CSV AuditData: a too-deep record is malformed (with its line); the other records are kept', async () => {
    const good = currentRow(launch256('id-1', 'u@contoso.com', 'app'), '9/20/2023 4:05:03 AM', '\r\n', '');
    const deep = currentRow({ ...launch256('id-2', 'u@contoso.com', 'app'), x: JSON.parse(deepJson(300)) as unknown }, '9/20/2023 4:05:03 AM', '\r\n', '');
    const file = join(work, 'deep.csv');
    writeFileSync(file, CURRENT_HEADER + '\r\n' + good + deep + good.replace('id-1', 'id-3'));
    const i = await inspectCsv({ file });
    expect([i.validRecords, i.malformedRecords]).toEqual([2, 1]);
    expect(i.malformed[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/nests deeper than 256/) });
    let out = '';
    const c = await convertCsv({ file, to: 'ndjson' }, (t) => (out += t));
    expect(c.written).toBe(2);
    expect(out.trim().split('\n')).toHaveLength(2);
  });

  it('YAML: deep flow collections and deep blocks are refused with the place, before the parser recurses', () => {
    let e = usageError(() => parseYaml('a: ' + '['.repeat(10000) + ']'.repeat(10000), 'f.yaml'));
    expect(e.problems[0]).toMatchObject({ file: 'f.yaml', line: 1, column: 3 + MAX_NESTING_DEPTH });
    const block = Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n');
    e = usageError(() => parseYaml(block, 'b.yaml'));
    expect(e.problems[0]).toMatchObject({ file: 'b.yaml', line: MAX_NESTING_DEPTH + 1, message: expect.stringMatching(/YAML nests deeper/) });
    const seq = '- '.repeat(400) + 'x';
    expect(usageError(() => parseYaml(seq, 's.yaml')).problems[0]).toMatchObject({ line: 1 });
    // Quotes and comments do not count; ordinary documents parse.
    expect(parseYaml('a: "[[[[" # [[[[\nb: [1, {c: 2}]\n', 'ok.yaml')).toEqual({ a: '[[[[', b: [1, { c: 2 }] });
  });
});

describe('YAML alias bombs', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');

  it('are one problem with file and line', () => {
    const e = usageError(() => parseYaml(bomb, 'bomb.yaml'));
    expect(e.problems).toEqual([{ file: 'bomb.yaml', line: 2, column: 8, message: expect.stringMatching(/aliases .* expand to more than 100 copies/) }]);
  });

  it('in a config: build exits 2 with one line', async () => {
    const config = join(work, 'bomb.config.yaml');
    writeFileSync(config, bomb);
    const r = await runBuiltCli(['build', '--config', config, '--check']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`coe-audit: error: ${config}:2:8: its aliases (*name) expand to more than 100 copies (an alias bomb?); write the values out instead of nesting aliases\n`);
  });
});

/** A regular file this process cannot open: a chmod-000 file, or (as root, who reads everything) /proc/1/mem. */
function unreadableFile(): string | undefined {
  const f = join(work, 'unreadable.yaml');
  writeFileSync(f, 'a: 1\n');
  chmodSync(f, 0);
  for (const candidate of [f, '/proc/1/mem']) {
    try {
      closeSync(openSync(candidate, 'r'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') return candidate;
    }
  }
  return undefined;
}

describe('unreadable files (EACCES)', () => {
  const file = unreadableFile();
  it.skipIf(!file)('are one line "<file>: cannot read: EACCES (permission denied)", exit 2, in every command', async () => {
    expect(() => readUserFile(file!)).toThrow(`${file}: cannot read: EACCES (permission denied)`);
    const line = `coe-audit: error: ${file}: cannot read: EACCES (permission denied)\n`;
    for (const args of [
      ['solution', 'validate', file!],
      ['solution', 'unpack', '--zipfile', file!, '--folder', join(work, 'eacces-out')],
      ['build', '--config', file!, '--check'],
    ]) {
      const r = await runBuiltCli(args);
      expect([r.status, r.stderr]).toEqual([2, line]);
    }
  });
});
