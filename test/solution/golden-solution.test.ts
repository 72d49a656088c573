import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packSolution, readSourceTree, unpackSolution, validateSolution } from '../../src/solution/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { canonicalXml, normalisedText } from './helpers.js';

/** Our own solution (the golden source trees `coe-audit build` writes) validates clean and survives pack → unpack. */
const GOLDEN = join(REPO_ROOT, 'test', 'golden', 'solution');
const clouds = existsSync(GOLDEN) ? readdirSync(GOLDEN).filter((c) => existsSync(join(GOLDEN, c, 'solution', 'Other', 'Solution.xml'))) : [];

describe.skipIf(clouds.length === 0)('the CoE audit solution source (test/golden/solution)', () => {
  for (const cloud of clouds) {
    it(`${cloud}: no findings, and unpack(pack(src)) gives the source back`, () => {
      const src = readSourceTree(join(GOLDEN, cloud, 'solution'));
      expect(validateSolution(src)).toEqual([]);
      for (const packageType of ['Unmanaged', 'Managed'] as const) {
        const back = unpackSolution(packSolution(src, { packageType }));
        expect([...back.keys()].sort()).toEqual([...src.keys()].sort());
        for (const [rel, data] of src) {
          if (rel.endsWith('.xml')) expect(canonicalXml(back.get(rel)!, rel), rel).toBe(canonicalXml(data, rel));
          else expect(normalisedText(back.get(rel)!), rel).toBe(normalisedText(data));
        }
      }
    });
  }
});
