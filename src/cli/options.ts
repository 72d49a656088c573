import { Command, InvalidArgumentError, Option } from 'commander';
import { cloudNames, findCloud } from '../clouds/resolve-cloud.js';
import { FORMATS, type Format } from '../diagnostics/formatters/index.js';
import { isSeverity, SEVERITIES, type Severity } from '../diagnostics/diagnostic.js';
import { UsageError } from '../errors.js';

/*
 * The one option parser of every command (docs/cli-conventions.md). Every command is a `CoeCommand`, whose
 * parseOptions, before commander sees the arguments:
 * - matches long options without regard to case or hyphens, so pac's `--zipFile`/`--packageType`, m365's
 *   `--startTime`/`--contentType` and our `--start-time`/`--content-type` are one option;
 * - rewrites an option's aliases (`CoeOption.alias`) to its name, warning on stderr for a deprecated one;
 * - refuses a single-value option given twice with different values, instead of silently keeping the last.
 * List options (`listOption`) take comma lists and repetition alike: `--cloud gcc,dod` = `--cloud gcc --cloud dod`.
 */

/** The key long options are matched by: `--start-time`, `--startTime` and `--STARTTIME` all give `starttime`. */
export function flagKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-/g, '').toLowerCase();
}

/** An option that may have aliases and may be a list. */
export class CoeOption extends Option {
  readonly aliasFlags: { flag: string; deprecated: boolean }[] = [];
  /** True for list options: repetition adds to the list instead of being refused. */
  repeatable = false;

  /** Accepts `flag` for this option; a deprecated alias still works and prints a warning naming this option. */
  alias(flag: string, options: { deprecated?: boolean } = {}): this {
    this.aliasFlags.push({ flag, deprecated: options.deprecated === true });
    if (!options.deprecated) this.description += ` (also ${flag})`;
    return this;
  }
}

/** Where deprecation warnings go (the command's stderr, silenced by --quiet). */
type Warn = (line: string) => void;

/** A command whose options follow the rules above; subcommands created with `.command()` are CoeCommands too. */
export class CoeCommand extends Command {
  warn: Warn = () => {};

  override createCommand(name?: string): CoeCommand {
    const cmd = new CoeCommand(name);
    cmd.warn = this.warn;
    return cmd;
  }

  override createOption(flags: string, description?: string): CoeOption {
    return new CoeOption(flags, description);
  }

  override parseOptions(argv: string[]): { operands: string[]; unknown: string[] } {
    return super.parseOptions(normaliseArgs(argv, this.options, this.warn));
  }
}

/**
 * The argument rewrite of CoeCommand.parseOptions, exposed for tests: case/hyphen-insensitive long names,
 * aliases, and the refusal of a repeated single-value option. Stops at `--`.
 */
export function normaliseArgs(argv: readonly string[], options: readonly Option[], warn: Warn = () => {}): string[] {
  const byKey = new Map<string, { option: Option; deprecated: boolean; typed: string }>();
  for (const o of options) {
    if (o.long) byKey.set(flagKey(o.long), { option: o, deprecated: false, typed: o.long });
    if (o instanceof CoeOption) for (const a of o.aliasFlags) byKey.set(flagKey(a.flag), { option: o, deprecated: a.deprecated, typed: a.flag });
  }
  const seen = new Map<Option, string[]>();
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    let option: Option | undefined;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq < 0 ? arg : arg.slice(0, eq);
      const hit = byKey.get(flagKey(flag));
      if (!hit) {
        out.push(arg);
        continue;
      }
      option = hit.option;
      if (hit.deprecated) warn(`warning: ${flag} is deprecated; use ${option.long}`);
      if (eq >= 0) value = arg.slice(eq + 1);
      out.push(option.long! + (eq < 0 ? '' : arg.slice(eq)));
    } else if (/^-[^-]$/.test(arg)) {
      option = options.find((o) => o.short === arg);
      out.push(arg);
      if (!option) continue;
    } else {
      out.push(arg);
      continue;
    }
    if (value === undefined && option.required && i + 1 < argv.length) {
      value = argv[++i]!;
      out.push(value);
    }
    if ((option.required || option.optional) && !option.variadic && !(option instanceof CoeOption && option.repeatable)) {
      const values = seen.get(option) ?? [];
      values.push(value ?? '');
      seen.set(option, values);
      if (new Set(values).size > 1) {
        throw new UsageError(`${option.long} was given ${values.length} times (${values.map((v) => `'${v}'`).join(', ')}); it takes one value`);
      }
    }
  }
  return out;
}

