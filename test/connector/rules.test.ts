import { describe, expect, it } from 'vitest';
import { CLOUDS } from '../../src/clouds/index.js';
import { CONNECTOR_RULES, validateConnectorFiles } from '../../src/connector/index.js';
import { encodeSolidPng as solidPng } from '../../src/connector/png.js';
import { DEF, editJson, goodFiles, PROPS, setText } from './fixtures.js';

/**
 * One row per rule (several for some): a bad document gives that code at that path in that file; the good document
 * (a fresh build) gives none of it.
 */
type Files = Map<string, Uint8Array>;
interface Case {
  code: string;
  name: string;
  cloud?: string;
  bad: (files: Files) => void;
  path: (string | number)[];
  file?: string;
}

const START = '/{tenantId}/activity/feed/subscriptions/start';
const STOP = '/{tenantId}/activity/feed/subscriptions/stop';
const LIST = '/{tenantId}/activity/feed/subscriptions/list';
const CONTENT = '/{tenantId}/activity/feed/subscriptions/content';
const RETRIEVE = '/{tenantId}/activity/feed/audit/{contentId}';
const DLP = '/{tenantId}/activity/feed/resources/dlpSensitiveTypes';
const TOKEN = ['properties', 'connectionParameters', 'token', 'oAuthSettings'];
const TENANT = ['properties', 'connectionParameters', 'token:TenantId'];
const gcchigh = CLOUDS.find((c) => c.id === 'gcchigh')!;
const gcc = CLOUDS.find((c) => c.id === 'gcc')!;

