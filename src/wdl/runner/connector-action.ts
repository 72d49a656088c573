import { isObject, toWdlString, WdlEvalError, WdlUnsupportedError, type WdlObject, type WdlValue } from '../values.js';
import type { Clock, FlowRun, Outcome } from './engine.js';
import { reasonOf } from './http-action.js';
import { isRetryable, retrySchedule } from './retry.js';
import { DataverseError, type BulkMessage, type DataverseStore } from './types.js';

const DATAVERSE_API = '/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps';
const CONNECTOR_INPUT_KEYS = new Set(['host', 'parameters', 'authentication', 'retryPolicy']);
const DEFAULT_PAGE = 5000;

/** Parameters each Dataverse operation accepts (`item/<column>` parameters are the record's columns). */
const OPERATION_PARAMS: Record<string, string[]> = {
  ListRecords: ['entityName', '$select', '$filter', '$orderby', '$top', '$skiptoken', '$expand'],
  GetItem: ['entityName', 'recordId', '$select', '$expand'],
  CreateRecord: ['entityName'],
  UpdateRecord: ['entityName', 'recordId'],
  UpdateOnlyRecord: ['entityName', 'recordId'],
  DeleteRecord: ['entityName', 'recordId'],
  PerformUnboundAction: ['actionName'],
  PerformBoundAction: ['entityName', 'actionName'],
};
const ITEM_OPERATIONS = new Set(['CreateRecord', 'UpdateRecord', 'UpdateOnlyRecord', 'PerformUnboundAction', 'PerformBoundAction']);
const BULK_MESSAGES = new Set<string>(['CreateMultiple', 'UpdateMultiple', 'UpsertMultiple']);
/** Power Automate's message size limit (docs/flow-runner.md, Limits): 100 MB. */
export const MESSAGE_SIZE_LIMIT = 104_857_600;

/**
 * OpenApiConnection actions of the Microsoft Dataverse connector against the local store: ListRecords
 * ($filter, $select, $orderby, $top, pagination policy), GetItem, CreateRecord, UpdateRecord (upsert),
 * DeleteRecord, and PerformUnboundAction RetrieveEnvironmentVariableSecretValue. The action's
 * `authentication` is the connection's business and is not evaluated.
 */
export async function runConnectorAction(run: FlowRun, name: string, def: Record<string, unknown>, clock: Clock, ev: (v: unknown) => WdlValue): Promise<Outcome> {
  if (!isObject(def.inputs)) throw new WdlEvalError('OpenApiConnection needs inputs {host, parameters}');
  for (const k of Object.keys(def.inputs)) if (!CONNECTOR_INPUT_KEYS.has(k)) throw new WdlUnsupportedError(`the OpenApiConnection input '${k}'`, name);
  const host = ev(def.inputs.host);
  if (!isObject(host)) throw new WdlEvalError('OpenApiConnection: inputs.host must be an object');
  const apiId = String(host.apiId ?? '');
  if (apiId !== DATAVERSE_API) throw new WdlUnsupportedError(`the connector '${apiId}' (only ${DATAVERSE_API} runs locally)`, name);
  const connectionName = String(host.connectionName ?? '');
  if (run.connectionReferences && !(connectionName in run.connectionReferences)) {
    throw new WdlEvalError(`host.connectionName '${connectionName}' is not a key of the flow's connectionReferences`);
  }
  const operationId = String(host.operationId ?? '');
  const allowed = OPERATION_PARAMS[operationId];
  if (!allowed) throw new WdlUnsupportedError(`the Dataverse operation '${operationId}'`, name);
  const params = ev(def.inputs.parameters ?? {});
  if (!isObject(params)) throw new WdlEvalError('OpenApiConnection: inputs.parameters must be an object');
  const item: WdlObject = {};
  for (const [k, v] of Object.entries(params)) {
    if (k.startsWith('item/') && ITEM_OPERATIONS.has(operationId)) item[k.slice(5)] = v;
    else if (!allowed.includes(k)) throw new WdlUnsupportedError(`the parameter '${k}' of the Dataverse operation ${operationId}`, name);
  }
  const rc = isObject(def.runtimeConfiguration) ? def.runtimeConfiguration : {};
  let pageSize = DEFAULT_PAGE;
  if (rc.paginationPolicy !== undefined) {
    if (operationId !== 'ListRecords') throw new WdlUnsupportedError(`runtimeConfiguration.paginationPolicy on ${operationId}`, name);
    const min = isObject(rc.paginationPolicy) ? rc.paginationPolicy.minimumItemCount : undefined;
    if (typeof min !== 'number' || !Number.isInteger(min) || min < 1 || min > 100_000) throw new WdlEvalError('paginationPolicy.minimumItemCount must be an integer from 1 to 100000');
    pageSize = Math.max(min, DEFAULT_PAGE);
  }
  const inputs: WdlObject = { host, parameters: params };
  const schedule = retrySchedule(isObject(def.inputs) ? (ev(def.inputs.retryPolicy) ?? undefined) : undefined, name);
  let retries = 0;
  if (operationId === 'PerformBoundAction' || operationId === 'CreateRecord' || operationId === 'UpdateRecord' || operationId === 'UpdateOnlyRecord') {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (size > MESSAGE_SIZE_LIMIT) {
      throw new WdlEvalError(`the request of ${operationId} is ${size} bytes, over Power Automate's message size limit of ${MESSAGE_SIZE_LIMIT} bytes (100 MB)`);
    }
  }
  for (let attempt = 0; ; attempt++) {
    const turn = run.turn(clock);
    if (turn) await turn;
    run.stats.dataverseCalls++;
    try {
      const body = perform(run.options.store, operationId, params, item, pageSize, () => run.nextGuid('record'), run);
      const ops = operationRows(operationId, item, body);
      run.stats.dataverseOperations += ops;
      // With a pagination policy the connector reads 5,000-row pages; each page after the first is a request.
      const extraRequests = rc.paginationPolicy !== undefined ? Math.max(0, ops - 1) : 0;
      return { status: 'Succeeded', code: 'OK', inputs, outputs: { statusCode: 200, headers: {}, body }, retries, extraRequests };
    } catch (e) {
      if (!(e instanceof DataverseError)) throw e;
      if (isRetryable(e.status) && attempt < schedule.length) {
        clock.advanceMs(schedule[attempt]!);
        retries++;
        continue;
      }
      const reason = reasonOf(e.status);
      return {
        status: 'Failed',
        code: reason,
        inputs,
        outputs: { statusCode: e.status, headers: {}, body: { error: { code: e.code, message: e.message } } },
        error: { code: reason, message: e.message },
        retries,
      };
    }
  }
}

