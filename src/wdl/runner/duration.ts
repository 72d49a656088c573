import { WdlEvalError, type WdlValue } from '../values.js';

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO 8601 duration (weeks, days, hours, minutes, seconds; no years or months) in milliseconds. */
export function parseDuration(value: WdlValue, what: string): number {
  const m = typeof value === 'string' ? DURATION.exec(value) : null;
  if (!m || value === 'P' || value === 'PT') {
    throw new WdlEvalError(`${what}: '${String(value)}' is not a supported ISO 8601 duration (use e.g. PT30S, PT10M, PT1H, P1D)`);
  }
  const [, w, d, h, mi, s] = m;
  return Math.round(((Number(w ?? 0) * 7 + Number(d ?? 0)) * 86400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0)) * 1000);
}