/** Case-insensitive choice parser that prints the allowed values on a bad one. */
export function choice<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value: string) => {
    const hit = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!hit) throw new InvalidArgumentError(`Allowed values: ${allowed.join(', ')}.`);
    return hit;
  };
}

export function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`${name} must be a positive integer.`);
    return Number(value);
  };
}

export function nonNegativeInt(name: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
    return Number(value);
  };
}

/**
 * A list option: each value may be a comma list, and the option may be repeated; every item goes through
 * `parseItem` (which throws InvalidArgumentError on a bad one) and each result is kept once, in order given.
 */
export function listOption<T>(flags: string, description: string, parseItem: (item: string) => T): CoeOption {
  const option = new CoeOption(flags, `${description} (comma list or repeated)`);
  option.repeatable = true;
  option.argParser((value: string, previous: T[] | undefined): T[] => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (items.length === 0) throw new InvalidArgumentError('expected a value or a comma-separated list.');
    const out = previous === undefined || previous === option.defaultValue ? [] : [...previous];
    for (const item of items) {
      const v = parseItem(item);
      if (!out.includes(v)) out.push(v);
    }
    return out;
  });
  return option;
}

/** Output modes of data commands: m365's names. */
export const OUTPUT_MODES = ['json', 'text', 'csv'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** `-o, --output <mode>`: what stdout carries, for data commands (the modes a command supports). */
export function outputOption<M extends OutputMode>(modes: readonly M[] = ['json', 'text'] as M[], defaultValue: M = 'text' as M): CoeOption {
  return new CoeOption('-o, --output <mode>', `result format on stdout: ${modes.join(', ')}`).argParser(choice(modes)).default(defaultValue);
}

/** `-o, --output <format>` of validators (findings format); `--format` stays as a deprecated alias. */
export function findingsOutputOption(): CoeOption {
  return new CoeOption('-o, --output <format>', `findings format on stdout: ${FORMATS.join(', ')}`)
    .alias('--format', { deprecated: true })
    .argParser(choice<Format>(FORMATS))
    .default('stylish');
}

/** `--fail-severity` for validators. */
export function failSeverityOption(): CoeOption {
  return new CoeOption('--fail-severity <severity>', `exit 1 when a finding is at or above: ${SEVERITIES.join(', ')}`)
    .argParser((v: string): Severity => {
      const s = v.toLowerCase();
      if (!isSeverity(s)) throw new InvalidArgumentError(`Allowed values: ${SEVERITIES.join(', ')}.`);
      return s;
    })
    .default('error');
}

function cloudName(allowAll: boolean): (v: string) => string {
  return (v: string) => {
    if (allowAll && v.toLowerCase() === 'all') return 'all';
    const cloud = findCloud(v);
    if (!cloud) throw new InvalidArgumentError(`unknown cloud '${v}'. Allowed values: ${cloudNames().join(', ')}${allowAll ? ', all' : ''} (case-insensitive).`);
    return cloud.id;
  };
}

/** `--cloud <names>` of commands that build several clouds: a list of ids (or `all`). */
export function cloudsOption(): CoeOption {
  return listOption('--cloud <names>', `clouds: ${cloudNames().join(', ')}, or all (case-insensitive)`, cloudName(true));
}

/** `--cloud <name>` of commands that talk to one cloud: one id; a second, different value is refused. */
export function cloudOption(options: { defaultValue?: string } = {}): CoeOption {
  const opt = new CoeOption('--cloud <name>', `cloud: ${cloudNames().join(', ')} (case-insensitive)`).argParser(cloudName(false));
  if (options.defaultValue) opt.default(options.defaultValue);
  return opt;
}

/** `--operation <names>`: audit operations to keep, case-insensitive, as a comma list or repeated. */
export function operationOption(): CoeOption {
  return listOption('--operation <names>', 'keep only these operations (case-insensitive, e.g. LaunchPowerApp)', (v) => v);
}

/** `--output-file <file>` (alias `--out`, deprecated): where a command writes its result instead of stdout. */
export function outputFileOption(description: string): CoeOption {
  return new CoeOption('--output-file <file>', description).alias('--out', { deprecated: true });
}
