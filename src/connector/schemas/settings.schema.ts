/** coe-audit's own JSON Schema of paconn's settings.json (connector.md §1.2.3 and §7 F); `script` is allowed. */
export const SETTINGS_SCHEMA = {
  $id: 'https://coe-audit.invalid/schemas/settings.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    connectorId: { type: 'string' },
    environment: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
    apiProperties: { type: 'string' },
    apiDefinition: { type: 'string' },
    icon: { type: 'string' },
    script: { type: 'string' },
    powerAppsUrl: { type: 'string', pattern: '^https://' },
    powerAppsApiVersion: { const: '2016-11-01' },
    flowUrl: { type: 'string', pattern: '^https://' },
    flowApiVersion: { const: '2016-11-01' },
  },
} as const;
