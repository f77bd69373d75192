import { defineConfig } from 'vitest/config';

const SERIAL_DB_TESTS = ['test/db/webhooks.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // Temporal servers and workers start slowly on a busy machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: ['test/serial/**', ...SERIAL_DB_TESTS] } },
      // Tests that change system-wide settings, or see every record's events (webhook
      // subscriptions take all records), run after the others, one file at a time. So do the
      // outbox's claims: every stack's worker would take their subscriptions' deliveries.
      {
        extends: true,
        test: {
          name: 'serial',
          include: ['test/serial/**/*.test.ts', ...SERIAL_DB_TESTS],
          sequence: { groupOrder: 1 },
          fileParallelism: false,
        },
      },
    ],
  },
});
