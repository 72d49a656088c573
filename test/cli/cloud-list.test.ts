import { describe, expect, it } from 'vitest';
import { runBuiltCli, runCliInProcess } from '../helpers/run-cli.js';

describe('coe-audit cloud list (built CLI)', () => {
  it('prints the table as JSON on stdout and exits 0', async () => {
    const r = await runBuiltCli(['cloud', 'list', '--output', 'json']);
    expect(r.status).toBe(0);
    const clouds = JSON.parse(r.stdout) as { id: string }[];
    expect(clouds.map((c) => c.id)).toEqual(['commercial', 'gcc', 'gcchigh', 'dod']);
    expect(r.stderr).toBe('');
  });

  it('exits 2 with one line for a bad option value', async () => {
    const r = await runBuiltCli(['cloud', 'list', '--output', 'xml']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Allowed values: json, text/);
  });

  it('exits 2 on an unknown command and 0 on --help and --version', async () => {
    expect((await runCliInProcess(['nope'])).status).toBe(2);
    expect((await runCliInProcess(['--help'])).status).toBe(0);
    const v = await runCliInProcess(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
