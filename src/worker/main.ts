/**
 * The worker process (`quant worker`, the image's default command): load and
 * check the config (one message listing every bad setting), install the
 * runtime with JSON logs and Prometheus metrics, serve /metrics, /healthz and
 * /readyz, and poll the task queue until SIGTERM/SIGINT, then drain.
 */
import { Runtime } from '@temporalio/worker';
import { loadConfig } from '../config/load';
import { resolveEndpoints } from '../config/endpoints';
import { createJsonLogger } from '../adapters/logger';
import { createMetrics, sdkMetricsEndpoint, startMetricsServer } from '../adapters/metrics';
import { migrate } from '../adapters/postgres/migrate';
import { buildWorker } from './worker';

export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const endpoints = resolveEndpoints(config);
  const sdk = sdkMetricsEndpoint(config.worker.metricsPort);
  Runtime.install({
    logger: createJsonLogger({
      level: config.logLevel,
      secretValues: [endpoints.databaseUrl, config.objectStore.secretAccessKey],
      base: { service: 'quant-worker' },
    }),
    telemetryOptions: { metrics: { prometheus: { bindAddress: sdk.bindAddress } } },
  });
  const metrics = createMetrics();
  const server = await startMetricsServer({ port: config.worker.metricsPort, metrics, sdkMetricsUrl: sdk.url });
  const handle = await buildWorker({ config, temporalAddress: endpoints.temporalAddress, databaseUrl: endpoints.databaseUrl, metrics });
  // Migrations are idempotent and serialised by an advisory lock, so every worker may apply them.
  await migrate(handle.db);
  try {
    await handle.worker.runUntil(async () => {
      server.setReady(true);
      Runtime.instance().logger.info('worker polling', { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace });
      await new Promise<void>((resolve) => {
        for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve());
      });
      server.setReady(false);
    });
  } finally {
    await handle.close();
    await server.close();
  }
}
