import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Root of the installed package: the folder with package.json, connector/ and solution/. Works from src/
 * (vitest) and from build/ (the compiled CLI), which sit at the same depth.
 */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
