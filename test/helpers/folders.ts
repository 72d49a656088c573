import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a folder, by `/`-separated relative path; undefined when the folder does not exist. */
export function snapshot(dir: string): Map<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  const out = new Map<string, string>();
  const walk = (d: string, prefix: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${n}/`);
      else out.set(`${prefix}${n}`, readFileSync(p).toString('base64'));
    }
  };
  walk(dir, '');
  return out;
}

export function sameTree(a: Map<string, string> | undefined, b: Map<string, string> | undefined): boolean {
  if (!a || !b || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
