import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordScanner } from '../../src/csv/scanner.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

describe('scan-wasm.ts', () => {
  it('is the compiled src/csv/scan.wat', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-scan-wasm.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('loads on this Node, so the fast engine is the one in use', () => {
    expect(new RecordScanner(() => {}).engine).toBe('wasm');
  });
});
