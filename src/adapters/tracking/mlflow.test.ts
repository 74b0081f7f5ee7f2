/**
 * The MLflow adapter against a real `mlflow server` (installed from PyPI into
 * a cached venv, src/stack/mlflow.ts), checked through MLflow's own REST API:
 * a run with its params (flattened), metric series with steps, tags and
 * artifacts; the same key logged twice is one run with each point once;
 * model versions created in our order with our version tags, and a status
 * change carried to an existing version; an unreachable server named in the
 * error. Skips, saying why, only where MLflow cannot be installed (CI sets
 * QUANT_REQUIRE_MLFLOW=1, so there it cannot skip).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMlflowOrReason, type RunningMlflow } from '../../stack/mlflow';
import { freePort } from '../../stack/free-port';
import { createMlflowTracker, flattenParams, MlflowError, proxiedArtifactPath } from './mlflow';
import type { TrackedRun } from './types';

let mlflow: RunningMlflow | undefined;
let unavailable = '';
beforeAll(async () => {
  const started = await startTestMlflowOrReason({ log: (m) => process.stderr.write(`[mlflow] ${m}\n`) });
  if ('unavailable' in started) unavailable = started.unavailable;
  else mlflow = started;
}, 600_000);
afterAll(async () => {
  await mlflow?.stop();
});

/** GET/POST MLflow's REST API directly: the independent view of what the adapter stored. */
async function rest(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${mlflow!.trackingUri}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return res.json();
}

const T0 = Date.UTC(2024, 2, 1);

function sampleRun(key: string): TrackedRun {
  return {
    experiment: 'quant/test-model',
    key,
    name: 'test run 2024-03-01',
    startTime: T0,
    endTime: T0 + 1500,
    params: { kind: 'enhancedMomentum', weights: { technical: 0.3, sentiment: 0.3 }, symbols: ['AAPL', 'MSFT'], unused: undefined },
    metrics: [
      { key: 'signals', value: 49 },
      { key: 'equity', value: 100, step: 0, timestamp: T0 },
      { key: 'equity', value: 101.5, step: 1, timestamp: T0 + 86_400_000 },
      { key: 'sharpe', value: Number.NaN },
    ],
    tags: { 'quant.kind': 'model_run' },
    artifacts: [
      { path: 'report.md', body: '# Report\n\nok\n', contentType: 'text/markdown' },
      { path: 'charts/curve.svg', body: '<svg xmlns="http://www.w3.org/2000/svg"/>', contentType: 'image/svg+xml' },
    ],
  };
}

describe('flattenParams / proxiedArtifactPath (no server)', () => {
  it('flattens nested params to sorted dotted keys, arrays as JSON, undefined dropped', () => {
    expect(flattenParams({ b: { y: 1, x: 'a' }, a: [1, 2], c: null, d: undefined, e: true })).toEqual([
      { key: 'a', value: '[1,2]' },
      { key: 'b.x', value: 'a' },
      { key: 'b.y', value: '1' },
      { key: 'c', value: 'null' },
      { key: 'e', value: 'true' },
    ]);
  });
  it('reads the proxy path of mlflow-artifacts URIs and nothing else', () => {
    expect(proxiedArtifactPath('mlflow-artifacts:/3/abc/artifacts')).toBe('3/abc/artifacts');
    expect(proxiedArtifactPath('mlflow-artifacts://host:5000/3/abc/artifacts/')).toBe('3/abc/artifacts');
    expect(proxiedArtifactPath('s3://bucket/3/abc/artifacts')).toBeUndefined();
  });
});

