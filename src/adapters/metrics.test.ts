/**
 * The metrics registry and server: Prometheus text exposition of our five
 * metrics, the SDK text appended from its endpoint, the probe endpoints, and
 * the activity interceptor's timing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Context as ActivityContext } from '@temporalio/activity';
import {
  createActivityMetricsInterceptor,
  createMetrics,
  createMetricsSinks,
  METRIC_NAMES,
  metricsWorkflowInterceptorModule,
  sdkMetricsEndpoint,
  startMetricsServer,
  type MetricsServer,
} from './metrics';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function serve(options: Parameters<typeof startMetricsServer>[0]): Promise<MetricsServer> {
  const server = await startMetricsServer({ host: '127.0.0.1', ...options });
  closers.push(() => server.close());
  return server;
}

/** A stand-in for the Temporal runtime's Prometheus exporter. */
async function fakeSdkExporter(body: string): Promise<string> {
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe('createMetrics', () => {
  it('exposes all five metrics in Prometheus text format with HELP and TYPE lines', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.recordContractsAnalyzed(3);
    metrics.recordTrades(7);
    metrics.recordDataQuality('synthetic', 0.98);
    metrics.recordWorkflowRun('ingest', 'completed');
    metrics.recordWorkflowRun('ingest', 'failed');
    metrics.activityDuration.observe({ activity: 'fetchPrices' }, 0.3);
    const text = await metrics.registry.metrics();

    expect(text).toContain('# TYPE quant_contracts_analyzed_total counter');
    expect(text).toMatch(/^quant_contracts_analyzed_total 3$/m);
    expect(text).toMatch(/^quant_trades_total 7$/m);
    expect(text).toContain('# TYPE quant_data_quality_score gauge');
    expect(text).toMatch(/^quant_data_quality_score\{dataset="synthetic"\} 0\.98$/m);
    expect(text).toMatch(/^quant_workflow_runs_total\{workflow="ingest",outcome="completed"\} 1$/m);
    expect(text).toMatch(/^quant_workflow_runs_total\{workflow="ingest",outcome="failed"\} 1$/m);
    expect(text).toContain('# TYPE quant_activity_duration_seconds histogram');
    expect(text).toMatch(/^quant_activity_duration_seconds_bucket\{le="0\.25",activity="fetchPrices"\} 0$/m);
    expect(text).toMatch(/^quant_activity_duration_seconds_bucket\{le="0\.5",activity="fetchPrices"\} 1$/m);
    expect(text).toMatch(/^quant_activity_duration_seconds_bucket\{le="\+Inf",activity="fetchPrices"\} 1$/m);
    expect(text).toMatch(/^quant_activity_duration_seconds_count\{activity="fetchPrices"\} 1$/m);
    for (const name of Object.values(METRIC_NAMES)) expect(text).toContain(`# HELP ${name} `);
    // Every sample line is `name{labels} value`: the exposition format Prometheus parses.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfNa]+$/);
    }
  });

  it('rejects a data-quality score outside [0, 1] naming the dataset', () => {
    const metrics = createMetrics({ processMetrics: false });
    expect(() => metrics.recordDataQuality('yahoo', 1.5)).toThrow(/yahoo/);
    expect(() => metrics.recordDataQuality('yahoo', Number.NaN)).toThrow(/yahoo/);
  });

  it('keeps registries apart so two workers in one test process do not collide', async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.recordTrades(2);
    expect(await b.registry.metrics()).toMatch(/^quant_trades_total 0$/m);
  });
});

describe('createActivityMetricsInterceptor', () => {
  it('times successful and failing activities by activity type', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const factory = createActivityMetricsInterceptor(metrics);
    const ctx = { info: { activityType: 'saveResults' } } as unknown as ActivityContext;
    const inbound = factory(ctx).inbound!;
    const input = { args: [], headers: {} };
    await expect(inbound.execute!(input, async () => 'ok')).resolves.toBe('ok');
    await expect(
      inbound.execute!(input, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^quant_activity_duration_seconds_count\{activity="saveResults"\} 2$/m);
  });
});

describe('createMetricsSinks', () => {
  it('counts runs by workflow type and is not called during replay', () => {
    const metrics = createMetrics({ processMetrics: false });
    const sinks = createMetricsSinks(metrics);
    expect(sinks.quantMetrics.workflowRun.callDuringReplay).toBe(false);
    void sinks.quantMetrics.workflowRun.fn({ workflowType: 'screen' } as never, 'completed');
    return metrics.registry.metrics().then((text) => {
      expect(text).toMatch(/^quant_workflow_runs_total\{workflow="screen",outcome="completed"\} 1$/m);
    });
  });

  it('points at a workflow interceptor module that exists', () => {
    expect(metricsWorkflowInterceptorModule()).toMatch(/metrics-workflow-interceptor\.(ts|js)$/);
  });
});

describe('startMetricsServer', () => {
  it('serves our metrics, then the SDK text, plus liveness and readiness', async () => {
    const metrics = createMetrics();
    metrics.recordContractsAnalyzed();
    const sdkUrl = await fakeSdkExporter(
      '# HELP temporal_workflow_task_schedule_to_start_latency x\n# TYPE temporal_workflow_task_schedule_to_start_latency histogram\ntemporal_workflow_task_schedule_to_start_latency_count 4\n',
    );
    const server = await serve({ port: 0, metrics, sdkMetricsUrl: sdkUrl });

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    for (const name of Object.values(METRIC_NAMES)) expect(body).toContain(`# TYPE ${name} `);
    expect(body).toContain('process_cpu_user_seconds_total');
    expect(body).toMatch(/^temporal_workflow_task_schedule_to_start_latency_count 4$/m);
    expect(body.indexOf('quant_contracts_analyzed_total')).toBeLessThan(body.indexOf('temporal_workflow_task'));

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    server.setReady(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.setReady(false);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('still serves our metrics when the SDK endpoint is down', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const server = await serve({ port: 0, metrics, sdkMetricsUrl: 'http://127.0.0.1:9/metrics', ready: true });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('quant_trades_total 0');
    expect(body).toContain('# temporal sdk metrics unavailable');
  });

  it('puts the SDK exporter on loopback, next to our port unless SDK_METRICS_PORT says otherwise', () => {
    expect(sdkMetricsEndpoint(9464)).toEqual({ bindAddress: '127.0.0.1:9465', url: 'http://127.0.0.1:9465/metrics' });
    expect(sdkMetricsEndpoint(65535, 9000)).toEqual({ bindAddress: '127.0.0.1:9000', url: 'http://127.0.0.1:9000/metrics' });
  });

  it('listens on loopback only unless a host is given (it has no authentication)', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    const server = await startMetricsServer({ port: 0, metrics: createMetrics({ processMetrics: false }) });
    closers.push(() => server.close());
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    if (external) await expect(fetch(`http://${external}:${server.port}/healthz`)).rejects.toThrow();
    const open = await startMetricsServer({ port: 0, host: '0.0.0.0', metrics: createMetrics({ processMetrics: false }) });
    closers.push(() => open.close());
    if (external) expect((await fetch(`http://${external}:${open.port}/healthz`)).status).toBe(200);
  });
});
