import type { RunningEmulator } from '../api/emulator/server.js';
import type { Cloud } from '../clouds/cloud-table.js';
import type { StoreSeed } from '../store/seed.js';

/** The Key Vault reference the runner stores for the emulator's client secret (never the secret itself). */
export const EMULATOR_SECRET_REFERENCE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/coe-audit-local/providers/Microsoft.KeyVault/vaults/coe-audit-local/secrets/emulator-client-secret';

const APP_ID_PROPERTY = 'powerplatform.analytics.resource.power_app.id';

/** App ids of Power Apps records (current format: PropertyCollection; legacy: AppName). */
export function appIdOf(record: Record<string, unknown>): string | undefined {
  const props = record.PropertyCollection;
  if (Array.isArray(props)) {
    const hit = props.find((p) => (p as { Name?: unknown }).Name === APP_ID_PROPERTY) as { Value?: unknown } | undefined;
    if (typeof hit?.Value === 'string') return hit.Value;
  }
  return typeof record.AppName === 'string' ? record.AppName : undefined;
}

/**
 * What the store needs to run the flows against an in-process emulator: the environment variables the flows
 * read (tenant and client of the emulator, the cloud's audience and authority, the client secret as a Key Vault
 * reference), the seeded apps as the inventory, and a last-run row per flow. Names take the edition's prefix
 * (`admin` for coe).
 */
export function emulatorStoreSeed(emulator: RunningEmulator, cloud: Cloud, flowNames: readonly string[], options: { api?: 'management' | 'graph'; prefix?: string } = {}): StoreSeed {
  const prefix = options.prefix ?? 'admin';
  const apps = new Map<string, string>();
  for (const e of emulator.seeded.events) {
    const id = appIdOf(e as Record<string, unknown>);
    if (id && /^[0-9a-fA-F-]{36}$/.test(id) && !apps.has(id.toLowerCase())) apps.set(id.toLowerCase(), `App ${apps.size + 1}`);
  }
  return {
    apps: [...apps].map(([id, displayName]) => ({ id, displayName, lastLaunchedOn: null })),
    environmentVariables: [
      { schemaName: `${prefix}_TenantID`, type: 'String', value: emulator.tenantId },
      { schemaName: `${prefix}_AuditLogsClientID`, type: 'String', value: emulator.clientId },
      { schemaName: `${prefix}_AuditLogsAudience`, type: 'String', value: cloud.managementAudience },
      { schemaName: `${prefix}_AuditLogsAuthority`, type: 'String', value: cloud.authorityUrl },
      { schemaName: `${prefix}_AuditLogsClientAzureSecret`, type: 'Secret', value: EMULATOR_SECRET_REFERENCE },
      { schemaName: `${prefix}_PowerAutomateEnvironmentVariable`, type: 'String', value: cloud.powerAutomateUrl },
      { schemaName: `${prefix}_AuditLogsMinutestoLookBack`, type: 'Number', defaultValue: '65' },
      { schemaName: `${prefix}_AuditLogsEndTimeMinutesAgo`, type: 'Number', defaultValue: '0' },
      // Shipped without a value: the Sync flow creates the value row the first time it advances.
      { schemaName: `${prefix}_AuditLogsSyncWatermark`, type: 'String' },
      { schemaName: `${prefix}_AuditLogsWriteRowByRow`, type: 'Boolean', defaultValue: 'no' },
      // The Sync flow's mode, as the run asks (default the Management API, as flow simulate's --api).
      { schemaName: `${prefix}_AuditLogsUseGraphAPI`, type: 'Boolean', value: options.api === 'graph' ? 'yes' : 'no' },
      { schemaName: `${prefix}_GraphURLEnvironmentVariable`, type: 'String', value: `${cloud.graphUrl}/` },
    ],
    tables: {
      [`${prefix}_coesolutionmetadatas`]: flowNames.map((name, i) => ({
        [`${prefix}_coesolutionmetadataid`]: `c0e0a0d1-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        [`${prefix}_objectname`]: name,
      })),
    },
  };
}