const CASES: Case[] = [
  { code: 'connector-missing-file', name: 'no README.md', bad: (f) => f.delete('README.md'), path: [], file: 'README.md' },
  { code: 'connector-invalid-file', name: 'apiProperties.json is not JSON', bad: (f) => f.set(PROPS, new TextEncoder().encode('{"properties":')), path: [], file: PROPS },
  { code: 'connector-invalid-file', name: 'a byte-order mark', bad: (f) => f.set(DEF, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(f.get(DEF)!)])), path: [], file: DEF },
  { code: 'connector-invalid-file', name: 'README.md is not UTF-8', bad: (f) => f.set('README.md', Buffer.from([0x23, 0x20, 0xff, 0x0a])), path: [], file: 'README.md' },
  { code: 'connector-swagger-parser', name: 'an unresolvable $ref', bad: (f) => editJson(f, DEF, (d) => (d.paths[LIST].get.parameters[0].$ref = '#/parameters/Nope')), path: [], file: DEF },
  { code: 'connector-swagger-parser', name: 'an ftp scheme', bad: (f) => editJson(f, DEF, (d) => (d.schemes = ['ftp'])), path: ['schemes', 0], file: DEF },
  { code: 'connector-swagger-parser', name: 'an array parameter without items', bad: (f) => editJson(f, DEF, (d) => d.paths[LIST].get.parameters.push({ name: 'x', in: 'query', type: 'array', 'x-ms-summary': 'X', description: 'X.' })), path: [], file: DEF },
  { code: 'connector-api-definition-schema', name: 'empty x-ms-visibility', bad: (f) => editJson(f, DEF, (d) => (d.paths[START].post['x-ms-visibility'] = '')), path: ['paths', START, 'post', 'x-ms-visibility'], file: DEF },
  { code: 'connector-api-definition-schema', name: 'unknown x-ms key on an operation', bad: (f) => editJson(f, DEF, (d) => (d.paths[LIST].get['x-ms-foo'] = 1)), path: ['paths', LIST, 'get'], file: DEF },
  { code: 'connector-api-properties-schema', name: 'boolean hidden constraint', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters['token:TenantId'].uiDefinition.constraints.hidden = true)), path: [...TENANT, 'uiDefinition', 'constraints', 'hidden'], file: PROPS },
  { code: 'connector-settings-schema', name: 'upper-case environment id', bad: (f) => editJson(f, 'settings.json', (d) => (d.environment = 'ABC')), path: ['environment'], file: 'settings.json' },
  { code: 'connector-readme-sections', name: 'no Prerequisites section', bad: (f) => setText(f, 'README.md', (t) => t.replace('## Prerequisites', '## Before you start')), path: [], file: 'README.md' },
  { code: 'connector-icon-format', name: 'a 64x64 icon', bad: (f) => f.set('icon.png', solidPng(64, 64, '#2e5e8c')), path: [], file: 'icon.png' },
  { code: 'connector-icon-format', name: 'a transparent icon', bad: (f) => f.set('icon.png', solidPng(230, 230, '#2e5e8c', 0)), path: [], file: 'icon.png' },
  { code: 'connector-icon-format', name: 'not a PNG', bad: (f) => f.set('icon.png', new Uint8Array(64)), path: [], file: 'icon.png' },
  { code: 'connector-icon-color', name: 'icon colour differs from iconBrandColor', bad: (f) => f.set('icon.png', solidPng(230, 230, '#112233')), path: [], file: 'icon.png' },
  { code: 'connector-icon-color', name: 'white icon', bad: (f) => f.set('icon.png', solidPng(230, 230, '#ffffff')), path: [], file: 'icon.png' },
  { code: 'connector-title-length', name: '35-character title', bad: (f) => editJson(f, DEF, (d) => (d.info.title = 'Office 365 Management Activity Feed')), path: ['info', 'title'], file: DEF },
  { code: 'connector-title-words', name: 'title with API', bad: (f) => editJson(f, DEF, (d) => (d.info.title = 'Office 365 Activity API')), path: ['info', 'title'] },
  { code: 'connector-title-words', name: 'title with a product name', bad: (f) => editJson(f, DEF, (d) => (d.info.title = 'Power Automate Audit')), path: ['info', 'title'] },
  { code: 'connector-description-length', name: 'short description', bad: (f) => editJson(f, DEF, (d) => (d.info.description = 'Reads audit logs.')), path: ['info', 'description'] },
  { code: 'connector-description-length', name: 'no description', bad: (f) => editJson(f, DEF, (d) => delete d.info.description), path: ['info', 'description'] },
  { code: 'connector-description-words', name: 'description with API', bad: (f) => editJson(f, DEF, (d) => (d.info.description += ' Uses the Management Activity API.')), path: ['info', 'description'] },
  { code: 'connector-contact', name: 'no contact', bad: (f) => editJson(f, DEF, (d) => delete d.info.contact), path: ['info', 'contact'] },
  { code: 'connector-contact', name: 'bad email', bad: (f) => editJson(f, DEF, (d) => (d.info.contact.email = 'nobody')), path: ['info', 'contact', 'email'] },
  { code: 'connector-metadata', name: 'no Privacy policy', bad: (f) => editJson(f, DEF, (d) => d['x-ms-connector-metadata'].splice(1, 1)), path: ['x-ms-connector-metadata'] },
  { code: 'connector-metadata', name: 'unknown category', bad: (f) => editJson(f, DEF, (d) => (d['x-ms-connector-metadata'][2].propertyValue = 'Auditing')), path: ['x-ms-connector-metadata', 2, 'propertyValue'] },
  { code: 'connector-operation-id', name: 'snake_case operationId', bad: (f) => editJson(f, DEF, (d) => (d.paths[START].post.operationId = 'start_subscription')), path: ['paths', START, 'post', 'operationId'] },
  { code: 'connector-operation-id', name: 'duplicate operationId', bad: (f) => editJson(f, DEF, (d) => (d.paths[STOP].post.operationId = 'StartSubscription')), path: ['paths', STOP, 'post', 'operationId'] },
  { code: 'connector-summary', name: 'summary with ?', bad: (f) => editJson(f, DEF, (d) => (d.paths[START].post.summary = 'Start a subscription?')), path: ['paths', START, 'post', 'summary'] },
  { code: 'connector-summary', name: 'summary ending with a period', bad: (f) => editJson(f, DEF, (d) => (d.paths[START].post.summary = 'Start a subscription.')), path: ['paths', START, 'post', 'summary'] },
  { code: 'connector-summary', name: 'no summary', bad: (f) => editJson(f, DEF, (d) => delete d.paths[START].post.summary), path: ['paths', START, 'post'] },
  { code: 'connector-operation-description', name: 'no final period', bad: (f) => editJson(f, DEF, (d) => (d.paths[LIST].get.description = 'Lists subscriptions')), path: ['paths', LIST, 'get', 'description'] },
  { code: 'connector-operation-description', name: 'same as summary', bad: (f) => editJson(f, DEF, (d) => (d.paths[LIST].get.description = 'List current subscriptions.')), path: ['paths', LIST, 'get', 'description'] },
  { code: 'connector-parameter-docs', name: 'parameter without x-ms-summary', bad: (f) => editJson(f, DEF, (d) => delete d.paths[RETRIEVE].get.parameters[1]['x-ms-summary']), path: ['paths', RETRIEVE, 'get', 'parameters', 1] },
  { code: 'connector-parameter-docs', name: 'shared parameter without description', bad: (f) => editJson(f, DEF, (d) => delete d.parameters.TenantId.description), path: ['paths', START, 'post', 'parameters', 0] },
  { code: 'connector-internal-required-default', name: 'internal required contentId', bad: (f) => editJson(f, DEF, (d) => (d.paths[RETRIEVE].get.parameters[1]['x-ms-visibility'] = 'internal')), path: ['paths', RETRIEVE, 'get', 'parameters', 1] },
  { code: 'connector-success-response-schema', name: '200 without schema', bad: (f) => editJson(f, DEF, (d) => delete d.paths[STOP].post.responses['200'].schema), path: ['paths', STOP, 'post', 'responses'] },
  { code: 'connector-default-response-schema', name: 'default with a schema', bad: (f) => editJson(f, DEF, (d) => (d.paths[LIST].get.responses.default = { description: 'Error.', schema: { type: 'object' } })), path: ['paths', LIST, 'get', 'responses', 'default'] },
  { code: 'connector-response-property-docs', name: 'property without x-ms-summary', bad: (f) => editJson(f, DEF, (d) => delete d.definitions.DlpSensitiveType.properties.name['x-ms-summary']), path: ['paths', DLP, 'get', 'responses', '200', 'schema', 'items', 'properties', 'name'] },
  { code: 'connector-no-secrets', name: 'a client secret', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters.token.oAuthSettings.clientSecret = 'abc~123')), path: [...TOKEN, 'clientSecret'], file: PROPS },
  { code: 'connector-no-secrets', name: 'a real-looking id in the swagger', bad: (f) => editJson(f, DEF, (d) => (d.parameters.PublisherIdentifier.default = '5b0a1c5e-3f4d-4c2a-9a0e-1d2c3b4a5f60')), path: ['parameters', 'PublisherIdentifier', 'default'], file: DEF },
  { code: 'connector-icon-brand-color', name: 'the default colour', bad: (f) => editJson(f, PROPS, (d) => (d.properties.iconBrandColor = '#007EE5')), path: ['properties', 'iconBrandColor'], file: PROPS },
  { code: 'connector-icon-brand-color', name: 'not a colour', bad: (f) => editJson(f, PROPS, (d) => (d.properties.iconBrandColor = 'blue')), path: ['properties', 'iconBrandColor'], file: PROPS },
  { code: 'connector-oauth-settings', name: 'GlobalPerConnector', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters.token.oAuthSettings.redirectMode = 'GlobalPerConnector')), path: [...TOKEN, 'redirectMode'], file: PROPS },
  { code: 'connector-oauth-settings', name: 'oauth2 provider', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters.token.oAuthSettings.identityProvider = 'oauth2')), path: [...TOKEN, 'identityProvider'], file: PROPS },
  { code: 'connector-custom-parameters', name: 'enableOnbehalfOfLogin', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters.token.oAuthSettings.customParameters.enableOnbehalfOfLogin = { value: 'false' })), path: [...TOKEN, 'customParameters', 'enableOnbehalfOfLogin'], file: PROPS },
  { code: 'connector-custom-parameters', name: 'bare string value', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters.token.oAuthSettings.customParameters.tenantId = 'common')), path: [...TOKEN, 'customParameters', 'tenantId'], file: PROPS },
  { code: 'connector-token-tenant-id', name: 'displayName Tenant ID', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters['token:TenantId'].uiDefinition.displayName = 'Tenant ID')), path: [...TENANT, 'uiDefinition', 'displayName'], file: PROPS },
  { code: 'connector-activity-operations', name: 'no DLP operation', bad: (f) => editJson(f, DEF, (d) => delete d.paths[DLP]), path: ['paths'] },
  { code: 'connector-activity-operations', name: 'wrong basePath', bad: (f) => editJson(f, DEF, (d) => (d.basePath = '/api/v1')), path: ['basePath'] },
  { code: 'connector-content-type-enum', name: 'four content types', bad: (f) => editJson(f, DEF, (d) => d.parameters.ContentTypeRequired.enum.pop()), path: ['paths', START, 'post', 'parameters', 1, 'enum'] },
  { code: 'connector-content-type-enum', name: 'optional contentType', bad: (f) => editJson(f, DEF, (d) => (d.parameters.ContentTypeRequired.required = false)), path: ['paths', STOP, 'post', 'parameters', 1, 'required'] },
  { code: 'connector-publisher-identifier', name: 'no PublisherIdentifier on list', bad: (f) => editJson(f, DEF, (d) => d.paths[LIST].get.parameters.splice(1, 1)), path: ['paths', LIST, 'get', 'parameters'] },
  { code: 'connector-time-window', name: 'required startTime', bad: (f) => editJson(f, DEF, (d) => (d.parameters.StartTime.required = true)), path: ['paths', CONTENT, 'get', 'parameters', 2, 'required'] },
  { code: 'connector-time-window', name: 'undocumented endTime', bad: (f) => editJson(f, DEF, (d) => (d.parameters.EndTime.description = 'End of the window.')), path: ['paths', CONTENT, 'get', 'parameters', 3, 'description'] },
  { code: 'connector-next-page-header', name: 'no NextPageUri header', bad: (f) => editJson(f, DEF, (d) => delete d.paths[CONTENT].get.responses['200'].headers), path: ['paths', CONTENT, 'get', 'responses', '200'] },
  { code: 'connector-next-page-header', name: 'x-ms-pageable', bad: (f) => editJson(f, DEF, (d) => (d.paths[CONTENT].get['x-ms-pageable'] = { nextLinkName: 'next' })), path: ['paths', CONTENT, 'get', 'x-ms-pageable'] },
  { code: 'connector-webhook-trigger', name: 'start subscription as a trigger', bad: (f) => editJson(f, DEF, (d) => (d.paths[START].post['x-ms-trigger'] = 'single')), path: ['paths', START, 'post', 'x-ms-trigger'] },
  { code: 'connector-retrieve-content', name: 'blob typed as a string', bad: (f) => editJson(f, DEF, (d) => (d.paths[RETRIEVE].get.responses['200'].schema = { type: 'string' })), path: ['paths', RETRIEVE, 'get', 'responses', '200'] },
  { code: 'connector-error-responses', name: 'no 401', bad: (f) => editJson(f, DEF, (d) => delete d.paths[LIST].get.responses['401']), path: ['paths', LIST, 'get', 'responses'] },
  { code: 'connector-error-responses', name: '401 with the error body', bad: (f) => editJson(f, DEF, (d) => (d.responses.Unauthorized.schema.$ref = '#/definitions/Error')), path: ['paths', LIST, 'get', 'responses', '401'] },
  { code: 'cloud-unknown-host', name: 'a host outside the table', bad: (f) => editJson(f, DEF, (d) => (d.host = 'example.com')), path: ['host'], file: DEF },
  { code: 'cloud-foreign-host', name: 'GCC High login in the commercial variant', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters.token.oAuthSettings.customParameters.loginUri.value = gcchigh.connector.loginUri)), path: [...TOKEN, 'customParameters', 'loginUri', 'value'], file: PROPS },
  { code: 'cloud-foreign-host', name: 'commercial host in the GCC High README', cloud: 'gcchigh', bad: (f) => setText(f, 'README.md', (t) => `${t}\nSee https://${CLOUDS[0]!.managementHost}/ for details.\n`), path: [], file: 'README.md' },
  { code: 'cloud-resource-uri', name: 'GCC audience in the commercial variant', bad: (f) => editJson(f, PROPS, (d) => (d.properties.connectionParameters.token.oAuthSettings.customParameters.resourceUri.value = gcc.managementAudience)), path: [...TOKEN, 'customParameters', 'resourceUri', 'value'], file: PROPS },
  { code: 'cloud-login-uri', name: 'a token URL on another host', bad: (f) => editJson(f, DEF, (d) => (d.securityDefinitions.oauth2_auth.tokenUrl = 'https://example.com/oauth2/token')), path: ['securityDefinitions', 'oauth2_auth', 'tokenUrl'], file: DEF },
  { code: 'cloud-redirect-unverified', name: 'the US-government redirect URL', cloud: 'gcchigh', bad: () => {}, path: [...TOKEN, 'redirectUrl'], file: PROPS },
];

