import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArtefacts } from '../../src/audit-solution/index.js';
import { CLOUDS } from '../../src/clouds/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const GOLDEN = join(REPO_ROOT, 'test', 'golden', 'solution');

function list(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? list(p) : [p];
  });
}

const built = await buildArtefacts({ clouds: CLOUDS, config: {} });

describe('golden solution trees (refreshed only by npm run update:golden)', () => {
  for (const c of built) {
    it(`${c.cloud}/${c.edition}: the build equals test/golden/solution/${c.cloud}/${c.edition}`, () => {
      const dir = join(GOLDEN, c.cloud, c.edition);
      const golden = new Map(list(dir).map((f) => [relative(dir, f).split('\\').join('/'), readFileSync(f)]));
      const produced = new Map([...c.files].filter(([p]) => p.startsWith('solution/') || p === 'deployment-settings.json'));
      expect([...golden.keys()].sort()).toEqual([...produced.keys()].sort());
      for (const [path, bytes] of produced) expect(Buffer.from(bytes).equals(golden.get(path)!), `${c.cloud}/${c.edition}/${path} differs: run npm run update:golden`).toBe(true);
    });
  }

  it('golden files are well formed: JSON parses, XML files start as pac writes them, flows are off', () => {
    for (const f of list(GOLDEN)) {
      const text = readFileSync(f, 'utf8');
      if (f.endsWith('.json')) expect(() => JSON.parse(text), f).not.toThrow();
      if (/(Solution|Customizations)\.xml$|\.data\.xml$/.test(f)) expect(text.startsWith('\ufeff<?xml version="1.0" encoding="utf-8"?>\n'), f).toBe(true);
      if (f.endsWith('environmentvariabledefinition.xml')) expect(text.startsWith('<environmentvariabledefinition schemaname="'), f).toBe(true);
      if (f.endsWith('.data.xml')) {
        expect(text).toContain('<StateCode>0</StateCode>');
        expect(text).toContain('<StatusCode>1</StatusCode>');
      }
    }
  });

  it('flows are identical in every cloud; only variables, settings and descriptions differ', () => {
    for (const edition of ['coe', 'standalone']) {
      const flowsOf = (cloud: string) => [...built.find((c) => c.cloud === cloud && c.edition === edition)!.files].filter(([p]) => p.startsWith('solution/Workflows/'));
      const commercial = flowsOf('commercial');
      expect(commercial).toHaveLength(6);
      expect(commercial.every(([p]) => !p.includes('Connectors'))).toBe(true);
      for (const c of ['gcc', 'gcchigh', 'dod']) expect(flowsOf(c)).toEqual(commercial);
    }
  });
});
