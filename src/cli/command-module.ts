import type { Command } from 'commander';
import type { CliContext } from './context.js';

/**
 * One command file = one CommandModule: `coe-audit <noun> <verb>` (or a top-level verb when noun is empty).
 * `register` adds the verb under its noun and wires options to a core function; it holds no logic of its own.
 */
export interface CommandModule {
  noun: string;
  verb: string;
  /** One command line that runs as written from the repository root; `--help` prints it, docs list it (a test runs it). */
  example: string;
  register: (parent: Command, ctx: CliContext) => void;
}

/** An entry of the command table: enough to pick the module from argv without importing it. */
export interface CommandEntry {
  noun: string;
  verb: string;
  /** The line help lists the command under, without importing it. */
  summary: string;
  load: () => Promise<{ default: CommandModule }>;
}
