import { join } from 'node:path';
import { lazyValidator } from '../io/lazy-require.js';
import type { CoeAuditConfig } from '../config/config-schema.js';
import type { Cloud } from '../clouds/cloud-table.js';
import { UsageError, type Problem } from '../errors.js';
import type { FlowEnvVar } from '../flows/shared.js';
import { parseYaml, yamlLocator, type YamlLocator } from '../io/yaml.js';
import { readUtf8File } from '../io/read-file.js';
import { isSecretLikeName } from '../redact.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { embeddedValue } from '../io/embedded.js';

/** Where the solution source lives in the package. */
export const SOLUTION_SOURCE_FILE = join(PACKAGE_ROOT, 'solution', 'solution.yaml');

export type EnvVarType = 'String' | 'Number' | 'Boolean' | 'Secret';

export interface EnvVarSource extends FlowEnvVar {
  type: EnvVarType;
  /** Default value, possibly with {{placeholders}}. */
  default?: string;
  /** Per-cloud description with {{placeholders}}. */
  description: string;
  /** CoE Core Components owns this definition: the coe edition depends on it instead of shipping it. */
  core?: boolean;
}

export interface MissingDependencySource {
  schemaName: string;
  displayName: string;
  flows: ('subscription' | 'sync' | 'csv')[];
}

export interface PublisherSource {
  uniqueName: string;
  displayName: string;
  description: string;
  prefix: string;
  optionValuePrefix: number;
}

export interface SolutionSource {
  manifest: {
    uniqueName: string;
    displayName: string;
    description: string;
    version: string;
    publisher: PublisherSource;
  };
  connectionReference: { logicalName: string; displayName: string; connectorId: string };
  /** The solution the coe edition depends on, with the minimum version its dependencies name. */
  coreSolution: { uniqueName: string; minimumVersion: string };
  missingDependencies: MissingDependencySource[];
  /** The standalone edition: its own manifest, publisher (whose prefix names everything) and connection reference. */
  standalone: {
    uniqueName: string;
    displayName: string;
    description: string;
    version?: string;
    publisher: PublisherSource;
    /** The connection reference's logical name after the prefix. */
    connectionReference: { name: string; displayName: string };
  };
  environmentVariables: EnvVarSource[];
}

const NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const text = { type: 'string', minLength: 1 } as const;
const VERSION = '^\\d+\\.\\d+(\\.\\d+){0,2}$';
const PUBLISHER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['uniqueName', 'displayName', 'description', 'prefix', 'optionValuePrefix'],
  properties: {
    uniqueName: { type: 'string', pattern: NAME },
    displayName: text,
    description: text,
    prefix: { type: 'string', pattern: '^[a-z][a-z0-9]{1,7}$' },
    optionValuePrefix: { type: 'integer', minimum: 10000, maximum: 99999 },
  },
} as const;
/** The identity of an edition's solution (manifest, standalone). */
const IDENTITY = {
  uniqueName: { type: 'string', pattern: NAME },
  displayName: text,
  description: text,
  version: { type: 'string', pattern: VERSION },
  publisher: PUBLISHER_SCHEMA,
} as const;

export const SOLUTION_SOURCE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['manifest', 'connectionReference', 'coreSolution', 'missingDependencies', 'standalone', 'environmentVariables'],
  properties: {
    manifest: {
      type: 'object',
      additionalProperties: false,
      required: ['uniqueName', 'displayName', 'description', 'version', 'publisher'],
      properties: IDENTITY,
    },
    coreSolution: {
      type: 'object',
      additionalProperties: false,
      required: ['uniqueName', 'minimumVersion'],
      properties: { uniqueName: { type: 'string', pattern: NAME }, minimumVersion: { type: 'string', pattern: VERSION } },
    },
    standalone: {
      type: 'object',
      additionalProperties: false,
      required: ['uniqueName', 'displayName', 'description', 'publisher', 'connectionReference'],
      properties: {
        ...IDENTITY,
        connectionReference: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'displayName'],
          properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_]*$' }, displayName: text },
        },
      },
    },
    connectionReference: {
      type: 'object',
      additionalProperties: false,
      required: ['logicalName', 'displayName', 'connectorId'],
      properties: { logicalName: { type: 'string', pattern: NAME }, displayName: text, connectorId: { type: 'string', pattern: '^/providers/' } },
    },
    missingDependencies: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['schemaName', 'displayName', 'flows'],
        properties: {
          schemaName: { type: 'string', pattern: NAME },
          displayName: text,
          flows: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['subscription', 'sync', 'csv'] } },
        },
      },
    },
    environmentVariables: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['schemaName', 'displayName', 'type', 'summary', 'description'],
        properties: {
          schemaName: { type: 'string', pattern: NAME, maxLength: 100 },
          displayName: { type: 'string', minLength: 1, maxLength: 100 },
          type: { enum: ['String', 'Number', 'Boolean', 'Secret'] },
          default: { type: 'string', maxLength: 2000 },
          summary: text,
          description: text,
          core: { type: 'boolean' },
        },
      },
    },
  },
} as const;

// Compiled on first use (the package's own source is read from build/embedded/solution.json without it).
const sourceValidator = lazyValidator<SolutionSource>('solution-source', SOLUTION_SOURCE_SCHEMA);

