/**
 * Every AF code and HTTP status of activity-api.md §1.10, each with the API's own message (placeholders `{0}`,
 * `{1}`) and the one explanation coe-audit prints: what it means and what to do. This is the authoritative text
 * of the CLI; the emulator answers with the `api` messages.
 */
export interface CatalogueEntry {
  /** The message the service sends, `{0}`/`{1}` for its placeholders. Empty for bare HTTP statuses. */
  api: string;
  /** What it means for the admin. */
  meaning: string;
  /** What to do. */
  fix: string;
  /** Whether a client should retry the same request. */
  retry: boolean;
}

const WINDOW_FIX =
  'Use a window of at most 24 hours, startTime before endTime and no more than 7 days in the past; check the clock of this machine (skew makes a valid window look invalid).';

export const AF_CODES: Record<string, CatalogueEntry> = {
  AF10001: {
    api: 'The permission set ({0}) sent in the request does not include the expected permission.',
    meaning: 'the access token has no ActivityFeed.Read permission',
    fix: "In the app registration add the Application permission ActivityFeed.Read of 'Office 365 Management APIs' and grant admin consent (a delegated permission is not used by client credentials).",
    retry: false,
  },
  AF20001: { api: 'Missing parameter: {0}.', meaning: 'a required parameter is missing', fix: 'Report a bug in coe-audit: it sent a request without a required parameter.', retry: false },
  AF20002: {
    api: 'Invalid parameter type: {0}. Expected type: {1}',
    meaning: 'a parameter has the wrong type',
    fix: 'Check the values you gave (times as ISO 8601 UTC, tenant as a GUID).',
    retry: false,
  },
  AF20003: { api: 'Expiration {0} provided is set to past date and time.', meaning: 'the webhook expiration is in the past', fix: 'Give a future expiration or none.', retry: false },
  AF20010: {
    api: 'The tenant ID passed in the URL ({0}) does not match the tenant ID passed in the access token ({1}).',
    meaning: 'the token was issued by another tenant than the one in the URL',
    fix: 'Use the same tenant id for --tenant-id and the app registration (check tenantId in coe-audit.config.yaml).',
    retry: false,
  },
  AF20011: {
    api: 'Specified tenant ID ({0}) does not exist in the system or has been deleted.',
    meaning: 'the tenant is unknown to the Activity API, usually because unified audit logging has never been turned on',
    fix: 'Turn on audit logging in Microsoft Purview (it can take 60 minutes), and check --tenant-id.',
    retry: false,
  },
  AF20012: {
    api: 'Specified tenant ID ({0}) is incorrectly configured in the system.',
    meaning: 'the tenant is misconfigured on the service side',
    fix: 'Open a Microsoft support ticket for the Office 365 Management Activity API.',
    retry: false,
  },
  AF20013: { api: 'The tenant ID passed in the URL ({0}) is not a valid GUID.', meaning: 'the tenant id is not a GUID', fix: 'Pass the directory (tenant) GUID with --tenant-id, not a domain name.', retry: false },
  AF20020: {
    api: 'The specified content type is not valid.',
    meaning: 'the content type is not one of the five the API knows',
    fix: 'Use Audit.AzureActiveDirectory, Audit.Exchange, Audit.SharePoint, Audit.General or DLP.All.',
    retry: false,
  },
  AF20021: {
    api: 'The webhook endpoint {0} could not be validated. {1}',
    meaning: 'the webhook did not answer its validation request',
    fix: 'Make the webhook address HTTPS and answer the validation POST with 200.',
    retry: false,
  },
  AF20022: {
    api: 'No subscription found for the specified content type.',
    meaning: 'the subscription for this content type was never started',
    fix: 'Run coe-audit subscription start (content appears up to 12 hours later).',
    retry: false,
  },
  AF20023: {
    api: 'The subscription was disabled by {0}.',
    meaning: 'the subscription is stopped',
    fix: 'Run coe-audit subscription start; content from the stopped period is lost, and a start right after a stop can leave it disabled: wait 15 minutes and start again.',
    retry: false,
  },
  AF20024: {
    api: 'The subscription is already enabled. No property change.',
    meaning: 'the subscription is already enabled',
    fix: 'Nothing to do: this is success.',
    retry: false,
  },
  AF20030: {
    api: 'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.',
    meaning: 'the time window breaks the API rule',
    fix: WINDOW_FIX,
    retry: false,
  },
  AF20031: { api: 'Invalid nextPage Input: {0}.', meaning: 'the nextPage token was not accepted', fix: 'Retry the listing from its first page; report a bug if it repeats.', retry: true },
  AF20050: { api: 'The specified content ({0}) does not exist.', meaning: 'the content blob does not exist', fix: 'List content again: the blob id is stale or wrong.', retry: false },
  AF20051: {
    api: 'Content requested with the key {0} has already expired. Content older than 7 days cannot be retrieved.',
    meaning: 'the content blob is older than 7 days and gone',
    fix: 'Pull more often than weekly; for older history use a Purview CSV export (coe-audit csv).',
    retry: false,
  },
  AF20052: { api: 'Content ID {0} in the URL is invalid.', meaning: 'the content id is malformed', fix: 'Use the contentUri exactly as the listing returned it.', retry: false },
  AF20053: { api: 'Only one language may be present in the Accept-Language header.', meaning: 'several languages were sent', fix: 'Send one language, such as en-US.', retry: false },
  AF20054: { api: 'Invalid syntax in Accept-Language header.', meaning: 'the Accept-Language header is malformed', fix: 'Send a language tag such as en-US.', retry: false },
  AF20055: {
    api: 'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time prior to end time and start time no more than 7 days in the past.',
    meaning: 'the time window breaks the API rule',
    fix: WINDOW_FIX,
    retry: false,
  },
  AF429: {
    api: 'Too many requests. Method={0}, PublisherId={1}',
    meaning: 'the tenant quota (2,000 requests per minute baseline) is used up',
    fix: 'Wait and retry; pass PublisherIdentifier on every call (coe-audit does) and lower --requests-per-minute if other tools share the tenant.',
    retry: true,
  },
  AF50000: { api: 'An internal error occurred. Retry the request.', meaning: 'the service failed internally', fix: 'Retry later; if it lasts for hours, open a Microsoft support ticket.', retry: true },
  AF50005: { api: 'An internal error occurred. Retry the request.', meaning: 'the service failed internally (undocumented code)', fix: 'Retry later.', retry: true },
  AF50006: { api: 'An internal error occurred. Retry the request.', meaning: 'the service failed internally (undocumented code)', fix: 'Retry later.', retry: true },
};

