import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installCrashInjection, parseCrashAt } from '../../src/cli/crash-injection.js';
import { ensureDir, faultPoint, recoverFolder, setFaultHook, stageFolder } from '../../src/io/index.js';

const work = mkdtempSync(join(tmpdir(), 'coe-audit-folders-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const DEAD_PID = 2 ** 22 + 7; // above Linux's pid_max default range: no such process

describe('recoverFolder', () => {
  it('puts back a parked previous folder of a dead process and removes its staging folder', () => {
    const dir = mkdtempSync(join(work, 'r-'));
    mkdirSync(join(dir, `.out.tmp-${DEAD_PID}-abcdef`));
    mkdirSync(join(dir, `.out.tmp-${DEAD_PID}-abcdef.old`));
    writeFileSync(join(dir, `.out.tmp-${DEAD_PID}-abcdef.old`, 'a'), 'old');
    recoverFolder(join(dir, 'out'));
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(join(dir, 'out'))).toEqual(['a']);
  });

  it('leaves alone the folders of a process that still runs, and names that are not its own', () => {
    const dir = mkdtempSync(join(work, 'l-'));
    const live = `.out.tmp-${process.ppid}-abcdef`;
    for (const n of [live, `${live}.old`, '.out.tmp-x', `.other.tmp-${DEAD_PID}-abcdef`]) mkdirSync(join(dir, n));
    recoverFolder(join(dir, 'out'));
    expect(readdirSync(dir).sort()).toEqual([live, `${live}.old`, '.other.tmp-' + DEAD_PID + '-abcdef', '.out.tmp-x'].sort());
  });

  it('never removes the staging folder this process is filling', () => {
    const dir = mkdtempSync(join(work, 's-'));
    const staged = stageFolder(join(dir, 'out'));
    recoverFolder(join(dir, 'out'));
    expect(readdirSync(dir)).toHaveLength(1);
    staged.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('ensureDir', () => {
  it('creates missing parents one by one and fails at once where a folder cannot be made', () => {
    const dir = mkdtempSync(join(work, 'e-'));
    expect(ensureDir(join(dir, 'a', 'b'))).toEqual([join(dir, 'a'), join(dir, 'a', 'b')]);
    writeFileSync(join(dir, 'f'), '');
    expect(() => ensureDir(join(dir, 'f', 'x'))).toThrow(/ENOTDIR/);
    expect(() => ensureDir('/proc/coe-audit-nope/x')).toThrow();
  });
});

describe('crash injection', () => {
  it('parses only <rename|write>:<k>', () => {
    expect(parseCrashAt('rename:3')).toEqual({ op: 'rename', at: 3 });
    expect(parseCrashAt('write:1')).toEqual({ op: 'write', at: 1 });
    for (const bad of [undefined, '', 'rename', 'rename:0', 'unlink:1', 'write:-1']) expect(parseCrashAt(bad)).toBeUndefined();
  });

  it('fires at the k-th fault point of its kind only', () => {
    const kills: number[] = [];
    let n = 0;
    installCrashInjection({ COE_AUDIT_TEST_CRASH_AT: 'rename:2' }, () => kills.push(n));
    try {
      for (const op of ['write', 'rename', 'write', 'rename', 'rename'] as const) {
        n++;
        faultPoint(op);
      }
    } finally {
      setFaultHook(undefined);
    }
    expect(kills).toEqual([4]);
  });
});
