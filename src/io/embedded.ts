import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

/**
 * The package's own YAML sources (connector/*.yaml, solution/solution.yaml), parsed and checked once by
 * `npm run build` (scripts/build-embedded.mjs) and stored as JSON under build/embedded/, each with the SHA-256 of
 * the text it came from. A run reads the JSON when the text still has that hash, so it neither loads the yaml
 * package nor parses; an edited source (different hash), or a missing file, falls back to parsing the YAML.
 */
export const EMBEDDED_DIR = join(PACKAGE_ROOT, 'build', 'embedded');

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The parsed value stored for `name` when it was made from exactly `text`; undefined otherwise. */
export function embeddedValue(name: string, text: string): unknown {
  const file = join(EMBEDDED_DIR, `${name}.json`);
  if (!existsSync(file)) return undefined;
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { sha256: string; value: unknown };
  return stored.sha256 === sha256(text) ? stored.value : undefined;
}
