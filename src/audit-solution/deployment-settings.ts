import type { Cloud } from '../clouds/cloud-table.js';
import { KEY_VAULT_REFERENCE, type PerCloudSettings } from '../config/config-schema.js';
import { UsageError } from '../errors.js';
import { EV } from '../flows/shared.js';
import { fillPlaceholders } from './source.js';
import { rePrefix, type EditionSolution } from './edition.js';

export interface DeploymentSettings {
  EnvironmentVariables: { SchemaName: string; Value: string }[];
  ConnectionReferences: { LogicalName: string; ConnectionId: string; ConnectorId: string }[];
}

/** The values an import needs, from flags, environment or the config file (resolved by the caller). */
export type ImportValues = Pick<PerCloudSettings, 'tenantId' | 'clientId' | 'keyVaultSecretReference'>;

function checkKeyVault(settings: ImportValues, cloud: Cloud): void {
  if (settings.keyVaultSecretReference !== undefined && !new RegExp(KEY_VAULT_REFERENCE).test(settings.keyVaultSecretReference)) {
    throw new UsageError(
      `keyVaultSecretReference for ${cloud.id} must look like /subscriptions/{guid}/resourceGroups/{name}/providers/Microsoft.KeyVault/vaults/{name}/secrets/{name}`,
    );
  }
}

/** Value per schema name (edition's prefix) of what the build knows: cloud table, tenant and client ids, Key Vault reference. */
function knownValues(e: EditionSolution, cloud: Cloud, settings: ImportValues): Map<string, string> {
  const values = new Map<string, string | undefined>([
    [EV.audience, cloud.managementAudience],
    [EV.authority, cloud.authorityUrl],
    [EV.tenantId, settings.tenantId],
    [EV.clientId, settings.clientId],
    [EV.clientAzureSecret, settings.keyVaultSecretReference],
    // The Sync flow's mode, picked per cloud from the cloud table (docs/flows.md): Graph where it offers the audit
    // log query API; edit the file to choose the Management API there.
    [EV.useGraphApi, cloud.graphAuditQueriesAvailable ? 'yes' : 'no'],
    [EV.graphUrl, `${cloud.graphUrl}/`],
  ]);
  const out = new Map<string, string>();
  for (const v of e.flowVariables) {
    const base = [...values.keys()].find((k) => rePrefix(k, e.namePrefix) === v.schemaName);
    let value = base !== undefined ? values.get(base) : undefined;
    if (value === undefined && v.schemaName === rePrefix(EV.powerAutomate, e.namePrefix) && v.default !== undefined) value = fillPlaceholders(v.default, cloud);
    if (value !== undefined && value !== '') out.set(v.schemaName, value);
  }
  return out;
}

/**
 * The `pac solution import --settings-file` document for one cloud and edition (solution-format §4.4): the values
 * of the variables the edition ships — Audience, Authority and the Power Automate URL from the cloud table,
 * tenant id and client id when given, the Key Vault reference when configured (validated) — and the connection
 * reference it ships. Variables without a value are left out: pac rejects empty strings. The plain Client Secret
 * variable is never listed: no secret is written to a file. The coe edition ships neither CoE Core's variables
 * nor its connection reference, so its document lists only variables of ours (none today).
 */
export function deploymentSettings(e: EditionSolution, cloud: Cloud, settings: ImportValues): DeploymentSettings {
  checkKeyVault(settings, cloud);
  const known = knownValues(e, cloud, settings);
  const env: DeploymentSettings['EnvironmentVariables'] = [];
  for (const v of e.environmentVariables) {
    if (v.schemaName === rePrefix(EV.clientSecret, e.namePrefix)) continue;
    const value = known.get(v.schemaName);
    if (value !== undefined) env.push({ SchemaName: v.schemaName, Value: value });
  }
  return {
    EnvironmentVariables: env,
    ConnectionReferences: e.shipsConnectionReference ? [{ LogicalName: e.connectionReference.logicalName, ConnectionId: '', ConnectorId: e.connectionReference.connectorId }] : [],
  };
}

/** What the admin still sets for one cloud and edition, one line each. */
export function valuesToSet(e: EditionSolution, cloud: Cloud, settings: ImportValues): string[] {
  checkKeyVault(settings, cloud);
  const known = knownValues(e, cloud, settings);
  const name = (schema: string) => rePrefix(schema, e.namePrefix);
  const out: string[] = [];
  const missing = (schema: string, how: string) => {
    if (!known.has(name(schema))) out.push(`${name(schema)}: ${how}`);
  };
  if (e.edition === 'coe') {
    const core = `CoE Core's variable (${e.source.coreSolution.uniqueName}); this import does not change it`;
    for (const schema of [EV.tenantId, EV.clientId]) {
      const value = known.get(schema);
      out.push(value !== undefined ? `${schema}: ${core}: set it to ${value} there if it differs` : `${schema}: ${core}: check it is set there`);
    }
    out.push(`${EV.clientAzureSecret} (Key Vault reference) or ${EV.clientSecret}: ${core}: check one is set there`);
    if (cloud.graphAuditQueriesAvailable) out.push(`${EV.useGraphApi}: ${core}: set it to yes there to read Graph audit log queries (Core's default is no: the Management API)`);
    out.push(`${e.connectionReference.logicalName}: CoE Core's connection reference: check it is bound to a Dataverse connection`);
  } else {
    missing(EV.tenantId, 'pass --tenant-id, COE_AUDIT_TENANT_ID or tenantId in coe-audit.config.yaml, or set it after import');
    missing(EV.clientId, 'pass --client-id, COE_AUDIT_CLIENT_ID or clientId in coe-audit.config.yaml, or set it after import');
    if (!known.has(name(EV.clientAzureSecret))) {
      out.push(`${name(EV.clientAzureSecret)}: the Key Vault reference of the client secret (keyVaultSecretReference in coe-audit.config.yaml), or set ${name(EV.clientSecret)} in the environment after import (never in a file)`);
    }
    out.push(`${e.connectionReference.logicalName}: ConnectionId in the settings file (a Dataverse connection of the target environment), or bind it after import`);
  }
  return out;
}
