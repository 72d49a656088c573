import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { byteProgress } from '../../src/cli/progress.js';
import { runCliInProcess, REPO_ROOT } from '../helpers/run-cli.js';
import { join } from 'node:path';

describe('progress on stderr', () => {
  it('is silent during the first second, then prints at most one line a second, never at the end', () => {
    const lines: string[] = [];
    let t = 0;
    const report = byteProgress({ info: (l: string) => lines.push(l) } as unknown as CliContext, 'big.csv', () => t);
    report(1_048_576, 4 * 1_048_576);
    t = 1500;
    report(2 * 1_048_576, 4 * 1_048_576);
    t = 1900;
    report(3 * 1_048_576, 4 * 1_048_576);
    t = 3000;
    report(4 * 1_048_576, 4 * 1_048_576);
    expect(lines).toEqual(['big.csv: 50% (2.0 of 4.0 MB)']);
  });

  it('csv inspect of a small file prints no progress', async () => {
    const r = await runCliInProcess(['csv', 'inspect', join(REPO_ROOT, 'examples', 'purview-export.csv')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
