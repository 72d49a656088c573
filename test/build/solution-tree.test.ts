import { describe, expect, it } from 'vitest';
import { applySolutionConfig, buildSolutionTree, deploymentSettings, editionSolution, loadSolutionSource, parseSolutionSource, placeFlows } from '../../src/audit-solution/index.js';
import { CLOUDS, resolveCloud } from '../../src/clouds/index.js';
import { UsageError } from '../../src/errors.js';

const source = loadSolutionSource();
const text = (tree: Map<string, Uint8Array>, path: string) => new TextDecoder().decode(tree.get(path));

describe('solution source', () => {
  it('defines the kit variables with their schema names, display names and types', () => {
    const vars = Object.fromEntries(source.environmentVariables.map((v) => [v.schemaName, [v.displayName, v.type, v.default]]));
    expect(vars).toEqual({
      admin_AuditLogsAudience: ['Audit Logs - Audience', 'String', '{{audience}}'],
      admin_AuditLogsAuthority: ['Audit Logs - Authority', 'String', '{{authority}}'],
      admin_AuditLogsClientID: ['Audit Logs - ClientID', 'String', undefined],
      admin_AuditLogsClientSecret: ['Audit Logs - Client Secret', 'String', undefined],
      admin_AuditLogsClientAzureSecret: ['Audit Logs - Client Azure Secret', 'Secret', undefined],
      admin_TenantID: ['TenantID', 'String', undefined],
      admin_AuditLogsMinutestoLookBack: ['Audit Logs - Minutes to Look Back', 'Number', '65'],
      admin_AuditLogsEndTimeMinutesAgo: ['Audit Logs - End Time Minutes Ago', 'Number', '0'],
      admin_PowerAutomateEnvironmentVariable: ['Power Automate Environment Variable', 'String', '{{powerAutomateUrl}}/environments/'],
      admin_AuditLogsSyncWatermark: ['Audit Logs - Sync Watermark', 'String', undefined],
      admin_AuditLogsWriteRowByRow: ['Audit Logs - Write Rows One by One', 'Boolean', 'no'],
      admin_AuditLogsUseGraphAPI: ['Audit Logs - Use Graph API', 'Boolean', '{{graphAuditQueries}}'],
      admin_GraphURLEnvironmentVariable: ['Graph URL Environment Variable', 'String', '{{graphUrl}}/'],
    });
  });

  it('refuses an unknown placeholder, naming its line', () => {
    const text = [
      'manifest: {uniqueName: A, displayName: A, description: A, version: 1.0.0.0, publisher: {uniqueName: p, displayName: P, description: P, prefix: pp, optionValuePrefix: 10000}}',
      'connectionReference: {logicalName: a_b, displayName: B, connectorId: /providers/x}',
      "coreSolution: {uniqueName: Core, minimumVersion: '1.0'}",
      'missingDependencies: []',
      'standalone: {uniqueName: S, displayName: S, description: S, publisher: {uniqueName: q, displayName: Q, description: Q, prefix: qq, optionValuePrefix: 10001}, connectionReference: {name: D, displayName: D}}',
      'environmentVariables:',
      '  - schemaName: a_X',
      '    displayName: X',
      '    type: String',
      '    summary: X',
      '    description: For {{cloud}} enter {{graph}}.',
    ].join('\n');
    expect(() => parseSolutionSource(text, 's.yaml')).toThrow(/^s\.yaml:11:\d+: unknown placeholder \{\{graph\}\}/);
  });

  it('reports a bad source with file, line and column', () => {
    expect(() => parseSolutionSource('manifest: {}\nextra: 1\n', 'solution.yaml')).toThrow(UsageError);
    try {
      parseSolutionSource('manifest:\n  uniqueName: CoE\nextra: 1\n', 'solution.yaml');
    } catch (e) {
      expect((e as UsageError).message).toMatch(/^solution\.yaml:\d+:\d+: /m);
    }
  });
});

