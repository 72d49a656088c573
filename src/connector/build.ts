import type { Cloud } from '../clouds/cloud-table.js';
import { stableJson } from '../io/stable-json.js';
import type { ConnectorSource } from './source.js';
import { fillString, fillValue, tokenValues } from './template.js';

/** One cloud's connector, in memory: the values the solution build needs, and the files of the paconn layout. */
export interface ConnectorVariant {
  cloud: Cloud;
  /** info.title of this variant. */
  title: string;
  /** info.description of this variant. */
  description: string;
  iconBrandColor: string;
  /** The swagger object as written to apiDefinition.swagger.json. */
  apiDefinition: Record<string, unknown>;
  /** apiProperties.json: connectionParameters, iconBrandColor, capabilities, policyTemplateInstances, publisher. */
  apiProperties: { properties: Record<string, unknown> };
  /** icon.png bytes. */
  icon: Uint8Array;
  /** apiDefinition.swagger.json, apiProperties.json, icon.png, README.md, settings.json. */
  files: Map<string, Uint8Array>;
}

/** The file names of a connector folder as paconn and `pac connector create` read it. */
export const CONNECTOR_FILES = {
  apiDefinition: 'apiDefinition.swagger.json',
  apiProperties: 'apiProperties.json',
  icon: 'icon.png',
  readme: 'README.md',
  settings: 'settings.json',
} as const;

/** paconn's settings.json: where the files are; no environment (chosen at create time). */
export const SETTINGS = {
  apiDefinition: CONNECTOR_FILES.apiDefinition,
  apiProperties: CONNECTOR_FILES.apiProperties,
  icon: CONNECTOR_FILES.icon,
  powerAppsApiVersion: '2016-11-01',
} as const;

/**
 * Resolves the source for one cloud: fills every placeholder from the cloud table and the options, and renders
 * the files. Pure and deterministic: the same source, cloud and options give byte-identical files.
 */
export function buildConnectorVariant(
  source: ConnectorSource,
  cloud: Cloud,
  options: { clientId?: string; redirectUrl?: string } = {},
): ConnectorVariant {
  const base = tokenValues(cloud, options);
  const apiDefinition = fillValue(source.apiDefinition, base) as Record<string, unknown>;
  const info = (apiDefinition.info ?? {}) as Record<string, unknown>;
  const title = String(info.title ?? '');
  const description = String(info.description ?? '');
  const values = { ...base, title };
  const apiProperties = fillValue(source.apiProperties, values) as { properties: Record<string, unknown> };
  const readme = fillString(source.readmeTemplate.replace(/<!--[\s\S]*?-->\n?/g, ''), values)
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>([
    [CONNECTOR_FILES.apiDefinition, enc.encode(stableJson(apiDefinition))],
    [CONNECTOR_FILES.apiProperties, enc.encode(stableJson(apiProperties))],
    [CONNECTOR_FILES.icon, source.icon],
    [CONNECTOR_FILES.readme, enc.encode(readme.endsWith('\n') ? readme : `${readme}\n`)],
    [CONNECTOR_FILES.settings, enc.encode(stableJson(SETTINGS))],
  ]);
  return {
    cloud,
    title,
    description,
    iconBrandColor: String(apiProperties.properties.iconBrandColor ?? ''),
    apiDefinition,
    apiProperties,
    icon: source.icon,
    files,
  };
}
