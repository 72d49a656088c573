/**
 * coe-audit's own JSON Schema of apiDefinition.swagger.json (Swagger 2.0 with the x-ms-* extensions the platform
 * accepts), written from connector.md §1.2.2 and §7 B. Stricter than the official Swagger 2.0 schema about
 * `x-ms-*` keys (each is allowed only where the platform reads it) and their values; lenient where the 2020
 * Microsoft schema is stale. Draft-07 for plain ajv 8; no `format` keyword, so no ajv-formats is needed.
 */

const notMs = { not: { pattern: '^x-ms-' } } as const;
/** Object keys: anything that is not `x-ms-*`, or one of the listed `x-ms-*` keys. */
function msKeys(allowed: readonly string[]) {
  return { propertyNames: allowed.length > 0 ? { anyOf: [notMs, { enum: [...allowed] }] } : notMs };
}

export const FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'date', 'date-time', 'password', 'date-no-tz', 'email', 'html', 'uri', 'uuid'] as const;
const visibility = { enum: ['important', 'advanced', 'internal'] } as const;
const format = { enum: [...FORMATS] } as const;

const PARAMETER_MS_KEYS = [
  'x-ms-dynamic-list',
  'x-ms-dynamic-values',
  'x-ms-dynamic-tree',
  'x-ms-enum-values',
  'x-ms-localizeDefaultValue',
  'x-ms-parameter-location',
  'x-ms-summary',
  'x-ms-test-value',
  'x-ms-trigger-value',
  'x-ms-visibility',
  'x-ms-url-encoding',
  'x-ms-skip-url-encoding',
] as const;

const SCHEMA_MS_KEYS = [
  'x-ms-dynamic-list',
  'x-ms-dynamic-properties',
  'x-ms-dynamic-schema',
  'x-ms-dynamic-tree',
  'x-ms-dynamic-values',
  'x-ms-enum',
  'x-ms-enum-values',
  'x-ms-localizeDefaultValue',
  'x-ms-media-kind',
  'x-ms-notification-url',
  'x-ms-summary',
  'x-ms-test-value',
  'x-ms-visibility',
] as const;

const OPERATION_MS_KEYS = [
  'x-ms-api-annotation',
  'x-ms-capabilities',
  'x-ms-no-generic-test',
  'x-ms-notification',
  'x-ms-operation-context',
  'x-ms-pageable',
  'x-ms-safe-operation',
  'x-ms-summary',
  'x-ms-trigger',
  'x-ms-trigger-hint',
  'x-ms-trigger-metadata',
  'x-ms-visibility',
  'x-ms-openai-data',
] as const;

