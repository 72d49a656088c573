import type { Cloud } from '../clouds/cloud-table.js';

/**
 * The `{{name}}` placeholders of the connector source. Every cloud-specific value comes from the cloud table, so
 * no host is ever written in connector/.
 */
export const TEMPLATE_TOKENS = [
  'cloudId',
  'cloudDisplayName',
  'titleSuffix',
  'title',
  'managementHost',
  'managementAudience',
  'loginUri',
  'redirectUrl',
  'redirectUrlNote',
  'clientId',
] as const;
export type TemplateToken = (typeof TEMPLATE_TOKENS)[number];

/** The client id written when the configuration has none: visibly a dummy, never a real application. */
export const CLIENT_ID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

export const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export function tokenValues(
  cloud: Cloud,
  options: { clientId?: string; redirectUrl?: string; title?: string },
): Record<TemplateToken, string> {
  const redirectUrl = options.redirectUrl ?? cloud.connector.redirectUrl;
  const unverified = options.redirectUrl === undefined && !cloud.connector.redirectUrlVerified;
  return {
    cloudId: cloud.id,
    cloudDisplayName: cloud.displayName,
    titleSuffix: cloud.displaySuffix ? ` (${cloud.displaySuffix})` : '',
    title: options.title ?? '',
    managementHost: cloud.managementHost,
    managementAudience: cloud.managementAudience,
    loginUri: cloud.connector.loginUri,
    redirectUrl,
    redirectUrlNote: unverified
      ? `No Microsoft document confirms this redirect URL for ${cloud.displayName}: compare it with the redirect URL ` +
        'shown on the connector\'s Security tab, and set `connector.redirectUrl` in coe-audit.config.yaml if it differs.'
      : '',
    clientId: options.clientId ?? CLIENT_ID_PLACEHOLDER,
  };
}

/** Replaces every placeholder of a string. Unknown names were refused when the source was loaded. */
export function fillString(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** Deep copy of a parsed YAML value with every string (keys included) filled. Key order is kept. */
export function fillValue(value: unknown, values: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return fillString(value, values);
  if (Array.isArray(value)) return value.map((v) => fillValue(v, values));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fillString(k, values)] = fillValue(v, values);
    return out;
  }
  return value;
}
