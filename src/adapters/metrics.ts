/**
 * Prometheus metrics of the worker: our own registry (prom-client) with the
 * five quant metrics, a small HTTP server that serves it on `/metrics`
 * together with the Temporal SDK runtime's own Prometheus text (the Rust core
 * exports it on a loopback port; we fetch and append it so one scrape target
 * gives both), and `/healthz` + `/readyz` for Kubernetes probes.
 *
 * Activities record through the `QuantMetrics` helpers they get as a
 * dependency; activity latency is recorded by `createActivityMetricsInterceptor`
 * and workflow outcomes by the workflow interceptor in
 * `metrics-workflow-interceptor.ts` through the `createMetricsSinks` sink, so
 * no workflow code touches I/O.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Context as ActivityContext } from '@temporalio/activity';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';

/** How a workflow run ended, as seen by the worker that ran its last task. */
export type WorkflowOutcome = 'completed' | 'failed' | 'cancelled' | 'continued_as_new' | 'task_failed';

/** Sink interface shared by the worker (injection) and the workflow interceptor (proxySinks). */
export type QuantMetricsSinks = {
  quantMetrics: {
    workflowRun(outcome: WorkflowOutcome): void;
  };
};

/** Seconds; activities range from a few ms (upserts) to minutes (fan-out loads, model inference). */
export const ACTIVITY_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Metric names: one home, used by the chart's dashboard and the tests. */
export const METRIC_NAMES = {
  contractsAnalyzed: 'quant_contracts_analyzed_total',
  workflowRuns: 'quant_workflow_runs_total',
  trades: 'quant_trades_total',
  dataQualityScore: 'quant_data_quality_score',
  activityDuration: 'quant_activity_duration_seconds',
} as const;

export interface QuantMetrics {
  readonly registry: Registry;
  readonly contractsAnalyzed: Counter;
  readonly workflowRuns: Counter<'workflow' | 'outcome'>;
  readonly trades: Counter;
  readonly dataQualityScore: Gauge<'dataset'>;
  readonly activityDuration: Histogram<'activity'>;
  /** Count analysed contracts (the `analyzeSymbol` save step). */
  recordContractsAnalyzed(n?: number): void;
  /** Count paper trades executed (the rebalance step). */
  recordTrades(n: number): void;
  /** Set the latest quality score (0..1) of a dataset; NaN or out-of-range scores are rejected. */
  recordDataQuality(dataset: string, score: number): void;
  /** Count a finished workflow run. */
  recordWorkflowRun(workflow: string, outcome: WorkflowOutcome): void;
}

export interface CreateMetricsOptions {
  /** Also export Node process metrics (heap, event-loop lag, CPU). Default true. */
  processMetrics?: boolean;
}

/**
 * A fresh registry with our metrics. One per worker process; tests make their own.
 *
 * @example
 *   const metrics = createMetrics();
 *   metrics.recordTrades(3);
 *   console.log(await metrics.registry.metrics());
 */
export function createMetrics(options: CreateMetricsOptions = {}): QuantMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const contractsAnalyzed = new Counter({
    name: METRIC_NAMES.contractsAnalyzed,
    help: 'Contracts analysed by analyzeSymbol runs (saved results).',
    registers: [registry],
  });
  const workflowRuns = new Counter({
    name: METRIC_NAMES.workflowRuns,
    help: 'Workflow runs finished on this worker, by workflow type and outcome.',
    labelNames: ['workflow', 'outcome'] as const,
    registers: [registry],
  });
  const trades = new Counter({
    name: METRIC_NAMES.trades,
    help: 'Paper trades executed by rebalance runs.',
    registers: [registry],
  });
  const dataQualityScore = new Gauge({
    name: METRIC_NAMES.dataQualityScore,
    help: 'Latest data-quality score (0..1, share of checks passed) per dataset.',
    labelNames: ['dataset'] as const,
    registers: [registry],
  });
  const activityDuration = new Histogram({
    name: METRIC_NAMES.activityDuration,
    help: 'Activity execution time on this worker (start to completion or failure), by activity type.',
    labelNames: ['activity'] as const,
    buckets: ACTIVITY_DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    contractsAnalyzed,
    workflowRuns,
    trades,
    dataQualityScore,
    activityDuration,
    recordContractsAnalyzed: (n = 1) => contractsAnalyzed.inc(n),
    recordTrades: (n) => {
      if (n > 0) trades.inc(n);
    },
    recordDataQuality: (dataset, score) => {
      if (!Number.isFinite(score) || score < 0 || score > 1) {
        throw new RangeError(`data quality score for ${dataset} must be in [0, 1], got ${score}`);
      }
      dataQualityScore.set({ dataset }, score);
    },
    recordWorkflowRun: (workflow, outcome) => workflowRuns.inc({ workflow, outcome }),
  };
}

