import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // Temporal servers and workers start slowly on a busy machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: ['test/serial/**'] } },
      // Tests that change system-wide settings, or see every record's events (webhook
      // subscriptions take all records), run after the others, one file at a time.
      { extends: true, test: { name: 'serial', include: ['test/serial/**/*.test.ts'], sequence: { groupOrder: 1 }, fileParallelism: false } },
    ],
  },
});
