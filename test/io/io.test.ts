import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { decodeUtf8, locateYamlPath, parseYaml, readUtf8File, stableJson, writeTreeAtomic } from '../../src/io/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const tmp = () => makeTempDir('io');

describe('YAML', () => {
  it('reports syntax errors with file, line and column', () => {
    try {
      parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'x.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      const p = (e as UsageError).problems[0]!;
      expect(p.file).toBe('x.yaml');
      expect(p.line).toBeGreaterThanOrEqual(2);
      expect(p.column).toBeGreaterThanOrEqual(1);
      expect((e as UsageError).message).toMatch(/^x\.yaml:\d+:\d+: /);
    }
  });

  it('rejects duplicate keys', () => {
    expect(() => parseYaml('a: 1\na: 2\n', 'dup.yaml')).toThrow(/dup\.yaml:2:1/);
  });

  it('locates a parsed path in the source', () => {
    const text = 'info:\n  title: Hello\n  version: "1"\n';
    expect(locateYamlPath(text, ['info', 'version'])).toEqual({ line: 3, column: 12 });
    expect(locateYamlPath(text, ['info', 'missing'])).toEqual({ line: 2, column: 3 });
  });
});

describe('UTF-8', () => {
  it('drops a BOM and rejects invalid bytes with a position', () => {
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 'f')).toBe('a');
    expect(() => decodeUtf8(Buffer.from('ok\nab\xffc', 'latin1'), 'bad.yaml')).toThrow(/bad\.yaml:2:3: is not valid UTF-8/);
  });

  it('names a missing file', () => {
    expect(() => readUtf8File('/nonexistent/coe-audit.yaml')).toThrow(/\/nonexistent\/coe-audit\.yaml: cannot read: ENOENT/);
  });
});

describe('stableJson', () => {
  it('uses 2-space indent, LF and a final newline; sorts keys on request', () => {
    expect(stableJson({ b: 1, a: [1] })).toBe('{\n  "b": 1,\n  "a": [\n    1\n  ]\n}\n');
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: true })).toBe('{\n  "a": {\n    "c": 2,\n    "d": 1\n  },\n  "b": 1\n}\n');
  });
});

describe('writeTreeAtomic', () => {
  it('writes a tree and replaces an existing one whole', () => {
    const root = tmp();
    const target = join(root, 'out');
    writeTreeAtomic(target, new Map([['a/b.txt', 'one'], ['c.txt', 'two']]));
    expect(readFileSync(join(target, 'a', 'b.txt'), 'utf8')).toBe('one');
    writeTreeAtomic(target, new Map([['d.txt', 'three']]));
    expect(readdirSync(target)).toEqual(['d.txt']);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('refuses paths that escape the target and leaves nothing behind', () => {
    const root = tmp();
    expect(() => writeTreeAtomic(join(root, 'out'), new Map([['../evil.txt', 'x']]))).toThrow(UsageError);
    expect(readdirSync(root)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unwritable parent as a usage error', () => {
    const root = tmp();
    const locked = join(root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    expect(() => writeTreeAtomic(join(locked, 'out'), new Map([['a', 'b']]))).toThrow(/cannot write/);
  });

  it('reports a target under a regular file as a usage error and leaves the file alone', () => {
    const root = tmp();
    const file = join(root, 'file');
    writeFileSync(file, 'keep');
    expect(() => writeTreeAtomic(join(file, 'out'), new Map([['a', 'b']]))).toThrow(/file\/out: cannot write \(E(NOTDIR|EXIST)\)/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
    expect(existsSync(join(root, 'file', 'out'))).toBe(false);
  });
});

describe('writeTreeAtomic permissions', () => {
  it('gives the written folder the permissions of a plain mkdir, not mkdtemp’s 0700', () => {
    const root = tmp();
    const target = join(root, 'out');
    writeTreeAtomic(target, new Map([['a.txt', 'x']]));
    mkdirSync(join(root, 'plain'));
    expect(statSync(target).mode & 0o777).toBe(statSync(join(root, 'plain')).mode & 0o777);
  });
});
