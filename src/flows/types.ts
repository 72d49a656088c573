import type { JsonObject } from './wdl.js';

/** One generated cloud flow, before it is placed in a solution. */
export interface FlowSource {
  /** Stable key of the flow: the name its GUID is derived from (never the display name, which may change). */
  key: 'subscription' | 'sync' | 'csv';
  displayName: string;
  /** Workflow description (also the definition's description). */
  description: string;
  /** The packaged JSON envelope: properties.{connectionReferences, definition, templateName}, schemaVersion. */
  json: JsonObject;
}
