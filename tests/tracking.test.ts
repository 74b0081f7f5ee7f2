/**
 * Experiment tracking end to end: the model pipeline and WF6 on the real
 * stack with MLFLOW_TRACKING_URI pointing at a real `mlflow server`
 * (installed from PyPI into a cached venv; src/stack/mlflow.ts), checked
 * through MLflow's own REST API against what the pipelines stored in
 * Postgres and the object store: the registry's versions in MLflow's model
 * registry, one run per model run with the version's config as params, one
 * run per version per performance test with its stored metrics and the
 * report and chart, a backtest with its settings, metrics and both equity
 * curves by day; a re-run logs into the same runs; and an unreachable MLflow
 * costs three attempts and a recorded skip, never the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../src/adapters/object-store';
import { createBacktestRepo } from '../src/adapters/postgres/backtest-repo';
import { createModelRepo } from '../src/adapters/postgres/model-repo';
import { flattenParams, proxiedArtifactPath } from '../src/adapters/tracking/mlflow';
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import type { Recommendation } from '../src/domain/scoring';
import { freePort } from '../src/stack/free-port';
import { startTestMlflowOrReason, type RunningMlflow } from '../src/stack/mlflow';
import type { BacktestResult } from '../workflows/backtest';
import type { ModelsResult, PerformanceResult } from '../workflows/models';
import { workflowIds } from '../workflows/names';
import { seedMarketData, writeSignals } from './daily-fixtures';
import { historySteps, recordHistory, runQuant, startTestWorker, testConfig, uniqueName, useTestStack } from './helpers';

const config = testConfig({ MODELS_HOLDING_DAYS: '2' });
let mlflow: RunningMlflow | undefined;
let unavailable = '';
// Before the stack's hook: the worker is built with the server's address.
beforeAll(async () => {
  const started = await startTestMlflowOrReason({ log: (m) => process.stderr.write(`[mlflow] ${m}\n`) });
  if ('unavailable' in started) unavailable = started.unavailable;
  else {
    mlflow = started;
    config.tracking.mlflowUri = started.trackingUri;
  }
}, 600_000);
const stack = useTestStack(config);
afterAll(async () => {
  await mlflow?.stop();
});

const DAYS = ['2024-06-24', '2024-06-25', '2024-06-26', '2024-06-27', '2024-06-28', '2024-07-01'];
const D = DAYS.at(-1)!;
const BT_START = '2024-01-05';
const CLASSES: Recommendation[] = ['strong_buy', 'buy', 'hold', 'sell'];

async function run<T>(type: string, args: object, taskQueue = config.temporal.taskQueue, workflowId?: string): Promise<T> {
  return stack.client.workflow.execute(type, { taskQueue, workflowId: workflowId ?? uniqueName(type), args: [args] });
}

/** MLflow's REST API, read directly: the independent view of what was logged. */
async function rest(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${mlflow!.trackingUri}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return res.json();
}

async function runsWithKey(experiment: string, key: string): Promise<any[]> {
  const exp = await rest(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(experiment)}`);
  const found = await rest('/api/2.0/mlflow/runs/search', {
    experiment_ids: [exp.experiment.experiment_id],
    filter: `tags.\`quant.key\` = '${key}'`,
  });
  return found.runs ?? [];
}

const asMap = (xs: { key: string; value: unknown }[] | undefined) => Object.fromEntries((xs ?? []).map((x) => [x.key, x.value]));

let models: ModelsResult;
let performance: PerformanceResult;
let backtest: BacktestResult;

beforeAll(async () => {
  if (!mlflow) return;
  const { db } = stack;
  await seedMarketData(db, { from: '2023-01-03', to: '2024-07-03' });
  const registry = createModelRepo(db);
  await registry.registerBuiltIns();
  await registry.register({ name: 'momentum-tight', kind: 'enhancedMomentum', config: { rsiOverbought: 60 } });
  // Weekly WF3 signals for the backtest window (20 names, classes rotating), and on the model days for combined-score.
  const weekly: string[] = [];
  for (let d = new Date(`${BT_START}T00:00:00Z`); d.toISOString().slice(0, 10) <= D; d.setUTCDate(d.getUTCDate() + 7))
    weekly.push(d.toISOString().slice(0, 10));
  for (const [j, date] of [...new Set([...weekly, ...DAYS])].sort().entries())
    await writeSignals(
      db,
      date,
      DAILY_UNIVERSE.slice(0, 20).map((c, k) => ({ symbol: c.symbol, sector: c.sector, signal: CLASSES[(j + k) % 4] })),
    );
  for (const day of DAYS) {
    await run('features', { date: day });
    models = await run<ModelsResult>('models', { date: day });
  }
  performance = await run<PerformanceResult>('performance', { date: D });
  backtest = await run<BacktestResult>(
    'backtest',
    { date: D, start: BT_START, end: D },
    config.temporal.taskQueue,
    workflowIds.backtest(D),
  );
  // The completed path with its logging step, as a replay fixture: QUANT_RECORD_HISTORIES=backtest.
  recordHistory(workflowIds.backtest(D), 'backtest');
}, 600_000);

