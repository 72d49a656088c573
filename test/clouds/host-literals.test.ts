import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCloudHosts } from '../../src/clouds/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

/** The cloud table is the only place a cloud's host may be written (issue 2, item 2). */
const SCANNED_ROOTS = ['src', 'connector', 'solution'];
const ALLOWED = new Set(['src/clouds/cloud-table.ts']);
const TEXT_EXT = /\.(ts|js|mjs|json|ya?ml|xml|md|txt|csv)$/i;

function walk(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (TEXT_EXT.test(name)) out.push(p);
  }
  return out;
}

describe('no cloud host literal outside the cloud table', () => {
  const hosts = [...new Set(allCloudHosts().map((h) => h.host))];
  const files = SCANNED_ROOTS.flatMap((r) => walk(join(REPO_ROOT, r))).filter((f) => !ALLOWED.has(relative(REPO_ROOT, f).split('\\').join('/')));

  it('scans the source folders', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('finds no host of any cloud', () => {
    const hits: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8').toLowerCase();
      for (const h of hosts) if (text.includes(h)) hits.push(`${relative(REPO_ROOT, f)}: ${h}`);
    }
    expect(hits).toEqual([]);
  });
});
