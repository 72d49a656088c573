import type { Cloud } from '../clouds/cloud-table.js';
import { buildFlows, componentGuid, flowFileName, type FlowSource } from '../flows/index.js';
import { stableJson } from '../io/stable-json.js';
import { fillPlaceholders, type EnvVarSource, type SolutionSource } from './source.js';
import { escapeAttr, escapeText, XML_PROLOG } from './xml.js';

/** Relative POSIX path → bytes, in the layout `pac solution unpack` writes (the packaging room's SourceTree). */
export type SolutionTree = Map<string, Uint8Array>;

/** The connector as a solution component: files under Connectors/ and its identity. */
export interface ConnectorComponent {
  id: string;
  /** Connector `name` (schema name), at most 30 characters. */
  name: string;
  /** Connectors/<file> → bytes, including Connectors/<name>.xml. */
  files: ReadonlyMap<string, Uint8Array>;
}

export const ENV_VAR_TYPE_CODES: Record<EnvVarSource['type'], number> = { String: 100000000, Number: 100000001, Boolean: 100000002, Secret: 100000005 };

/** One flow placed in the solution: GUID, file name and source. */
export interface PlacedFlow {
  flow: FlowSource;
  id: string;
  fileName: string;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const placedCache = new WeakMap<SolutionSource, PlacedFlow[]>();

/** The three flows with their stable GUIDs and file names (built once per source: they are the same in every cloud). */
export function placeFlows(source: SolutionSource): PlacedFlow[] {
  const cached = placedCache.get(source);
  if (cached) return cached;
  const placed = buildPlacedFlows(source);
  placedCache.set(source, placed);
  return placed;
}

function buildPlacedFlows(source: SolutionSource): PlacedFlow[] {
  const flows = buildFlows({ envVars: source.environmentVariables, connectionReferenceLogicalName: source.connectionReference.logicalName });
  return flows.map((flow) => {
    const id = componentGuid(source.manifest.uniqueName, 'workflow', flow.key);
    return { flow, id, fileName: flowFileName(flow.displayName, id) };
  });
}

/**
 * The unpacked solution for one cloud: Other/Solution.xml, Other/Customizations.xml (connection reference,
 * placeholders for split-out workflows and connector), Workflows/*.json and .json.data.xml,
 * environmentvariabledefinitions/, and the connector's Connectors/ files when given. Pure and deterministic.
 */
export function buildSolutionTree(source: SolutionSource, cloud: Cloud, options: { connector?: ConnectorComponent } = {}): SolutionTree {
  const tree: SolutionTree = new Map();
  const placed = placeFlows(source);
  tree.set('Other/Solution.xml', utf8(solutionXml(source, placed, options.connector)));
  tree.set('Other/Customizations.xml', utf8(customizationsXml(source, options.connector !== undefined)));
  for (const p of placed) {
    // Packaged flow JSON: 2-space indent; pac copies it byte for byte.
    tree.set(`Workflows/${p.fileName}`, flowBytes(p));
    tree.set(`Workflows/${p.fileName}.data.xml`, utf8(workflowDataXml(source, p)));
  }
  for (const v of source.environmentVariables) {
    tree.set(`environmentvariabledefinitions/${v.schemaName}/environmentvariabledefinition.xml`, utf8(envVarXml(source, v, cloud)));
  }
  if (options.connector) for (const [path, bytes] of options.connector.files) tree.set(path, bytes);
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const flowBytesCache = new WeakMap<PlacedFlow, Uint8Array>();
function flowBytes(p: PlacedFlow): Uint8Array {
  let b = flowBytesCache.get(p);
  if (!b) {
    b = utf8(stableJson(p.flow.json));
    flowBytesCache.set(p, b);
  }
  return b;
}

function label(tag: string, value: string): string[] {
  return [`  <${tag} default="${escapeAttr(value)}">`, `    <label description="${escapeAttr(value)}" languagecode="1033" />`, `  </${tag}>`];
}

/** environmentvariabledefinition.xml: no declaration, children in alphabetical order (solution-format §3.1). */
export function envVarXml(source: SolutionSource, v: EnvVarSource, cloud: Cloud): string {
  const lines = [`<environmentvariabledefinition schemaname="${escapeAttr(v.schemaName)}">`];
  if (v.default !== undefined) lines.push(`  <defaultvalue>${escapeText(fillPlaceholders(v.default, cloud))}</defaultvalue>`);
  lines.push(...label('description', fillPlaceholders(v.description, cloud)));
  lines.push(...label('displayname', v.displayName));
  lines.push(`  <introducedversion>${escapeText(source.manifest.version)}</introducedversion>`);
  lines.push('  <iscustomizable>1</iscustomizable>', '  <isrequired>0</isrequired>', '  <secretstore>0</secretstore>');
  lines.push(`  <type>${ENV_VAR_TYPE_CODES[v.type]}</type>`, '</environmentvariabledefinition>');
  return lines.join('\n') + '\n';
}

/** Workflows/<file>.json.data.xml (solution-format §3.5): off (StateCode 0, StatusCode 1). */
export function workflowDataXml(source: SolutionSource, p: PlacedFlow): string {
  const name = escapeAttr(p.flow.displayName);
  const description = escapeAttr(p.flow.description);
  const el = (tag: string, value: string | number): string => `  <${tag}>${value}</${tag}>`;
  return (
    XML_PROLOG +
    [
      `<Workflow WorkflowId="{${p.id}}" Name="${name}" Description="${description}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`,
      el('JsonFileName', `/Workflows/${p.fileName}`),
      el('Type', 1),
      el('Subprocess', 0),
      el('Category', 5),
      el('Mode', 0),
      el('Scope', 4),
      el('OnDemand', 0),
      el('TriggerOnCreate', 0),
      el('TriggerOnDelete', 0),
      el('AsyncAutodelete', 0),
      el('SyncWorkflowLogOnFailure', 0),
      el('StateCode', 0),
      el('StatusCode', 1),
      el('RunAs', 1),
      el('IsTransacted', 1),
      el('IntroducedVersion', escapeText(source.manifest.version)),
      el('IsCustomizable', 1),
      el('BusinessProcessType', 0),
      el('IsCustomProcessingStepAllowedForOtherPublishers', 1),
      el('ModernFlowType', 0),
      el('PrimaryEntity', 'none'),
      '  <LocalizedNames>',
      `    <LocalizedName languagecode="1033" description="${name}" />`,
      '  </LocalizedNames>',
      '  <Descriptions>',
      `    <Description languagecode="1033" description="${description}" />`,
      '  </Descriptions>',
      '</Workflow>',
    ].join('\n') +
    '\n'
  );
}

/** Other/Customizations.xml: placeholders for split-out components, the connection reference, Languages. */
export function customizationsXml(source: SolutionSource, hasConnector: boolean): string {
  const cr = source.connectionReference;
  return (
    XML_PROLOG +
    [
      '<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
      '  <Entities />',
      '  <Roles />',
      '  <Workflows />',
      '  <FieldSecurityProfiles />',
      '  <Templates />',
      '  <EntityMaps />',
      '  <EntityRelationships />',
      '  <OrganizationSettings />',
      '  <optionsets />',
      '  <CustomControls />',
      '  <EntityDataProviders />',
      ...(hasConnector ? ['  <Connectors />'] : []),
      '  <connectionreferences>',
      `    <connectionreference connectionreferencelogicalname="${escapeAttr(cr.logicalName)}">`,
      `      <connectionreferencedisplayname>${escapeText(cr.displayName)}</connectionreferencedisplayname>`,
      `      <connectorid>${escapeText(cr.connectorId)}</connectorid>`,
      '      <iscustomizable>1</iscustomizable>',
      '      <promptingbehavior>0</promptingbehavior>',
      '      <statecode>0</statecode>',
      '      <statuscode>1</statuscode>',
      '    </connectionreference>',
      '  </connectionreferences>',
      '  <Languages>',
      '    <Language>1033</Language>',
      '  </Languages>',
      '</ImportExportXml>',
    ].join('\n') +
    '\n'
  );
}

const ADDRESS_FIELDS = [
  'City', 'County', 'Country', 'Fax', 'FreightTermsCode', 'ImportSequenceNumber', 'Latitude', 'Line1', 'Line2', 'Line3', 'Longitude', 'Name',
  'PostalCode', 'PostOfficeBox', 'PrimaryContactName', 'ShippingMethodCode', 'StateOrProvince', 'Telephone1', 'Telephone2', 'Telephone3',
  'TimeZoneRuleVersionNumber', 'UPSZone', 'UTCOffset', 'UTCConversionTimeZoneCode',
];

function address(n: number): string[] {
  const out = ['        <Address>', `          <AddressNumber>${n}</AddressNumber>`, '          <AddressTypeCode>1</AddressTypeCode>'];
  for (const f of ADDRESS_FIELDS) {
    out.push(f === 'ShippingMethodCode' ? '          <ShippingMethodCode>1</ShippingMethodCode>' : `          <${f} xsi:nil="true"></${f}>`);
  }
  out.push('        </Address>');
  return out;
}

/** `<LocalizedNames>` and `<Descriptions>` (language 1033) at an indentation. */
function names(indent: string, name: string, description: string): string[] {
  return [
    `${indent}<LocalizedNames>`,
    `${indent}  <LocalizedName description="${escapeAttr(name)}" languagecode="1033" />`,
    `${indent}</LocalizedNames>`,
    `${indent}<Descriptions>`,
    `${indent}  <Description description="${escapeAttr(description)}" languagecode="1033" />`,
    `${indent}</Descriptions>`,
  ];
}

/** Other/Solution.xml: manifest, publisher, root components (flows, connector), missing dependencies. */
export function solutionXml(source: SolutionSource, placed: readonly PlacedFlow[], connector?: ConnectorComponent): string {
  const m = source.manifest;
  const p = m.publisher;
  const roots = placed.map((f) => `      <RootComponent type="29" id="{${f.id}}" behavior="0" />`);
  if (connector) roots.push(`      <RootComponent type="372" id="{${connector.id}}" schemaName="${escapeAttr(connector.name)}" behavior="0" />`);
  const deps: string[] = [];
  for (const d of source.missingDependencies) {
    for (const key of d.flows) {
      const f = placed.find((x) => x.flow.key === key);
      if (!f) continue;
      deps.push(
        '      <MissingDependency>',
        `        <Required type="1" schemaName="${escapeAttr(d.schemaName)}" displayName="${escapeAttr(d.displayName)}" solution="${escapeAttr(d.solution)}" />`,
        `        <Dependent type="29" displayName="${escapeAttr(f.flow.displayName)}" id="{${f.id}}" />`,
        '      </MissingDependency>',
      );
    }
  }
  return (
    XML_PROLOG +
    [
      '<ImportExportXml version="9.2.25091.158" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
      '  <SolutionManifest>',
      `    <UniqueName>${escapeText(m.uniqueName)}</UniqueName>`,
      ...names('    ', m.displayName, m.description),
      `    <Version>${escapeText(m.version)}</Version>`,
      '    <Managed>2</Managed>',
      '    <Publisher>',
      `      <UniqueName>${escapeText(p.uniqueName)}</UniqueName>`,
      ...names('      ', p.displayName, p.description),
      '      <EMailAddress xsi:nil="true"></EMailAddress>',
      '      <SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>',
      `      <CustomizationPrefix>${escapeText(p.prefix)}</CustomizationPrefix>`,
      `      <CustomizationOptionValuePrefix>${p.optionValuePrefix}</CustomizationOptionValuePrefix>`,
      '      <Addresses>',
      ...address(1),
      ...address(2),
      '      </Addresses>',
      '    </Publisher>',
      '    <RootComponents>',
      ...roots,
      '    </RootComponents>',
      ...(deps.length > 0 ? ['    <MissingDependencies>', ...deps, '    </MissingDependencies>'] : ['    <MissingDependencies />']),
      '  </SolutionManifest>',
      '</ImportExportXml>',
    ].join('\n') +
    '\n'
  );
}
