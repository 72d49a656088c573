/**
 * coe-audit's own JSON Schema of apiProperties.json, written from connector.md §1.2.1 and §7 E. It follows the
 * shape Microsoft's 2020 schema describes, but accepts what the platform accepts today (GlobalPerConnector,
 * scriptOperations, connectionParameterSets) and adds what that schema forgot: the iconBrandColor pattern and the
 * `{value: string}` shape of customParameters.
 */
const stringBool = { enum: ['true', 'false'] } as const;

const uiDefinition = {
  type: 'object',
  additionalProperties: false,
  properties: {
    displayName: { type: 'string' },
    description: { type: 'string' },
    tooltip: { type: 'string' },
    tabIndex: { type: 'integer' },
    constraints: {
      type: 'object',
      additionalProperties: false,
      properties: {
        required: stringBool,
        hidden: stringBool,
        clearText: { type: 'boolean' },
        tabIndex: { type: 'integer' },
        capability: { type: 'array', items: { type: 'string' } },
        allowedValues: { type: 'array', items: { type: 'object', required: ['value'] } },
        dependencies: { type: 'object' },
      },
    },
  },
} as const;

const oAuthSettings = {
  type: 'object',
  required: ['identityProvider'],
  properties: {
    identityProvider: { enum: ['oauth2', 'oauth2generic', 'aad', 'aadcertificate', 'facebook'] },
    clientId: { type: ['string', 'null'] },
    clientSecret: { type: ['string', 'null'] },
    scopes: { type: 'array', items: { type: 'string' } },
    redirectMode: { enum: ['Global', 'Direct', 'GlobalPerConnector'] },
    redirectUrl: { type: 'string', pattern: '^https://' },
    properties: { type: 'object', properties: { IsFirstParty: { enum: ['True', 'False'] } } },
    customParameters: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['value'], properties: { value: { type: 'string' } } },
    },
  },
} as const;

export const API_PROPERTIES_SCHEMA = {
  $id: 'https://coe-audit.invalid/schemas/apiProperties.json',
  type: 'object',
  required: ['properties'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    properties: {
      type: 'object',
      required: ['iconBrandColor', 'connectionParameters'],
      additionalProperties: false,
      properties: {
        iconBrandColor: { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$' },
        publisher: { type: 'string' },
        stackOwner: { type: 'string' },
        capabilities: { type: 'array', items: { type: 'string' } },
        scriptOperations: { type: 'array', items: { type: 'string' } },
        connectionParameterSets: { type: 'object' },
        connectionParameters: {
          type: 'object',
          propertyNames: { pattern: '^[0-9a-zA-Z_]+(:[0-9a-zA-Z_]+)?$' },
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: {
              type: { enum: ['string', 'securestring', 'int', 'bool', 'oauthSetting', 'gatewaySetting'] },
              uiDefinition,
              oAuthSettings,
              metadata: { type: 'object' },
            },
            if: { properties: { type: { const: 'oauthSetting' } } },
            then: { required: ['oAuthSettings'] },
          },
        },
        policyTemplateInstances: {
          type: 'array',
          items: {
            type: 'object',
            required: ['templateId'],
            additionalProperties: false,
            properties: { templateId: { type: 'string' }, title: { type: 'string' }, parameters: { type: 'object' } },
          },
        },
      },
    },
  },
} as const;
