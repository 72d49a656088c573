/**
 * Time as the API room sees it: `now()` in epoch milliseconds and `sleep(ms)`. The core never reads the system
 * clock itself; the CLI passes systemClock(), tests pass a virtual clock whose sleeps advance time instantly.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
}

/** A clock that starts at `start` and moves only when someone sleeps (or `advance` is called). */
export function virtualClock(start: number): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
      await Promise.resolve();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
