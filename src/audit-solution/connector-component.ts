import type { ConnectorVariant } from '../connector/build.js';
import { componentGuid } from '../flows/guid.js';
import type { SolutionSource } from './source.js';
import type { ConnectorComponent } from './tree.js';
import { escapeText, XML_PROLOG } from './xml.js';

/** The connector's name after the publisher prefix: `<prefix>_5F` + this, at most 30 characters in all. */
export const CONNECTOR_NAME_SUFFIX = 'coeauditactivityapi';

/**
 * The connector variant as a solution component (solution-format §3.4): Connectors/<name>.xml and the four
 * files it names (zip paths `/Connector/…`), with a stable GUID. The name is `<prefix>_5Fcoeauditactivityapi`
 * (`_5F` is the escaped `_`, as in the kit's `admin_5Foffice-20365-20management-20api`), at most 30 characters
 * because pac's unpack drops longer ones.
 */
export function connectorComponent(manifest: SolutionSource['manifest'], variant: ConnectorVariant): ConnectorComponent {
  const name = `${manifest.publisher.prefix}_5F${CONNECTOR_NAME_SUFFIX}`;
  const id = componentGuid(manifest.uniqueName, 'connector', CONNECTOR_NAME_SUFFIX);
  const enc = new TextEncoder();
  const props = variant.apiProperties.properties;
  const files = new Map<string, Uint8Array>();
  const path = (suffix: string) => `Connectors/${name}_${suffix}`;
  const xml = [
    '<Connector xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `  <connectorid>${id}</connectorid>`,
    `  <description>${escapeText(variant.description)}</description>`,
    `  <displayname>${escapeText(variant.title)}</displayname>`,
    `  <iconbrandcolor>${escapeText(variant.iconBrandColor)}</iconbrandcolor>`,
    `  <name>${name}</name>`,
    '  <connectortype>1</connectortype>',
    `  <openapidefinition>/Connector/${name}_openapidefinition.json</openapidefinition>`,
    `  <connectionparameters>/Connector/${name}_connectionparameters.json</connectionparameters>`,
    `  <policytemplateinstances>/Connector/${name}_policytemplateinstances.json</policytemplateinstances>`,
    `  <iconblob>/Connector/${name}_iconblob.Png</iconblob>`,
    '</Connector>',
  ];
  files.set(`Connectors/${name}.xml`, enc.encode(XML_PROLOG + xml.join('\n') + '\n'));
  // Compact JSON, as in exported solutions.
  files.set(path('openapidefinition.json'), enc.encode(JSON.stringify(variant.apiDefinition)));
  files.set(path('connectionparameters.json'), enc.encode(JSON.stringify(props.connectionParameters ?? {})));
  files.set(path('policytemplateinstances.json'), enc.encode(JSON.stringify(props.policyTemplateInstances ?? null)));
  files.set(path('iconblob.Png'), variant.icon);
  return { id, name, files };
}
