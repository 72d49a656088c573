import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compileSchemaValidators, type SchemaValidators } from '../../src/connector/schemas/validators.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { DEF, goodFiles, PROPS } from './fixtures.js';

/** The precompiled validators `npm run build` writes behave exactly like the schemas compiled at run time. */
const require = createRequire(import.meta.url);
const dir = join(REPO_ROOT, 'build', 'connector', 'schemas', 'validators');

describe('precompiled schema validators (scripts/build-validators.mjs)', () => {
  it('give the same results as the compiled schemas', async () => {
    const compiled = await compileSchemaValidators();
    const files = goodFiles();
    const def = JSON.parse(new TextDecoder().decode(files.get(DEF))) as Record<string, unknown>;
    const props = JSON.parse(new TextDecoder().decode(files.get(PROPS))) as Record<string, unknown>;
    const docs: [keyof SchemaValidators, unknown][] = [
      ['swagger2', def],
      ['swagger2', { ...def, schemes: ['ftp'], info: { title: 1 } }],
      ['definition', def],
      ['definition', { ...def, host: 'https://x', 'x-ms-foo': 1 }],
      ['properties', props],
      ['properties', { properties: { iconBrandColor: 'blue', connectionParameters: { 'a-b': {} } } }],
      ['settings', { environment: 'ABC', script: 'x' }],
    ];
    for (const [name, doc] of docs) {
      const pre = require(join(dir, `${name}.cjs`)) as ValidateFunction;
      const fresh = compiled[name];
      expect(pre(doc), name).toBe(fresh(doc));
      expect(pre.errors ?? null, name).toEqual(fresh.errors ?? null);
    }
  });
});
