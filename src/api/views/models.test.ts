/**
 * GET /api/models on the real service over a small hand-made history: the
 * latest stored ranking row as it is, its underperformer and top performer
 * flags, MLflow links from the newest logged run of each model's experiment
 * (none when MLflow is not configured or the run was skipped), and the
 * cumulative-return curves and benchmark checked against values worked out
 * by hand from the closes below (not through the code under test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../adapters/postgres/pool';
import { call, createKey, startTestService, type TestService } from '../../../tests/api-support';
import { testDb } from '../../../tests/helpers';

const DAYS = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'];
const CLOSES: Record<string, number[]> = {
  AAA: [100, 102, 101, 105, 106],
  BBB: [50, 49, 50, 52, 51],
  CCC: [20, 20, 21, 22, 22],
  // Joins the universe after the base day: not part of the benchmark.
  DDD: [10, 10, 30, 30, 30],
};
const MLFLOW = 'http://mlflow.example:5000';

let db: Db;
let alpha: number;
let beta: number;
const services: TestService[] = [];

async function insertModel(name: string): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO models (name, version, kind, config, config_hash) VALUES ($1, 1, 'combinedScore', '{}', $1) RETURNING id`,
    [name],
  );
  return r.rows[0].id;
}

async function insertRun(modelId: number, date: string, signals: [string, 'BUY' | 'SELL' | 'HOLD', number][]): Promise<void> {
  const run = await db.query<{ id: string }>(
    `INSERT INTO model_runs (model_id, run_date, status, signal_count) VALUES ($1, $2, 'completed', $3) RETURNING id`,
    [modelId, date, signals.length],
  );
  for (const [symbol, action, confidence] of signals)
    await db.query('INSERT INTO model_signals (model_run_id, model_id, symbol, action, confidence) VALUES ($1, $2, $3, $4, $5)', [
      run.rows[0].id,
      modelId,
      symbol,
      action,
      confidence,
    ]);
}

const ranking = (rank: number, id: number, name: string, over: Record<string, unknown> = {}) => ({
  rank,
  model_id: id,
  name,
  version: 1,
  sharpe: null,
  total_return: null,
  max_drawdown: null,
  signals: 0,
  ...over,
});

beforeAll(async () => {
  db = testDb();
  for (const [symbol, closes] of Object.entries(CLOSES))
    for (let i = 0; i < DAYS.length; i++)
      await db.query(
        `INSERT INTO market_data (symbol, date, open, high, low, close, adj_close, volume, source) VALUES ($1, $2, $3, $3, $3, $3, $3, 1000, 'synthetic')`,
        [symbol, DAYS[i], closes[i]],
      );
  await db.query(
    `INSERT INTO trading_universe (symbol, added_on) VALUES ('AAA', '2025-03-03'), ('BBB', '2025-03-03'), ('CCC', '2025-03-03'), ('DDD', '2025-03-06')`,
  );
  alpha = await insertModel('mdl-alpha');
  beta = await insertModel('mdl-beta');
  await insertRun(alpha, '2025-03-04', [
    ['AAA', 'BUY', 0.8],
    ['CCC', 'HOLD', 0.5],
  ]);
  await insertRun(alpha, '2025-03-05', [['BBB', 'SELL', 0.7]]);
  await insertRun(beta, '2025-03-04', []);
  for (const id of [alpha, beta])
    await db.query(
      `INSERT INTO model_performance (model_id, date, holding_period_days) VALUES ($1, '2025-03-07', 2), ($1, '2025-03-06', 2)`,
      [id],
    );
  await db.query(
    `INSERT INTO performance_reports (report_date, score, rankings, top_performers, underperformers, alerts)
     VALUES ('2025-03-06', 'sharpe', $1, '[]', '[]', '[]'), ('2025-03-07', 'sharpe', $2, $3, $4, $5)`,
    [
      JSON.stringify([ranking(1, beta, 'mdl-beta'), ranking(2, alpha, 'mdl-alpha')]),
      JSON.stringify([
        ranking(1, alpha, 'mdl-alpha', { sharpe: 1.5, total_return: 0.0123, max_drawdown: 0.01, signals: 2 }),
        ranking(2, beta, 'mdl-beta'),
      ]),
      JSON.stringify(['mdl-alpha@1']),
      JSON.stringify([{ model: 'mdl-beta@1', reason: 'Sharpe below 0 on 5 consecutive evaluations (today -0.50)' }]),
      JSON.stringify(['model mdl-beta@1 underperforms: Sharpe below 0 on 5 consecutive evaluations (today -0.50)']),
    ],
  );
  await db.query(
    `INSERT INTO experiment_tracking (run_key, kind, experiment, status, tracker_run_id, url, reason, attempts, updated_at) VALUES
       ('performance:2025-03-06:mdl-alpha@1', 'performance', 'quant/mdl-alpha', 'logged', 'r0', 'http://mlflow.internal:5000/#/experiments/3/runs/r0', NULL, 1, now() - interval '1 day'),
       ('performance:2025-03-07:mdl-alpha@1', 'performance', 'quant/mdl-alpha', 'logged', 'r1', 'http://mlflow.internal:5000/#/experiments/7/runs/r1', NULL, 1, now()),
       ('performance:2025-03-07:mdl-beta@1', 'performance', 'quant/mdl-beta', 'skipped', NULL, NULL, 'MLflow unreachable', 3, now())`,
  );
});
afterAll(async () => {
  for (const s of services) await s.close();
  await db?.end();
});

async function getModels(env: Record<string, string>, query = '') {
  const svc = await startTestService(db, env);
  services.push(svc);
  return call(svc.url, await createKey(db, 'read'), 'GET', `/api/models${query}`);
}

describe('GET /api/models', () => {
  it('answers the latest ranking with its flags, MLflow links, and the curves against the benchmark', async () => {
    const r = await getModels({ MLFLOW_TRACKING_URI: `${MLFLOW}/` });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ date: '2025-03-07', score: 'sharpe', mlflow_configured: true });
    expect(r.body.alerts).toEqual(['model mdl-beta@1 underperforms: Sharpe below 0 on 5 consecutive evaluations (today -0.50)']);
    expect(r.body.rankings).toEqual([
      {
        ...ranking(1, alpha, 'mdl-alpha', { sharpe: 1.5, total_return: 0.0123, max_drawdown: 0.01, signals: 2 }),
        label: 'mdl-alpha@1',
        kind: 'combinedScore',
        status: 'active',
        top_performer: true,
        underperforming: null,
        // The newest logged run's experiment, on the configured server (not the address the worker logged to).
        mlflow_url: `${MLFLOW}/#/experiments/7`,
      },
      {
        ...ranking(2, beta, 'mdl-beta'),
        label: 'mdl-beta@1',
        kind: 'combinedScore',
        status: 'active',
        top_performer: false,
        underperforming: 'Sharpe below 0 on 5 consecutive evaluations (today -0.50)',
        mlflow_url: null,
      },
    ]);

    // By hand, holding 2 days: BUY AAA on 03-04 (102) is held over 03-05 and 03-06; SELL BBB on 03-05 (50) over 03-06 and 03-07.
    const r1 = 101 / 102 - 1;
    const r2 = (105 / 101 - 1 + -(52 / 50 - 1)) / 2;
    const r3 = -(51 / 52 - 1);
    const w1 = 1 + r1;
    const w2 = w1 * (1 + r2);
    const w3 = w2 * (1 + r3);
    const { curves } = r.body;
    // The base day is the trading day before the first judged day.
    expect(curves.dates).toEqual(['2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07']);
    expect(curves.models.map((m: { label: string }) => m.label)).toEqual(['mdl-alpha@1', 'mdl-beta@1']);
    const close = (actual: number[], expected: number[]) => actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    close(curves.models[0].values, [0, w1 - 1, w2 - 1, w3 - 1]);
    close(curves.models[1].values, [0, 0, 0, 0]);
    // Equal weight in AAA, BBB and CCC at the 03-04 close (DDD joined the universe later), never traded.
    expect(curves.benchmark).toMatchObject({ symbols: 3, label: 'Equal-weight universe, buy and hold (3 symbols)' });
    const bench = (i: number) => (CLOSES.AAA[i] / 102 + CLOSES.BBB[i] / 49 + CLOSES.CCC[i] / 20) / 3 - 1;
    close(curves.benchmark.values, [0, bench(2), bench(3), bench(4)]);
  });

  it('reads the ranking of ?date=, and gives no MLflow links when MLflow is not configured', async () => {
    const r = await getModels({}, '?date=2025-03-06');
    expect(r.status).toBe(200);
    expect(r.body.date).toBe('2025-03-06');
    expect(r.body.mlflow_configured).toBe(false);
    expect(r.body.rankings.map((x: { label: string; mlflow_url: string | null }) => [x.label, x.mlflow_url])).toEqual([
      ['mdl-beta@1', null],
      ['mdl-alpha@1', null],
    ]);
    expect(r.body.rankings.some((x: { underperforming: string | null }) => x.underperforming)).toBe(false);
  });

  it('answers an empty ranking for a day without one, and refuses a date that is not one', async () => {
    const none = await getModels({}, '?date=2025-01-02');
    expect(none.body).toMatchObject({ date: null, rankings: [], curves: { dates: [], models: [], benchmark: null } });
    const bad = await getModels({}, '?date=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_request', field: 'date' });
  });
});