/** Parses and validates the solution source; problems carry file, line and column. */
export function parseSolutionSource(textValue: string, file: string): SolutionSource {
  const value = parseYaml(textValue, file);
  const validate = sourceValidator();
  let locator: YamlLocator | undefined;
  const locate = (path: (string | number)[]) => (locator ??= yamlLocator(textValue))(path);
  if (!validate(value)) {
    const problems: Problem[] = (validate.errors ?? []).map((e) => {
      const path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const where = locate(path) ?? {};
      const p = e.params as Record<string, unknown>;
      const detail = e.keyword === 'additionalProperties' ? `unknown key '${String(p.additionalProperty)}'` : (e.message ?? 'is invalid');
      return { file, ...where, message: `${path.join('.') || '(top level)'}: ${detail}` };
    });
    throw new UsageError(problems);
  }
  const src = value as SolutionSource;
  const seen = new Set<string>();
  for (const [i, v] of src.environmentVariables.entries()) {
    if (seen.has(v.schemaName)) {
      throw new UsageError([{ file, ...(locate(['environmentVariables', i, 'schemaName']) ?? {}), message: `duplicate environment variable ${v.schemaName}` }]);
    }
    seen.add(v.schemaName);
    if (v.default !== undefined && (v.type === 'Secret' || isSecretLikeName(v.schemaName))) {
      // The default would be written into every zip and deployment settings file.
      throw new UsageError([
        {
          file,
          ...(locate(['environmentVariables', i, 'default']) ?? {}),
          message: `${v.schemaName} holds a secret, so it takes no default (it would be written into every solution zip); remove 'default:' and set the value in the environment after import`,
        },
      ]);
    }
    if (v.type === 'Number' && v.default !== undefined && !/^-?\d+$/.test(v.default)) {
      throw new UsageError([{ file, ...(locate(['environmentVariables', i, 'default']) ?? {}), message: `default of Number variable ${v.schemaName} must be an integer` }]);
    }
  }
  for (const [i, v] of src.environmentVariables.entries()) {
    for (const key of ['default', 'description'] as const) {
      const unknown = [...(v[key] ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).filter((k) => !PLACEHOLDERS.includes(k));
      if (unknown.length > 0) {
        throw new UsageError([
          { file, ...(locate(['environmentVariables', i, key]) ?? {}), message: `unknown placeholder {{${unknown[0]}}}; use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` },
        ]);
      }
    }
  }
  // Flows read defaultValue for Number parameters.
  for (const v of src.environmentVariables) if (v.default !== undefined) v.defaultValue = v.default;
  return src;
}

/** Reads the solution source of the package (or another file, for tests). */
export function loadSolutionSource(file: string = SOLUTION_SOURCE_FILE): SolutionSource {
  const text = readUtf8File(file);
  // The package's own source as `npm run build` stored it, parsed and checked from this very text.
  const stored = file === SOLUTION_SOURCE_FILE ? (embeddedValue('solution', text) as SolutionSource | undefined) : undefined;
  return stored ?? parseSolutionSource(text, file);
}

/** Applies coe-audit.config.yaml `solution.*` over the source. */
export function applySolutionConfig(source: SolutionSource, config: CoeAuditConfig): SolutionSource {
  const s = config.solution ?? {};
  const st = config.standalone ?? {};
  return {
    ...source,
    manifest: {
      ...source.manifest,
      uniqueName: s.uniqueName ?? source.manifest.uniqueName,
      displayName: s.displayName ?? source.manifest.displayName,
      version: s.version ?? source.manifest.version,
      publisher: withPublisher(source.manifest.publisher, s.publisher),
    },
    connectionReference: { ...source.connectionReference, logicalName: s.connectionReferenceLogicalName ?? source.connectionReference.logicalName },
    standalone: {
      ...source.standalone,
      uniqueName: st.uniqueName ?? source.standalone.uniqueName,
      displayName: st.displayName ?? source.standalone.displayName,
      ...(st.version ?? source.standalone.version ? { version: st.version ?? source.standalone.version } : {}),
      publisher: withPublisher(source.standalone.publisher, st.publisher),
      connectionReference: { ...source.standalone.connectionReference, name: st.connectionReferenceName ?? source.standalone.connectionReference.name },
    },
  };
}

/** A publisher with the keys the configuration sets. */
function withPublisher(p: PublisherSource, set: Partial<Omit<PublisherSource, 'description'>> = {}): PublisherSource {
  return {
    ...p,
    uniqueName: set.uniqueName ?? p.uniqueName,
    displayName: set.displayName ?? p.displayName,
    prefix: set.prefix ?? p.prefix,
    optionValuePrefix: set.optionValuePrefix ?? p.optionValuePrefix,
  };
}

/** The placeholders text in the solution source may use. */
export const PLACEHOLDERS = ['cloud', 'audience', 'authority', 'powerAutomateUrl', 'graphUrl', 'graphAuditQueries', 'syncApi'];

/**
 * Fills {{cloud}}, {{audience}}, {{authority}}, {{powerAutomateUrl}}, {{graphUrl}}, {{graphAuditQueries}} (yes/no:
 * whether Graph offers the audit log query API in the cloud) and {{syncApi}} (the mode the Sync flow uses by
 * default there) from the cloud table.
 */
export function fillPlaceholders(template: string, cloud: Cloud): string {
  const values: Record<string, string> = {
    cloud: cloud.displayName,
    audience: cloud.managementAudience,
    authority: cloud.authorityUrl,
    powerAutomateUrl: cloud.powerAutomateUrl,
    graphUrl: cloud.graphUrl,
    graphAuditQueries: cloud.graphAuditQueriesAvailable ? 'yes' : 'no',
    syncApi: cloud.graphAuditQueriesAvailable
      ? 'the Microsoft Graph audit log query API (server-side filter: only Power Apps records are downloaded)'
      : `the Office 365 Management Activity API: Graph does not offer the audit log query API in ${cloud.displayName}, so leave this no`,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`unknown placeholder ${m} in the solution source`);
    return v;
  });
}
