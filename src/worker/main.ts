/**
 * The worker process (`quant worker`, the image's default command): load and
 * check the config (one message listing every bad setting) and both listening
 * ports, install the runtime with JSON logs (the SDK core's own lines are
 * forwarded through the same logger) and Prometheus metrics, serve /metrics,
 * /healthz and /readyz (which follows a background check of Postgres and the
 * object store), and poll the task queue until SIGTERM/SIGINT, then drain
 * within WORKER_SHUTDOWN_GRACE_SECONDS (src/worker/shutdown.ts) and return.
 */
import { hostname } from 'node:os';
import { Runtime } from '@temporalio/worker';
import { Gauge } from 'prom-client';
import { ConfigError, loadConfig } from '../config/load';
import { sdkMetricsPort, type Config } from '../config/schema';
import { resolveEndpoints } from '../config/endpoints';
import { createJsonLogger } from '../adapters/logger';
import { createMetrics, sdkMetricsEndpoint, startMetricsServer } from '../adapters/metrics';
import { migrate } from '../adapters/postgres/migrate';
import type { ObjectStore } from '../adapters/object-store/types';
import { buildWorker } from './worker';
import { nextStopSignal, shutdownTimings } from './shutdown';
import { assertPortsFree } from './ports';
import { startDependencyMonitor } from './dependency-health';

/**
 * A cheap object-store round trip. The fs store writes a tiny marker (a
 * missing or unwritable folder is its outage; reading an absent key would
 * succeed), S3 asks for one key's head (any answer means the service is up).
 */
function objectStoreProbe(config: Config, store: ObjectStore): () => Promise<unknown> {
  const key = `_health/${hostname()}`;
  return config.objectStore.kind === 'fs' ? () => store.put(key, new Date().toISOString()) : () => store.exists(key);
}

export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const endpoints = resolveEndpoints(config);
  const sdkPort = sdkMetricsPort(config);
  await assertPortsFree([
    { setting: 'METRICS_PORT', host: config.worker.metricsHost, port: config.worker.metricsPort },
    { setting: 'SDK_METRICS_PORT', host: '127.0.0.1', port: sdkPort },
  ]);
  const sdk = sdkMetricsEndpoint(config.worker.metricsPort, sdkPort);
  Runtime.install({
    logger: createJsonLogger({
      level: config.logLevel,
      secretValues: [endpoints.databaseUrl, config.objectStore.secretAccessKey],
      base: { service: 'quant-worker' },
    }),
    telemetryOptions: {
      // Forwarded, the SDK core's lines come out as JSON through the logger above (by default it prints plain text).
      logging: { forward: {}, filter: { core: config.logLevel.toUpperCase() as 'INFO', other: 'ERROR' } },
      metrics: { prometheus: { bindAddress: sdk.bindAddress } },
    },
  });
  const log = Runtime.instance().logger;
  const metrics = createMetrics();
  const handle = await buildWorker({ config, temporalAddress: endpoints.temporalAddress, databaseUrl: endpoints.databaseUrl, metrics });
  // Read when scraped (the SDK's own slot gauges are exported on an interval), so a drain
  // drill or an operator sees what runs at this moment.
  new Gauge({
    name: 'quant_worker_activities_in_flight',
    help: 'Activities this worker is running now',
    registers: [metrics.registry],
    collect() {
      this.set(handle.worker.getStatus().numInFlightActivities);
    },
  });
  const dependencies = startDependencyMonitor({
    log,
    checks: [
      { name: 'postgres', check: () => handle.db.query('SELECT 1') },
      { name: 'objectStore', check: objectStoreProbe(config, handle.store) },
    ],
  });
  const server = await startMetricsServer({
    port: config.worker.metricsPort,
    host: config.worker.metricsHost,
    metrics,
    sdkMetricsUrl: sdk.url,
    readiness: () => ({
      ready: dependencies.ready(),
      detail: Object.entries(dependencies.states())
        .filter(([, s]) => !s?.ok)
        .map(([name, s]) => `${name} ${s ? `down since ${s.since}` : 'not checked yet'}`)
        .join(', '),
    }),
  }).catch((err: NodeJS.ErrnoException) => {
    // Taken between the check above and now: still name the setting, not a bare EADDRINUSE.
    if (err.code === 'EADDRINUSE')
      throw new ConfigError([
        `METRICS_PORT: cannot listen on ${config.worker.metricsHost}:${config.worker.metricsPort} (EADDRINUSE: another process uses it; choose a free port)`,
      ]);
    throw err;
  });
  const { hardExitMs } = shutdownTimings(config.worker.shutdownGraceSeconds);
  let stopAt = 0;
  try {
    // Migrations are idempotent and serialised by an advisory lock, so every worker may apply them.
    await migrate(handle.db);
    await handle.worker.runUntil(async () => {
      server.setReady(true);
      log.info('worker polling', { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, pid: process.pid });
      const signal = await nextStopSignal();
      stopAt = Date.now();
      server.setReady(false);
      log.info('worker draining', {
        signal,
        graceSeconds: config.worker.shutdownGraceSeconds,
        activitiesInFlight: handle.worker.getStatus().numInFlightActivities,
      });
      // The grace period is an upper bound: whatever still runs then is abandoned (Temporal retries it elsewhere).
      setTimeout(() => {
        log.error('worker shutdown grace expired; exiting with work still running', { graceSeconds: config.worker.shutdownGraceSeconds });
        process.exit(1);
      }, hardExitMs).unref();
    });
    log.info('worker drained', { seconds: stopAt ? (Date.now() - stopAt) / 1000 : 0 });
  } finally {
    dependencies.stop();
    await handle.close();
    await server.close();
  }
}
