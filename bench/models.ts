/**
 * `npm run bench:models`: the model pipeline through its workflows on a fresh
 * embedded stack, printing ONE JSON object. 20 registered model versions (the
 * two built-in ones and 18 enhanced-momentum variants), 49 synthetic symbols,
 * and the last `--days` (250) NYSE trading days to 2024-12-31: first
 * `features` for every day, then `models` for every day (20 child workflows
 * each), then `performance` for every day, each day one workflow run after
 * the other as the schedules would run them. Prints `features_s`, `models_s`,
 * `performance_s` (wall time of each phase), `signals` (rows in
 * model_signals), `model_runs_failed` (combined-score fails on days without
 * WF3 scores: there are none here) and `mlflow_log_s`: the worker's own time
 * in the tracking steps (the sum of `quant_activity_duration_seconds` over
 * trackModelVersions, trackModelRun and trackPerformance), against a real
 * MLflow server started for the run (src/stack/mlflow.ts); `--no-mlflow`
 * runs with tracking off (then null). The steps of one day run concurrently, so
 * `mlflow_log_s` counts overlapping time once per step; compare `total_s`
 * with and without `--no-mlflow` for the wall-clock cost. `mlflow_logged` /
 * `mlflow_skipped` count the rows of experiment_tracking. Goal: the 250-day history in under 120 s.
 * The market data is seeded straight into Postgres from the synthetic
 * provider (WF1 is not what is measured here).
 */
import { parseArgs } from 'node:util';
import { createSyntheticProvider } from '../src/adapters/market-data/synthetic';
import { createMarketDataRepo } from '../src/adapters/postgres/market-data-repo';
import { createModelRepo } from '../src/adapters/postgres/model-repo';
import { createPool } from '../src/adapters/postgres/pool';
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { runFeatures, runModels, runPerformance } from '../src/cli/commands/models';
import { tradingDays } from '../src/domain/trading-calendar';
import { createMetrics } from '../src/adapters/metrics';
import { startTestMlflow, type RunningMlflow } from '../src/stack/mlflow';
import { freshStack, loadAverage, startBenchWorker } from './support';

const TRACKING_STEPS = new Set(['trackModelVersions', 'trackModelRun', 'trackPerformance']);

const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { days: { type: 'string' }, 'no-mlflow': { type: 'boolean' } },
    strict: true,
  });
  const to = '2024-12-31';
  const days = tradingDays('2023-06-01', to).slice(-Number(values.days ?? 250));
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const stack = await freshStack('models', { LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'bench-models' }, log);
  const result: Record<string, unknown> = { days: days.length, from: days[0], to, symbols: DAILY_UNIVERSE.length };
  let closeWorker = async () => undefined as void;
  let mlflow: RunningMlflow | undefined;
  const db = createPool(stack.endpoints.databaseUrl, 2);
  try {
    // History for the first day's features (twice the 200-day lookback) and the days themselves.
    const { bars } = await createSyntheticProvider({ seed: 20000127 }).fetchEod(
      DAILY_UNIVERSE.map((c) => c.symbol),
      '2021-06-01',
      to,
    );
    await createMarketDataRepo(db).storeBars(bars, 'synthetic');
    const models = createModelRepo(db);
    await models.registerBuiltIns();
    let n = 2;
    for (const rsiOverbought of [60, 65, 70, 75, 80, 85])
      for (const stopLoss of [0.02, 0.03, 0.05]) {
        await models.register({
          name: `momentum-${rsiOverbought}-${Math.round(stopLoss * 100)}`,
          kind: 'enhancedMomentum',
          config: { rsiOverbought, stopLoss },
        });
        n++;
      }
    result.models = n;

    if (!values['no-mlflow']) {
      // Two web workers, one per core: a deployed MLflow serves requests in parallel too.
      mlflow = await startTestMlflow({ log, workers: Number(process.env.BENCH_MLFLOW_WORKERS ?? 1) });
      stack.config.tracking.mlflowUri = mlflow.trackingUri;
    }
    const metrics = createMetrics({ processMetrics: false });
    const worker = await startBenchWorker(stack, metrics);
    closeWorker = worker.close;
    const { client } = worker;
    const queue = stack.config.temporal.taskQueue;
    let t0 = performance.now();
    for (const date of days) await runFeatures(client, queue, { date });
    result.features_s = seconds(t0);
    t0 = performance.now();
    let failed = 0;
    for (const date of days) failed += (await runModels(client, queue, { date })).failed;
    result.models_s = seconds(t0);
    t0 = performance.now();
    for (const date of days) await runPerformance(client, queue, date);
    result.performance_s = seconds(t0);
    result.total_s =
      Math.round(((result.features_s as number) + (result.models_s as number) + (result.performance_s as number)) * 100) / 100;
    result.signals = Number((await db.query('SELECT count(*) AS n FROM model_signals')).rows[0].n);
    result.model_runs_failed = failed;
    const durations = (await metrics.activityDuration.get()).values.filter(
      (v) => v.metricName?.endsWith('_sum') && TRACKING_STEPS.has(String(v.labels.activity)),
    );
    result.mlflow_log_s = mlflow ? Math.round(durations.reduce((a, v) => a + v.value, 0) * 100) / 100 : null;
    const tracked = await db.query(`SELECT status, count(*)::int AS n FROM experiment_tracking GROUP BY status`);
    const count = (status: string) => tracked.rows.find((r) => r.status === status)?.n ?? 0;
    result.mlflow_logged = mlflow ? count('logged') : null;
    result.mlflow_skipped = mlflow ? count('skipped') : null;
    Object.assign(result, loadAverage());
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await db.end();
    await closeWorker();
    await mlflow?.stop();
    await stack.close();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:models failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
