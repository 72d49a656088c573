import type { Cloud } from '../clouds/index.js';
import { KEY_VAULT_REFERENCE, type PerCloudSettings } from '../config/index.js';
import { UsageError } from '../errors.js';
import { EV } from '../flows/index.js';
import { fillPlaceholders, type SolutionSource } from './source.js';

export interface DeploymentSettings {
  EnvironmentVariables: { SchemaName: string; Value: string }[];
  ConnectionReferences: { LogicalName: string; ConnectionId: string; ConnectorId: string }[];
}

/**
 * The `pac solution import --settings-file` document for one cloud (solution-format §4.4): Audience and
 * Authority, the Power Automate URL, the Graph URL and Use Graph API (yes where Graph offers audit log queries) from the cloud table, tenant id and client id from configuration, the Key
 * Vault reference when configured (validated). Variables without a value are left out: pac rejects empty
 * strings. The plain Client Secret variable is never listed: no secret is written to a file.
 */
export function deploymentSettings(source: SolutionSource, cloud: Cloud, settings: PerCloudSettings): DeploymentSettings {
  if (settings.keyVaultSecretReference !== undefined && !new RegExp(KEY_VAULT_REFERENCE).test(settings.keyVaultSecretReference)) {
    throw new UsageError(
      `keyVaultSecretReference for ${cloud.id} must look like /subscriptions/{guid}/resourceGroups/{name}/providers/Microsoft.KeyVault/vaults/{name}/secrets/{name}`,
    );
  }
  const values: Record<string, string | undefined> = {
    [EV.audience]: cloud.managementAudience,
    [EV.authority]: cloud.authorityUrl,
    [EV.tenantId]: settings.tenantId,
    [EV.clientId]: settings.clientId,
    [EV.clientAzureSecret]: settings.keyVaultSecretReference,
    // The Sync flow's mode, picked per cloud from the cloud table (docs/flows.md): Graph where it offers the audit
    // log query API; edit the file to choose the Management API there.
    [EV.useGraphApi]: cloud.graphAuditQueriesAvailable ? 'yes' : 'no',
    [EV.graphUrl]: `${cloud.graphUrl}/`,
  };
  const env: DeploymentSettings['EnvironmentVariables'] = [];
  for (const v of source.environmentVariables) {
    if (v.schemaName === EV.clientSecret) continue;
    let value = values[v.schemaName];
    if (value === undefined && v.schemaName === EV.powerAutomate && v.default !== undefined) value = fillPlaceholders(v.default, cloud);
    if (value !== undefined && value !== '') env.push({ SchemaName: v.schemaName, Value: value });
  }
  return {
    EnvironmentVariables: env,
    ConnectionReferences: [{ LogicalName: source.connectionReference.logicalName, ConnectionId: '', ConnectorId: source.connectionReference.connectorId }],
  };
}
