import { connectionParameters, get, oauthParameter, obj, onDefinition, operations, str, strings, type ConnectorRule, type Finding, type Json, type Path } from './context.js';

/** Microsoft's certification and string rules (connector.md §7 C and E). */
const PAGE = 'docs/rules/connector.md';

const PRODUCT_NAMES = /\b(power ?apps|power automate|logic apps|copilot studio|power bi|power pages|power virtual agents|dataverse)\b/i;
const CATEGORIES = new Set([
  'AI', 'Business Intelligence', 'Business Management', 'Collaboration', 'Commerce', 'Communication', 'Content and Files',
  'Data', 'Finance', 'Human Resources', 'Internet of Things', 'IT Operations', 'Lifestyle and Entertainment', 'Marketing',
  'Productivity', 'Sales and CRM', 'Security', 'Social Media', 'Website',
]);

export const titleLength: ConnectorRule = {
  code: 'connector-title-length',
  severity: 'error',
  description: 'info.title is present and at most 30 characters long.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const title = str(get(doc, 'info', 'title'));
      if (!title?.trim()) return [{ path: ['info', 'title'], file, message: 'info.title is missing or empty' }];
      if (title.length > 30) return [{ path: ['info', 'title'], file, message: `title "${title}" is ${title.length} characters; the limit is 30` }];
      return [];
    }),
};

export const titleWords: ConnectorRule = {
  code: 'connector-title-words',
  severity: 'error',
  description: 'info.title contains neither "API", "Connector" nor a Power Platform product name.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const title = str(get(doc, 'info', 'title')) ?? '';
      const hit = /\b(api|connector)\b/i.exec(title) ?? PRODUCT_NAMES.exec(title);
      return hit ? [{ path: ['info', 'title'], file, message: `title "${title}" contains the restricted word '${hit[0]}'` }] : [];
    }),
};

export const descriptionLength: ConnectorRule = {
  code: 'connector-description-length',
  severity: 'error',
  description: 'info.description is present and between 30 and 500 characters long.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const text = str(get(doc, 'info', 'description'));
      if (text === undefined) return [{ path: ['info', 'description'], file, message: 'info.description is missing (paconn fails without it)' }];
      if (text.length < 30 || text.length > 500) {
        return [{ path: ['info', 'description'], file, message: `description is ${text.length} characters; it must be between 30 and 500` }];
      }
      return [];
    }),
};

export const descriptionWords: ConnectorRule = {
  code: 'connector-description-words',
  severity: 'error',
  description: 'info.description contains neither "API" nor a Power Platform product name.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const text = str(get(doc, 'info', 'description')) ?? '';
      const hit = /\bapi\b/i.exec(text) ?? PRODUCT_NAMES.exec(text);
      return hit ? [{ path: ['info', 'description'], file, message: `description contains the restricted word '${hit[0]}'` }] : [];
    }),
};

export const contact: ConnectorRule = {
  code: 'connector-contact',
  severity: 'error',
  description: 'info.contact has a name, an http(s) URL and an email address.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const c = obj(get(doc, 'info', 'contact'));
      if (!c) return [{ path: ['info', 'contact'], file, message: "the 'contact' property is required" }];
      const out: Finding[] = [];
      if (!str(c.name)?.trim()) out.push({ path: ['info', 'contact', 'name'], file, message: 'contact.name is missing' });
      if (!/^https?:\/\/\S+$/.test(str(c.url) ?? '')) out.push({ path: ['info', 'contact', 'url'], file, message: 'contact.url must be an http(s) URL' });
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(str(c.email) ?? '')) out.push({ path: ['info', 'contact', 'email'], file, message: 'contact.email must be an email address' });
      return out;
    }),
};

