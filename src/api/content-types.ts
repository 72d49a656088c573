/** The five content types of the Activity API (activity-api.md §1.1), in canonical casing. */
export const CONTENT_TYPES = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** The canonical content type for a name in any casing; undefined when unknown. */
export function canonicalContentType(name: string): ContentType | undefined {
  return CONTENT_TYPES.find((c) => c.toLowerCase() === name.toLowerCase());
}

/** The role an app-only token needs (activity-api.md §1.1). */
export const ACTIVITY_FEED_READ = 'ActivityFeed.Read';
export const ACTIVITY_FEED_READ_DLP = 'ActivityFeed.ReadDlp';

/** PublisherIdentifier of requests that do not send one: they share one quota (§1.11). */
export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `2015-06-29T20:03:19`: CreationTime as the API writes it (UTC, no zone, no fraction). */
export function apiCreationTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