describe('MLflow tracker (real mlflow server)', () => {
  it('logs a run: params flattened, metric series with steps, tags, artifacts, FINISHED', async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    const tracker = createMlflowTracker({ trackingUri: mlflow.trackingUri });
    const logged = await tracker.logRun(sampleRun('model-run:test-model@1:2024-03-01'));
    expect(logged.url).toBe(`${mlflow.trackingUri}/#/experiments/${logged.experimentId}/runs/${logged.runId}`);

    const { run } = await rest(`/api/2.0/mlflow/runs/get?run_id=${logged.runId}`);
    expect(run.info.status).toBe('FINISHED');
    expect(run.info.run_name).toBe('test run 2024-03-01');
    expect(Number(run.info.end_time)).toBe(T0 + 1500);
    const params = Object.fromEntries(run.data.params.map((p: { key: string; value: string }) => [p.key, p.value]));
    expect(params).toEqual({
      kind: 'enhancedMomentum',
      'weights.technical': '0.3',
      'weights.sentiment': '0.3',
      symbols: '["AAPL","MSFT"]',
    });
    const tags = Object.fromEntries(run.data.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
    expect(tags['quant.kind']).toBe('model_run');
    expect(tags['quant.key']).toBe('model-run:test-model@1:2024-03-01');
    // NaN is not sent; the latest value of each metric is what MLflow shows.
    const latest = Object.fromEntries(run.data.metrics.map((m: { key: string; value: number }) => [m.key, m.value]));
    expect(latest).toEqual({ signals: 49, equity: 101.5 });
    const history = await rest(`/api/2.0/mlflow/metrics/get-history?run_id=${logged.runId}&metric_key=equity`);
    expect(history.metrics.map((m: { step: number; value: number }) => [Number(m.step), m.value])).toEqual([
      [0, 100],
      [1, 101.5],
    ]);

    const listed = await rest(`/api/2.0/mlflow/artifacts/list?run_id=${logged.runId}&path=charts`);
    expect(listed.files.map((f: { path: string }) => f.path)).toEqual(['charts/curve.svg']);
    const path = proxiedArtifactPath(run.info.artifact_uri);
    const report = await fetch(`${mlflow.trackingUri}/api/2.0/mlflow-artifacts/artifacts/${path}/report.md`);
    expect(await report.text()).toBe('# Report\n\nok\n');
  });

  it('logging the same key again updates that run: one run, each metric point once', async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    const tracker = createMlflowTracker({ trackingUri: mlflow.trackingUri });
    const a = await tracker.logRun(sampleRun('model-run:test-model@1:2024-03-04'));
    // A fresh client (no cached experiment id), as a retry on another worker would be.
    const b = await createMlflowTracker({ trackingUri: mlflow.trackingUri }).logRun(sampleRun('model-run:test-model@1:2024-03-04'));
    expect(b.runId).toBe(a.runId);
    const found = await rest('/api/2.0/mlflow/runs/search', {
      experiment_ids: [a.experimentId],
      filter: "tags.`quant.key` = 'model-run:test-model@1:2024-03-04'",
    });
    expect(found.runs).toHaveLength(1);
    const history = await rest(`/api/2.0/mlflow/metrics/get-history?run_id=${a.runId}&metric_key=equity`);
    expect(history.metrics).toHaveLength(2);
  });

  it('logs 20 runs at once without stalling the server (its SQLite store hangs on concurrent writes)', async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    // One client, as one worker's 20 model runs of a day share it. Without the in-flight limit, this stalled
    // MLflow 3.17's SQLite-backed server until every write timed out (and left it stuck).
    const tracker = createMlflowTracker({ trackingUri: mlflow.trackingUri });
    const runs = Array.from({ length: 20 }, (_, i) => ({ ...sampleRun(`burst:${i}`), experiment: 'quant/burst', artifacts: [] }));
    const logged = await Promise.all(runs.map((r) => tracker.logRun(r)));
    expect(new Set(logged.map((l) => l.runId)).size).toBe(20);
    const exp = await rest(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=quant%2Fburst`);
    const found = await rest('/api/2.0/mlflow/runs/search', { experiment_ids: [exp.experiment.experiment_id], max_results: 100 });
    expect(found.runs.filter((r: { info: { status: string } }) => r.info.status === 'FINISHED')).toHaveLength(20);
  });

  it('registers model versions in our order with our version tags, once, and carries a status change', async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    const tracker = createMlflowTracker({ trackingUri: mlflow.trackingUri });
    const v = (version: number, status: string) => ({
      name: 'sync-model',
      version,
      kind: 'enhancedMomentum',
      status,
      config: { rsiPeriod: 14 + version },
      createdAt: T0 + version,
    });
    // Given out of order: they are still created 1, 2.
    expect(await tracker.syncModelVersions([v(2, 'active'), v(1, 'active')])).toEqual({ created: 2 });
    expect(await tracker.syncModelVersions([v(1, 'retired'), v(2, 'active')])).toEqual({ created: 0 });
    const { model_versions } = await rest(`/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent("name='sync-model'")}`);
    const byVersion = Object.fromEntries(
      model_versions.map((m: { version: string; tags: { key: string; value: string }[]; run_id: string }) => [
        m.version,
        { ...Object.fromEntries(m.tags.map((t) => [t.key, t.value])), run: m.run_id },
      ]),
    );
    expect(Object.keys(byVersion).sort()).toEqual(['1', '2']);
    expect(byVersion['1']).toMatchObject({ 'quant.version': '1', 'quant.status': 'retired', 'quant.kind': 'enhancedMomentum' });
    expect(byVersion['2']).toMatchObject({ 'quant.version': '2', 'quant.status': 'active' });
    // Each version's source run holds its config.
    const { run } = await rest(`/api/2.0/mlflow/runs/get?run_id=${byVersion['2'].run}`);
    expect(run.data.params).toContainEqual({ key: 'config.rsiPeriod', value: '16' });
  });
});

describe('MLflow tracker failures', () => {
  it('names the endpoint and the address when the server is unreachable', async () => {
    const port = await freePort();
    const tracker = createMlflowTracker({ trackingUri: `http://127.0.0.1:${port}`, requestTimeoutMs: 2000 });
    const err = await tracker.logRun(sampleRun('k')).catch((e) => e);
    expect(err).toBeInstanceOf(MlflowError);
    expect(err.message).toMatch(
      new RegExp(`MLflow GET /api/2.0/mlflow/experiments/get-by-name: unreachable at http://127.0.0.1:${port}: ECONNREFUSED`),
    );
  });
});
