import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, Options, ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
const cache = new Map<string, unknown>();

/**
 * Loads a CommonJS dependency on first use, synchronously (yaml, ajv, @azure/msal-node are CommonJS): a command
 * that never parses YAML, compiles a schema or asks for a token does not pay for loading them at start-up.
 * The type comes from `typeof import('<name>')` at the call site.
 */
export function lazyRequire<T>(name: string): T {
  let mod = cache.get(name);
  if (mod === undefined) {
    mod = require(name) as unknown;
    cache.set(name, mod);
  }
  return mod as T;
}

/** A new ajv instance, ajv loaded on first use. */
export function newAjv(options: Options): Ajv {
  return new (lazyRequire<typeof AjvModule>('ajv').Ajv)(options);
}

/** ajv options of the validators below, shared with scripts/build-validators.mjs so both paths agree. */
export const STRICT_SCHEMA_OPTIONS = { allErrors: true, strict: true } as const;

/**
 * A schema validator made on its first use: the precompiled ajv standalone module `npm run build` wrote as
 * build/schemas/<name>.cjs (scripts/build-validators.mjs), else compiled here (tests run from src/), ajv loaded
 * then. Use: `const v = validator(); if (!v(value)) … v.errors`.
 */
export function lazyValidator<T>(name: string, schema: object): () => ValidateFunction<T> {
  let made: ValidateFunction<T> | undefined;
  return () => (made ??= precompiledValidator<T>(name) ?? newAjv(STRICT_SCHEMA_OPTIONS).compile<T>(schema));
}

function precompiledValidator<T>(name: string): ValidateFunction<T> | undefined {
  try {
    return require(`../schemas/${name}.cjs`) as ValidateFunction<T>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}
