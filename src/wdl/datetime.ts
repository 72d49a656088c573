import { WdlEvalError } from './values.js';

/**
 * A UTC instant with the engine's precision: epoch milliseconds plus 100-ns ticks inside the millisecond.
 * Every timestamp the runner produces is UTC.
 */
export interface Instant {
  ms: number;
  /** 0..9999: 100-nanosecond ticks within the millisecond. */
  sub: number;
}

const TICKS_AT_EPOCH_MS = 62135596800000; // milliseconds from 0001-01-01 to 1970-01-01
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

export function instantFromMs(ms: number): Instant {
  return { ms: Math.floor(ms), sub: 0 };
}

/** Parses an ISO 8601 timestamp (date, or date and time, optional fraction up to 7 digits and offset; no offset = UTC). */
export function parseTimestamp(text: string, fn: string): Instant {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) throw new WdlEvalError(`${fn}: '${text}' is not a valid timestamp; use ISO 8601, e.g. 2024-01-31T13:45:00Z`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 100) ms = setFullYear(ms, year);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new WdlEvalError(`${fn}: '${text}' is not a valid timestamp (no such date or time)`);
  }
  const f = (frac ?? '').padEnd(7, '0');
  ms += Number(f.slice(0, 3));
  const sub = Number(f.slice(3, 7));
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60000;
  }
  return { ms, sub };
}

function setFullYear(ms: number, year: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(year);
  return d.getTime();
}

/** Adds a number of 100-ns ticks (may be fractional or negative; rounded to whole ticks). */
export function addTicks(t: Instant, ticks: number): Instant {
  const whole = Math.round(ticks);
  const dMs = Math.trunc(whole / 10000);
  let sub = t.sub + (whole - dMs * 10000);
  let ms = t.ms + dMs;
  if (sub < 0) {
    sub += 10000;
    ms -= 1;
  } else if (sub >= 10000) {
    sub -= 10000;
    ms += 1;
  }
  return { ms, sub };
}

const UNIT_TICKS: Record<string, number> = {
  second: 1e7,
  minute: 6e8,
  hour: 3.6e10,
  day: 8.64e11,
  week: 6.048e12,
};

/** addToTime semantics: Second, Minute, Hour, Day, Week by ticks; Month and Year by the calendar (day clamped). */
export function addUnits(t: Instant, amount: number, unit: string, fn: string): Instant {
  const u = unit.toLowerCase();
  const perUnit = UNIT_TICKS[u];
  if (perUnit !== undefined) return addTicks(t, amount * perUnit);
  if (u === 'month' || u === 'year') {
    if (!Number.isInteger(amount)) throw new WdlEvalError(`${fn}: the interval for unit '${unit}' must be an integer`);
    const months = u === 'year' ? amount * 12 : amount;
    const d = new Date(t.ms);
    const day = d.getUTCDate();
    const target = new Date(d.getTime());
    target.setUTCDate(1);
    target.setUTCMonth(target.getUTCMonth() + months);
    const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(day, last));
    return { ms: target.getTime(), sub: t.sub };
  }
  throw new WdlEvalError(`${fn}: unknown time unit '${unit}'; use Second, Minute, Hour, Day, Week, Month or Year`);
}

/** .NET DateTime.Ticks of the instant (a double: exact to about 1e-5 s at today's dates). */
export function ticksOf(t: Instant): number {
  return (t.ms + TICKS_AT_EPOCH_MS) * 10000 + t.sub;
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Standard .NET format strings (invariant culture) as custom patterns. */
const STANDARD: Record<string, string> = {
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  t: 'HH:mm',
  T: 'HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  f: 'dddd, dd MMMM yyyy HH:mm',
  F: 'dddd, dd MMMM yyyy HH:mm:ss',
  M: 'MMMM dd',
  m: 'MMMM dd',
  Y: 'yyyy MMMM',
  y: 'yyyy MMMM',
};

/**
 * Formats an instant with a .NET date and time format string (standard: o, s, u, r, d, D, t, T, g, G, f, F,
 * M, Y; or custom: yyyy, MM, dd, HH, hh, mm, ss, f…fffffff, F…FFFFFFF, tt, K, z/zz/zzz, quoted literals, `\`
 * escapes), invariant culture, UTC.
 */
export function formatInstant(t: Instant, format: string, fn = 'formatDateTime'): string {
  let pattern = format;
  if (format.length === 1) {
    const std = STANDARD[format];
    if (std === undefined) throw new WdlEvalError(`${fn}: '${format}' is not a supported standard date and time format`);
    pattern = std;
  }
  const d = new Date(t.ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  const second = d.getUTCSeconds();
  const fraction7 = String(d.getUTCMilliseconds()).padStart(3, '0') + String(t.sub).padStart(4, '0');
  let out = '';
  let i = 0;
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'" || c === '"') {
      const end = pattern.indexOf(c, i + 1);
      if (end < 0) throw new WdlEvalError(`${fn}: unterminated quoted text in the format '${format}'`);
      out += pattern.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw new WdlEvalError(`${fn}: the format '${format}' ends with '\\'`);
      out += pattern[i + 1];
      i += 2;
      continue;
    }
    if (c === '%') {
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    switch (c) {
      case 'y':
        out += n === 1 ? String(year % 100) : n === 2 ? pad(year % 100, 2) : pad(year, n);
        break;
      case 'M':
        out += n === 1 ? String(month) : n === 2 ? pad(month, 2) : n === 3 ? MONTH_NAMES[month - 1]!.slice(0, 3) : MONTH_NAMES[month - 1]!;
        break;
      case 'd':
        out += n === 1 ? String(day) : n === 2 ? pad(day, 2) : n === 3 ? DAY_NAMES[d.getUTCDay()]!.slice(0, 3) : DAY_NAMES[d.getUTCDay()]!;
        break;
      case 'H':
        out += n === 1 ? String(hour) : pad(hour, 2);
        break;
      case 'h': {
        const h12 = hour % 12 === 0 ? 12 : hour % 12;
        out += n === 1 ? String(h12) : pad(h12, 2);
        break;
      }
      case 'm':
        out += n === 1 ? String(minute) : pad(minute, 2);
        break;
      case 's':
        out += n === 1 ? String(second) : pad(second, 2);
        break;
      case 'f':
      case 'F': {
        if (n > 7) throw new WdlEvalError(`${fn}: more than 7 '${c}' in the format '${format}'`);
        let digits = fraction7.slice(0, n);
        if (c === 'F') {
          digits = digits.replace(/0+$/, '');
          if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        }
        out += digits;
        break;
      }
      case 't':
        out += n === 1 ? (hour < 12 ? 'A' : 'P') : hour < 12 ? 'AM' : 'PM';
        break;
      case 'K':
        out += 'Z'.repeat(n);
        break;
      case 'z':
        out += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      case 'g':
        out += 'A.D.';
        break;
      default:
        out += c.repeat(n);
    }
    i += n;
  }
  return out;
}

/** The engine's default timestamp form: `yyyy-MM-ddTHH:mm:ss.fffffffZ`. */
export function isoInstant(t: Instant): string {
  return formatInstant(t, 'o');
}