describe('experiment tracking in MLflow (real server)', () => {
  it("mirrors the registry's versions into MLflow's model registry", async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    expect(models.tracking).toBe('logged');
    for (const v of await createModelRepo(stack.db).versions()) {
      const found = await rest(`/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`name='${v.name}'`)}`);
      const tags = found.model_versions.map((m: { tags: { key: string; value: string }[] }) => asMap(m.tags));
      expect(tags, v.name).toEqual([
        expect.objectContaining({ 'quant.version': String(v.version), 'quant.kind': v.kind, 'quant.status': 'active' }),
      ]);
    }
  });

  it("logs each model run under its model's experiment: the config as params, the stored counts as metrics", async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    expect(models.models.map((m) => m.status === 'completed' && m.tracking)).toEqual([true, true, true].map(() => 'logged'));
    for (const m of await createModelRepo(stack.db).versions()) {
      const key = `model-run:${m.name}@${m.version}:${D}`;
      const [r, ...more] = await runsWithKey(`quant/${m.name}`, key);
      expect(more, key).toHaveLength(0);
      expect(r.info.status).toBe('FINISHED');
      const counts = (
        await stack.db.query(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE s.action = 'BUY')::int AS buys FROM model_signals s
             JOIN model_runs x ON x.id = s.model_run_id WHERE x.model_id = $1 AND x.run_date = $2`,
          [m.id, D],
        )
      ).rows[0];
      expect(asMap(r.data.metrics)).toMatchObject({ signals: counts.n, buys: counts.buys });
      const params = asMap(r.data.params);
      for (const p of flattenParams({ config: m.config as never })) expect(params[p.key], `${m.name} ${p.key}`).toBe(p.value);
      expect(params).toMatchObject({ model: m.name, version: '1', kind: m.kind, date: D });
      const row = (await stack.db.query('SELECT * FROM experiment_tracking WHERE run_key = $1', [key])).rows[0];
      expect(row).toMatchObject({ kind: 'model_run', status: 'logged', tracker_run_id: r.info.run_id, attempts: 1 });
      expect(row.url).toContain(`/runs/${r.info.run_id}`);
    }
    expect(models.models.find((m) => m.name === 'combined-score')).toMatchObject({ status: 'completed' });
    // The logging step is the child's second, a local step after the run itself (a local step too).
    const child = models.models[0].workflowId;
    const steps = historySteps(await stack.client.workflow.getHandle(child).fetchHistory());
    expect(steps.map((s) => [s.type, s.local, s.failed])).toEqual([
      ['executeModel', true, false],
      ['trackModelRun', true, false],
    ]);
  });

  it('logs the performance test: one run per version with the stored metrics, the report and its chart', async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    expect(performance.tracking).toBe('logged');
    const store = createObjectStore(config);
    const report = Buffer.from(await store.get(performance.reportKey)).toString('utf8');
    for (const ranked of performance.rankings) {
      const [r] = await runsWithKey(`quant/${ranked.name}`, `performance:${D}:${ranked.name}@${ranked.version}`);
      const stored = (
        await stack.db.query('SELECT sharpe, sortino, win_rate FROM model_performance WHERE model_id = $1 AND date = $2', [
          ranked.model_id,
          D,
        ])
      ).rows[0];
      const metrics = asMap(r.data.metrics);
      expect(metrics.rank).toBe(ranked.rank);
      for (const [metric, col] of [
        ['sharpe', 'sharpe'],
        ['sortino', 'sortino'],
        ['win_rate', 'win_rate'],
      ] as const) {
        if (stored[col] === null) expect(metrics[metric], metric).toBeUndefined();
        else expect(metrics[metric] as number, metric).toBeCloseTo(Number(stored[col]), 12);
      }
      const files = (await rest(`/api/2.0/mlflow/artifacts/list?run_id=${r.info.run_id}`)).files.map((f: { path: string }) => f.path);
      expect(files.sort()).toEqual(['performance-2024-07-01-cumulative.svg', 'report.md']);
      const sent = await fetch(
        `${mlflow.trackingUri}/api/2.0/mlflow-artifacts/artifacts/${proxiedArtifactPath(r.info.artifact_uri)}/report.md`,
      );
      expect(await sent.text()).toBe(report);
    }
  });

  it("logs a backtest with its settings, both portfolios' metrics and their equity curves by day", async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    expect(backtest).toMatchObject({ status: 'completed', tracking: 'logged' });
    const row = (await createBacktestRepo(stack.db).getBacktestRun(BT_START, D))!;
    const exp = await rest(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent('quant/combined-score')}`);
    const found = await rest('/api/2.0/mlflow/runs/search', {
      experiment_ids: [exp.experiment.experiment_id],
      filter: "tags.`quant.kind` = 'backtest'",
    });
    expect(found.runs).toHaveLength(1);
    const r = found.runs[0];
    expect(asMap(r.data.params)).toMatchObject({ start: BT_START, end: D, initial_capital: String(row.initialCapital) });
    const metrics = asMap(r.data.metrics);
    expect(metrics['signal.cagr'] as number).toBeCloseTo(row.signalMetrics!.cagr!, 12);
    expect(metrics['benchmark.sharpe'] as number).toBeCloseTo(row.benchmarkMetrics!.sharpe!, 12);
    expect(metrics['signal.turnoverAnnual'] as number).toBeCloseTo(row.signalMetrics!.turnoverAnnual!, 12);
    const history = await rest(`/api/2.0/mlflow/metrics/get-history?run_id=${r.info.run_id}&metric_key=equity&max_results=10000`);
    const points = [...history.metrics].sort((a: { step: number }, b: { step: number }) => Number(a.step) - Number(b.step));
    expect(points.map((p: { value: number }) => p.value)).toEqual(row.signalCurve!.equity);
    expect(Number(points[0].timestamp)).toBe(Date.parse(`${row.signalCurve!.dates[0]}T00:00:00Z`));
    const files = (await rest(`/api/2.0/mlflow/artifacts/list?run_id=${r.info.run_id}`)).files.map((f: { path: string }) => f.path);
    expect(files).toContain('report.md');
    expect(files).toContain(row.chartKey!.split('/').pop());
  });

  it('a re-run of a date logs into the same runs, never a second one', async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    const again = await run<ModelsResult>('models', { date: D });
    expect(again.models.every((m) => m.status === 'completed' && m.tracking === 'logged')).toBe(true);
    for (const m of again.models) expect(await runsWithKey(`quant/${m.name}`, `model-run:${m.name}@${m.version}:${D}`)).toHaveLength(1);
  });

  it('quant models register and retire carry the version into MLflow at once', async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    process.env.MLFLOW_TRACKING_URI = mlflow.trackingUri; // inherited by the quant child process
    try {
      const reg = await runQuant(['models', 'register', '--name', 'cli-momentum', '--kind', 'enhancedMomentum'], config.temporal.taskQueue);
      expect(reg.status, reg.stderr).toBe(0);
      expect(reg.stdout).toContain('MLflow: cli-momentum has 1 version(s) in the model registry (1 added now)');
      const retired = await runQuant(['models', 'retire', 'cli-momentum'], config.temporal.taskQueue);
      expect(retired.status, retired.stderr).toBe(0);
      expect(retired.stdout).toContain('MLflow: cli-momentum has 1 version(s) in the model registry\n');
    } finally {
      delete process.env.MLFLOW_TRACKING_URI;
    }
    const found = await rest(`/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent("name='cli-momentum'")}`);
    expect(found.model_versions.map((m: { tags: { key: string; value: string }[] }) => asMap(m.tags))).toEqual([
      expect.objectContaining({ 'quant.version': '1', 'quant.status': 'retired' }),
    ]);
  });

  it('an unreachable MLflow costs three attempts and a recorded skip, never the run', async (ctx) => {
    if (!mlflow) return ctx.skip(unavailable);
    const down = testConfig({ MLFLOW_TRACKING_URI: `http://127.0.0.1:${await freePort()}` });
    const worker = await startTestWorker(down);
    try {
      const day = '2024-07-02';
      await writeSignals(
        stack.db,
        day,
        DAILY_UNIVERSE.slice(0, 20).map((c, k) => ({ symbol: c.symbol, sector: c.sector, signal: CLASSES[k % 4] })),
      );
      await run('features', { date: day }, down.temporal.taskQueue);
      const r = await run<ModelsResult>('models', { date: day }, down.temporal.taskQueue);
      expect(r.tracking).toBe('skipped');
      // `quant models register` above migrated, which registers the strategies as models too: the ATEN/INGM pair's
      // has no daily bars of its symbols and fails as a model without inputs does; every other model completes.
      expect(r.models.filter((m) => m.status !== 'completed').map((m) => m.name)).toEqual(['pairs_aten_ingm']);
      const completed = r.models.flatMap((m) => (m.status === 'completed' ? [m] : []));
      expect(completed.map((m) => m.tracking)).toEqual(completed.map(() => 'skipped'));
      const rows = (
        await stack.db.query('SELECT * FROM experiment_tracking WHERE run_key LIKE $1 ORDER BY run_key', [`model-run:%:${day}`])
      ).rows;
      expect(rows).toHaveLength(completed.length);
      for (const row of rows) {
        expect(row).toMatchObject({ status: 'skipped', attempts: 3, tracker_run_id: null });
        expect(row.reason).toMatch(
          /MLflow GET \/api\/2\.0\/mlflow\/experiments\/get-by-name: unreachable at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/,
        );
      }
      // The signals are stored as on any day.
      const stored = (await stack.db.query(`SELECT count(*)::int AS n FROM model_runs WHERE run_date = $1 AND status = 'completed'`, [day]))
        .rows[0].n;
      expect(stored).toBe(completed.length);
      const steps = historySteps(await stack.client.workflow.getHandle(workflowIds.modelRun(r.models[0].name, 1, day)).fetchHistory());
      expect(steps.map((s) => [s.type, s.failed])).toEqual([
        ['executeModel', false],
        ['trackModelRun', false],
      ]);
    } finally {
      await worker.stop();
    }
  });
});
