import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { createProgram, loadAllCommands } from '../../src/cli/program.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

/** Every command has docs/commands/<noun>-<verb>.md, and the page names every option the command has. */
function leaves(cmd: Command, prefix: string[] = []): { name: string[]; cmd: Command }[] {
  const out: { name: string[]; cmd: Command }[] = [];
  for (const sub of cmd.commands) {
    const name = [...prefix, sub.name()];
    if (sub.commands.length > 0) out.push(...leaves(sub, name));
    else out.push({ name, cmd: sub });
  }
  return out;
}

const program = createProgram(
  {
  stdout: () => {},
  stderr: () => {},
  env: {},
  cwd: REPO_ROOT,
  version: 'test',
  debugEnabled: false,
  debug: () => {},
  info: () => {},
  exitCode: 0,
  },
  await loadAllCommands(),
);

describe('command documentation', () => {
  const all = leaves(program);
  it('has commands', () => expect(all.length).toBeGreaterThan(0));
  for (const { name, cmd } of all) {
    const page = join(REPO_ROOT, 'docs', 'commands', `${name.join('-')}.md`);
    it(`documents coe-audit ${name.join(' ')}`, () => {
      expect(existsSync(page), `${page} is missing`).toBe(true);
      const text = readFileSync(page, 'utf8');
      for (const section of ['## Usage', '## Options', '## Examples', '## Exit codes']) expect(text).toContain(section);
      for (const opt of cmd.options) expect(text, `${page} does not mention ${opt.long}`).toContain(opt.long!);
    });
  }
  it.each(COMMANDS.map((c) => [`${c.noun} ${c.verb}`.trim(), c] as const))('lists the --help example of %s on its page', async (_, entry) => {
    const mod = (await entry.load()).default;
    const page = readFileSync(join(REPO_ROOT, 'docs', 'commands', `${[entry.noun, entry.verb].filter(Boolean).join('-')}.md`), 'utf8');
    expect(mod.example.startsWith(`coe-audit ${`${entry.noun} ${entry.verb}`.trim()} `)).toBe(true);
    expect(page.slice(page.indexOf('## Examples')), 'the example --help shows is one of the page\'s Examples').toContain(mod.example);
  });
});
