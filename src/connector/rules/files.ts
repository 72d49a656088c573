import { ajvErrorsToDiagnostics } from '../../diagnostics/ajv-adapter.js';
import type { RuleMeta } from '../../diagnostics/diagnostic.js';
import { inspectPng } from '../png.js';
import { schemaValidators } from '../schemas/validators.js';
import { get, type ConnectorDocs, type ConnectorRule, type Finding, type Json } from './context.js';

/** Files, encoding, icon, README and the project's own JSON Schemas (connector.md §7 A, B, E, F). */
const PAGE = 'docs/rules/connector.md';

/** Codes the folder reader and swagger-parser report (validate.ts), not a per-document check. */
export const missingFileMeta: RuleMeta = {
  code: 'connector-missing-file',
  severity: 'error',
  description: 'The folder holds apiDefinition.swagger.json, apiProperties.json and README.md.',
  docsPage: PAGE,
};
export const invalidFileMeta: RuleMeta = {
  code: 'connector-invalid-file',
  severity: 'error',
  description: 'Every JSON file is strict UTF-8 JSON without a byte-order mark, with an object at the top; README.md is UTF-8.',
  docsPage: PAGE,
};
export const swaggerParserMeta: RuleMeta = {
  code: 'connector-swagger-parser',
  severity: 'error',
  description: 'The swagger passes @apidevtools/swagger-parser: the Swagger 2.0 schema, the spec checks and every $ref.',
  docsPage: PAGE,
};

const REQUIRED_SECTIONS = ['Publisher', 'Prerequisites', 'Supported Operations', 'Obtaining Credentials', 'Known Issues and Limitations', 'Deployment Instructions'];

export const readmeSections: ConnectorRule = {
  code: 'connector-readme-sections',
  severity: 'error',
  description: 'README.md has the sections of the certification template.',
  docsPage: PAGE,
  check: (d) => {
    if (d.readme === undefined) return [];
    const headings = d.readme.split('\n').filter((l) => /^##\s/.test(l)).map((l) => l.replace(/^##\s+/, '').trim().toLowerCase());
    return REQUIRED_SECTIONS.filter((s) => !headings.some((h) => h === s.toLowerCase() || h.startsWith(`${s.toLowerCase()}:`))).map((s) => ({
      path: [],
      file: d.names.readme,
      message: `missing the section '## ${s}${s === 'Publisher' ? ': <name>' : ''}'`,
    }));
  },
};

export const iconFormat: ConnectorRule = {
  code: 'connector-icon-format',
  severity: 'error',
  description: 'icon.png, when present, is a 230x230 opaque PNG.',
  docsPage: PAGE,
  check: (d) => {
    if (!d.icon) return [];
    const file = d.names.icon;
    const info = inspectPng(d.icon);
    if ('error' in info) return [{ path: [], file, message: info.error }];
    const out: Finding[] = [];
    if (info.width !== 230 || info.height !== 230) out.push({ path: [], file, message: `icon is ${info.width}x${info.height}; certification asks for 230x230` });
    if (info.colorType === 3) out.push({ path: [], file, severity: 'warn', message: 'palette PNG: transparency cannot be checked; save it as RGB' });
    if (info.pixels && info.pixels.minAlpha < 255) out.push({ path: [], file, message: 'icon has transparent pixels; the background must be opaque' });
    return out;
  },
};

export const iconColor: ConnectorRule = {
  code: 'connector-icon-color',
  severity: 'error',
  description: "The icon's background is iconBrandColor, and not white.",
  docsPage: PAGE,
  check: (d) => {
    if (!d.icon) return [];
    const info = inspectPng(d.icon);
    if ('error' in info || !info.pixels) return [];
    const background = info.pixels.corner;
    const brand = String(get(d.apiProperties, 'properties', 'iconBrandColor') ?? '').toLowerCase();
    if (background === '#ffffff') return [{ path: [], file: d.names.icon, message: 'icon background is white' }];
    if (brand && background !== brand) return [{ path: [], file: d.names.icon, message: `icon background ${background} differs from iconBrandColor ${brand}` }];
    return [];
  },
};

function schemaRule(code: string, description: string, pick: (d: ConnectorDocs) => [Json | undefined, string], which: 'definition' | 'properties' | 'settings'): ConnectorRule {
  return {
    code,
    severity: 'error',
    description,
    docsPage: PAGE,
    check: (d) => {
      const [doc, file] = pick(d);
      if (doc === undefined) return [];
      const validate = schemaValidators()[which];
      return validate(doc) ? [] : ajvErrorsToDiagnostics(validate.errors, { code, file }).map(({ path, message }) => ({ path, message, file }));
    },
  };
}

export const apiDefinitionSchema = schemaRule(
  'connector-api-definition-schema',
  "apiDefinition.swagger.json matches coe-audit's schema: x-ms-* keys only where the platform reads them, with valid values.",
  (d) => [d.apiDefinition, d.names.apiDefinition],
  'definition',
);
export const apiPropertiesSchema = schemaRule(
  'connector-api-properties-schema',
  "apiProperties.json matches coe-audit's schema: known keys, string booleans, oAuthSettings shape.",
  (d) => [d.apiProperties, d.names.apiProperties],
  'properties',
);
export const settingsSchema = schemaRule(
  'connector-settings-schema',
  "settings.json, when present, holds only the keys paconn reads.",
  (d) => [d.settings, d.names.settings],
  'settings',
);

export const FILE_RULES: readonly ConnectorRule[] = [readmeSections, iconFormat, iconColor, apiDefinitionSchema, apiPropertiesSchema, settingsSchema];
