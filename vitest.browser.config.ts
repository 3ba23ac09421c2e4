import { defineConfig } from 'vitest/config';

/** The console in a real browser (Debian's /usr/bin/chromium driven by playwright-core): npm run test:browser. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/every-test-asserts.ts'],
    pool: 'forks',
    // One browser at a time: the machine is shared.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'silent', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  },
});
