/**
 * JSON Schema of coe-audit.config.yaml. Every key is optional: without a file, the embedded defaults serve.
 * The file is meant for source control, so it holds no secret (load-config.ts refuses secret-like keys).
 */
const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const KEY_VAULT_REFERENCE =
  '^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\\.KeyVault/vaults/[^/]+/secrets/[^/]+$';

const perCloud = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tenantId: { type: 'string', pattern: GUID, description: 'Entra tenant (directory) id of this cloud’s tenant.' },
    clientId: { type: 'string', pattern: GUID, description: 'Application (client) id of the app registration in this cloud.' },
    keyVaultSecretReference: { type: 'string', pattern: KEY_VAULT_REFERENCE, description: 'Key Vault secret reference for Audit Logs - Client Azure Secret.' },
    redirectUrl: { type: 'string', pattern: '^https://', description: 'Connector OAuth redirect URL override.' },
  },
} as const;

/** The identity keys of an edition's solution: `solution.*` (coe) and `standalone.*`. */
const SOLUTION_IDENTITY = {
  uniqueName: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  displayName: { type: 'string', minLength: 1 },
  version: { type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+){0,2}$' },
  publisher: {
    type: 'object',
    additionalProperties: false,
    properties: {
      uniqueName: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      displayName: { type: 'string', minLength: 1 },
      prefix: { type: 'string', pattern: '^[a-z][a-z0-9]{1,7}$', description: 'Prefix of every table, column, variable and connection reference the solution defines.' },
      optionValuePrefix: { type: 'integer', minimum: 10000, maximum: 99999 },
    },
  },
} as const;

export const CONFIG_SCHEMA = {
  $id: 'https://coe-audit.invalid/schemas/coe-audit.config.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    cloud: { type: 'string', description: 'Default cloud of the client commands.' },
    clouds: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      uniqueItems: true,
      description: 'Clouds that build produces (default: all four).',
    },
    tenantId: perCloud.properties.tenantId,
    clientId: perCloud.properties.clientId,
    keyVaultSecretReference: perCloud.properties.keyVaultSecretReference,
    cloudSettings: {
      type: 'object',
      additionalProperties: false,
      properties: { commercial: perCloud, gcc: perCloud, gcchigh: perCloud, dod: perCloud },
    },
    connector: {
      type: 'object',
      additionalProperties: false,
      properties: {
        clientId: { type: 'string', pattern: GUID, description: 'OAuth client id (a GUID) written into apiProperties (default: a placeholder).' },
        redirectUrl: { type: 'string', pattern: '^https://', description: 'Redirect URL for every cloud (cloudSettings.<cloud>.redirectUrl wins).' },
      },
    },
    solution: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...SOLUTION_IDENTITY,
        connectionReferenceLogicalName: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      },
    },
    standalone: {
      type: 'object',
      additionalProperties: false,
      description: 'The standalone edition (no CoE): unique name, display name, version, publisher and its prefix, connection reference name.',
      properties: {
        ...SOLUTION_IDENTITY,
        connectionReferenceName: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_]*$', description: 'Connection reference logical name after the prefix.' },
      },
    },
    outputDirectory: { type: 'string', minLength: 1, description: 'Where build writes (default dist).' },
  },
} as const;

export interface PerCloudSettings {
  tenantId?: string;
  clientId?: string;
  keyVaultSecretReference?: string;
  redirectUrl?: string;
}

export interface CoeAuditConfig extends PerCloudSettings {
  cloud?: string;
  clouds?: string[];
  cloudSettings?: Partial<Record<'commercial' | 'gcc' | 'gcchigh' | 'dod', PerCloudSettings>>;
  connector?: { clientId?: string; redirectUrl?: string };
  solution?: {
    uniqueName?: string;
    displayName?: string;
    version?: string;
    publisher?: { uniqueName?: string; displayName?: string; prefix?: string; optionValuePrefix?: number };
    connectionReferenceLogicalName?: string;
  };
  standalone?: {
    uniqueName?: string;
    displayName?: string;
    version?: string;
    publisher?: { uniqueName?: string; displayName?: string; prefix?: string; optionValuePrefix?: number };
    connectionReferenceName?: string;
  };
  outputDirectory?: string;
}
