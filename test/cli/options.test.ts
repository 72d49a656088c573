import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command} from 'commander';
import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { resolveWindow } from '../../src/api/index.js';
import { parseContentType } from '../../src/cli/api-options.js';
import { CoeCommand, CoeOption, flagKey, listOption, normaliseArgs } from '../../src/cli/options.js';
import { runCliInProcess } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** The one option parser (src/cli/options.ts): lists, repetition, aliases, spellings, time windows. */
const tmp = () => makeTempDir('options');

function parse(build: (c: Command) => Command, argv: string[]): { opts: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const program = new CoeCommand('t');
  program.warn = (l) => warnings.push(l);
  let opts: Record<string, unknown> = {};
  build(program.command('x'))
    .exitOverride()
    .action((o: Record<string, unknown>) => {
      opts = o;
    });
  program.exitOverride().configureOutput({ writeErr: () => {} });
  program.parse(['x', ...argv], { from: 'user' });
  return { opts, warnings };
}

describe('list options', () => {
  const list = (c: Command) => c.addOption(listOption('--cloud <names>', 'clouds', (v) => v.toLowerCase()).default(['all']));
  it.each([
    [['--cloud', 'gcc,dod'], ['gcc', 'dod']],
    [['--cloud', 'gcc', '--cloud', 'dod'], ['gcc', 'dod']],
    [['--cloud=gcc, DOD', '--cloud', 'gcc'], ['gcc', 'dod']],
    [[], ['all']],
  ])('%j gives %j', (argv, want) => {
    expect(parse(list, argv).opts.cloud).toEqual(want);
  });
  it('refuses an empty list', () => {
    expect(() => parse(list, ['--cloud', ','])).toThrow(/comma-separated list/);
  });
});

describe('single-value options', () => {
  const one = (c: Command) => c.option('--cloud <name>');
  it('refuses a second, different value instead of keeping the last', () => {
    expect(() => parse(one, ['--cloud', 'gcc', '--cloud', 'dod'])).toThrow(/--cloud was given 2 times \('gcc', 'dod'\); it takes one value/);
  });
  it('accepts the same value twice', () => {
    expect(parse(one, ['--cloud', 'gcc', '--cloud=gcc']).opts.cloud).toBe('gcc');
  });
});

describe('spellings and aliases', () => {
  it('matches long options without regard to case or hyphens (pac, m365 and ours)', () => {
    expect(flagKey('--start-time')).toBe(flagKey('--startTime'));
    const r = parse((c) => c.option('--content-type <t>').option('--zipfile <z>').option('--output-directory <d>'), ['--contentType', 'a', '--zipFile', 'b', '--outputDirectory', 'c']);
    expect(r.opts).toEqual({ contentType: 'a', zipfile: 'b', outputDirectory: 'c' });
  });
  it('rewrites an alias, and warns for a deprecated one', () => {
    const build = (c: Command) => c.addOption(new CoeOption('--output <f>', 'f').alias('--format', { deprecated: true })).addOption(new CoeOption('--start <t>', 's').alias('--startTime'));
    const r = parse(build, ['--format', 'json', '--start-time', '2026-01-01']);
    expect(r.opts).toEqual({ output: 'json', start: '2026-01-01' });
    expect(r.warnings).toEqual(['warning: --format is deprecated; use --output']);
  });
  it('leaves what follows -- alone', () => {
    expect(normaliseArgs(['--ZIPFILE', 'a', '--', '--ZIPFILE'], [new Option('--zipfile <z>')])).toEqual(['--zipfile', 'a', '--', '--ZIPFILE']);
  });
});

describe('content types', () => {
  it.each([
    ['General', 'Audit.General'],
    ['audit.general', 'Audit.General'],
    ['SharePoint', 'Audit.SharePoint'],
    ['DLP', 'DLP.All'],
    ['dlp.all', 'DLP.All'],
  ])('%s is %s', (given, want) => expect(parseContentType(given)).toBe(want));
  it('names the allowed values for an unknown one', () => expect(() => parseContentType('Teams')).toThrow(/Allowed values: Audit.AzureActiveDirectory/));
});

describe('time window', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  const h = 3_600_000;
  it('defaults to the last 24 hours', () => expect(resolveWindow({ now })).toEqual({ start: now - 24 * h, end: now, warnings: [] }));
  it('caps an end after now, saying so', () => {
    const w = resolveWindow({ start: now - 2 * h, end: now + 5 * h, now });
    expect(w.end).toBe(now);
    expect(w.warnings[0]).toMatch(/is after now: the window ends at 2026-03-10T12:00:00.000Z/);
  });
  it('refuses a window longer than 7 days', () => {
    expect(() => resolveWindow({ start: now - 24 * h, end: Date.parse('2099-01-01'), now })).toThrow(/may be at most 7 days/);
  });
  it('refuses a start after the end', () => expect(() => resolveWindow({ start: now - h, end: now - 2 * h, now })).toThrow(/--start must be before --end/));
});

describe('through the CLI', () => {
  it('connector build takes --cloud as a comma list and repeated', async () => {
    const dir = tmp();
    const a = await runCliInProcess(['connector', 'build', '--cloud', 'gcc,dod', '--output-directory', join(dir, 'a')]);
    expect(a.status, a.stderr).toBe(0);
    expect(readdirSync(join(dir, 'a')).sort()).toEqual(['dod', 'gcc']);
    const b = await runCliInProcess(['connector', 'build', '--cloud', 'UsGov', '--cloud', 'gcchigh', '--output-directory', join(dir, 'b')]);
    expect(b.status, b.stderr).toBe(0);
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(['gcc', 'gcchigh']);
  });
  it('a one-cloud command refuses two clouds', async () => {
    const r = await runCliInProcess(['subscription', 'list', '--cloud', 'gcc', '--cloud', 'dod']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--cloud was given 2 times/);
  });
  it('content pull refuses --end 2099-01-01 before any request', async () => {
    const r = await runCliInProcess(['content', 'pull', '--start', new Date(Date.now() - 3_600_000).toISOString(), '--end', '2099-01-01']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/may be at most 7 days/);
  });
  it('--help shows one example and the docs page', async () => {
    const r = await runCliInProcess(['csv', 'inspect', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Example:\n {2}coe-audit csv inspect \S+/);
    expect(r.stdout).toMatch(/Docs: https:\/\/\S+\/docs\/commands\/csv-inspect\.md/);
  });
  it('validators take --output and still --format, with a warning', async () => {
    const dir = tmp();
    await runCliInProcess(['connector', 'build', '--cloud', 'gcc', '--output-directory', dir]);
    const a = await runCliInProcess(['connector', 'validate', join(dir, 'gcc'), '-o', 'json']);
    expect(a.status, a.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(a.stdout))).toBe(true);
    const b = await runCliInProcess(['connector', 'validate', join(dir, 'gcc'), '--format', 'json']);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toMatch(/--format is deprecated; use --output/);
    expect(existsSync(dir)).toBe(true);
  });
});
