import { defineConfig } from 'vitest/config';

/** Unit and integration tests: real SQLite files, real servers on 127.0.0.1. */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