export const metadata: ConnectorRule = {
  code: 'connector-metadata',
  severity: 'error',
  description: 'x-ms-connector-metadata has non-empty Website, Privacy policy and Categories entries, with known categories.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const at: Path = ['x-ms-connector-metadata'];
      const list = doc['x-ms-connector-metadata'];
      if (!Array.isArray(list)) return [{ path: at, file, message: "the 'x-ms-connector-metadata' property is required" }];
      const out: Finding[] = [];
      for (const name of ['Website', 'Privacy policy', 'Categories']) {
        const i = list.findIndex((e) => str(obj(e)?.propertyName)?.toLowerCase() === name.toLowerCase());
        const value = i >= 0 ? str(obj(list[i])?.propertyValue) : undefined;
        if (i < 0) out.push({ path: at, file, message: `missing the '${name}' entry` });
        else if (!value?.trim()) out.push({ path: [...at, i, 'propertyValue'], file, message: `'${name}' has an empty propertyValue` });
        else if (name === 'Categories') {
          for (const c of value.split(';').map((s) => s.trim())) {
            if (!CATEGORIES.has(c)) out.push({ path: [...at, i, 'propertyValue'], file, message: `unknown category '${c}' (known: ${[...CATEGORIES].join(', ')})` });
          }
        }
      }
      return out;
    }),
};

export const operationId: ConnectorRule = {
  code: 'connector-operation-id',
  severity: 'error',
  description: 'Every operation has a unique PascalCase operationId.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const out: Finding[] = [];
      const seen = new Map<string, string>();
      for (const o of operations(doc)) {
        const id = str(o.op.operationId);
        if (!id) out.push({ path: o.at, file, message: 'operation has no operationId' });
        else if (!/^[A-Z][A-Za-z0-9]*$/.test(id)) out.push({ path: [...o.at, 'operationId'], file, message: `operationId '${id}' is not PascalCase (letters and digits, first letter upper case)` });
        if (id && seen.has(id.toLowerCase())) out.push({ path: [...o.at, 'operationId'], file, message: `operationId '${id}' is also used by ${seen.get(id.toLowerCase())}` });
        if (id) seen.set(id.toLowerCase(), `${o.method.toUpperCase()} ${o.pathKey}`);
      }
      return out;
    }),
};

export const summary: ConnectorRule = {
  code: 'connector-summary',
  severity: 'error',
  description: 'Every operation has a summary of at most 80 characters, without / \\ < > * % & ? and ending with a letter or digit.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const out: Finding[] = [];
      for (const o of operations(doc)) {
        const s = str(o.op.summary);
        const at = [...o.at, 'summary'];
        if (!s?.trim()) out.push({ path: o.at, file, message: "the 'summary' property is required" });
        else if (s.length > 80) out.push({ path: at, file, message: `summary is ${s.length} characters; the limit is 80` });
        else if (/[/\\<>*%&?]/.test(s)) out.push({ path: at, file, message: `summary "${s}" contains a restricted character (/ \\ < > * % & ?)` });
        else if (!/[\p{L}\p{N}]$/u.test(s)) out.push({ path: at, file, message: `summary "${s}" must end with a letter or digit` });
      }
      return out;
    }),
};

export const operationDescription: ConnectorRule = {
  code: 'connector-operation-description',
  severity: 'error',
  description: 'Every operation has a description that ends with a period and differs from its summary.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const out: Finding[] = [];
      for (const o of operations(doc)) {
        const text = str(o.op.description);
        const at = [...o.at, 'description'];
        if (!text?.trim()) out.push({ path: o.at, file, message: "the 'description' property is required" });
        else if (!text.trim().endsWith('.')) out.push({ path: at, file, message: 'description must end with a period' });
        else if (text.trim().replace(/\.$/, '').toLowerCase() === (str(o.op.summary) ?? '').trim().toLowerCase()) {
          out.push({ path: at, file, message: 'description repeats the summary; say more' });
        }
      }
      return out;
    }),
};

