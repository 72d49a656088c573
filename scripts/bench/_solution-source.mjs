// Generates a large synthetic solution source in the `pac solution unpack` layout: 200 cloud flows of
// realistic size (about 40 KB of CRLF-indented JSON each, like the CoE audit flows), one custom connector
// (OpenAPI, connection parameters, policy templates, icon) with a connection reference, and 50 environment
// variables. Deterministic: the same seed gives the same bytes. Usage: node _solution-source.mjs <folder>
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const BOM = '\uFEFF';
const DECL = '<?xml version="1.0" encoding="utf-8"?>\n';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function guid(next) {
  const h = () => Math.floor(next() * 16).toString(16);
  const part = (n) => Array.from({ length: n }, h).join('');
  return `${part(8)}-${part(4)}-${part(4)}-${part(4)}-${part(12)}`;
}

function flowJson(i, next, envVars) {
  const params = { $connections: { defaultValue: {}, type: 'Object' }, $authentication: { defaultValue: {}, type: 'SecureObject' } };
  const used = envVars.filter((_, k) => (k + i) % 7 === 0);
  for (const v of used) params[`${v} (${v})`] = { defaultValue: `value of ${v}`, type: 'String', metadata: { schemaName: v, description: `The ${v} setting.` } };
  const actions = {};
  let previous;
  for (let a = 0; a < 70; a++) {
    const name = `Step_${a}_${['Get_items', 'Compose', 'Condition', 'Parse_JSON', 'Append_to_array'][a % 5]}`;
    const p = used[a % Math.max(used.length, 1)];
    actions[name] = {
      runAfter: previous ? { [previous]: ['Succeeded'] } : {},
      metadata: { operationMetadataId: guid(next) },
      type: a % 3 === 0 ? 'OpenApiConnection' : 'Compose',
      inputs:
        a % 3 === 0
          ? {
              host: { connectionName: 'shared_commondataserviceforapps', operationId: 'ListRecords', apiId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps' },
              parameters: { entityName: 'admin_auditlogs', $filter: `admin_operation eq 'LaunchPowerApp' and admin_sequence gt ${a}`, $top: 5000 },
              authentication: "@parameters('$authentication')",
            }
          : {
              value: p ? `@{parameters('${p} (${p})')}` : "@utcNow()",
              items: `@body('${previous ?? 'manual'}')?['value']`,
              note: `Record ${i}-${a}: ${Array.from({ length: 8 }, () => Math.floor(next() * 1e9).toString(36)).join(' ')}`,
            },
    };
    previous = name;
  }
  const json = {
    properties: {
      connectionReferences: {
        shared_commondataserviceforapps: { runtimeSource: 'embedded', connection: { connectionReferenceLogicalName: 'coe_sharedcommondataserviceforapps_98924' }, api: { name: 'shared_commondataserviceforapps' } },
      },
      definition: {
        $schema: 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
        contentVersion: '1.0.0.0',
        parameters: params,
        triggers: { Recurrence: { recurrence: { frequency: 'Hour', interval: 1 }, type: 'Recurrence' } },
        actions,
      },
      templateName: '',
    },
    schemaVersion: '1.0.0.0',
  };
  return JSON.stringify(json, null, 2).replace(/\n/g, '\r\n');
}

export function generateSolutionSource(root, { flows = 200, envVars = 50, seed = 42 } = {}) {
  const next = rng(seed);
  const files = new Map();
  const env = Array.from({ length: envVars }, (_, k) => `coe_Setting${String(k).padStart(2, '0')}`);
  const connector = { name: 'coe_5Foffice-20365-20audit', id: guid(next) };
  const workflowIds = [];
  for (let i = 0; i < flows; i++) {
    const id = guid(next);
    workflowIds.push(id);
    const file = `AuditFlow${String(i).padStart(3, '0')}-${id.toUpperCase()}.json`;
    files.set(`Workflows/${file}`, flowJson(i, next, env));
    files.set(
      `Workflows/${file}.data.xml`,
      `${BOM}${DECL}<Workflow WorkflowId="{${id}}" Name="Audit flow ${i}" ${XSI}>\n  <JsonFileName>/Workflows/${file}</JsonFileName>\n  <Type>1</Type>\n  <Subprocess>0</Subprocess>\n  <Category>5</Category>\n  <Mode>0</Mode>\n  <Scope>4</Scope>\n  <OnDemand>0</OnDemand>\n  <TriggerOnCreate>0</TriggerOnCreate>\n  <TriggerOnDelete>0</TriggerOnDelete>\n  <AsyncAutodelete>0</AsyncAutodelete>\n  <SyncWorkflowLogOnFailure>0</SyncWorkflowLogOnFailure>\n  <StateCode>1</StateCode>\n  <StatusCode>2</StatusCode>\n  <RunAs>1</RunAs>\n  <IsTransacted>1</IsTransacted>\n  <IntroducedVersion>1.0.0.0</IntroducedVersion>\n  <IsCustomizable>1</IsCustomizable>\n  <BusinessProcessType>0</BusinessProcessType>\n  <IsCustomProcessingStepAllowedForOtherPublishers>1</IsCustomProcessingStepAllowedForOtherPublishers>\n  <ModernFlowType>0</ModernFlowType>\n  <PrimaryEntity>none</PrimaryEntity>\n  <LocalizedNames>\n    <LocalizedName languagecode="1033" description="Audit flow ${i}" />\n  </LocalizedNames>\n</Workflow>`,
    );
  }
  const p = `/Connector/${connector.name}`;
  files.set(`Connectors/${connector.name}.xml`, `${BOM}${DECL}<Connector ${XSI}>\n  <connectorid>${connector.id}</connectorid>\n  <description>Office 365 Management Activity API</description>\n  <displayname>Office 365 Audit</displayname>\n  <iconbrandcolor>#007ee5</iconbrandcolor>\n  <name>${connector.name}</name>\n  <connectortype>1</connectortype>\n  <openapidefinition>${p}_openapidefinition.json</openapidefinition>\n  <connectionparameters>${p}_connectionparameters.json</connectionparameters>\n  <policytemplateinstances>${p}_policytemplateinstances.json</policytemplateinstances>\n  <iconblob>${p}_iconblob.Png</iconblob>\n</Connector>`);
  const paths = {};
  for (let k = 0; k < 60; k++) paths[`/api/v1.0/{tenantId}/activity/feed/op${k}`] = { get: { operationId: `Op${k}`, summary: `Operation ${k}`, parameters: [{ name: 'tenantId', in: 'path', required: true, type: 'string' }], responses: { 200: { description: 'OK', schema: { type: 'array', items: { type: 'object' } } } } } };
  files.set(`Connectors/${connector.name}_openapidefinition.json`, JSON.stringify({ swagger: '2.0', info: { title: 'Office 365 Audit', version: '1.0' }, host: 'example.invalid', basePath: '/', schemes: ['https'], paths }));
  files.set(`Connectors/${connector.name}_connectionparameters.json`, '{"token":{"type":"oauthSetting","oAuthSettings":{"identityProvider":"aad","scopes":[]}}}');
  files.set(`Connectors/${connector.name}_policytemplateinstances.json`, 'null');
  files.set(`Connectors/${connector.name}_iconblob.Png`, Buffer.from(Array.from({ length: 12_000 }, () => Math.floor(next() * 256))));
  for (const v of env) {
    files.set(`environmentvariabledefinitions/${v}/environmentvariabledefinition.xml`, `<environmentvariabledefinition schemaname="${v}">\n  <defaultvalue>default of ${v}</defaultvalue>\n  <description default="${v}">\n    <label description="${v}" languagecode="1033" />\n  </description>\n  <displayname default="${v}">\n    <label description="${v}" languagecode="1033" />\n  </displayname>\n  <introducedversion>1.0.0.0</introducedversion>\n  <iscustomizable>1</iscustomizable>\n  <isrequired>0</isrequired>\n  <secretstore>0</secretstore>\n  <type>100000000</type>\n</environmentvariabledefinition>\n`);
  }
  const roots = [...workflowIds.map((id) => `      <RootComponent type="29" id="{${id}}" behavior="0" />`), `      <RootComponent type="372" id="{${connector.id}}" schemaName="${connector.name}" behavior="0" />`];
  files.set('Other/Solution.xml', `${BOM}${DECL}<ImportExportXml version="9.2.24012.196" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" ${XSI}>\n  <SolutionManifest>\n    <UniqueName>BenchAudit</UniqueName>\n    <LocalizedNames>\n      <LocalizedName description="Bench Audit" languagecode="1033" />\n    </LocalizedNames>\n    <Descriptions />\n    <Version>1.0.0.0</Version>\n    <Managed>2</Managed>\n    <Publisher>\n      <UniqueName>coe</UniqueName>\n      <LocalizedNames>\n        <LocalizedName description="CoE" languagecode="1033" />\n      </LocalizedNames>\n      <Descriptions />\n      <CustomizationPrefix>coe</CustomizationPrefix>\n      <CustomizationOptionValuePrefix>10000</CustomizationOptionValuePrefix>\n      <Addresses />\n    </Publisher>\n    <RootComponents>\n${roots.join('\n')}\n    </RootComponents>\n    <MissingDependencies />\n  </SolutionManifest>\n</ImportExportXml>`);
  files.set('Other/Customizations.xml', `${BOM}${DECL}<ImportExportXml ${XSI}>\n  <Entities />\n  <Roles />\n  <Workflows />\n  <FieldSecurityProfiles />\n  <Templates />\n  <EntityMaps />\n  <EntityRelationships />\n  <OrganizationSettings />\n  <optionsets />\n  <CustomControls />\n  <EntityDataProviders />\n  <Connectors />\n  <connectionreferences>\n    <connectionreference connectionreferencelogicalname="coe_sharedcommondataserviceforapps_98924">\n      <connectionreferencedisplayname>Dataverse</connectionreferencedisplayname>\n      <connectorid>/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps</connectorid>\n      <iscustomizable>1</iscustomizable>\n      <promptingbehavior>0</promptingbehavior>\n      <statecode>0</statecode>\n      <statuscode>1</statuscode>\n    </connectionreference>\n  </connectionreferences>\n  <Languages>\n    <Language>1033</Language>\n  </Languages>\n</ImportExportXml>`);
  let bytes = 0;
  for (const [rel, data] of files) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
    bytes += Buffer.byteLength(data);
  }
  return { files: files.size, bytes };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node _solution-source.mjs <folder>');
    process.exit(2);
  }
  const r = generateSolutionSource(out);
  console.log(`${r.files} files, ${(r.bytes / 1048576).toFixed(1)} MiB in ${out}`);
}
