/**
 * Two test projects. `unit` is pure code (src/domain, pure helpers) and needs no
 * services. `integration` runs against the real local stack (Temporal dev
 * server, embedded Postgres, filesystem store, MinIO), which the global setup
 * starts once per run and shares with every test file through env vars.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/domain/**/*.test.ts', 'src/reports/**/*.test.ts', 'src/config/**/*.test.ts', 'src/cli/**/*.unit.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.test.ts', 'workflows/**/*.test.ts', 'activities/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['src/domain/**', 'src/reports/**', 'src/config/**', 'src/cli/**/*.unit.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
          setupFiles: ['tests/per-file-database.mts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