export const parameterDocs: ConnectorRule = {
  code: 'connector-parameter-docs',
  severity: 'error',
  description: 'Every parameter has an x-ms-summary (at most 80 characters) and a description.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const out: Finding[] = [];
      for (const o of operations(doc)) {
        for (const { param, at } of o.parameters) {
          const name = str(param.name) ?? '?';
          const s = str(param['x-ms-summary']);
          if (!s?.trim()) out.push({ path: at, file, message: `parameter '${name}': the 'x-ms-summary' property is required` });
          else if (s.length > 80) out.push({ path: [...at, 'x-ms-summary'], file, message: `parameter '${name}': x-ms-summary is ${s.length} characters; the limit is 80` });
          if (!str(param.description)?.trim()) out.push({ path: at, file, message: `parameter '${name}': the 'description' property is required` });
        }
      }
      return out;
    }),
};

export const internalRequiredDefault: ConnectorRule = {
  code: 'connector-internal-required-default',
  severity: 'error',
  description: 'A parameter that is both internal and required has a default value.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) =>
      operations(doc).flatMap((o) =>
        o.parameters
          .filter(({ param }) => param['x-ms-visibility'] === 'internal' && param.required === true && param.default === undefined)
          .map(({ param, at }) => ({ path: at, file, message: `parameter '${String(param.name)}' is internal and required but has no default` })),
      ),
    ),
};

export const successResponseSchema: ConnectorRule = {
  code: 'connector-success-response-schema',
  severity: 'error',
  description: 'Every operation has a 2xx response with a schema.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) =>
      operations(doc).flatMap((o) => {
        const responses = obj(o.op.responses) ?? {};
        const ok = Object.entries(responses).some(([code, r]) => /^2\d\d$/.test(code) && obj(obj(r)?.schema));
        return ok ? [] : [{ path: [...o.at, 'responses'], file, message: `${o.method.toUpperCase()} ${o.pathKey} has no 2xx response with a schema` }];
      }),
    ),
};

export const defaultResponseSchema: ConnectorRule = {
  code: 'connector-default-response-schema',
  severity: 'error',
  description: "A 'default' response carries no schema and is never the only response.",
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) =>
      operations(doc).flatMap((o) => {
        const responses = obj(o.op.responses) ?? {};
        const dflt = obj(responses.default);
        const out: Finding[] = [];
        if (dflt && dflt.schema !== undefined) {
          out.push({ path: [...o.at, 'responses', 'default'], file, message: "the 'default' response should not have a schema; define schemas on expected responses only" });
        }
        if (dflt && Object.keys(responses).filter((k) => !k.startsWith('x-')).length === 1) {
          out.push({ path: [...o.at, 'responses'], file, message: "'default' is the only response; add the success response" });
        }
        return out;
      }),
    ),
};

export const responsePropertyDocs: ConnectorRule = {
  code: 'connector-response-property-docs',
  severity: 'warn',
  description: 'Properties of response schemas have an x-ms-summary and a description.',
  docsPage: PAGE,
  check: (d) =>
    onDefinition(d, (doc, file) => {
      const out: Finding[] = [];
      const seen = new Set<unknown>();
      const walk = (schema: Json | undefined, at: Path): void => {
        if (!schema || seen.has(schema)) return;
        seen.add(schema);
        for (const [name, p] of Object.entries(obj(schema.properties) ?? {})) {
          const prop = obj(p);
          if (!prop) continue;
          const missing = ['x-ms-summary', 'description'].filter((k) => !str(prop[k])?.trim());
          if (missing.length > 0) out.push({ path: [...at, 'properties', name], file, message: `response property '${name}' has no ${missing.join(' and no ')}` });
          walk(prop, [...at, 'properties', name]);
        }
        walk(obj(schema.items), [...at, 'items']);
      };
      for (const o of operations(doc)) {
        for (const [code, r] of Object.entries(obj(o.op.responses) ?? {})) walk(obj(obj(r)?.schema), [...o.at, 'responses', code, 'schema']);
      }
      return out;
    }),
};

const SECRET_KEY = /secret|password|apikey|api_key/i;
const GUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;

