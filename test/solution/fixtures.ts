import type { SourceTree } from '../../src/solution/index.js';

/**
 * Small solution sources of our own, in the canonical `pac solution unpack` form (BOM + declaration, LF,
 * 2-space indentation, no final newline, placeholders, <Managed>2</Managed>), so unpack(pack(src)) == src.
 */
const BOM = '\uFEFF';
const DECL = '<?xml version="1.0" encoding="utf-8"?>\n';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

export interface FlowSpec {
  name: string;
  guid: string;
  json: object;
}
export interface ConnectorSpec {
  name: string;
  id: string;
  displayName: string;
}
export interface EnvVarSpec {
  schema: string;
  type: string;
  defaultValue?: string;
  extra?: string;
}
export interface FixtureSpec {
  uniqueName: string;
  flows?: FlowSpec[];
  connector?: ConnectorSpec;
  envVars?: EnvVarSpec[];
  connectionReferences?: { logicalName: string; connectorId: string; customConnectorId?: string }[];
  missingDependencies?: string;
}

export function solutionXml(spec: FixtureSpec): string {
  const roots = [
    ...(spec.flows ?? []).map((f) => `      <RootComponent type="29" id="{${f.guid}}" behavior="0" />`),
    ...(spec.connector ? [`      <RootComponent type="372" id="{${spec.connector.id}}" schemaName="${spec.connector.name}" behavior="0" />`] : []),
  ];
  return `${BOM}${DECL}<ImportExportXml version="9.2.24012.196" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" ${XSI}>
  <SolutionManifest>
    <UniqueName>${spec.uniqueName}</UniqueName>
    <LocalizedNames>
      <LocalizedName description="${spec.uniqueName}" languagecode="1033" />
    </LocalizedNames>
    <Descriptions />
    <Version>1.0.0.0</Version>
    <Managed>2</Managed>
    <Publisher>
      <UniqueName>coeaudit</UniqueName>
      <LocalizedNames>
        <LocalizedName description="CoE Audit" languagecode="1033" />
      </LocalizedNames>
      <Descriptions />
      <EMailAddress xsi:nil="true"></EMailAddress>
      <SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>
      <CustomizationPrefix>coe</CustomizationPrefix>
      <CustomizationOptionValuePrefix>10000</CustomizationOptionValuePrefix>
      <Addresses />
    </Publisher>
    <RootComponents${roots.length ? `>\n${roots.join('\n')}\n    </RootComponents>` : ' />'}
    ${spec.missingDependencies ?? '<MissingDependencies />'}
  </SolutionManifest>
</ImportExportXml>`;
}

export function customizationsXml(spec: FixtureSpec): string {
  const refs = spec.connectionReferences ?? [];
  const refXml = refs.length
    ? `  <connectionreferences>\n${refs
        .map(
          (r) => `    <connectionreference connectionreferencelogicalname="${r.logicalName}">
      <connectionreferencedisplayname>${r.logicalName}</connectionreferencedisplayname>
      <connectorid>${r.connectorId}</connectorid>
${r.customConnectorId ? `      <customconnectorid>\n        <connectorid>${r.customConnectorId}</connectorid>\n      </customconnectorid>\n` : ''}      <iscustomizable>1</iscustomizable>
      <promptingbehavior>0</promptingbehavior>
      <statecode>0</statecode>
      <statuscode>1</statuscode>
    </connectionreference>`,
        )
        .join('\n')}\n  </connectionreferences>\n`
    : '';
  return `${BOM}${DECL}<ImportExportXml ${XSI}>
  <Entities />
  <Roles />
  <Workflows />
  <FieldSecurityProfiles />
  <Templates />
  <EntityMaps />
  <EntityRelationships />
  <OrganizationSettings />
  <optionsets />
  <CustomControls />
  <EntityDataProviders />
${spec.connector ? '  <Connectors />\n' : ''}${refXml}  <Languages>
    <Language>1033</Language>
  </Languages>
</ImportExportXml>`;
}

