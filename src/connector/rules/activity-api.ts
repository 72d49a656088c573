import { get, obj, onDefinition, operations, pathShape, str, type ConnectorRule, type Finding, type Json, type OperationRef } from './context.js';

/** Office 365 Management Activity API correctness (connector.md §7 D). */
const PAGE = 'docs/rules/connector.md';

export const CONTENT_TYPES = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'] as const;

/** The seven operations, relative to basePath /api/v1.0 (path parameter names do not matter). */
export const ACTIVITY_OPERATIONS = [
  { key: 'start', method: 'post', path: '/{}/activity/feed/subscriptions/start' },
  { key: 'stop', method: 'post', path: '/{}/activity/feed/subscriptions/stop' },
  { key: 'list', method: 'get', path: '/{}/activity/feed/subscriptions/list' },
  { key: 'content', method: 'get', path: '/{}/activity/feed/subscriptions/content' },
  { key: 'notifications', method: 'get', path: '/{}/activity/feed/subscriptions/notifications' },
  { key: 'retrieve', method: 'get', path: '/{}/activity/feed/audit/{}' },
  { key: 'dlpSensitiveTypes', method: 'get', path: '/{}/activity/feed/resources/dlpSensitiveTypes' },
] as const;
type OpKey = (typeof ACTIVITY_OPERATIONS)[number]['key'];

function find(doc: Json, key: OpKey): OperationRef | undefined {
  const want = ACTIVITY_OPERATIONS.find((o) => o.key === key)!;
  return operations(doc).find((o) => o.method === want.method && pathShape(o.pathKey).toLowerCase() === want.path.toLowerCase());
}

function param(o: OperationRef, name: string, where = 'query') {
  return o.parameters.find(({ param: p }) => str(p.name)?.toLowerCase() === name.toLowerCase() && p.in === where);
}

export const activityOperations: ConnectorRule = {
  code: 'connector-activity-operations',
  severity: 'error',
  description: 'basePath is /api/v1.0 and the seven Activity API operations are all defined.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc) => {
      const file = d.names.apiDefinition;
      const out: Finding[] = [];
      if (doc.basePath !== '/api/v1.0') out.push({ path: ['basePath'], file, message: `basePath is ${JSON.stringify(doc.basePath)}; expected "/api/v1.0"` });
      for (const want of ACTIVITY_OPERATIONS) {
        if (!find(doc, want.key)) out.push({ path: ['paths'], file, message: `missing operation ${want.method.toUpperCase()} ${want.path.replace(/\{\}/, '{tenantId}').replace(/\{\}/, '{contentId}')}` });
      }
      return out;
    }),
};

export const contentTypeEnum: ConnectorRule = {
  code: 'connector-content-type-enum',
  severity: 'error',
  description: 'contentType is a required query enum of exactly the five content types on start, stop, content and notifications.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc) => {
      const file = d.names.apiDefinition;
      const out: Finding[] = [];
      for (const key of ['start', 'stop', 'content', 'notifications'] as const) {
        const o = find(doc, key);
        if (!o) continue;
        const p = param(o, 'contentType');
        if (!p) {
          out.push({ path: [...o.at, 'parameters'], file, message: `${o.op.operationId ?? key}: missing the contentType query parameter` });
          continue;
        }
        if (p.param.required !== true) out.push({ path: [...p.at, 'required'], file, message: 'contentType must be required' });
        const values = Array.isArray(p.param.enum) ? p.param.enum : [];
        const same = values.length === CONTENT_TYPES.length && CONTENT_TYPES.every((c) => values.includes(c));
        if (!same) out.push({ path: [...p.at, 'enum'], file, message: `contentType must be an enum of exactly ${CONTENT_TYPES.join(', ')}` });
      }
      return out;
    }),
};

export const publisherIdentifier: ConnectorRule = {
  code: 'connector-publisher-identifier',
  severity: 'error',
  description: 'Every operation takes the optional PublisherIdentifier query parameter, or a policy sets it.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc) => {
      const policies = get(d.apiProperties, 'properties', 'policyTemplateInstances');
      const byPolicy =
        Array.isArray(policies) &&
        policies.some((p) => /^setqueryparameter$/i.test(str(obj(p)?.templateId) ?? '') && /^publisheridentifier$/i.test(str(get(p, 'parameters', 'x-ms-apimTemplateParameter.name')) ?? ''));
      if (byPolicy) return [];
      const out: Finding[] = [];
      for (const o of operations(doc)) {
        const p = param(o, 'PublisherIdentifier');
        if (!p) out.push({ path: [...o.at, 'parameters'], file: d.names.apiDefinition, message: `${String(o.op.operationId ?? o.pathKey)}: missing the PublisherIdentifier query parameter` });
        else if (p.param.required === true) out.push({ path: [...p.at, 'required'], file: d.names.apiDefinition, message: 'PublisherIdentifier is optional in the API; do not make it required' });
      }
      return out;
    }),
};