export const noSecrets: ConnectorRule = {
  code: 'connector-no-secrets',
  severity: 'error',
  description: 'No client secret, password or real-looking identifier is written in the connector files.',
  docsPage: PAGE,
  check: (d) => {
    const out: Finding[] = [];
    for (const [doc, file] of [
      [d.apiDefinition, d.names.apiDefinition],
      [d.apiProperties, d.names.apiProperties],
    ] as const) {
      for (const s of strings(doc)) {
        if (s.key && SECRET_KEY.test(s.key) && s.value.trim() !== '') out.push({ path: s.at, file, message: `'${s.key}' holds a value; secrets never go in connector files` });
      }
    }
    for (const s of strings(d.apiDefinition)) {
      const m = GUID.exec(s.value);
      if (m && !/^[0-]+$/.test(m[0])) out.push({ path: s.at, file: d.names.apiDefinition, message: `'${m[0]}' looks like a real identifier; use a labelled dummy value` });
    }
    return out;
  },
};

export const iconBrandColor: ConnectorRule = {
  code: 'connector-icon-brand-color',
  severity: 'error',
  description: 'iconBrandColor is #rrggbb, not white and not the default #007ee5; #da3b01 is for Independent Publisher connectors only.',
  docsPage: PAGE,
  check: (d) => {
    if (!d.apiProperties) return [];
    const file = d.names.apiProperties;
    const at: Path = ['properties', 'iconBrandColor'];
    const color = get(d.apiProperties, ...at);
    if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return [{ path: at, file, message: `iconBrandColor ${JSON.stringify(color)} is not a #rrggbb colour` }];
    const c = color.toLowerCase();
    if (c === '#ffffff' || c === '#007ee5') return [{ path: at, file, message: `iconBrandColor ${color} is not allowed (white or the default colour)` }];
    if (c === '#da3b01') return [{ path: at, file, severity: 'warn', message: 'iconBrandColor #da3b01 is reserved for Independent Publisher connectors' }];
    return [];
  },
};

export const oauthSettings: ConnectorRule = {
  code: 'connector-oauth-settings',
  severity: 'error',
  description: 'The connection is an Entra ID (aad) oauthSetting with scopes, a Global redirect and no first-party flag.',
  docsPage: PAGE,
  check: (d) => {
    if (!d.apiProperties) return [];
    const file = d.names.apiProperties;
    const token = oauthParameter(d.apiProperties);
    if (!token) return [{ path: ['properties', 'connectionParameters'], file, message: 'no oauthSetting connection parameter (expected token with oAuthSettings)' }];
    const s = obj(token.param.oAuthSettings);
    const at: Path = [...token.at, 'oAuthSettings'];
    if (!s) return [{ path: token.at, file, message: "missing 'oAuthSettings' (spelled with a capital A)" }];
    const out: Finding[] = [];
    if (s.identityProvider !== 'aad') out.push({ path: [...at, 'identityProvider'], file, message: `identityProvider is ${JSON.stringify(s.identityProvider)}; the Activity feed needs "aad"` });
    if (typeof s.clientId !== 'string' || !s.clientId.trim()) out.push({ path: [...at, 'clientId'], file, message: 'clientId is missing; set connector.clientId in coe-audit.config.yaml' });
    if (!Array.isArray(s.scopes)) out.push({ path: [...at, 'scopes'], file, message: 'scopes must be an array (empty for the resource-based aad flow)' });
    if (s.redirectMode !== 'Global') out.push({ path: [...at, 'redirectMode'], file, message: `redirectMode is ${JSON.stringify(s.redirectMode)}; use "Global" (GlobalPerConnector fails Microsoft's schema)` });
    if (typeof s.redirectUrl !== 'string' || !s.redirectUrl.startsWith('https://')) out.push({ path: [...at, 'redirectUrl'], file, message: 'redirectUrl must be an https URL' });
    const first = get(s, 'properties', 'IsFirstParty');
    if (first !== undefined && first !== 'False') out.push({ path: [...at, 'properties', 'IsFirstParty'], file, message: `IsFirstParty is ${JSON.stringify(first)}; a custom connector uses the string "False"` });
    return out;
  },
};

