import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './run-cli.js';

/**
 * ../shared holds public anchors (Microsoft's schemas, zips pac made). It exists on developer machines and in CI,
 * not on a fresh clone: tests that need it skip with a visible message.
 */
export const SHARED_DIR = join(REPO_ROOT, '..', 'shared');
export const HAS_SHARED = existsSync(join(SHARED_DIR, 'anchors'));
export const SHARED_SKIP_REASON = `skipped: ${SHARED_DIR} is absent (public anchors are read from ../shared when present)`;

if (!HAS_SHARED) {
  // Printed once per worker so the skip is visible in the test log, not silent.
  console.warn(`[coe-audit tests] ${SHARED_SKIP_REASON}`);
}
