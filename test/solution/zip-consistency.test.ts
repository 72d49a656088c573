import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { packSolution, readZip, validateSolutionZip, writeZip } from '../../src/solution/index.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { buildTree, FIXTURES } from './fixtures.js';
import { bytes } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'coe-audit-zipc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const good = () => readZip(packSolution(buildTree(FIXTURES['flow-only']!), { packageType: 'Unmanaged' }), 'z');

function refusal(zip: Uint8Array): string {
  try {
    readZip(zip, 'in.zip');
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

/** A zip of one stored entry whose local header we then edit; offsets are those of the local header. */
function oneEntry(): Buffer {
  return Buffer.from(writeZip([{ name: 'Workflows/a.json', data: bytes('{"a":1}') }]));
}

describe('readZip: a name both file and folder', () => {
  it('is refused, in either order and with a directory entry, also when the case differs', () => {
    const x = bytes('x');
    for (const extra of [
      [{ name: 'Workflows/a', data: x }, { name: 'Workflows/a/b.json', data: x }],
      [{ name: 'Workflows/a/b.json', data: x }, { name: 'Workflows/a', data: x }],
      [{ name: 'Workflows/A/', data: new Uint8Array() }, { name: 'Workflows/a', data: x }],
      [{ name: 'workflows', data: x }],
    ]) {
      expect(refusal(writeZip([...good(), ...extra]))).toMatch(/both as a file and as a folder \(.*\); refusing to unpack it/);
    }
  });

  it('solution validate and unpack exit 2 with one line, and unpack writes nothing', async () => {
    const zip = join(work, 'file-folder.zip');
    writeFileSync(zip, writeZip([...good(), { name: 'Workflows/a', data: bytes('x') }, { name: 'Workflows/a/b.json', data: bytes('x') }]));
    const folder = join(work, 'out');
    for (const args of [['solution', 'validate', zip], ['solution', 'unpack', '--zipfile', zip, '--folder', folder]]) {
      const r = await runBuiltCli(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`coe-audit: error: ${zip}: has "Workflows/a" both as a file and as a folder ("Workflows/a/b.json"); refusing to unpack it\n`);
    }
    expect(existsSync(folder)).toBe(false);
  });
});

describe('readZip: local header against central directory', () => {
  it('reads the untouched zip', () => {
    expect(readZip(new Uint8Array(oneEntry()), 'in.zip').map((e) => e.name)).toEqual(['Workflows/a.json']);
  });

  it.each([
    ['CRC', (z: Buffer) => z.writeUInt32LE(z.readUInt32LE(14) ^ 1, 14), /local header whose CRC differ/],
    ['compressed size', (z: Buffer) => z.writeUInt32LE(z.readUInt32LE(18) + 1, 18), /local header whose sizes differ/],
    ['uncompressed size', (z: Buffer) => z.writeUInt32LE(z.readUInt32LE(22) + 1, 22), /local header whose sizes differ/],
    ['flags', (z: Buffer) => z.writeUInt16LE(z.readUInt16LE(6) ^ 0x0002, 6), /local header whose flags \(0x802\) differ from the central directory \(0x800\)/],
    ['encryption flag', (z: Buffer) => z.writeUInt16LE(z.readUInt16LE(6) | 0x0001, 6), /encrypted entry "Workflows\/a\.json" \(flagged in its local header\)/],
    ['method', (z: Buffer) => z.writeUInt16LE(0, 8), /compression method differs/],
    ['zip64 sizes', (z: Buffer) => z.writeUInt32LE(0xffffffff, 22), /zip64 entry "Workflows\/a\.json" \(in its local header\)/],
  ])('a different %s is refused', (_name, edit, why) => {
    const z = oneEntry();
    edit(z);
    expect(refusal(new Uint8Array(z))).toMatch(why);
  });

  it('a zip64 extra field in the local header only is refused', () => {
    // Rebuild the zip with a 20-byte zip64 extra field (id 0x0001) in the local header; the central directory has none.
    const z = oneEntry();
    const nameLen = z.readUInt16LE(26);
    const extra = Buffer.alloc(20);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    const local = Buffer.concat([z.subarray(0, 30 + nameLen), extra, z.subarray(30 + nameLen)]);
    local.writeUInt16LE(20, 28);
    const eocd = local.length - 22;
    const cd = local.readUInt32LE(eocd + 16) + 20;
    local.writeUInt32LE(cd, eocd + 16);
    expect(refusal(new Uint8Array(local))).toMatch(/zip64 entry "Workflows\/a\.json" \(in its local header\)/);
    expect(cd).toBeGreaterThan(0);
  });

  it('validateSolutionZip refuses too (it reads through the same reader)', () => {
    const z = Buffer.from(packSolution(buildTree(FIXTURES['flow-only']!), { packageType: 'Unmanaged' }));
    z.writeUInt32LE(z.readUInt32LE(22) + 1, 22);
    expect(() => validateSolutionZip(new Uint8Array(z))).toThrow(/local header whose sizes differ/);
  });
});
