import type { OpenAPI } from 'openapi-types';
import { checkJsonNesting } from '../io/index.js';
import { ajvErrorsToDiagnostics, type Diagnostic, type RuleMeta } from '../diagnostics/index.js';
import { ACTIVITY_API_RULES } from './rules/activity-api.js';
import { CERTIFICATION_RULES } from './rules/certification.js';
import { CLOUD_RULES } from './rules/cloud.js';
import type { ConnectorDocs, ConnectorRule, Json, Path } from './rules/context.js';
import { loadSchemaValidators, schemaValidators } from './schemas/validators.js';
import { FILE_RULES, invalidFileMeta, missingFileMeta, swaggerParserMeta } from './rules/files.js';

/** Every check of `connector validate`, in the order they run. */
export const CONNECTOR_CHECKS: readonly ConnectorRule[] = [...FILE_RULES, ...CERTIFICATION_RULES, ...ACTIVITY_API_RULES, ...CLOUD_RULES];

/** Every code `connector validate` can report, for docs, SARIF and the rule-docs test. */
export const CONNECTOR_RULES: readonly RuleMeta[] = [missingFileMeta, invalidFileMeta, swaggerParserMeta, ...CONNECTOR_CHECKS].map(
  ({ code, severity, description, docsPage }) => ({ code, severity, description, docsPage }),
);

const KNOWN_FILES = {
  apiDefinition: 'apiDefinition.swagger.json',
  apiProperties: 'apiProperties.json',
  readme: 'README.md',
  icon: 'icon.png',
  settings: 'settings.json',
} as const;
const REQUIRED: readonly (keyof typeof KNOWN_FILES)[] = ['apiDefinition', 'apiProperties', 'readme'];

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Validates one connector folder given as its files (name → bytes; names are matched case-insensitively, as
 * paconn and the PowerPlatformConnectors repository spell them in several ways). `folder` prefixes the file
 * names in the findings. Never throws for bad content: everything wrong is a Diagnostic.
 */
export async function validateConnectorFiles(files: ReadonlyMap<string, Uint8Array>, options: { folder?: string } = {}): Promise<Diagnostic[]> {
  await loadSchemaValidators();
  const out: Diagnostic[] = [];
  const actual = (canonical: string) => [...files.keys()].find((k) => k.toLowerCase() === canonical.toLowerCase());
  const display = (name: string) => (options.folder ? `${options.folder.replace(/[\\/]+$/, '')}/${name}` : name);
  const names = Object.fromEntries(Object.entries(KNOWN_FILES).map(([k, v]) => [k, display(actual(v) ?? v)])) as ConnectorDocs['names'];
  const docs: ConnectorDocs = { names };
  const emit = (meta: RuleMeta, file: string, message: string, path: Path = []) => out.push({ code: meta.code, severity: meta.severity, path, message, file });

  for (const key of REQUIRED) if (!actual(KNOWN_FILES[key])) emit(missingFileMeta, names[key], `missing ${KNOWN_FILES[key]}`);

  const text = (key: keyof typeof KNOWN_FILES): string | undefined => {
    const name = actual(KNOWN_FILES[key]);
    if (!name) return undefined;
    const bytes = files.get(name)!;
    try {
      // The decoder drops a leading byte-order mark; paconn tolerates one, but we report it.
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) emit(invalidFileMeta, names[key], 'starts with a UTF-8 byte-order mark; save it without one');
      return decoder.decode(bytes);
    } catch {
      emit(invalidFileMeta, names[key], 'is not valid UTF-8; save it as UTF-8');
      return undefined;
    }
  };
  const json = (key: 'apiDefinition' | 'apiProperties' | 'settings'): Json | undefined => {
    const t = text(key);
    if (t === undefined) return undefined;
    checkJsonNesting(t, names[key]);
    try {
      const v: unknown = JSON.parse(t);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
      emit(invalidFileMeta, names[key], 'must hold a JSON object');
    } catch (e) {
      emit(invalidFileMeta, names[key], `is not valid JSON: ${(e as Error).message}`);
    }
    return undefined;
  };
  docs.apiDefinition = json('apiDefinition');
  docs.apiProperties = json('apiProperties');
  docs.settings = json('settings');
  docs.readme = text('readme');
  const iconName = actual(KNOWN_FILES.icon);
  if (iconName) docs.icon = files.get(iconName);

  if (docs.apiDefinition) {
    for (const p of await runSwaggerParser(docs.apiDefinition)) emit(swaggerParserMeta, names.apiDefinition, p.message, p.path);
    docs.resolved = resolveLocalRefs(docs.apiDefinition);
  }

  for (const rule of CONNECTOR_CHECKS) {
    for (const f of rule.check(docs)) out.push({ code: rule.code, severity: f.severity ?? rule.severity, path: f.path, message: f.message, file: f.file });
  }
  return out;
}

/**
 * What `SwaggerParser.validate` checks: the official Swagger 2.0 schema (precompiled or compiled once, where
 * swagger-parser would compile it on every call), then swagger-parser's spec checks and `$ref` resolution, on a copy (it mutates
 * what it is given) and with external references off: validating a folder never reaches the network or other
 * files. Schema errors keep their paths; spec errors name no path.
 */
async function runSwaggerParser(api: Json): Promise<{ path: Path; message: string }[]> {
  const schema = schemaValidators().swagger2;
  if (!schema(api)) {
    return ajvErrorsToDiagnostics(schema.errors, { code: swaggerParserMeta.code, file: '' }).map(({ path, message }) => ({ path, message: `Swagger 2.0 schema: ${message}` }));
  }
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  try {
    await new SwaggerParser().validate(structuredClone(api) as unknown as OpenAPI.Document, { resolve: { external: false }, validate: { schema: false, spec: true } });
    return [];
  } catch (e) {
    return [{ path: [], message: firstLine((e as Error).message) }];
  }
}

/**
 * The swagger with every local `$ref` (`#/...`) replaced by its target, so rules see each operation's parameters
 * and responses where they apply. Unresolvable and circular references are left as written.
 */
export function resolveLocalRefs(doc: Json): Json {
  const target = (ref: string): unknown => {
    let v: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      v = v && typeof v === 'object' ? (v as Json)[seg] : undefined;
    }
    return v;
  };
  const walk = (value: unknown, stack: readonly string[]): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, stack));
    if (!value || typeof value !== 'object') return value;
    const ref = (value as Json).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/') && !stack.includes(ref)) {
      const t = target(ref);
      if (t !== undefined) return walk(t, [...stack, ref]);
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, stack);
    return out;
  };
  return walk(doc, []) as Json;
}
function firstLine(message: string): string {
  return message.split('\n').filter((l) => l.trim())[0] ?? message;
}
