import { describe, expect, it } from 'vitest';
import { Option } from 'commander';
import { normaliseArgs } from '../../src/cli/options.js';
import { isoTimestamp } from '../../src/cli/timestamp-option.js';
import { RuntimeError, UsageError } from '../../src/errors.js';
import { locatePac, pacPackArgs, runPac, type Spawner } from '../../src/solution/index.js';

describe('locatePac', () => {
  const files = new Set(['/opt/pac/tools/pac', '/usr/local/bin/pac', 'C:\\tools\\pac.exe']);
  const isFile = (p: string) => files.has(p);
  it('prefers POWERPLATFORMTOOLS_PACPATH, then PATH', () => {
    expect(locatePac({ env: { POWERPLATFORMTOOLS_PACPATH: '/opt/pac/tools/pac', PATH: '/usr/local/bin' }, isFile, platform: 'linux' })).toBe('/opt/pac/tools/pac');
    expect(locatePac({ env: { PATH: '/usr/bin:/usr/local/bin' }, isFile, platform: 'linux' })).toBe('/usr/local/bin/pac');
    expect(locatePac({ env: { PATH: '/usr/bin:relative' }, isFile, platform: 'linux' })).toBeUndefined();
  });
  it('finds pac.exe on Windows PATH', () => {
    expect(locatePac({ env: { Path: 'C:\\Windows;C:\\tools' }, isFile: (p) => p.replace(/\//g, '\\') === 'C:\\tools\\pac.exe', platform: 'win32' })).toMatch(/pac\.exe$/);
  });
  it('refuses a POWERPLATFORMTOOLS_PACPATH that names nothing', () => {
    expect(() => locatePac({ env: { POWERPLATFORMTOOLS_PACPATH: '/nope/pac' }, isFile, platform: 'linux' })).toThrow(UsageError);
  });
});

describe('runPac', () => {
  it('passes an argument array and its output; maps a non-zero exit to a RuntimeError', async () => {
    const calls: { command: string; args: readonly string[] }[] = [];
    const out: string[] = [];
    const spawn = (status: number | null): Spawner => async (command, args, o) => {
      calls.push({ command, args });
      o.onOutput('hello from pac\n');
      return { status, signal: status === null ? 'SIGKILL' : null };
    };
    const args = pacPackArgs({ zipfile: '/a/b c.zip', folder: '/src', packageType: 'Both' });
    await runPac('/bin/pac', args, { cwd: '/', env: {}, spawn: spawn(0), onOutput: (t) => out.push(t) });
    expect(calls[0]).toEqual({ command: '/bin/pac', args: ['solution', 'pack', '--zipfile', '/a/b c.zip', '--folder', '/src', '--packagetype', 'Both'] });
    expect(out).toEqual(['hello from pac\n']);
    await expect(runPac('/bin/pac', args, { cwd: '/', env: {}, spawn: spawn(1), onOutput: () => {} })).rejects.toThrow(RuntimeError);
    await expect(runPac('/bin/pac', args, { cwd: '/', env: {}, spawn: spawn(null), onOutput: () => {} })).rejects.toThrow(/ended by SIGKILL/);
    const failing: Spawner = async () => Promise.reject(Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' }));
    await expect(runPac('/bin/pac', args, { cwd: '/', env: {}, spawn: failing, onOutput: () => {} })).rejects.toThrow(/could not start pac \(\/bin\/pac\): ENOENT/);
  });
});

describe('pac-style flags', () => {
  it('rewrites case variants of known long options only, before --', () => {
    const options = ['--zipfile <zip>', '--folder <src>', '--packagetype <type>'].map((f) => new Option(f));
    expect(normaliseArgs(['--zipFile', 'a.zip', '--FOLDER=src', '--packageType', 'Both', '--other', '--', '--ZIPFILE'], options)).toEqual([
      '--zipfile', 'a.zip', '--folder=src', '--packagetype', 'Both', '--other', '--', '--ZIPFILE',
    ]);
  });
  it('reads --timestamp as ISO 8601, UTC when no zone is given', () => {
    expect(isoTimestamp('2025-01-31T12:00:00Z').toISOString()).toBe('2025-01-31T12:00:00.000Z');
    expect(isoTimestamp('2025-01-31T12:00').toISOString()).toBe('2025-01-31T12:00:00.000Z');
    expect(isoTimestamp('2025-01-31').toISOString()).toBe('2025-01-31T00:00:00.000Z');
    expect(isoTimestamp('2025-01-31T12:00:00+02:00').toISOString()).toBe('2025-01-31T10:00:00.000Z');
    expect(() => isoTimestamp('yesterday')).toThrow(/ISO 8601/);
  });
});
