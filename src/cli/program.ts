import { CommanderError, type Command } from 'commander';
import { fileSystemError, isFileSystemError, RuntimeError, UsageError } from '../errors.js';
import type { CliContext, CliIO } from './context.js';
import { refuseSecretOptions } from './secret-options.js';
import type { CommandEntry, CommandModule } from './command-module.js';
import { COMMANDS, NOUNS } from './commands.js';
import { commandDocsPath, DOCS_BASE_URL } from './docs-url.js';
import { CoeCommand } from './options.js';
import { VERSION } from './version.js';

/**
 * The command modules a run needs: the one argv names (`<noun> <verb>`, or a top-level verb) is imported; any
 * other command is a stand-in made from the table (name and summary), which is all help, suggestions on a typo
 * and an empty command line need. So `coe-audit --help` imports no command module. Program-level options take no
 * value, so the first two words are the command.
 */
export async function loadCommands(argv: readonly string[], entries: readonly CommandEntry[] = COMMANDS): Promise<CommandModule[]> {
  const [first, second] = argv.filter((a) => !a.startsWith('-'));
  const picked = entries.find((e) => (e.noun === '' && e.verb === first) || (e.noun !== '' && e.noun === first && e.verb === second));
  if (picked) return [(await picked.load()).default];
  const noun = entries.filter((e) => e.noun !== '' && e.noun === first);
  return (noun.length > 0 ? noun : entries).map(standIn);
}

/** Every command module, imported (the docs test walks their options). */
export async function loadAllCommands(entries: readonly CommandEntry[] = COMMANDS): Promise<CommandModule[]> {
  return Promise.all(entries.map(async (e) => (await e.load()).default));
}

/** A command of the table without its module: its name and summary, for help listings. */
function standIn(e: CommandEntry): CommandModule {
  return { noun: e.noun, verb: e.verb, example: '', register: (parent) => parent.command(e.verb).description(e.summary) };
}

/** Builds the commander tree from command modules. Exposed so the docs test can walk every command and option. */
export function createProgram(ctx: CliContext, modules: readonly CommandModule[]): Command {
  const program = new CoeCommand('coe-audit');
  program.warn = (line) => ctx.info(line);
  program
    .description('Build, validate, pack and test the CoE audit-log connector, flows and solution for every Microsoft cloud.')
    .version(VERSION, '--version', 'print the version and exit')
    .option('--debug', 'print stack traces and redacted HTTP traces on stderr')
    .option('--quiet', 'print nothing but results')
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) })
    .exitOverride();
  const groups = new Map<string, Command>();
  for (const mod of modules) {
    let parent: Command = program;
    if (mod.noun) {
      let group = groups.get(mod.noun);
      if (!group) {
        group = program.command(mod.noun).description(NOUNS[mod.noun] ?? '');
        groups.set(mod.noun, group);
      }
      parent = group;
    }
    mod.register(parent, ctx);
    const leaf = mod.example ? parent.commands.find((c) => c.name() === mod.verb) : undefined;
    leaf?.addHelpText('after', `\nExample:\n  ${mod.example}\n\nDocs: ${DOCS_BASE_URL}/${commandDocsPath(mod.noun, mod.verb)}\n`);
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
