import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A temporary directory of the run's own, checked empty at the end (nothing left behind by any test).
    globalSetup: ['test/global-setup.ts'],
    // End-to-end tests spawn the built CLI and loopback servers; keep the pool small on 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
