import { join } from 'node:path';
import { UsageError, type Problem } from '../errors.js';
import { decodeUtf8, locateYamlPath, parseYaml, readUserFile, yamlLocator, type YamlLocator } from '../io/index.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { isSecretLikeName } from '../redact.js';
import { PLACEHOLDER, TEMPLATE_TOKENS } from './template.js';

/** The connector source as people write it in connector/: parsed YAML (placeholders unfilled), icon, README. */
export interface ConnectorSource {
  /** The folder the source was read from. */
  root: string;
  /** Paths of the files read, for messages. */
  files: { apiDefinition: string; apiProperties: string; icon: string; readme: string };
  /** connector/apiDefinition.yaml, parsed; strings may hold `{{name}}` placeholders. */
  apiDefinition: Record<string, unknown>;
  /** connector/apiProperties.yaml, parsed. */
  apiProperties: { properties: Record<string, unknown> };
  /** connector/icon.png bytes. */
  icon: Uint8Array;
  /** connector/README.md text, a template with `{{name}}` placeholders. */
  readmeTemplate: string;
}

export const SOURCE_FILE_NAMES = {
  apiDefinition: 'apiDefinition.yaml',
  apiProperties: 'apiProperties.yaml',
  icon: 'icon.png',
  readme: 'README.md',
} as const;

/** Fields the build cannot do without; the validator checks everything else on the built files. */
const REQUIRED_DEFINITION_FIELDS: (string | number)[][] = [['swagger'], ['info'], ['info', 'title'], ['info', 'description'], ['host'], ['paths']];
const REQUIRED_PROPERTIES_FIELDS: (string | number)[][] = [['properties'], ['properties', 'iconBrandColor'], ['properties', 'connectionParameters']];

/**
 * Reads and checks the connector source. Malformed YAML, a file that is not UTF-8, a missing file or required
 * field and an unknown placeholder are UsageErrors naming the file and line:column.
 */
export function loadConnectorSource(root: string = join(PACKAGE_ROOT, 'connector')): ConnectorSource {
  const files = {
    apiDefinition: join(root, SOURCE_FILE_NAMES.apiDefinition),
    apiProperties: join(root, SOURCE_FILE_NAMES.apiProperties),
    icon: join(root, SOURCE_FILE_NAMES.icon),
    readme: join(root, SOURCE_FILE_NAMES.readme),
  };
  const problems: Problem[] = [];
  const texts: Partial<Record<'apiDefinition' | 'apiProperties' | 'readme', string>> = {};
  let icon: Uint8Array = new Uint8Array();
  for (const key of ['apiDefinition', 'apiProperties', 'readme'] as const) {
    try {
      texts[key] = decodeUtf8(readUserFile(files[key]), files[key]);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      problems.push(...e.problems);
    }
  }
  try {
    icon = readUserFile(files.icon);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    problems.push(...e.problems);
  }
  const parsed: Partial<Record<'apiDefinition' | 'apiProperties', unknown>> = {};
  for (const [key, required] of [
    ['apiDefinition', REQUIRED_DEFINITION_FIELDS],
    ['apiProperties', REQUIRED_PROPERTIES_FIELDS],
  ] as const) {
    const text = texts[key];
    if (text === undefined) continue;
    try {
      parsed[key] = parseYaml(text, files[key]);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    problems.push(...missingFields(parsed[key], required, text, files[key]));
    problems.push(...secretValues(parsed[key], text, files[key]));
    problems.push(...unknownPlaceholders(text, files[key]));
  }
  if (texts.readme !== undefined) problems.push(...unknownPlaceholders(texts.readme, files.readme));
  if (problems.length > 0) throw new UsageError(problems);
  return {
    root,
    files,
    apiDefinition: parsed.apiDefinition as Record<string, unknown>,
    apiProperties: parsed.apiProperties as { properties: Record<string, unknown> },
    icon,
    readmeTemplate: texts.readme!,
  };
}

function missingFields(value: unknown, required: (string | number)[][], text: string, file: string): Problem[] {
  const out: Problem[] = [];
  for (const path of required) {
    let v: unknown = value;
    for (const seg of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[String(seg)] : undefined;
    if (v === undefined || v === null || v === '') {
      const where = locateYamlPath(text, path) ?? { line: 1, column: 1 };
      out.push({ file, ...where, message: `missing required field '${path.join('.')}'` });
    }
  }
  // Report a missing parent once, not once per child.
  return out.filter((p, i) => !out.slice(0, i).some((q) => p.message.startsWith(q.message.replace(/'$/, '.'))));
}

function unknownPlaceholders(text: string, file: string): Problem[] {
  const out: Problem[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(PLACEHOLDER)) {
      if (!(TEMPLATE_TOKENS as readonly string[]).includes(m[1]!)) {
        out.push({ file, line: i + 1, column: (m.index ?? 0) + 1, message: `unknown placeholder '${m[0]}' (known: ${TEMPLATE_TOKENS.join(', ')})` });
      }
    }
  });
  return out;
}

/**
 * Keys that hold a secret (`clientSecret` under oAuthSettings, a `password`) with a value: refused, since the
 * build copies the source into apiProperties.json and the docs promise no client secret is ever written.
 * The value is never quoted. An empty or null value (the schema's `clientSecret: null`) is fine.
 */
function secretValues(value: unknown, text: string, file: string): Problem[] {
  const out: Problem[] = [];
  let locate: YamlLocator | undefined;
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v)) {
      const at = [...path, Array.isArray(v) ? Number(k) : k];
      if (child !== null && typeof child === 'object') stack.push({ v: child, path: at });
      else if (isSecretLikeName(k) && child !== null && child !== undefined && String(child).trim() !== '') {
        const where = (locate ??= yamlLocator(text))(at, { key: true }) ?? { line: 1, column: 1 };
        out.push({ file, ...where, message: `'${at.join('.')}' holds a value that looks like a secret; secrets never go in connector files (the connector is written to apiProperties.json and into every solution zip): remove it` });
      }
    }
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