/** Rows the request operated on (docs/flow-runner.md): pages for a read, targets for a bulk message, else one. */
function operationRows(op: string, item: WdlObject, body: WdlValue): number {
  if (op === 'ListRecords') {
    const n = isObject(body) && Array.isArray(body.value) ? body.value.length : 0;
    return Math.max(1, Math.ceil(n / DEFAULT_PAGE));
  }
  if (op === 'PerformBoundAction' && Array.isArray(item.Targets)) return item.Targets.length;
  return 1;
}

function str(params: WdlObject, key: string, op: string): string {
  const v = params[key];
  if (typeof v !== 'string' || v === '') throw new WdlEvalError(`${op}: the parameter '${key}' must be a non-empty string`);
  return v;
}

function optStr(params: WdlObject, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  return toWdlString(v);
}

function perform(store: DataverseStore, op: string, params: WdlObject, item: WdlObject, pageSize: number, newId: () => string, run: FlowRun): WdlValue {
  switch (op) {
    case 'ListRecords': {
      const top = params.$top;
      if (top !== undefined && top !== null && (typeof top !== 'number' || !Number.isInteger(top) || top < 0)) {
        throw new WdlEvalError(`ListRecords: $top must be a non-negative integer, not ${JSON.stringify(top)}`);
      }
      const q: Parameters<DataverseStore['listRecords']>[1] = { pageSize };
      const select = optStr(params, '$select');
      const filter = optStr(params, '$filter');
      const orderby = optStr(params, '$orderby');
      const skipToken = optStr(params, '$skiptoken');
      if (select) q.select = select;
      if (filter) q.filter = filter;
      if (orderby) q.orderby = orderby;
      if (typeof top === 'number') q.top = top;
      if (skipToken) q.skipToken = skipToken;
      const expand = optStr(params, '$expand');
      if (expand) q.expand = expand;
      const entitySet = str(params, 'entityName', op);
      const r = store.listRecords(entitySet, q);
      const body: WdlObject = { value: r.value };
      if (r.nextSkipToken) body['@odata.nextLink'] = `local://dataverse/${entitySet}?$skiptoken=${encodeURIComponent(r.nextSkipToken)}`;
      return body;
    }
    case 'GetItem':
      return store.getItem(str(params, 'entityName', op), str(params, 'recordId', op), optStr(params, '$select'), optStr(params, '$expand'));
    case 'CreateRecord':
      return store.createRecord(str(params, 'entityName', op), item, newId());
    case 'UpdateRecord':
      return store.updateRecord(str(params, 'entityName', op), str(params, 'recordId', op), item);
    case 'UpdateOnlyRecord': {
      // "Update a row" without upsert: a missing row is Dataverse's 404.
      const entity = str(params, 'entityName', op);
      const id = str(params, 'recordId', op);
      store.getItem(entity, id, undefined);
      return store.updateRecord(entity, id, item);
    }
    case 'DeleteRecord':
      store.deleteRecord(str(params, 'entityName', op), str(params, 'recordId', op));
      return null;
    case 'PerformBoundAction': {
      const action = str(params, 'actionName', op).replace(/^Microsoft\.Dynamics\.CRM\./, '');
      if (!BULK_MESSAGES.has(action)) throw new WdlUnsupportedError(`the bound action '${action}' (CreateMultiple, UpdateMultiple and UpsertMultiple run locally)`);
      const keys = Object.keys(item);
      if (keys.length !== 1 || keys[0] !== 'Targets' || !Array.isArray(item.Targets)) throw new WdlEvalError(`${action} takes exactly 'item/Targets', an array of records`);
      const targets = item.Targets.map((t, i) => {
        if (!isObject(t)) throw new WdlEvalError(`${action}: Targets[${i}] must be an object`);
        return t;
      });
      const ids = store.bulk(str(params, 'entityName', op), action as BulkMessage, targets, newId);
      return { Ids: ids };
    }
    case 'PerformUnboundAction': {
      const action = str(params, 'actionName', op);
      if (action !== 'RetrieveEnvironmentVariableSecretValue') throw new WdlUnsupportedError(`the unbound action '${action}'`);
      const keys = Object.keys(item);
      if (keys.length !== 1 || keys[0] !== 'EnvironmentVariableName') throw new WdlEvalError("RetrieveEnvironmentVariableSecretValue takes exactly 'item/EnvironmentVariableName'");
      const secret = store.retrieveEnvironmentVariableSecretValue(toWdlString(item.EnvironmentVariableName!));
      run.secrets.add(secret);
      return { EnvironmentVariableSecretValue: secret };
    }
    default:
      throw new WdlUnsupportedError(`the Dataverse operation '${op}'`);
  }
}