export const timeWindow: ConnectorRule = {
  code: 'connector-time-window',
  severity: 'error',
  description: 'List content and List notifications take optional startTime and endTime, documented with the 24-hour and 7-day rules.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc) => {
      const file = d.names.apiDefinition;
      const out: Finding[] = [];
      for (const key of ['content', 'notifications'] as const) {
        const o = find(doc, key);
        if (!o) continue;
        for (const name of ['startTime', 'endTime']) {
          const p = param(o, name);
          if (!p) {
            out.push({ path: [...o.at, 'parameters'], file, message: `${String(o.op.operationId ?? key)}: missing the ${name} query parameter` });
            continue;
          }
          if (p.param.required === true) out.push({ path: [...p.at, 'required'], file, message: `${name} must be optional (give both times or neither)` });
          const text = str(p.param.description) ?? '';
          if (!/24 hours/i.test(text) || !/7 days/i.test(text)) out.push({ path: [...p.at, 'description'], file, message: `${name}: the description must state the rules (at most 24 hours apart, start no more than 7 days ago)` });
        }
      }
      return out;
    }),
};

export const nextPageHeader: ConnectorRule = {
  code: 'connector-next-page-header',
  severity: 'error',
  description: 'List content and List notifications declare the NextPageUri response header; no operation declares x-ms-pageable.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc) => {
      const file = d.names.apiDefinition;
      const out: Finding[] = [];
      for (const key of ['content', 'notifications'] as const) {
        const o = find(doc, key);
        if (!o) continue;
        const headers = obj(get(o.op, 'responses', '200', 'headers')) ?? {};
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'nextpageuri')) {
          out.push({ path: [...o.at, 'responses', '200'], file, message: `${String(o.op.operationId ?? key)}: the 200 response must declare the NextPageUri header (paging is by header)` });
        }
      }
      for (const o of operations(doc)) {
        if (o.op['x-ms-pageable'] !== undefined) out.push({ path: [...o.at, 'x-ms-pageable'], file, message: 'x-ms-pageable expects a next link in the body; this API pages with the NextPageUri header' });
      }
      return out;
    }),
};

export const webhookTrigger: ConnectorRule = {
  code: 'connector-webhook-trigger',
  severity: 'error',
  description: 'Start subscription is not modelled as a webhook trigger (the API returns no Location header).',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc) => {
      const o = find(doc, 'start');
      if (!o) return [];
      const out: Finding[] = [];
      if (o.op['x-ms-trigger'] !== undefined) {
        out.push({ path: [...o.at, 'x-ms-trigger'], file: d.names.apiDefinition, message: 'start subscription answers 200 without a Location header, so the platform could never unregister a webhook trigger; model it as an action' });
      }
      const item = obj(get(doc, 'paths', o.pathKey));
      if (item?.['x-ms-notification-content'] !== undefined) {
        out.push({ path: ['paths', o.pathKey, 'x-ms-notification-content'], file: d.names.apiDefinition, message: 'x-ms-notification-content belongs to a webhook trigger; remove it' });
      }
      return out;
    }),
};

export const retrieveContent: ConnectorRule = {
  code: 'connector-retrieve-content',
  severity: 'error',
  description: 'Retrieve content takes the contentId path parameter and returns an array of audit-record objects.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc) => {
      const o = find(doc, 'retrieve');
      if (!o) return [];
      const file = d.names.apiDefinition;
      const out: Finding[] = [];
      const last = /\{([^}]*)\}$/.exec(o.pathKey)?.[1];
      if (last !== 'contentId' || !param(o, 'contentId', 'path')) out.push({ path: o.at, file, message: 'the blob is addressed by a contentId path parameter: /{tenantId}/activity/feed/audit/{contentId}' });
      const schema = obj(get(o.op, 'responses', '200', 'schema'));
      if (schema?.type !== 'array' || get(schema, 'items', 'type') !== 'object') {
        out.push({ path: [...o.at, 'responses', '200'], file, message: 'the 200 schema must be an array of audit-record objects' });
      }
      return out;
    }),
};

export const errorResponses: ConnectorRule = {
  code: 'connector-error-responses',
  severity: 'error',
  description: 'Every operation documents 400, 401, 403 and 500; 400/403/500 carry {error:{code,message}} and 401 its own body.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc) => {
      const file = d.names.apiDefinition;
      const out: Finding[] = [];
      for (const o of operations(doc)) {
        const responses = obj(o.op.responses) ?? {};
        for (const code of ['400', '401', '403', '500']) {
          const r = obj(responses[code]);
          const at = [...o.at, 'responses', code];
          if (!r) {
            out.push({ path: [...o.at, 'responses'], file, message: `${String(o.op.operationId ?? o.pathKey)}: missing the ${code} response` });
            continue;
          }
          const props = obj(get(r, 'schema', 'properties')) ?? {};
          if (code === '401') {
            if (!('Message' in props)) out.push({ path: at, file, message: 'the 401 body is {"Message": "..."}, not the {error:{code,message}} of the other errors' });
          } else if (!obj(get(props, 'error', 'properties', 'code')) || !obj(get(props, 'error', 'properties', 'message'))) {
            out.push({ path: at, file, message: `the ${code} schema must be {error:{code,message}}` });
          }
        }
      }
      return out;
    }),
};

export const ACTIVITY_API_RULES: readonly ConnectorRule[] = [
  activityOperations,
  contentTypeEnum,
  publisherIdentifier,
  timeWindow,
  nextPageHeader,
  webhookTrigger,
  retrieveContent,
  errorResponses,
];
