import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runBuiltCli, runCliInProcess } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** CSV tools: `-` reads standard input; --operation takes a comma list as content pull does; --out still works. */
const EXPORT = join(REPO_ROOT, 'examples', 'purview-export.csv');
const csv = readFileSync(EXPORT, 'utf8');

describe('csv tools on standard input', () => {
  it('inspect - gives what inspect <file> gives, naming <stdin>, and leaves no temporary file', async () => {
    const fromFile = await runCliInProcess(['csv', 'inspect', EXPORT, '-o', 'json']);
    const fromStdin = await runBuiltCli(['csv', 'inspect', '-', '-o', 'json'], { input: csv });
    expect(fromStdin.status, fromStdin.stderr).toBe(0);
    const a = JSON.parse(fromFile.stdout) as Record<string, unknown>;
    const b = JSON.parse(fromStdin.stdout) as Record<string, unknown>;
    expect(b.file).toBe('<stdin>');
    expect({ ...b, file: EXPORT }).toEqual(a);
  });

  it('convert - streams NDJSON, and split - writes its parts to the working directory', async () => {
    const converted = await runBuiltCli(['csv', 'convert', '-', '--to', 'ndjson', '--quiet'], { input: csv });
    expect(converted.status, converted.stderr).toBe(0);
    expect(converted.stdout.trim().split('\n')).toHaveLength(12);
    const cwd = makeTempDir('csv-stdin');
    const split = await runBuiltCli(['csv', 'split', '-', '--rows', '5', '-o', 'json'], { input: csv, cwd });
    expect(split.status, split.stderr).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['stdin-part-0001.csv', 'stdin-part-0002.csv', 'stdin-part-0003.csv']);
  });

  it('a bad stdin names <stdin>, not a temporary path', async () => {
    const r = await runBuiltCli(['csv', 'inspect', '-'], { input: 'not,a,purview,export\r\n' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^coe-audit: error: <stdin>:1: not a Microsoft Purview audit-log export/);
    expect(r.stderr).not.toContain('coe-audit-stdin-');
  });
});

describe('csv convert options', () => {
  it('--operation A,B keeps both operations, like --operation A --operation B', async () => {
    const list = await runCliInProcess(['csv', 'convert', EXPORT, '--to', 'ndjson', '--operation', 'LaunchPowerApp,DeletePowerApp', '--quiet']);
    const repeated = await runCliInProcess(['csv', 'convert', EXPORT, '--to', 'ndjson', '--operation', 'launchpowerapp', '--operation', 'DeletePowerApp', '--quiet']);
    expect(list.status, list.stderr).toBe(0);
    const ops = list.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { Operation: string }).Operation);
    expect(ops).toHaveLength(10);
    expect(new Set(ops)).toEqual(new Set(['LaunchPowerApp', 'DeletePowerApp']));
    expect(repeated.stdout).toBe(list.stdout);
  });

  it('--out is a deprecated alias of --output-file', async () => {
    const dir = makeTempDir('csv-out');
    const r = await runCliInProcess(['csv', 'convert', EXPORT, '--to', 'csv', '--out', join(dir, 'x.csv')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: --out is deprecated; use --output-file/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(true);
  });
});