const CUSTOM_PARAMETERS = ['loginUri', 'resourceUri', 'tenantId'];

export const customParameters: ConnectorRule = {
  code: 'connector-custom-parameters',
  severity: 'error',
  description: 'aad customParameters are exactly loginUri, resourceUri (required) and tenantId, camelCase, each {"value": "<string>"}.',
  docsPage: PAGE,
  check: (d) => {
    const token = oauthParameter(d.apiProperties);
    const at: Path = [...(token?.at ?? []), 'oAuthSettings', 'customParameters'];
    const cp = obj(get(token?.param, 'oAuthSettings', 'customParameters'));
    if (!token || get(token.param, 'oAuthSettings', 'identityProvider') !== 'aad') return [];
    const file = d.names.apiProperties;
    if (!cp) return [{ path: at, file, message: 'customParameters is missing (resourceUri is required)' }];
    const out: Finding[] = [];
    if (!('resourceUri' in cp)) out.push({ path: at, file, message: "missing 'resourceUri'" + ('ResourceUri' in cp ? " (keys are camelCase: 'ResourceUri' is rejected)" : '') });
    for (const [k, v] of Object.entries(cp)) {
      if (!CUSTOM_PARAMETERS.includes(k)) out.push({ path: [...at, k], file, message: `'${k}' is not allowed; use only ${CUSTOM_PARAMETERS.join(', ')} (camelCase)` });
      if (typeof obj(v)?.value !== 'string') out.push({ path: [...at, k], file, message: `'${k}' must be {"value": "<string>"}` });
    }
    return out;
  },
};

export const tokenTenantId: ConnectorRule = {
  code: 'connector-token-tenant-id',
  severity: 'error',
  description: 'A token:TenantId parameter is the hidden AzureActiveDirectoryTenant string Microsoft documents.',
  docsPage: PAGE,
  check: (d) => {
    const p = connectionParameters(d.apiProperties).find((c) => c.name === 'token:TenantId');
    if (!p) return [];
    const file = d.names.apiProperties;
    const out: Finding[] = [];
    if (p.param.type !== 'string') out.push({ path: [...p.at, 'type'], file, message: 'type must be "string"' });
    if (get(p.param, 'metadata', 'sourceType') !== 'AzureActiveDirectoryTenant') out.push({ path: [...p.at, 'metadata'], file, message: 'metadata must be {"sourceType": "AzureActiveDirectoryTenant"}' });
    const c = obj(get(p.param, 'uiDefinition', 'constraints'));
    if (c?.hidden !== 'true' || c.required !== 'false' || Object.keys(c).length !== 2) {
      out.push({ path: [...p.at, 'uiDefinition', 'constraints'], file, message: 'constraints must be exactly {"hidden": "true", "required": "false"} (strings)' });
    }
    const ui = obj(get(p.param, 'uiDefinition')) ?? {};
    if (ui.displayName !== undefined && ui.displayName !== 'Tenant') out.push({ path: [...p.at, 'uiDefinition', 'displayName'], file, message: 'displayName must be "Tenant" or absent' });
    if ('tooltip' in ui || 'tabIndex' in ui) out.push({ path: [...p.at, 'uiDefinition'], file, message: 'tooltip and tabIndex are not allowed on token:TenantId' });
    return out;
  },
};

export const CERTIFICATION_RULES: readonly ConnectorRule[] = [
  titleLength,
  titleWords,
  descriptionLength,
  descriptionWords,
  contact,
  metadata,
  operationId,
  summary,
  operationDescription,
  parameterDocs,
  internalRequiredDefault,
  successResponseSchema,
  defaultResponseSchema,
  responsePropertyDocs,
  noSecrets,
  iconBrandColor,
  oauthSettings,
  customParameters,
  tokenTenantId,
];