/**
 * Activity interceptor factory that times every activity into
 * `quant_activity_duration_seconds{activity}` (successes and failures alike).
 *
 * @example
 *   Worker.create({ ..., interceptors: { activity: [createActivityMetricsInterceptor(metrics)] } });
 */
export function createActivityMetricsInterceptor(metrics: QuantMetrics): ActivityInterceptorsFactory {
  return (ctx: ActivityContext) => ({
    inbound: {
      async execute(input, next) {
        const stop = metrics.activityDuration.startTimer({ activity: ctx.info.activityType });
        try {
          return await next(input);
        } finally {
          stop();
        }
      },
    },
  });
}

/**
 * Worker-side sinks for the workflow metrics interceptor. Not called during
 * replay, so a run is counted once per completion (a retried workflow task
 * may count `task_failed` more than once, which is what that label is for).
 *
 * @example
 *   Worker.create({ ..., sinks: { ...createMetricsSinks(metrics) } });
 */
export function createMetricsSinks(metrics: QuantMetrics): InjectedSinks<QuantMetricsSinks> {
  return {
    quantMetrics: {
      workflowRun: {
        fn: (info: WorkflowInfo, outcome: WorkflowOutcome) => metrics.recordWorkflowRun(info.workflowType, outcome),
        callDuringReplay: false,
      },
    },
  };
}

/**
 * Absolute path of the workflow interceptor module (`.ts` from source, `.js`
 * from dist), for `bundleWorkflowCode({ workflowInterceptorModules })` and for
 * dev workers' `interceptors.workflowModules`.
 */
export function metricsWorkflowInterceptorModule(): string {
  // Probed rather than require.resolve'd: test runners that load `.ts` through
  // their own transform do not teach `require.resolve` the `.ts` extension.
  for (const ext of ['.js', '.ts']) {
    const candidate = join(__dirname, `metrics-workflow-interceptor${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`metrics-workflow-interceptor module not found next to ${__dirname}`);
}

/**
 * Where the Temporal SDK runtime exports its own metrics: loopback only
 * (SDK_METRICS_PORT, default next to ours), so the pod exposes a single
 * scrape port.
 *
 * @example
 *   const sdk = sdkMetricsEndpoint(config.worker.metricsPort, sdkMetricsPort(config));
 *   Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: sdk.bindAddress } } } });
 */
export function sdkMetricsEndpoint(metricsPort: number, port: number = metricsPort + 1): { bindAddress: string; url: string } {
  return { bindAddress: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}/metrics` };
}

export interface MetricsServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Default 127.0.0.1: the server has no authentication; the cluster sets METRICS_HOST=0.0.0.0 behind its NetworkPolicy. */
  host?: string;
  metrics: QuantMetrics;
  /** The SDK runtime's Prometheus endpoint, appended to `/metrics` when set. */
  sdkMetricsUrl?: string;
  /** Initial readiness; the worker flips it once it polls. Default false. */
  ready?: boolean;
  /**
   * Extra readiness (the worker's dependency monitor): /readyz answers 200
   * only when this says ready too. It must be cheap (a cached result).
   */
  readiness?: () => { ready: boolean; detail?: string };
}

export interface MetricsServer {
  readonly port: number;
  readonly url: string;
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

/**
 * Serve `/metrics`, `/healthz` (alive while the process serves) and `/readyz`
 * (200 once `setReady(true)` while `readiness` agrees, 503 before, while
 * draining and while a dependency is down).
 *
 * @example
 *   const server = await startMetricsServer({ port: 9464, metrics, sdkMetricsUrl: sdk.url });
 *   await worker.runUntil(async () => { server.setReady(true); ... });
 *   server.setReady(false);
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { metrics, sdkMetricsUrl } = options;
  let ready = options.ready ?? false;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const extra = options.readiness?.() ?? { ready: true };
      const ok = ready && extra.ready;
      const body = ok ? 'ready\n' : `not ready${!ready ? '' : extra.detail ? `: ${extra.detail}` : ''}\n`;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(body);
    } else if (path === '/metrics') {
      renderMetrics(metrics, sdkMetricsUrl).then(
        (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setReady: (value) => {
      ready = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Our registry's text followed by the SDK's; an unreachable SDK endpoint becomes a comment, not a failed scrape. */
async function renderMetrics(metrics: QuantMetrics, sdkMetricsUrl?: string): Promise<string> {
  const ours = await metrics.registry.metrics();
  if (!sdkMetricsUrl) return ours;
  try {
    const res = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const sdk = await res.text();
    return `${ours.endsWith('\n') ? ours : `${ours}\n`}${sdk}`;
  } catch (err) {
    return `${ours}# temporal sdk metrics unavailable (${sdkMetricsUrl}): ${(err as Error).message.replace(/\s+/g, ' ')}\n`;
  }
}