describe('connector rules: a bad document gives the code at the path', () => {
  it.each(CASES.map((c) => [`${c.code}: ${c.name}`, c] as const))('%s', async (_, c) => {
    const files = goodFiles(c.cloud ?? 'commercial');
    c.bad(files);
    const found = (await validateConnectorFiles(files)).filter((d) => d.code === c.code);
    expect(found.map((d) => ({ path: d.path, file: d.file }))).toContainEqual({ path: c.path, file: c.file ?? DEF });
  });
});

describe('connector rules: the good document gives none', () => {
  it('a fresh commercial build has no finding at all', async () => {
    expect(await validateConnectorFiles(goodFiles())).toEqual([]);
  });
  it('a GCC High build with a confirmed redirect URL has no finding', async () => {
    expect(await validateConnectorFiles(goodFiles('gcchigh', { redirectUrl: 'https://example.com/redirect' }))).toEqual([]);
  });
  it('every rule code has at least one bad case above', () => {
    const tested = new Set(CASES.map((c) => c.code));
    expect(CONNECTOR_RULES.map((r) => r.code).filter((c) => !tested.has(c))).toEqual([]);
  });
  it('every code is unique and kebab-case with a known prefix', () => {
    const codes = CONNECTOR_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^(connector|cloud)-[a-z0-9]+(-[a-z0-9]+)*$/);
  });
  it('prefixes file names with the folder', async () => {
    const files = goodFiles();
    files.delete('README.md');
    const [d] = await validateConnectorFiles(files, { folder: 'dist/connector/commercial/' });
    expect(d!.file).toBe('dist/connector/commercial/README.md');
  });
});