export const HTTP_STATUSES: Record<number, CatalogueEntry> = {
  400: { api: '', meaning: 'the request was refused as invalid', fix: 'Read the AF code in the message; check tenant id, content type and time window.', retry: false },
  401: {
    api: 'Authorization has been denied for this request.',
    meaning: 'the access token was refused: wrong audience (cloud), expired, or not a token for this API',
    fix: 'Check --cloud matches the tenant (the audience must be the Management API host of that cloud) and that --management-url and --authority-url belong to the same cloud.',
    retry: false,
  },
  403: { api: '', meaning: 'the request is forbidden (missing permission or throttled)', fix: 'Read the AF code: AF10001 is a missing permission, AF429 is throttling.', retry: false },
  404: { api: '', meaning: 'no such resource', fix: 'Check --management-url: it must be the Management API root of your cloud.', retry: false },
  408: { api: '', meaning: 'the service timed out', fix: 'Retry later.', retry: true },
  429: { api: '', meaning: 'too many requests', fix: 'Wait and retry with fewer requests per minute.', retry: true },
  500: { api: '', meaning: 'the service failed internally', fix: 'Retry later.', retry: true },
  502: { api: '', meaning: 'a gateway failed', fix: 'Retry later.', retry: true },
  503: { api: '', meaning: 'the service is unavailable (backend down)', fix: 'Retry later.', retry: true },
  504: { api: '', meaning: 'a gateway timed out', fix: 'Retry later.', retry: true },
};

/** The service's message for a code, placeholders filled in order. */
export function afMessage(code: string, ...args: string[]): string {
  const entry = AF_CODES[code];
  if (!entry) return code;
  return entry.api.replace(/\{(\d)\}/g, (_m, i: string) => args[Number(i)] ?? '');
}

/** One line for a failed call: `AF20023 (HTTP 400): the subscription is stopped. Run …`. */
export function explainApiError(status: number, code?: string, serviceMessage?: string): string {
  const entry = (code && AF_CODES[code]) || HTTP_STATUSES[status];
  const head = code ? `${code} (HTTP ${status})` : `HTTP ${status}`;
  const said = serviceMessage ? ` The service said: "${serviceMessage}"` : '';
  if (!entry) return `${head}: unexpected answer from the Activity API.${said}`;
  return `${head}: ${entry.meaning}. ${entry.fix}${said}`;
}

/** Whether a failed call may be retried as is. */
export function isRetryable(status: number, code?: string): boolean {
  if (code && AF_CODES[code]) return AF_CODES[code].retry;
  return HTTP_STATUSES[status]?.retry ?? status >= 500;
}
