import { isObject, WdlEvalError, WdlUnsupportedError, type WdlObject, type WdlValue } from '../values.js';

export const DATAVERSE_API = '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps';

export type RowMessage = 'Create' | 'Update' | 'Delete';

/**
 * The subscription of a Dataverse "When a row is added, modified or deleted" trigger
 * (`OpenApiConnectionWebhook`, operation `SubscribeWebhookTrigger`), from its `subscriptionRequest/*` parameters.
 */
export interface RowTrigger {
  name: string;
  messages: RowMessage[];
  /** Logical (singular) table name. */
  entityName: string;
  /** 1 User, 2 Business Unit, 3 Parent: Child business unit, 4 Organization. */
  scope: number;
  /** Update only: the columns of which at least one must be in the update request. */
  filteringAttributes: string[];
  /** OData filter the row must satisfy after the change. */
  filterExpression: string | undefined;
}

/** The connector's Change type values. */
const MESSAGES: Record<number, RowMessage[]> = {
  1: ['Create'],
  2: ['Delete'],
  3: ['Update'],
  4: ['Create', 'Update'],
  5: ['Create', 'Delete'],
  6: ['Update', 'Delete'],
  7: ['Create', 'Update', 'Delete'],
};
const KNOWN = new Set(['message', 'entityname', 'scope', 'filteringattributes', 'filterexpression', 'runas', 'name']);

/** The trigger of a flow definition when it is a Dataverse row trigger, else undefined. Throws for a malformed or unsupported one. */
export function rowTriggerOf(definition: WdlObject): RowTrigger | undefined {
  const triggers = isObject(definition.triggers) ? Object.entries(definition.triggers) : [];
  if (triggers.length !== 1) return undefined;
  const [name, def] = triggers[0]!;
  if (!isObject(def) || String(def.type ?? '').toLowerCase() !== 'openapiconnectionwebhook') return undefined;
  const inputs = isObject(def.inputs) ? def.inputs : {};
  const host = isObject(inputs.host) ? inputs.host : {};
  const apiId = String(host.apiId ?? '');
  if (apiId !== DATAVERSE_API) throw new WdlUnsupportedError(`the trigger of the connector '${apiId.split('/').pop() || apiId}' (only Dataverse row triggers run locally)`, name);
  if (String(host.operationId ?? '') !== 'SubscribeWebhookTrigger') throw new WdlUnsupportedError(`the Dataverse trigger operation '${String(host.operationId)}'`, name);
  const params = isObject(inputs.parameters) ? inputs.parameters : {};
  const p = new Map<string, WdlValue>();
  for (const [k, v] of Object.entries(params)) {
    const m = /^subscriptionRequest\/(.+)$/i.exec(k);
    const key = m?.[1]?.toLowerCase();
    if (!key || !KNOWN.has(key)) throw new WdlUnsupportedError(`the Dataverse trigger parameter '${k}'`, name);
    if (typeof v === 'string' && v.startsWith('@')) throw new WdlUnsupportedError(`an expression in the Dataverse trigger parameter '${k}'`, name);
    p.set(key, v);
  }
  const message = Number(p.get('message'));
  const messages = MESSAGES[message];
  if (!messages) throw new WdlEvalError(`trigger '${name}': subscriptionRequest/message must be 1 (added), 2 (deleted), 3 (modified), 4, 5, 6 or 7 (combinations), not ${JSON.stringify(p.get('message') ?? null)}`);
  const entityName = p.get('entityname');
  if (typeof entityName !== 'string' || !entityName) throw new WdlEvalError(`trigger '${name}': subscriptionRequest/entityname must name a table`);
  const scope = Number(p.get('scope') ?? 4);
  if (![1, 2, 3, 4].includes(scope)) throw new WdlEvalError(`trigger '${name}': subscriptionRequest/scope must be 1 (user), 2 (business unit), 3 (parent: child business unit) or 4 (organization)`);
  const fa = p.get('filteringattributes');
  const fe = p.get('filterexpression');
  return {
    name,
    messages,
    entityName,
    scope,
    filteringAttributes: typeof fa === 'string' ? fa.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean) : [],
    filterExpression: typeof fe === 'string' && fe.trim() ? fe.trim() : undefined,
  };
}