export const API_DEFINITION_SCHEMA = {
  $id: 'https://coe-audit.invalid/schemas/apiDefinition.swagger.json',
  type: 'object',
  required: ['swagger', 'info', 'paths'],
  ...msKeys(['x-ms-capabilities', 'x-ms-connector-metadata', 'x-ms-docs', 'x-ms-openai-manifest']),
  properties: {
    swagger: { const: '2.0' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      ...msKeys(['x-ms-api-annotation', 'x-ms-deployment-version']),
      properties: {
        title: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        version: { type: 'string', minLength: 1 },
        contact: {
          type: 'object',
          properties: { name: { type: 'string' }, url: { type: 'string', pattern: '^https?://' }, email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' } },
        },
        'x-ms-deployment-version': { type: 'string', pattern: '^\\d+(\\.\\d+)+$' },
      },
    },
    host: { type: 'string', pattern: '^[^{}/ :\\\\]+(?::\\d+)?$' },
    basePath: { type: 'string', pattern: '^/' },
    schemes: { type: 'array', items: { enum: ['https'] }, minItems: 1 },
    consumes: { type: 'array', items: { type: 'string' } },
    produces: { type: 'array', items: { type: 'string' } },
    paths: {
      type: 'object',
      propertyNames: { anyOf: [{ pattern: '^/' }, { pattern: '^x-(?!ms-)' }] },
      additionalProperties: { $ref: '#/definitions/pathItem' },
    },
    definitions: { type: 'object', additionalProperties: { $ref: '#/definitions/schema' } },
    parameters: { type: 'object', additionalProperties: { $ref: '#/definitions/parameter' } },
    responses: { type: 'object', additionalProperties: { $ref: '#/definitions/response' } },
    securityDefinitions: { type: 'object', additionalProperties: { $ref: '#/definitions/securityScheme' } },
    security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
    'x-ms-connector-metadata': {
      type: 'array',
      items: {
        type: 'object',
        required: ['propertyName', 'propertyValue'],
        properties: { propertyName: { type: 'string' }, propertyValue: { type: 'string' } },
      },
    },
  },
  definitions: {
    pathItem: {
      type: 'object',
      ...msKeys(['x-ms-notification-content']),
      properties: {
        get: { $ref: '#/definitions/operation' },
        put: { $ref: '#/definitions/operation' },
        post: { $ref: '#/definitions/operation' },
        delete: { $ref: '#/definitions/operation' },
        options: { $ref: '#/definitions/operation' },
        head: { $ref: '#/definitions/operation' },
        patch: { $ref: '#/definitions/operation' },
        parameters: { $ref: '#/definitions/parameterList' },
      },
    },
    operation: {
      type: 'object',
      required: ['responses'],
      ...msKeys(OPERATION_MS_KEYS),
      properties: {
        operationId: { type: 'string' },
        summary: { type: 'string' },
        description: { type: 'string' },
        parameters: { $ref: '#/definitions/parameterList' },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { anyOf: [{ pattern: '^[1-5][0-9][0-9]$' }, { const: 'default' }, { pattern: '^x-(?!ms-)' }] },
          additionalProperties: { $ref: '#/definitions/response' },
        },
        'x-ms-visibility': visibility,
        'x-ms-trigger': { enum: ['single', 'batch'] },
        'x-ms-pageable': { type: 'object', required: ['nextLinkName'], properties: { nextLinkName: { type: ['string', 'null'] } } },
        'x-ms-notification': { type: 'object', required: ['operationId'] },
        'x-ms-trigger-metadata': { type: 'object', properties: { kind: { const: 'query' }, mode: { const: 'polling' } } },
      },
    },
    parameterList: { type: 'array', items: { $ref: '#/definitions/parameter' } },
    parameter: {
      type: 'object',
      if: { required: ['$ref'] },
      then: { properties: { $ref: { type: 'string' } } },
      else: {
        required: ['name', 'in'],
        ...msKeys(PARAMETER_MS_KEYS),
        properties: {
          name: { type: 'string', minLength: 1 },
          in: { enum: ['query', 'header', 'path', 'formData', 'body'] },
          required: { type: 'boolean' },
          format,
          'x-ms-visibility': visibility,
          'x-ms-url-encoding': { enum: ['single', 'double'] },
          items: { $ref: '#/definitions/primitiveItems' },
          schema: { $ref: '#/definitions/schema' },
        },
        allOf: [
          { if: { properties: { in: { const: 'path' } } }, then: { required: ['required', 'type'], properties: { required: { const: true } } } },
          { if: { properties: { in: { const: 'body' } } }, then: { required: ['schema'], not: { required: ['x-ms-url-encoding'] } } },
          { if: { properties: { in: { enum: ['query', 'header', 'path', 'formData'] } } }, then: { required: ['type'] } },
          { if: { properties: { in: { const: 'header' } } }, then: { not: { required: ['x-ms-url-encoding'] } } },
        ],
      },
    },
    primitiveItems: { type: 'object', propertyNames: notMs, properties: { format, items: { $ref: '#/definitions/primitiveItems' } } },
    response: {
      type: 'object',
      if: { required: ['$ref'] },
      then: { properties: { $ref: { type: 'string' } } },
      else: {
        required: ['description'],
        ...msKeys(['x-ms-summary']),
        properties: {
          description: { type: 'string' },
          schema: { $ref: '#/definitions/schema' },
          headers: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['type'],
              ...msKeys(['x-ms-summary', 'x-ms-visibility']),
              properties: { type: { enum: ['string', 'number', 'integer', 'boolean', 'array'] }, format, 'x-ms-visibility': visibility },
            },
          },
        },
      },
    },
    schema: {
      type: 'object',
      ...msKeys(SCHEMA_MS_KEYS),
      properties: {
        $ref: { type: 'string' },
        format,
        'x-ms-visibility': visibility,
        'x-ms-notification-url': { type: 'boolean' },
        properties: { type: 'object', additionalProperties: { $ref: '#/definitions/schema' } },
        additionalProperties: { anyOf: [{ type: 'boolean' }, { $ref: '#/definitions/schema' }] },
        items: { anyOf: [{ $ref: '#/definitions/schema' }, { type: 'array', items: { $ref: '#/definitions/schema' } }] },
        allOf: { type: 'array', items: { $ref: '#/definitions/schema' } },
        required: { type: 'array', items: { type: 'string' } },
      },
    },
    securityScheme: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['basic', 'apiKey', 'oauth2'] },
        flow: { enum: ['implicit', 'password', 'application', 'accessCode'] },
      },
      allOf: [
        { if: { properties: { flow: { const: 'accessCode' } }, required: ['flow'] }, then: { required: ['authorizationUrl', 'tokenUrl'] } },
        { if: { properties: { type: { const: 'apiKey' } } }, then: { required: ['name', 'in'], properties: { in: { enum: ['header', 'query'] } } } },
      ],
    },
  },
} as const;
