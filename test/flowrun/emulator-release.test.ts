import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { startLocalEmulator } from '../../src/flowrun/emulator-http.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Starts a local emulator, keeps only a weak reference to its seeded records, and closes it. */
async function seededAfterClose(): Promise<WeakRef<object>> {
  const local = await startLocalEmulator(Date.parse('2026-01-05T00:00:00Z'), { seed: 3, hours: 2, eventsPerHour: 50 });
  const ref = new WeakRef(local.emulator.seeded);
  expect(local.emulator.seeded.events.length).toBeGreaterThan(0);
  await local.close();
  return ref;
}

describe('startLocalEmulator', () => {
  // flow simulate --compare runs two simulations one after the other: the first one's records (a tenant profile's
  // day is gigabytes) must be garbage once its close() has returned, before the second seeds its own.
  it('holds nothing of its seeded records once close() has returned', async () => {
    const ref = await seededAfterClose();
    gc();
    expect(ref.deref()).toBeUndefined();
  });
});
