import type { Cloud } from '../clouds/cloud-table.js';
import { stableJson } from '../io/stable-json.js';
import { editionSolution, type Edition, type EditionSolution, type PlacedFlow } from './edition.js';
import { tableFiles, tableNames } from './entities.js';
import { fillPlaceholders, type EnvVarSource, type SolutionSource } from './source.js';
import { escapeAttr, escapeText, XML_PROLOG } from './xml.js';

export type { PlacedFlow };

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

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The flows of an edition with their stable GUIDs and file names (built once per source: the same in every cloud). */
export function placeFlows(source: SolutionSource, edition: Edition = 'coe'): PlacedFlow[] {
  return editionSolution(source, edition).flows;
}

/**
 * The unpacked solution for one cloud: Other/Solution.xml, Other/Customizations.xml (connection reference,
 * placeholders for split-out workflows and connector), Workflows/*.json and .json.data.xml,
 * environmentvariabledefinitions/, and the connector's Connectors/ files when given. Pure and deterministic.
 */
export function buildSolutionTree(source: SolutionSource, cloud: Cloud, options: { connector?: ConnectorComponent; edition?: Edition } = {}): SolutionTree {
  const tree: SolutionTree = new Map();
  const e = editionSolution(source, options.edition ?? 'coe');
  tree.set('Other/Solution.xml', utf8(solutionXml(e, options.connector)));
  tree.set('Other/Customizations.xml', utf8(customizationsXml(e, options.connector !== undefined)));
  for (const p of e.flows) {
    // Packaged flow JSON: 2-space indent; pac copies it byte for byte.
    tree.set(`Workflows/${p.fileName}`, flowBytes(p));
    tree.set(`Workflows/${p.fileName}.data.xml`, utf8(workflowDataXml(e, p)));
  }
  for (const v of e.environmentVariables) {
    tree.set(`environmentvariabledefinitions/${v.schemaName}/environmentvariabledefinition.xml`, utf8(envVarXml(e, v, cloud)));
  }
  for (const [path, bytes] of tableBytes(e)) tree.set(path, bytes);
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

/** `make` of an edition, worked out once per edition: for what names no cloud and so is the same in every cloud. */
function perEdition<T>(make: (e: EditionSolution) => T): (e: EditionSolution) => T {
  const made = new WeakMap<EditionSolution, T>();
  return (e) => {
    if (!made.has(e)) made.set(e, make(e));
    return made.get(e)!;
  };
}

/** The edition's table files (they name no host). */
const tableBytes = perEdition((e): [string, Uint8Array][] =>
  e.tables ? [...tableFiles(e.manifest.uniqueName, e.namePrefix, e.tables, e.manifest.version)].map(([path, text]): [string, Uint8Array] => [path, utf8(text)]) : [],
);

function label(tag: string, value: string): string[] {
  return [`  <${tag} default="${escapeAttr(value)}">`, `    <label description="${escapeAttr(value)}" languagecode="1033" />`, `  </${tag}>`];
}

/** environmentvariabledefinition.xml: no declaration, children in alphabetical order (solution-format §3.1). */
export function envVarXml(e: EditionSolution, v: EnvVarSource, cloud: Cloud): string {
  const lines = [`<environmentvariabledefinition schemaname="${escapeAttr(v.schemaName)}">`];
  if (v.default !== undefined) lines.push(`  <defaultvalue>${escapeText(fillPlaceholders(v.default, cloud))}</defaultvalue>`);
  lines.push(...label('description', fillPlaceholders(v.description, cloud)));
  lines.push(...label('displayname', v.displayName));
  lines.push(`  <introducedversion>${escapeText(e.manifest.version)}</introducedversion>`);
  lines.push('  <iscustomizable>1</iscustomizable>', '  <isrequired>0</isrequired>', '  <secretstore>0</secretstore>');
  lines.push(`  <type>${ENV_VAR_TYPE_CODES[v.type]}</type>`, '</environmentvariabledefinition>');
  return lines.join('\n') + '\n';
}

/** Workflows/<file>.json.data.xml (solution-format §3.5): off (StateCode 0, StatusCode 1). */
export function workflowDataXml(e: EditionSolution, p: PlacedFlow): string {
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
      el('IntroducedVersion', escapeText(e.manifest.version)),
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

/**
 * Other/Customizations.xml: placeholders for split-out components (tables, workflows, connector), the connection
 * reference when the edition ships it (coe depends on CoE Core's instead), Languages.
 */
export function customizationsXml(e: EditionSolution, hasConnector: boolean): string {
  const cr = e.connectionReference;
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
      ...(e.shipsConnectionReference
        ? [
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
          ]
        : ['  <connectionreferences />']),
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

/**
 * Other/Solution.xml: manifest, publisher, root components (tables, flows, connector) and missing dependencies.
 * The coe edition names every CoE Core component its flows use (tables, variables, the connection reference) as
 * a missing dependency, in the form Dataverse exports them (the kit's own satellite solution
 * CenterofExcellenceAuditLogs: `type="1" schemaName=…` for a table, `type="EnvironmentVariableDefinition"
 * id.schemaname=…`, `type="connectionreference" id.connectionreferencelogicalname=…`), each naming
 * `<Core's unique name> (<minimum version>)`, one per dependent flow, sorted by type, name and flow id.
 */
export function solutionXml(e: EditionSolution, connector?: ConnectorComponent): string {
  const m = e.manifest;
  const p = m.publisher;
  const roots = [
    ...(e.tables?.tables ?? []).map((t) => `      <RootComponent type="1" schemaName="${tableNames(e.namePrefix, t).logicalName}" behavior="0" />`),
    ...e.flows.map((f) => `      <RootComponent type="29" id="{${f.id}}" behavior="0" />`),
  ];
  if (connector) roots.push(`      <RootComponent type="372" id="{${connector.id}}" schemaName="${escapeAttr(connector.name)}" behavior="0" />`);
  const deps = e.edition === 'coe' ? coreDependenciesOf(e) : [];
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
      ...(deps.length > 0
        ? [
            '    <MissingDependencies>',
            ...deps.flatMap((d) => [
              '      <MissingDependency>',
              `        ${d.required}`,
              `        <Dependent type="29" displayName="${escapeAttr(d.flow.flow.displayName)}" id="{${d.flow.id}}" />`,
              '      </MissingDependency>',
            ]),
            '    </MissingDependencies>',
          ]
        : ['    <MissingDependencies />']),
      '  </SolutionManifest>',
      '</ImportExportXml>',
    ].join('\n') +
    '\n'
  );
}

interface CoreDependency {
  type: string;
  name: string;
  required: string;
  flow: PlacedFlow;
}

/** coreDependencies of an edition (they name no cloud: the flows are searched whole). */
const coreDependenciesOf = perEdition(coreDependencies);

/** The CoE Core components the coe edition's flows use, one entry per component and dependent flow. */
export function coreDependencies(e: EditionSolution): CoreDependency[] {
  const core = e.source.coreSolution;
  const solution = escapeAttr(`${core.uniqueName} (${core.minimumVersion})`);
  const out: CoreDependency[] = [];
  const text = new Map(e.flows.map((f) => [f, JSON.stringify(f.flow.json).toLowerCase()]));
  for (const d of e.source.missingDependencies) {
    for (const f of e.flows.filter((x) => d.flows.includes(x.flow.key))) {
      out.push({ type: '1', name: d.schemaName, flow: f, required: `<Required type="1" schemaName="${escapeAttr(d.schemaName)}" displayName="${escapeAttr(d.displayName)}" solution="${solution}" />` });
    }
  }
  const cr = e.connectionReference.logicalName;
  for (const f of e.flows.filter((x) => text.get(x)!.includes(`"${cr.toLowerCase()}"`))) {
    out.push({ type: 'connectionreference', name: cr, flow: f, required: `<Required type="connectionreference" displayName="${escapeAttr(cr)}" solution="${solution}" id.connectionreferencelogicalname="${escapeAttr(cr)}" />` });
  }
  for (const v of e.flowVariables.filter((x) => x.core === true)) {
    // A flow uses a variable when it binds it as a parameter or reads it at run time; either names its schema name.
    for (const f of e.flows.filter((x) => text.get(x)!.includes(v.schemaName.toLowerCase()))) {
      const name = escapeAttr(v.schemaName);
      out.push({ type: 'EnvironmentVariableDefinition', name: v.schemaName, flow: f, required: `<Required type="EnvironmentVariableDefinition" displayName="${name}" solution="${solution}" id.schemaname="${name}" />` });
    }
  }
  const key = (d: CoreDependency) => [d.type.toLowerCase(), d.name.toLowerCase(), d.flow.id];
  return out.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}
