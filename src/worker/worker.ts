/**
 * Build a worker: real clients (Postgres pool, object store), the activities
 * that close over them, and the Temporal Worker on our task queue. Used by
 * `quant worker`, the demo, the benchmarks and the tests, so all of them run
 * the same code. Production loads the prebuilt workflow bundle; development
 * bundles from `workflows/` at start.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { Config } from '../config/schema';
import { createObjectStore, type S3ObjectStore } from '../adapters/object-store';
import type { ObjectStore } from '../adapters/object-store/types';
import { createPool, type Db } from '../adapters/postgres/pool';
import { createFanoutRepo } from '../adapters/postgres/fanout-repo';
import { createMarketDataRepo } from '../adapters/postgres/market-data-repo';
import { createFeatureStoreRepo } from '../adapters/postgres/feature-store-repo';
import { createUniverseRepo } from '../adapters/postgres/universe-repo';
import { createModelPerformanceRepo, createModelRunRepo } from '../adapters/postgres/model-run-repo';
import { createModelRepo } from '../adapters/postgres/model-repo';
import { createTrackingRepo } from '../adapters/postgres/tracking-repo';
import { createTracker } from '../adapters/tracking';
import { createNotifier, createWebhookOnlyNotifier } from '../adapters/notify/notifier';
import { createOutageWindowInterceptor } from './outage-window';
import { createLivenessHeartbeatInterceptor } from './liveness-heartbeat';
import { buildDailyDeps, buildMonitorBacktestDeps } from './daily-deps';
import { buildTradingDeps } from './trading-deps';
import { buildStrategiesDeps } from './strategies-deps';
import type { PaperBroker } from '../adapters/broker/paper';
import { shutdownTimings } from './shutdown';
import { createPortfolioRepo } from '../adapters/postgres/portfolio-repo';
import { analysisParameters } from '../domain/symbol-analysis';
import {
  createMetrics,
  createActivityMetricsInterceptor,
  createMetricsSinks,
  metricsWorkflowInterceptorModule,
  type QuantMetrics,
} from '../adapters/metrics';

export interface WorkerHandle {
  worker: Worker;
  connection: NativeConnection;
  db: Db;
  store: ObjectStore;
  /** Close the pool and the connection after the worker has stopped. */
  close(): Promise<void>;
}

export interface BuildWorkerOptions {
  config: Config;
  temporalAddress: string;
  databaseUrl: string;
  metrics?: QuantMetrics;
  /** Overrides config.worker.workflowBundlePath (tests pass a bundle built once). */
  workflowBundlePath?: string;
  /**
   * Called inside the rebalance booking transaction before its commit. Only
   * the exactly-once crash test passes one (tests/rebalance-crash-worker.ts);
   * `quant worker` never does.
   */
  beforeRebalanceCommit?: (date: string) => Promise<void>;
  /** Extra Worker options (tests shorten shutdown). */
  overrides?: Partial<WorkerOptions>;
  /** Wrap the strategies' paper venue (tests: a venue that refuses one symbol, to exercise a pair's unwind). */
  wrapDeskBroker?: (broker: PaperBroker) => PaperBroker;
}

/** workflows/index.ts from source, index.js from dist; probed because test runners' require.resolve skips .ts. */
export function workflowsPath(): string {
  for (const ext of ['.ts', '.js']) {
    const candidate = join(__dirname, '..', '..', 'workflows', `index${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`workflows/index not found above ${__dirname}`);
}

export async function buildWorker(opts: BuildWorkerOptions): Promise<WorkerHandle> {
  const { config } = opts;
  const metrics = opts.metrics ?? createMetrics({ processMetrics: false });
  const db = createPool(opts.databaseUrl, Math.min(50, config.worker.maxConcurrentActivities + 4));
  const store = createObjectStore(config);
  // MinIO/S3: the bucket must exist before the first put; creating it is idempotent.
  if ('ensureBucket' in store) await (store as S3ObjectStore).ensureBucket();
  const daily = buildDailyDeps(config, db, store);
  const trading = buildTradingDeps(config, db, store);
  const activities = createActivities({
    ...daily.deps,
    ...buildMonitorBacktestDeps(config, db),
    ...trading.deps,
    ...buildStrategiesDeps(config, db, opts.wrapDeskBroker),
    store,
    repo: createFanoutRepo(db),
    marketDataRepo: createMarketDataRepo(db),
    featureStore: createFeatureStoreRepo(db),
    universe: createUniverseRepo(db),
    modelRuns: createModelRunRepo(db),
    modelPerformance: createModelPerformanceRepo(db),
    modelSettings: config.models,
    modelRegistry: createModelRepo(db),
    tracker: createTracker(config.tracking),
    notifier: createNotifier(config.alerts, Runtime.instance().logger),
    haltAlerts: createWebhookOnlyNotifier(config.alerts, Runtime.instance().logger),
    trackingLog: createTrackingRepo(db),
    // One provider instance (one rate limiter, one Yahoo session) for WF1's bars and WF3's fundamentals.
    marketDataProvider: daily.deps.marketData,
    ingestSettings: {
      maxSpreadBps: config.marketData.maxSpreadBps,
      staleAfterDays: config.marketData.staleAfterDays,
      backfillChunkDays: config.marketData.backfillChunkDays,
    },
    portfolio: createPortfolioRepo(db),
    portfolioSettings: config.portfolio,
    beforeRebalanceCommit: opts.beforeRebalanceCommit,
    analysis: analysisParameters(config.fanout.thresholds),
    onContractAnalyzed: () => metrics.recordContractsAnalyzed(1),
    onDataQuality: (dataset, score) => metrics.recordDataQuality(dataset, score),
  });
  const connection = await NativeConnection.connect({ address: opts.temporalAddress });
  const bundlePath = opts.workflowBundlePath ?? config.worker.workflowBundlePath;
  const stopping = shutdownTimings(config.worker.shutdownGraceSeconds);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: workflowsPath() }),
    // The bundle always carries the metrics interceptor, so its sink is always registered.
    sinks: createMetricsSinks(metrics),
    interceptors: {
      // Outermost first: metrics see the final outcome, the outage window sees every attempt's error.
      activity: [
        createActivityMetricsInterceptor(metrics),
        createOutageWindowInterceptor(config.worker.retryOutageWindowSeconds * 1000),
        createLivenessHeartbeatInterceptor(),
      ],
      ...(bundlePath ? {} : { workflowModules: [metricsWorkflowInterceptorModule()] }),
    },
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    // One budget for both kinds: the fan-out child's steps are local activities, and the SDK's default of
    // 100 local ones at once held 100 contracts' arrays in memory on a worker sized for `maxConcurrentActivities`.
    maxConcurrentLocalActivityExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    shutdownGraceTime: stopping.graceTimeMs,
    shutdownForceTime: stopping.forceTimeMs,
    ...opts.overrides,
  });
  return {
    worker,
    connection,
    db,
    store,
    async close() {
      await daily.close().catch(() => undefined);
      await trading.close().catch(() => undefined);
      await db.end().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
