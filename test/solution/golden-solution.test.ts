import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packSolution, readSourceTree, unpackSolution, validateSolution } from '../../src/solution/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { canonicalXml, normalisedText } from './helpers.js';

/** Our own solution (the golden source trees `coe-audit build` writes) validates clean and survives pack → unpack. */
const GOLDEN = join(REPO_ROOT, 'test', 'golden', 'solution');
/** Every `<cloud>/<edition>` folder of the golden tree that holds a solution source. */
const sources = readdirSync(GOLDEN).flatMap((cloud) =>
  readdirSync(join(GOLDEN, cloud))
    .filter((edition) => existsSync(join(GOLDEN, cloud, edition, 'solution', 'Other', 'Solution.xml')))
    .map((edition) => `${cloud}/${edition}`),
);

describe('the CoE audit solution source (test/golden/solution)', () => {
  it('holds both editions of the four clouds', () => {
    expect(sources.sort()).toEqual(['commercial', 'dod', 'gcc', 'gcchigh'].flatMap((c) => [`${c}/coe`, `${c}/standalone`]));
  });
  for (const source of sources) {
    it(`${source}: no findings, and unpack(pack(src)) gives the source back`, () => {
      const src = readSourceTree(join(GOLDEN, source, 'solution'));
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
