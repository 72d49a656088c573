/**
 * Fault points for crash tests. The core calls `faultPoint('rename')` just before every rename that publishes
 * output and `faultPoint('write')` before every write of output bytes; by default nothing happens. The CLI entry
 * point installs a hook from the test-only variable COE_AUDIT_TEST_CRASH_AT (see docs/limits.md) that kills the
 * process at the k-th such operation, so tests can prove what a crash at each step leaves behind.
 */
export type FaultOp = 'rename' | 'write';

let hook: ((op: FaultOp) => void) | undefined;

/** Installs (or, with undefined, removes) the hook called at every fault point. */
export function setFaultHook(h: ((op: FaultOp) => void) | undefined): void {
  hook = h;
}

export function faultPoint(op: FaultOp): void {
  hook?.(op);
}
