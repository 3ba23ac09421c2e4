import { defineConfig } from 'vitest/config';

/**
 * Tests of the observability stack and the backup round trip, which run the
 * system tools .ci/run installs from Debian (promtool, prometheus, amtool,
 * prometheus-postgres-exporter, PostgreSQL server binaries): npm run test:stack.
 * A missing tool fails the test (never a skip), so `npm test` leaves these out
 * and stays runnable with nothing but Node.
 */
export default defineConfig({
  test: {
    include: ['test/stack/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/every-test-asserts.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'silent' },
  },
});
