import { InvalidArgumentError, Option } from 'commander';
import { cloudNames } from '../clouds/index.js';
import { FORMATS, isSeverity, SEVERITIES, type Severity } from '../diagnostics/index.js';

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

/** `--output json|text` for data commands. */
export function outputOption(defaultValue: 'json' | 'text' = 'text'): Option {
  return new Option('--output <mode>', 'result format on stdout: json or text').argParser(choice(['json', 'text'] as const)).default(defaultValue);
}

/** `--format stylish|json|sarif` for validators. */
export function formatOption(): Option {
  return new Option('--format <format>', `findings format on stdout: ${FORMATS.join(', ')}`).argParser(choice(FORMATS)).default('stylish');
}

/** `--fail-severity` for validators. */
export function failSeverityOption(): Option {
  return new Option('--fail-severity <severity>', `exit 1 when a finding is at or above: ${SEVERITIES.join(', ')}`)
    .argParser((v: string): Severity => {
      const s = v.toLowerCase();
      if (!isSeverity(s)) throw new InvalidArgumentError(`Allowed values: ${SEVERITIES.join(', ')}.`);
      return s;
    })
    .default('error');
}

/** `--cloud <name>`, with `all` allowed when several clouds make sense. */
export function cloudOption(options: { allowAll: boolean; defaultValue?: string }): Option {
  const names = cloudNames();
  const opt = new Option('--cloud <name>', `cloud: ${names.join(', ')}${options.allowAll ? ', or all' : ''} (case-insensitive)`);
  opt.argParser((v: string) => {
    const ok = names.some((n) => n.toLowerCase() === v.toLowerCase()) || (options.allowAll && v.toLowerCase() === 'all');
    if (!ok) throw new InvalidArgumentError(`Allowed values: ${names.join(', ')}${options.allowAll ? ', all' : ''}.`);
    return v;
  });
  if (options.defaultValue) opt.default(options.defaultValue);
  return opt;
}
