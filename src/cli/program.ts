import { Command, CommanderError } from 'commander';
import { fileSystemError, isFileSystemError, RuntimeError, UsageError } from '../errors.js';
import type { CliContext, CliIO } from './context.js';
import { refuseSecretOptions } from './secret-options.js';
import type { CommandEntry, CommandModule } from './command-module.js';
import { COMMANDS } from './commands.js';
import { VERSION } from './version.js';

/**
 * The command modules a run needs: the one argv names (`<noun> <verb>`, or a top-level verb), else the verbs of
 * the noun it names, else every command (for help, suggestions on a typo, and an empty command line). A bare
 * `--version` needs none. Program-level options take no value, so the first two words are the command.
 */
export async function loadCommands(argv: readonly string[], entries: readonly CommandEntry[] = COMMANDS): Promise<CommandModule[]> {
  const [first, second] = argv.filter((a) => !a.startsWith('-'));
  let picked = entries.filter((e) => e.noun === '' && e.verb === first);
  if (picked.length === 0) picked = entries.filter((e) => e.noun === first && e.verb === second);
  if (picked.length === 0) picked = entries.filter((e) => e.noun === first);
  if (picked.length === 0) picked = first === undefined && argv.includes('--version') ? [] : [...entries];
  return Promise.all(picked.map(async (e) => (await e.load()).default));
}

/** Builds the commander tree from command modules. Exposed so the docs test can walk every command and option. */
export function createProgram(ctx: CliContext, modules: readonly CommandModule[]): Command {
  const program = new Command('coe-audit')
    .description('Build, validate, pack and test the CoE audit-log connector, flows and solution for every Microsoft cloud.')
    .version(VERSION, '--version', 'print the version and exit')
    .option('--debug', 'print stack traces and redacted HTTP traces on stderr')
    .option('--quiet', 'print nothing but results')
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) })
    .exitOverride();
  const groups = new Map<string, Command>();
  for (const mod of modules) {
    let parent = program;
    if (mod.noun) {
      let group = groups.get(mod.noun);
      if (!group) {
        group = program.command(mod.noun).description(mod.nounDescription ?? '');
        groups.set(mod.noun, group);
      }
      parent = group;
    }
    mod.register(parent, ctx);
  }
  return program;
}

/**
 * Runs the CLI and returns the exit status: 0 success, 1 findings, 2 usage or runtime failure.
 * Never calls process.exit, so tests can run it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const debugEnabled = argv.includes('--debug');
  const quiet = argv.includes('--quiet');
  const ctx: CliContext = {
    ...io,
    version: VERSION,
    debugEnabled,
    debug: (line) => {
      if (debugEnabled) io.stderr(`debug: ${line}\n`);
    },
    info: (line) => {
      if (!quiet) io.stderr(`${line}\n`);
    },
    exitCode: 0,
  };
  try {
    refuseSecretOptions(argv);
    const program = createProgram(ctx, await loadCommands(argv));
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    return reportError(e, ctx);
  }
}

function reportError(e: unknown, ctx: CliContext): number {
  if (e instanceof CommanderError) {
    // Help and version are successes; commander already printed its own message for usage errors.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return 2;
  }
  if (e instanceof UsageError) {
    for (const line of e.message.split('\n')) ctx.stderr(`coe-audit: error: ${line}\n`);
    if (ctx.debugEnabled && e.stack) ctx.stderr(`${e.stack}\n`);
    return 2;
  }
  if (e instanceof RuntimeError) {
    ctx.stderr(`coe-audit: error: ${e.message}\n`);
    if (ctx.debugEnabled && e.stack) ctx.stderr(`${e.stack}\n`);
    return 2;
  }
  if (isFileSystemError(e) && e.path) {
    // A file-system failure no reader mapped: still one line naming the path, never "internal error".
    const verb = /^(open|read|stat|lstat|scandir|access)/.test(e.syscall ?? '') ? 'read' : 'write';
    return reportError(fileSystemError(e.path, e, verb), ctx);
  }
  const err = e instanceof Error ? e : new Error(String(e));
  ctx.stderr(`coe-audit: internal error: ${err.message}${ctx.debugEnabled ? '' : ' (run with --debug for the stack trace)'}\n`);
  if (ctx.debugEnabled && err.stack) ctx.stderr(`${err.stack}\n`);
  return 2;
}