export function workflowDataXml(f: FlowSpec): string {
  const file = `${f.name}-${f.guid.toUpperCase()}.json`;
  return `${BOM}${DECL}<Workflow WorkflowId="{${f.guid}}" Name="${f.name}" ${XSI}>
  <JsonFileName>/Workflows/${file}</JsonFileName>
  <Type>1</Type>
  <Subprocess>0</Subprocess>
  <Category>5</Category>
  <Mode>0</Mode>
  <Scope>4</Scope>
  <OnDemand>0</OnDemand>
  <TriggerOnCreate>0</TriggerOnCreate>
  <TriggerOnDelete>0</TriggerOnDelete>
  <AsyncAutodelete>0</AsyncAutodelete>
  <SyncWorkflowLogOnFailure>0</SyncWorkflowLogOnFailure>
  <StateCode>1</StateCode>
  <StatusCode>2</StatusCode>
  <RunAs>1</RunAs>
  <IsTransacted>1</IsTransacted>
  <IntroducedVersion>1.0.0.0</IntroducedVersion>
  <IsCustomizable>1</IsCustomizable>
  <BusinessProcessType>0</BusinessProcessType>
  <IsCustomProcessingStepAllowedForOtherPublishers>1</IsCustomProcessingStepAllowedForOtherPublishers>
  <ModernFlowType>0</ModernFlowType>
  <PrimaryEntity>none</PrimaryEntity>
  <LocalizedNames>
    <LocalizedName languagecode="1033" description="${f.name}" />
  </LocalizedNames>
</Workflow>`;
}

export function connectorXml(c: ConnectorSpec): string {
  const p = `/Connector/${c.name}`;
  return `${BOM}${DECL}<Connector ${XSI}>
  <connectorid>${c.id}</connectorid>
  <description></description>
  <displayname>${c.displayName}</displayname>
  <iconbrandcolor>#007ee5</iconbrandcolor>
  <name>${c.name}</name>
  <connectortype>1</connectortype>
  <openapidefinition>${p}_openapidefinition.json</openapidefinition>
  <connectionparameters>${p}_connectionparameters.json</connectionparameters>
  <policytemplateinstances>${p}_policytemplateinstances.json</policytemplateinstances>
  <iconblob>${p}_iconblob.Png</iconblob>
</Connector>`;
}

export function envVarXml(v: EnvVarSpec): string {
  return `<environmentvariabledefinition schemaname="${v.schema}">
${v.defaultValue !== undefined ? `  <defaultvalue>${v.defaultValue}</defaultvalue>\n` : ''}  <description default="${v.schema}">
    <label description="${v.schema}" languagecode="1033" />
  </description>
  <displayname default="${v.schema}">
    <label description="${v.schema}" languagecode="1033" />
  </displayname>
  <introducedversion>1.0.0.0</introducedversion>
  <iscustomizable>1</iscustomizable>
  <isrequired>0</isrequired>
${v.extra ?? ''}  <secretstore>0</secretstore>
  <type>${v.type}</type>
</environmentvariabledefinition>
`;
}

