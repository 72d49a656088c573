/** CreationDate as Purview exports write it (activity-api.md §4.1), normalised to ISO 8601 UTC. */

const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ?([AP]M)$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?Z?$/;

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * `9/20/2023 4:05:03 AM` (US locale, UTC) or `2026-01-24T06:54:24.0000000Z ` (ISO with a 7-digit fraction, Z and a
 * trailing space; surrounding spaces are ignored) → `2023-09-20T04:05:03Z`, keeping a fraction that is not zero.
 * Anything else, or an impossible date, gives undefined.
 */
export function parseCreationDate(value: string): string | undefined {
  const text = value.trim();
  let y: number, mo: number, d: number, h: number, mi: number, s: number;
  let fraction = '';
  const us = US.exec(text);
  if (us) {
    [mo, d, y, h, mi, s] = [us[1], us[2], us[3], us[4], us[5], us[6]].map(Number) as [number, number, number, number, number, number];
    if (h < 1 || h > 12) return undefined;
    const pm = us[7]!.toUpperCase() === 'PM';
    h = (h % 12) + (pm ? 12 : 0);
  } else {
    const iso = ISO.exec(text);
    if (!iso) return undefined;
    [y, mo, d, h, mi, s] = [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]].map(Number) as [number, number, number, number, number, number];
    fraction = (iso[7] ?? '').replace(/0+$/, '');
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCMonth() !== mo - 1) return undefined; // 2/30 and the like
  return `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${fraction ? `.${fraction}` : ''}Z`;
}
