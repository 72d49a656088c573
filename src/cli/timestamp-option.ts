import { InvalidArgumentError } from 'commander';

/** `--timestamp`: an ISO 8601 date or date-time; without a zone it is read as UTC so output does not depend on the machine. */
export function isoTimestamp(value: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value.trim());
  const d = m ? new Date(m[2] ? `${m[1]}T${m[2]}${m[3] ?? 'Z'}` : `${m[1]}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new InvalidArgumentError('expected an ISO 8601 date-time such as 2025-01-31T12:00:00Z.');
  return d;
}
