import { defineConfig } from 'vitest/config';

/** End-to-end tests: web mode driven in Debian's headless Chromium; Electron where it exists. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
