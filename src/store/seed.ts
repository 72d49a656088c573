import { Ajv } from 'ajv';
import { UsageError } from '../errors.js';
import { locateYamlPath, parseYaml, readUtf8File } from '../io/index.js';
import { DataverseError, type WdlObject } from '../wdl/index.js';
import { MemoryStore, stableGuid, type MemoryStoreOptions } from './memory-store.js';
import { ENVVAR_TYPES } from './tables.js';

/**
 * A store seed: apps in the inventory, environment variables (definition, default, current value), and
 * raw rows for any table. Secrets are not accepted: a Secret variable's value is a Key Vault reference.
 */
export interface StoreSeed {
  apps?: { id: string; displayName?: string; lastLaunchedOn?: string | null; deleted?: boolean }[];
  environmentVariables?: { schemaName: string; type: string; displayName?: string; defaultValue?: string; value?: string }[];
  tables?: Record<string, WdlObject[]>;
}

const SEED_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: {
          id: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' },
          displayName: { type: 'string' },
          lastLaunchedOn: { type: ['string', 'null'] },
          deleted: { type: 'boolean' },
        },
      },
    },
    environmentVariables: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['schemaName', 'type'],
        properties: {
          schemaName: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
          type: { enum: ['String', 'Number', 'Boolean', 'JSON', 'Secret'] },
          displayName: { type: 'string' },
          defaultValue: { type: 'string' },
          value: { type: 'string' },
        },
      },
    },
    // Table names are checked against the store's schema when the store is built (they differ per edition).
    tables: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object' } } },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
const validateSeed = ajv.compile<StoreSeed>(SEED_SCHEMA);

/** Validates a parsed seed; problems name the file and, for YAML/JSON text, the line and column. */
export function checkSeed(value: unknown, file: string, text?: string): StoreSeed {
  if (!validateSeed(value)) {
    throw new UsageError(
      (validateSeed.errors ?? []).map((e) => {
        const path = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        const pos = text ? locateYamlPath(text, path) : undefined;
        const detail = e.keyword === 'additionalProperties' ? `unknown key '${String((e.params as { additionalProperty: string }).additionalProperty)}'` : e.keyword === 'enum' ? `must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join(', ')}` : e.message ?? 'is invalid';
        return { file, ...(pos ? { line: pos.line, column: pos.column } : {}), message: `${e.instancePath || '/'}: ${detail}` };
      }),
    );
  }
  return value;
}

/** Builds a store from a seed. Row problems (unknown column, bad id or value) are UsageErrors naming the row. */
export function createStore(seed: StoreSeed = {}, options: MemoryStoreOptions = {}, file = 'store seed'): MemoryStore {
  const store = new MemoryStore(options);
  const at = (path: string, f: () => void): void => {
    try {
      f();
    } catch (e) {
      if (e instanceof DataverseError) throw new UsageError([{ file, path, message: e.message }]);
      throw e;
    }
  };
  const p = store.schema.prefix;
  (seed.apps ?? []).forEach((a, i) =>
    at(`apps[${i}]`, () =>
      store.insertSeedRow(`${p}_apps`, {
        [`${p}_appid`]: a.id,
        [`${p}_displayname`]: a.displayName ?? null,
        [`${p}_applastlaunchedon`]: a.lastLaunchedOn ?? null,
        [`${p}_appdeleted`]: a.deleted ?? false,
      }),
    ),
  );
  (seed.environmentVariables ?? []).forEach((v, i) =>
    at(`environmentVariables[${i}]`, () => {
      if (v.type === 'Secret' && v.defaultValue !== undefined) throw new DataverseError(400, 'a Secret environment variable cannot have a default value');
      if (v.type === 'Secret' && v.value !== undefined && !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/secrets\/[^/]+$/.test(v.value)) {
        throw new DataverseError(400, 'the value of a Secret environment variable must be a Key Vault reference /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{vault}/secrets/{name}, never the secret itself');
      }
      const id = stableGuid('envvardefinition', v.schemaName.toLowerCase());
      store.insertSeedRow('environmentvariabledefinitions', {
        environmentvariabledefinitionid: id,
        schemaname: v.schemaName,
        displayname: v.displayName ?? v.schemaName,
        type: ENVVAR_TYPES[v.type.toLowerCase()]!,
        defaultvalue: v.defaultValue ?? null,
      });
      if (v.value !== undefined) {
        store.insertSeedRow('environmentvariablevalues', {
          environmentvariablevalueid: stableGuid('envvarvalue', v.schemaName.toLowerCase()),
          schemaname: v.schemaName,
          value: v.value,
          _environmentvariabledefinitionid_value: id,
        });
      }
    }),
  );
  for (const [table, rows] of Object.entries(seed.tables ?? {})) {
    rows.forEach((r, i) => at(`tables.${table}[${i}]`, () => store.insertSeedRow(table, r)));
  }
  return store;
}

/** Reads and validates a seed file (YAML or JSON). */
export function readStoreSeed(path: string): StoreSeed {
  const text = readUtf8File(path);
  return checkSeed(parseYaml(text, path) ?? {}, path, text);
}

/** Reads a seed file (YAML or JSON) and builds the store. */
export function loadStore(path: string, options: MemoryStoreOptions = {}): MemoryStore {
  return createStore(readStoreSeed(path), options, path);
}

/** Adds apps and environment variables the seed does not define already (by id / schema name). */
export function withDefaults(seed: StoreSeed, extra: Pick<StoreSeed, 'apps' | 'environmentVariables'>): StoreSeed {
  const apps = [...(seed.apps ?? [])];
  for (const a of extra.apps ?? []) if (!apps.some((x) => x.id.toLowerCase() === a.id.toLowerCase())) apps.push(a);
  const vars = [...(seed.environmentVariables ?? [])];
  for (const v of extra.environmentVariables ?? []) if (!vars.some((x) => x.schemaName.toLowerCase() === v.schemaName.toLowerCase())) vars.push(v);
  return { ...seed, apps, environmentVariables: vars };
}
