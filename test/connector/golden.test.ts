import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOUDS } from '../../src/clouds/index.js';
import { buildConnectorVariant, readConnectorFolder, validateConnectorFiles } from '../../src/connector/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { SOURCE } from './fixtures.js';

/** Golden files change only through `npm run update:golden` (scripts/golden/connector.mjs). */
const GOLDEN = join(REPO_ROOT, 'test', 'golden', 'connector');

describe('connector golden files', () => {
  it('has one folder per cloud', () => {
    expect(readdirSync(GOLDEN).sort()).toEqual(CLOUDS.map((c) => c.id).sort());
  });

  for (const cloud of CLOUDS) {
    it(`a fresh ${cloud.id} build equals the golden files (run 'npm run update:golden' after an intended change)`, () => {
      const files = buildConnectorVariant(SOURCE, cloud).files;
      expect(readdirSync(join(GOLDEN, cloud.id)).sort()).toEqual([...files.keys()].sort());
      for (const [name, bytes] of files) {
        const golden = readFileSync(join(GOLDEN, cloud.id, name));
        if (name.endsWith('.png')) expect(Buffer.from(bytes).equals(golden), name).toBe(true);
        else expect(new TextDecoder().decode(bytes), name).toBe(golden.toString('utf8'));
      }
    });

    it(`the validator finds no error or warning in the ${cloud.id} golden folder`, async () => {
      const findings = await validateConnectorFiles(readConnectorFolder(join(GOLDEN, cloud.id)), { folder: `test/golden/connector/${cloud.id}` });
      expect(findings.filter((f) => f.severity === 'error' || f.severity === 'warn')).toEqual([]);
      const expected = cloud.connector.redirectUrlVerified ? [] : ['cloud-redirect-unverified'];
      expect(findings.map((f) => f.code)).toEqual(expected);
    });
  }
});
