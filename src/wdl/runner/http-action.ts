import { isObject, toWdlString, WdlEvalError, WdlUnsupportedError, type WdlObject, type WdlValue } from '../values.js';
import type { Clock, FlowRun, Outcome } from './engine.js';
import { isRetryable, retrySchedule } from './retry.js';
import { RunAbortedError, type HttpRequest, type HttpResponse } from './types.js';

const HTTP_INPUT_KEYS = new Set(['method', 'uri', 'headers', 'queries', 'body', 'authentication', 'retryPolicy']);
const OAUTH_KEYS = new Set(['type', 'authority', 'tenant', 'audience', 'clientId', 'secret']);

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  408: 'RequestTimeout',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

export function reasonOf(status: number): string {
  return REASONS[status] ?? `Http${status}`;
}

/**
 * The Http action: method, uri, headers, queries, body; authentication ActiveDirectoryOAuth (client
 * credentials, v1 token endpoint `{authority}/{tenant}/oauth2/token` with `resource` = audience, token cached
 * until it expires on the virtual clock); retryPolicy on 408, 429, 5xx and transport failures.
 */
export async function runHttpAction(run: FlowRun, name: string, def: Record<string, unknown>, clock: Clock, ev: (v: unknown) => WdlValue): Promise<Outcome> {
  if (!isObject(def.inputs)) throw new WdlEvalError('Http needs inputs {method, uri}');
  for (const k of Object.keys(def.inputs)) if (!HTTP_INPUT_KEYS.has(k)) throw new WdlUnsupportedError(`the Http input '${k}'`, name);
  const opts = def.operationOptions === undefined ? '' : String(def.operationOptions);
  if (opts && opts.toLowerCase() !== 'disableasyncpattern') throw new WdlUnsupportedError(`operationOptions '${opts}' on an Http action`, name);
  const inputs = ev(def.inputs) as WdlObject;
  const method = String(inputs.method ?? '').toUpperCase();
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].includes(method)) throw new WdlEvalError(`Http: unknown method '${String(inputs.method)}'`);
  if (typeof inputs.uri !== 'string') throw new WdlEvalError('Http: inputs.uri must be a string');
  let url: URL;
  try {
    url = new URL(inputs.uri);
  } catch {
    throw new WdlEvalError(`Http: '${inputs.uri}' is not an absolute URI`);
  }
  if (isObject(inputs.queries)) for (const [k, v] of Object.entries(inputs.queries)) url.searchParams.append(k, toWdlString(v));
  const headers: Record<string, string> = {};
  if (isObject(inputs.headers)) for (const [k, v] of Object.entries(inputs.headers)) headers[k] = toWdlString(v);
  let body: string | undefined;
  if (inputs.body !== undefined && inputs.body !== null) {
    if (typeof inputs.body === 'string') body = inputs.body;
    else {
      body = JSON.stringify(inputs.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
  }
  const schedule = retrySchedule(inputs.retryPolicy, name);
  const recordedInputs: WdlObject = { method, uri: url.toString() };
  if (Object.keys(headers).length) recordedInputs.headers = { ...headers };
  if (inputs.body !== undefined) recordedInputs.body = inputs.body;
  if (inputs.authentication !== undefined) recordedInputs.authentication = inputs.authentication;

  let retries = 0;
  for (let attempt = 0; ; attempt++) {
    let auth: string | Outcome | undefined;
    if (inputs.authentication !== undefined && inputs.authentication !== null) {
      auth = await bearerToken(run, name, inputs.authentication, clock);
      if (typeof auth !== 'string') return { ...auth, inputs: recordedInputs, retries };
    }
    const reqHeaders = auth ? { ...headers, Authorization: `Bearer ${auth}` } : headers;
    let res: HttpResponse | undefined;
    let transportError: string | undefined;
    const turn = run.turn(clock);
    if (turn) await turn;
    run.stats.httpCalls++;
    try {
      const req: HttpRequest = { method, url: url.toString(), headers: reqHeaders, atMs: clock.t.ms };
      if (body !== undefined) req.body = body;
      res = await run.options.http(req);
      run.stats.bytesDownloaded += Buffer.byteLength(res.body);
    } catch (e) {
      if (e instanceof RunAbortedError) throw e;
      transportError = e instanceof Error ? e.message : String(e);
    }
    const retryable = res ? isRetryable(res.status) : true;
    if (retryable && attempt < schedule.length) {
      clock.advanceMs(schedule[attempt]!);
      retries++;
      continue;
    }
    if (!res) {
      return { status: 'Failed', code: 'BadGateway', inputs: recordedInputs, retries, error: { code: 'ConnectionFailure', message: `the request to ${url.origin} failed: ${transportError}` } };
    }
    if (res.status === 202 && headerOf(res.headers, 'location') && !opts) {
      throw new WdlUnsupportedError('the asynchronous 202 + Location polling pattern (set operationOptions to DisableAsyncPattern)', name);
    }
    const outputs: WdlObject = { statusCode: res.status, headers: { ...res.headers }, body: parseBody(res) };
    if (res.status >= 400) {
      const reason = reasonOf(res.status);
      return { status: 'Failed', code: reason, inputs: recordedInputs, outputs, retries, error: { code: reason, message: `The HTTP request returned ${res.status} (${reason}).` } };
    }
    return { status: 'Succeeded', code: reasonOf(res.status) === `Http${res.status}` ? 'OK' : reasonOf(res.status), inputs: recordedInputs, outputs, retries };
  }
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function parseBody(res: HttpResponse): WdlValue {
  if (res.body === '') return null;
  const ct = headerOf(res.headers, 'content-type') ?? '';
  if (/json/i.test(ct)) {
    try {
      return JSON.parse(res.body) as WdlValue;
    } catch {
      return res.body;
    }
  }
  return res.body;
}

/** Returns the access token, or a failed Outcome when the token endpoint refuses. */
async function bearerToken(run: FlowRun, name: string, authValue: WdlValue, clock: Clock): Promise<string | Outcome> {
  if (!isObject(authValue)) throw new WdlEvalError('Http: authentication must be an object');
  const type = String(authValue.type ?? '');
  if (type.toLowerCase() !== 'activedirectoryoauth') throw new WdlUnsupportedError(`Http authentication type '${type}'`, name);
  for (const k of Object.keys(authValue)) if (!OAUTH_KEYS.has(k)) throw new WdlUnsupportedError(`the ActiveDirectoryOAuth property '${k}' (only client id and secret are supported)`, name);
  const field = (k: string): string => {
    const v = authValue[k];
    if (typeof v !== 'string' || v === '') throw new WdlEvalError(`Http: authentication.${k} must be a non-empty string`);
    return v;
  };
  const authority = field('authority').replace(/\/+$/, '');
  const tenant = field('tenant');
  const audience = field('audience');
  const clientId = field('clientId');
  const secret = field('secret');
  run.secrets.add(secret);
  const key = `${authority}|${tenant}|${audience}|${clientId}|${secret}`;
  const cached = run.tokenCache.get(key);
  if (cached && cached.expiresMs - 5 * 60_000 > clock.t.ms) return cached.token;
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, resource: audience });
  const tokenUrl = `${authority}/${encodeURIComponent(tenant)}/oauth2/token`;
  const turn = run.turn(clock);
  if (turn) await turn;
  run.stats.httpCalls++;
  run.stats.tokenRequests++;
  let res: HttpResponse;
  try {
    res = await run.options.http({ method: 'POST', url: tokenUrl, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(), atMs: clock.t.ms });
    run.stats.bytesDownloaded += Buffer.byteLength(res.body);
  } catch (e) {
    if (e instanceof RunAbortedError) throw e;
    return { status: 'Failed', code: 'BadRequest', error: { code: 'BadRequest', message: `Http request failed as there is an error getting AD OAuth token: ${e instanceof Error ? e.message : String(e)}` } };
  }
  let parsed: WdlValue = null;
  try {
    parsed = JSON.parse(res.body) as WdlValue;
  } catch {
    parsed = res.body;
  }
  if (res.status !== 200 || !isObject(parsed) || typeof parsed.access_token !== 'string') {
    const desc = isObject(parsed) ? String(parsed.error_description ?? parsed.error ?? '') : String(parsed ?? '');
    return {
      status: 'Failed',
      code: 'BadRequest',
      outputs: { statusCode: res.status, headers: {}, body: parsed },
      error: { code: 'BadRequest', message: `Http request failed as there is an error getting AD OAuth token: '${desc}'.` },
    };
  }
  const token = parsed.access_token;
  run.secrets.add(token);
  const expiresIn = Number(parsed.expires_in ?? 3599);
  run.tokenCache.set(key, { token, expiresMs: clock.t.ms + (Number.isFinite(expiresIn) ? expiresIn : 3599) * 1000 });
  return token;
}
