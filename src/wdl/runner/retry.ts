import { isObject, WdlEvalError, WdlUnsupportedError, type WdlValue } from '../values.js';
import { parseDuration } from './duration.js';

/** The delays (ms) before each retry an action may make; empty = no retry. */
export type RetrySchedule = number[];

/**
 * The engine's default policy, made deterministic: exponential, 4 retries, 7.5 s doubling per retry, each
 * delay clamped to [5 s, 45 s] → 7.5 s, 15 s, 30 s, 45 s. (The service picks a random delay around these.)
 */
export const DEFAULT_RETRY: RetrySchedule = [7500, 15000, 30000, 45000];

/** Builds the retry schedule of an action's `retryPolicy` (none, fixed, exponential; absent = default). */
export function retrySchedule(policy: WdlValue | undefined, action: string): RetrySchedule {
  if (policy === undefined || policy === null) return DEFAULT_RETRY;
  if (!isObject(policy)) throw new WdlEvalError('retryPolicy must be an object');
  const type = String(policy.type ?? '').toLowerCase();
  if (type === 'none') return [];
  const count = policy.count ?? 4;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 90) throw new WdlEvalError(`retryPolicy.count must be an integer from 1 to 90, not ${JSON.stringify(count)}`);
  if (type === 'fixed') {
    const interval = parseDuration(policy.interval ?? 'PT20S', 'retryPolicy.interval');
    return Array.from({ length: count }, () => interval);
  }
  if (type === 'exponential') {
    const interval = parseDuration(policy.interval ?? 'PT7.5S', 'retryPolicy.interval');
    const min = policy.minimumInterval === undefined ? 5000 : parseDuration(policy.minimumInterval, 'retryPolicy.minimumInterval');
    const max = policy.maximumInterval === undefined ? 86_400_000 : parseDuration(policy.maximumInterval, 'retryPolicy.maximumInterval');
    return Array.from({ length: count }, (_, i) => Math.min(max, Math.max(min, interval * 2 ** i)));
  }
  throw new WdlUnsupportedError(`retryPolicy type '${String(policy.type)}'`, action);
}

/** Status codes the engine retries: 408, 429 and 5xx (plus transport failures). */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
