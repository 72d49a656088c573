import { Command, InvalidArgumentError } from 'commander';

/**
 * pac spells its long options case-insensitively (`--zipFile`, `--packageType` from Microsoft's wrappers,
 * `--zipfile` in its docs). commander is case-sensitive, so a command that takes pac's flags rewrites any
 * case variant of its own long options to the registered spelling before commander parses them.
 */
export function normalisePacFlags(argv: readonly string[], longNames: readonly string[]): string[] {
  const byLower = new Map(longNames.map((n) => [n.toLowerCase(), n]));
  const out: string[] = [];
  let done = false;
  for (const arg of argv) {
    if (done || arg === '--' || !arg.startsWith('--')) {
      done ||= arg === '--';
      out.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const known = byLower.get(flag.toLowerCase());
    out.push(known ? known + (eq < 0 ? '' : arg.slice(eq)) : arg);
  }
  return out;
}

/** A subcommand whose long options are matched case-insensitively, as pac matches them. */
export class PacStyleCommand extends Command {
  override parseOptions(argv: string[]): { operands: string[]; unknown: string[] } {
    const longs = this.options.map((o) => o.long).filter((l): l is string => !!l);
    return super.parseOptions(normalisePacFlags(argv, longs));
  }
}

/** Adds a pac-style subcommand under `parent`, inheriting its output and exit settings. */
export function pacStyleCommand(parent: Command, name: string): Command {
  const cmd = new PacStyleCommand(name);
  cmd.copyInheritedSettings(parent);
  parent.addCommand(cmd);
  return cmd;
}

/** `--timestamp`: an ISO 8601 date or date-time; without a zone it is read as UTC so output does not depend on the machine. */
export function isoTimestamp(value: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value.trim());
  const d = m ? new Date(m[2] ? `${m[1]}T${m[2]}${m[3] ?? 'Z'}` : `${m[1]}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new InvalidArgumentError('expected an ISO 8601 date-time such as 2025-01-31T12:00:00Z.');
  return d;
}