describe('unpacked solution tree', () => {
  const gcchigh = resolveCloud('gcchigh');
  const tree = buildSolutionTree(source, gcchigh);

  it('has the manifest, the CoE publisher, the three flows as root components and the missing CoE tables', () => {
    const xml = text(tree, 'Other/Solution.xml');
    expect(xml).toContain('<UniqueName>CoEAuditLogs</UniqueName>');
    expect(xml).toContain('<LocalizedName description="CoE Audit Logs" languagecode="1033" />');
    expect(xml).toContain('<UniqueName>powerplatformadmin</UniqueName>');
    expect(xml).toContain('<CustomizationPrefix>admin</CustomizationPrefix>');
    expect(xml).toContain('<CustomizationOptionValuePrefix>59791</CustomizationOptionValuePrefix>');
    for (const p of placeFlows(source)) expect(xml).toContain(`<RootComponent type="29" id="{${p.id}}" behavior="0" />`);
    for (const t of ['admin_auditlog', 'admin_app', 'admin_syncflowerrors', 'admin_coesolutionmetadata']) {
      expect(xml).toContain(`<Required type="1" schemaName="${t}"`);
    }
  });

  it("coe: defines no connection reference (CoE Core's is a dependency) and names Core's in every flow", () => {
    const xml = text(tree, 'Other/Customizations.xml');
    expect(xml).toContain('<connectionreferences />');
    expect(xml).not.toContain('admin_CoECoreDataverseForApps');
    expect(text(tree, 'Other/Solution.xml')).toContain('<Required type="connectionreference" displayName="admin_CoECoreDataverseForApps" solution="CenterofExcellenceCoreComponents (4.43.3)" id.connectionreferencelogicalname="admin_CoECoreDataverseForApps" />');
    for (const p of placeFlows(source)) expect(text(tree, `Workflows/${p.fileName}`)).toContain('"connectionReferenceLogicalName": "admin_CoECoreDataverseForApps"');
  });

  it('standalone: defines its own connection reference in Customizations.xml and names it in every flow', () => {
    const st = buildSolutionTree(source, gcchigh, { edition: 'standalone' });
    const xml = text(st, 'Other/Customizations.xml');
    expect(xml).toContain('<connectionreference connectionreferencelogicalname="coeaudit_AuditLogsDataverse">');
    expect(xml).toContain('<connectorid>/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps</connectorid>');
    for (const p of placeFlows(source, 'standalone')) {
      const flow = text(st, `Workflows/${p.fileName}`);
      expect(flow).toContain('"connectionReferenceLogicalName": "coeaudit_AuditLogsDataverse"');
      expect(flow).not.toMatch(/\badmin_/);
    }
  });

  it('coe ships only its own variable definitions, none of CoE Core\'s; standalone writes per-cloud defaults and descriptions from the cloud table', () => {
    // Only the variables of ours (the Sync redesign's), none of Core's.
    expect([...tree.keys()].filter((k) => k.startsWith('environmentvariabledefinitions/'))).toEqual([
      'environmentvariabledefinitions/admin_AuditLogsSyncWatermark/environmentvariabledefinition.xml',
      'environmentvariabledefinitions/admin_AuditLogsWriteRowByRow/environmentvariabledefinition.xml',
    ]);
    const st = buildSolutionTree(source, gcchigh, { edition: 'standalone' });
    const aud = text(st, 'environmentvariabledefinitions/coeaudit_AuditLogsAudience/environmentvariabledefinition.xml');
    expect(aud).toContain(`<defaultvalue>${gcchigh.managementAudience}</defaultvalue>`);
    expect(aud).toContain(`For GCC High enter ${gcchigh.managementAudience}`);
    const secret = text(st, 'environmentvariabledefinitions/coeaudit_AuditLogsClientAzureSecret/environmentvariabledefinition.xml');
    expect(secret).toContain('<type>100000005</type>');
    expect(secret).not.toContain('<defaultvalue>');
  });

  it('follows solution.* (coe) and standalone.* (standalone) of the configuration', () => {
    const custom = applySolutionConfig(source, {
      solution: { uniqueName: 'MyAudit', connectionReferenceLogicalName: 'new_MyDataverse', publisher: { prefix: 'new' } },
      standalone: { uniqueName: 'MyStandalone', publisher: { prefix: 'ours', uniqueName: 'OurPublisher' }, connectionReferenceName: 'Dv' },
    });
    const t = buildSolutionTree(custom, gcchigh);
    expect(text(t, 'Other/Solution.xml')).toContain('<UniqueName>MyAudit</UniqueName>');
    expect(text(t, 'Other/Solution.xml')).toContain('id.connectionreferencelogicalname="new_MyDataverse"');
    expect(placeFlows(custom)[0]!.id).not.toBe(placeFlows(source)[0]!.id);
    const st = buildSolutionTree(custom, gcchigh, { edition: 'standalone' });
    const sol = text(st, 'Other/Solution.xml');
    expect(sol).toContain('<UniqueName>MyStandalone</UniqueName>');
    expect(sol).toContain('<UniqueName>OurPublisher</UniqueName>');
    expect(sol).toContain('<CustomizationPrefix>ours</CustomizationPrefix>');
    expect(sol).toContain('<RootComponent type="1" schemaName="ours_auditlog" behavior="0" />');
    expect(text(st, 'Other/Customizations.xml')).toContain('connectionreferencelogicalname="ours_Dv"');
    expect(st.has('Entities/ours_AuditLog/Entity.xml')).toBe(true);
    expect(st.has('environmentvariabledefinitions/ours_TenantID/environmentvariabledefinition.xml')).toBe(true);
  });
});

