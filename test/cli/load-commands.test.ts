import { describe, expect, it } from 'vitest';
import type { CommandEntry, CommandModule } from '../../src/cli/command-module.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { loadCommands } from '../../src/cli/program.js';

const loaded: string[] = [];
const entry = (noun: string, verb: string): CommandEntry => ({
  noun,
  verb,
  summary: `${noun} ${verb}`,
  load: async () => {
    loaded.push(`${noun} ${verb}`.trim());
    return { default: { noun, verb, example: '', register: () => {} } as CommandModule };
  },
});
const TABLE = [entry('', 'build'), entry('csv', 'inspect'), entry('csv', 'split'), entry('solution', 'pack')];

async function pick(argv: string[]): Promise<string[]> {
  loaded.length = 0;
  await loadCommands(argv, TABLE);
  return [...loaded];
}

describe('lazy command loading', () => {
  it.each([
    [['csv', 'split', 'x.csv', '--rows', '5'], ['csv split']],
    [['--debug', 'csv', 'split', '--help'], ['csv split']],
    [['build', '--cloud', 'gcc'], ['build']],
    [['csv', '--help'], []],
    [['csv', 'splt'], []],
    [['nope'], []],
    [['--help'], []],
    [[], []],
    [['--version'], []],
  ])('for %j imports %j', async (argv, want) => {
    expect(await pick(argv)).toEqual(want);
  });

  it('stands in for the other commands with their names and summaries', async () => {
    expect((await loadCommands(['csv', '--help'], TABLE)).map((m) => m.verb)).toEqual(['inspect', 'split']);
    expect((await loadCommands(['--help'], TABLE)).map((m) => `${m.noun} ${m.verb}`.trim())).toEqual(['build', 'csv inspect', 'csv split', 'solution pack']);
  });

  it('keeps the real table sorted, unique, and each entry loading the module it names', async () => {
    const keys = COMMANDS.map((c) => `${c.noun} ${c.verb}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    for (const c of COMMANDS) {
      const mod = (await c.load()).default;
      expect([mod.noun, mod.verb]).toEqual([c.noun, c.verb]);
    }
  });
});