export function buildTree(spec: FixtureSpec): SourceTree {
  const tree: SourceTree = new Map();
  tree.set('Other/Solution.xml', enc(solutionXml(spec)));
  tree.set('Other/Customizations.xml', enc(customizationsXml(spec)));
  for (const f of spec.flows ?? []) {
    const file = `Workflows/${f.name}-${f.guid.toUpperCase()}.json`;
    tree.set(file, enc(JSON.stringify(f.json, null, 2).replace(/\n/g, '\r\n')));
    tree.set(`${file}.data.xml`, enc(workflowDataXml(f)));
  }
  if (spec.connector) {
    const c = spec.connector;
    tree.set(`Connectors/${c.name}.xml`, enc(connectorXml(c)));
    tree.set(`Connectors/${c.name}_openapidefinition.json`, enc('{"swagger":"2.0","info":{"title":"Audit","version":"1.0"},"host":"example.invalid","basePath":"/","paths":{}}'));
    tree.set(`Connectors/${c.name}_connectionparameters.json`, enc('{"token":{"type":"oauthSetting"}}'));
    tree.set(`Connectors/${c.name}_policytemplateinstances.json`, enc('null'));
    tree.set(`Connectors/${c.name}_iconblob.Png`, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
  }
  for (const v of spec.envVars ?? []) tree.set(`environmentvariabledefinitions/${v.schema}/environmentvariabledefinition.xml`, enc(envVarXml(v)));
  return tree;
}

export const FLOW_GUID = '0e0dd588-ba10-f011-9989-6045bd0e2fc6';
export const CONNECTOR_GUID = '5c834463-f47d-4959-9c3a-fa07810814e3';

export function flowJson(options: { connectionReferences?: Record<string, string>; parameters?: Record<string, object>; actions?: Record<string, object> } = {}): object {
  const refs = Object.fromEntries(
    Object.entries(options.connectionReferences ?? {}).map(([key, logical]) => [key, { runtimeSource: 'embedded', connection: { connectionReferenceLogicalName: logical }, api: { name: key } }]),
  );
  return {
    properties: {
      connectionReferences: refs,
      definition: {
        $schema: 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
        contentVersion: '1.0.0.0',
        parameters: { $authentication: { defaultValue: {}, type: 'SecureObject' }, ...(options.parameters ?? {}) },
        triggers: { manual: { type: 'Request', kind: 'Http', inputs: { schema: {} } } },
        actions: options.actions ?? { Response: { runAfter: {}, type: 'Response', kind: 'Http', inputs: { statusCode: 200, body: "@triggerBody()?['value']" } } },
      },
      templateName: '',
    },
    schemaVersion: '1.0.0.0',
  };
}

/** The always-on fixtures: flow only, flow with env vars, connector with a connection reference. */
export const FIXTURES: Record<string, FixtureSpec> = {
  'flow-only': { uniqueName: 'FlowOnly', flows: [{ name: 'ReplyToRequest', guid: FLOW_GUID, json: flowJson() }] },
  'flow-with-env-vars': {
    uniqueName: 'FlowWithEnvVars',
    flows: [
      {
        name: 'ReadSettings',
        guid: 'c78d51cf-e9f1-ef11-be20-000d3ac7b386',
        json: flowJson({
          parameters: { 'Site URL (coe_SiteURL)': { defaultValue: 'x', type: 'String', metadata: { schemaName: 'coe_SiteURL' } } },
          actions: { Compose: { runAfter: {}, type: 'Compose', inputs: "@parameters('Site URL (coe_SiteURL)')" } },
        }),
      },
    ],
    envVars: [
      { schema: 'coe_SiteURL', type: '100000000', defaultValue: 'https://contoso.example' },
      { schema: 'coe_BatchSize', type: '100000001', defaultValue: '5000' },
      { schema: 'coe_ClientSecret', type: '100000005' },
    ],
  },
  'connector-with-connection-reference': {
    uniqueName: 'ConnectorAndReference',
    connector: { name: 'coe_5Faudit-20api', id: CONNECTOR_GUID, displayName: 'Audit API' },
    connectionReferences: [
      { logicalName: 'coe_sharedaudit_5715e', connectorId: '/providers/Microsoft.PowerApps/apis/shared_coe-5faudit-20api-5f0123456789abcdef', customConnectorId: CONNECTOR_GUID },
    ],
    flows: [
      {
        name: 'ListContent',
        guid: 'b320508c-d212-f011-998a-6045bd0e2fc6',
        json: flowJson({
          connectionReferences: { shared_audit: 'coe_sharedaudit_5715e' },
          actions: {
            List: { runAfter: {}, type: 'OpenApiConnection', inputs: { host: { connectionName: 'shared_audit', operationId: 'ListContent', apiId: '/providers/Microsoft.PowerApps/apis/shared_audit' }, authentication: "@parameters('$authentication')" } },
            Done: { runAfter: { List: ['Succeeded'] }, type: 'Compose', inputs: "@{body('List')}" },
          },
        }),
      },
    ],
  },
};