describe('deployment settings', () => {
  const standalone = editionSolution(source, 'standalone');
  const coe = editionSolution(source, 'coe');

  it('standalone: Audience, Authority and Power Automate URL of the cloud, tenant and client when given, its connection reference; no empty value', () => {
    for (const cloud of CLOUDS) {
      const s = deploymentSettings(standalone, cloud, {});
      expect(s.EnvironmentVariables).toEqual([
        { SchemaName: 'coeaudit_AuditLogsAudience', Value: cloud.managementAudience },
        { SchemaName: 'coeaudit_AuditLogsAuthority', Value: cloud.authorityUrl },
        { SchemaName: 'coeaudit_PowerAutomateEnvironmentVariable', Value: `${cloud.powerAutomateUrl}/environments/` },
        // The Sync flow's mode per cloud: Graph where it offers audit log queries (commercial, GCC).
        { SchemaName: 'coeaudit_AuditLogsUseGraphAPI', Value: cloud.graphAuditQueriesAvailable ? 'yes' : 'no' },
        { SchemaName: 'coeaudit_GraphURLEnvironmentVariable', Value: `${cloud.graphUrl}/` },
      ]);
      expect(s.ConnectionReferences).toEqual([
        { LogicalName: 'coeaudit_AuditLogsDataverse', ConnectionId: '', ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps' },
      ]);
    }
    const ref = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/secrets/audit';
    const full = deploymentSettings(standalone, CLOUDS[0]!, { tenantId: '11111111-1111-1111-1111-111111111111', clientId: '22222222-2222-2222-2222-222222222222', keyVaultSecretReference: ref });
    expect(full.EnvironmentVariables).toEqual([
      { SchemaName: 'coeaudit_AuditLogsAudience', Value: CLOUDS[0]!.managementAudience },
      { SchemaName: 'coeaudit_AuditLogsAuthority', Value: CLOUDS[0]!.authorityUrl },
      { SchemaName: 'coeaudit_AuditLogsClientID', Value: '22222222-2222-2222-2222-222222222222' },
      { SchemaName: 'coeaudit_AuditLogsClientAzureSecret', Value: ref },
      { SchemaName: 'coeaudit_TenantID', Value: '11111111-1111-1111-1111-111111111111' },
      { SchemaName: 'coeaudit_PowerAutomateEnvironmentVariable', Value: `${CLOUDS[0]!.powerAutomateUrl}/environments/` },
      { SchemaName: 'coeaudit_AuditLogsUseGraphAPI', Value: 'yes' },
      { SchemaName: 'coeaudit_GraphURLEnvironmentVariable', Value: `${CLOUDS[0]!.graphUrl}/` },
    ]);
    expect(deploymentSettings(standalone, CLOUDS.find((c) => c.id === 'gcchigh')!, {}).EnvironmentVariables.find((e) => e.SchemaName === 'coeaudit_AuditLogsUseGraphAPI')!.Value).toBe('no');
    expect(() => deploymentSettings(standalone, CLOUDS[0]!, { keyVaultSecretReference: '/subscriptions/x/secrets/y' })).toThrow(UsageError);
  });

  it("coe: sets none of CoE Core's variables nor its connection reference (the import changes nothing Core owns)", () => {
    const s = deploymentSettings(coe, CLOUDS[0]!, { tenantId: '11111111-1111-1111-1111-111111111111', clientId: '22222222-2222-2222-2222-222222222222' });
    expect(s).toEqual({ EnvironmentVariables: [], ConnectionReferences: [] });
  });
});

describe('connector component', () => {
  it('is in the solution as Connectors/ files and a type-372 root component whose name has at most 30 characters', async () => {
    const { buildConnectorVariant, loadConnectorSource } = await import('../../src/connector/index.js');
    const { connectorComponent } = await import('../../src/audit-solution/index.js');
    const cloud = resolveCloud('dod');
    const c = connectorComponent(source.manifest, buildConnectorVariant(loadConnectorSource(), cloud));
    expect(c.name).toBe('admin_5Fcoeauditactivityapi');
    expect(c.name.length).toBeLessThanOrEqual(30);
    const tree = buildSolutionTree(source, cloud, { connector: c });
    expect(text(tree, 'Other/Solution.xml')).toContain(`<RootComponent type="372" id="{${c.id}}" schemaName="admin_5Fcoeauditactivityapi" behavior="0" />`);
    expect(text(tree, 'Other/Customizations.xml')).toContain('<Connectors />');
    expect([...tree.keys()].filter((k) => k.startsWith('Connectors/'))).toEqual([
      'Connectors/admin_5Fcoeauditactivityapi.xml',
      'Connectors/admin_5Fcoeauditactivityapi_connectionparameters.json',
      'Connectors/admin_5Fcoeauditactivityapi_iconblob.Png',
      'Connectors/admin_5Fcoeauditactivityapi_openapidefinition.json',
      'Connectors/admin_5Fcoeauditactivityapi_policytemplateinstances.json',
    ]);
    expect(text(tree, 'Connectors/admin_5Fcoeauditactivityapi_openapidefinition.json')).toContain(cloud.managementHost);
  });
});
