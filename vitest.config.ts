import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Only Node is needed here. Tests that run Debian's tools have their own
    // commands: npm run test:stack (Prometheus, Alertmanager, postgres_exporter,
    // PostgreSQL server binaries) and npm run test:browser (chromium).
    exclude: ['test/browser/**', 'test/stack/**', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/every-test-asserts.ts'],
    // Each file gets its own database cloned from a migrated template, so files run in parallel.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'silent' },
  },
});
