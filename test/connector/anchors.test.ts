import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { HAS_SHARED, SHARED_SKIP_REASON } from '../helpers/shared.js';

/** The generated connectors against Microsoft's published schemas in ../shared (npm run check:anchors). */
describe('connector against Microsoft’s schemas (../shared/anchors/connector-schemas)', () => {
  it.skipIf(!HAS_SHARED)(HAS_SHARED ? 'every generated file passes, or its difference is a named, explained gap' : SHARED_SKIP_REASON, () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'check-anchors.mjs'), '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout) as { checked: number; unexplained: unknown[]; stale: string[]; probes: { name: string; rejected: boolean }[] };
    expect(result.unexplained).toEqual([]);
    expect(result.stale).toEqual([]);
    expect(result.checked).toBe(12);
    // The schemas really ran: documents they are known to reject are rejected.
    expect(result.probes.filter((p) => !p.rejected)).toEqual([]);
    expect(r.status).toBe(0);
  });
});
