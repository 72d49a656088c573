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

/** A schema validator compiled on its first use (ajv loaded then): `const v = validator(); v(value); v.errors`. */
export function lazyValidator<T>(schema: object, options: Options): () => ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  return () => (compiled ??= newAjv(options).compile<T>(schema));
}
