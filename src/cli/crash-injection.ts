import { setFaultHook, type FaultOp } from '../io/index.js';

/** The test-only variable: `rename:3` kills the process just before its 3rd publishing rename, `write:10` before its 10th output write. */
export const CRASH_AT_VARIABLE = 'COE_AUDIT_TEST_CRASH_AT';

/**
 * Parses COE_AUDIT_TEST_CRASH_AT (`<rename|write>:<k>`, k ≥ 1). Anything else is ignored: the variable exists only
 * for crash tests, which run the built CLI as a child process, and must never change a normal run.
 */
export function parseCrashAt(value: string | undefined): { op: FaultOp; at: number } | undefined {
  const m = /^(rename|write):([1-9]\d{0,8})$/.exec(value ?? '');
  return m ? { op: m[1] as FaultOp, at: Number(m[2]) } : undefined;
}

/** Installs the crash hook from the environment: SIGKILL at the k-th fault point of the kind, like a power cut. */
export function installCrashInjection(env: NodeJS.ProcessEnv, kill: () => void = () => process.kill(process.pid, 'SIGKILL')): void {
  const spec = parseCrashAt(env[CRASH_AT_VARIABLE]);
  if (!spec) return;
  let seen = 0;
  setFaultHook((op) => {
    if (op === spec.op && ++seen === spec.at) kill();
  });
}
