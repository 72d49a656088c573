export { csvLoaderFlow, CSV_DISPLAY_NAME } from './csv-loader.js';
export { componentGuid, COE_AUDIT_NAMESPACE, flowFileName, uuidV5 } from './guid.js';
export { APP_ID_PROPERTY, APP_PROPERTIES, DATAVERSE_API, DATAVERSE_API_ID, EV, LIMITS, parameterName, withPrefix, type FlowContext, type FlowEnvVar } from './shared.js';
export { subscriptionFlow, SUBSCRIPTION_DISPLAY_NAME } from './subscription.js';
export { GRAPH_MIN_BATCH_MINUTES, GRAPH_MIN_END_MINUTES_AGO, syncFlow, SYNC_DISPLAY_NAME, WINDOW, WINDOW_FORMULA } from './sync.js';
export { GRAPH_LIMITS, graphQuerySteps, graphQueryVariables, type GraphQuerySteps } from './graph-query.js';
export type { FlowSource } from './types.js';
export type { Action, Actions, Json, JsonObject } from './wdl.js';

import { csvLoaderFlow } from './csv-loader.js';
import type { FlowContext } from './shared.js';
import { subscriptionFlow } from './subscription.js';
import { syncFlow } from './sync.js';
import type { FlowSource } from './types.js';

/** The three audit-log flows, in the order they appear in the solution. */
export function buildFlows(ctx: FlowContext): FlowSource[] {
  return [subscriptionFlow(ctx), syncFlow(ctx), csvLoaderFlow(ctx)];
}
