/**
 * The intraday strategies as registered models (issue 15's cross-
 * registration), on this file's own Postgres database and a real worker:
 *
 * - `quant db migrate` registers every strategy row of a cross-registered
 *   kind as a model named after it, config = its params with the kind's
 *   defaults; a second migrate registers nothing; `quant models list` shows
 *   them with their kinds; a strategy whose name is not a model name is
 *   reported, not registered;
 * - `models` on 2025-03-14, with synthetic daily bars from 2024-09-01: the
 *   moving-average model's stored signals are the crossovers worked out here
 *   by hand from the market_data rows (plain averages, not our SMA); the
 *   pairs model fails alone naming ATEN, INGM and the date, keeping no
 *   signals, while the other models complete;
 * - a replayed day's trading_signals rows each carry metadata.model, the
 *   version of their strategy's config (or, for ml_strategy, the version of
 *   the model it follows); after `quant strategies set` (its function) the
 *   next replay's signals name version 2, and unchanged strategies keep
 *   version 1; a retired config is still answered as its version.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { createModelRepo } from '../src/adapters/postgres/model-repo';
import type { Db } from '../src/adapters/postgres/pool';
import { createStrategyRepo } from '../src/adapters/postgres/strategy-repo';
import { prepareDatabase } from '../src/cli/database';
import { setStrategy } from '../src/cli/commands/strategies';
import { MOVING_AVERAGE_DEFAULTS } from '../src/domain/strategies/moving-average';
import { parseStrategyConfig } from '../src/domain/strategies/registry';
import { tradingDay } from '../workflows';
import type { ModelsResult } from '../workflows/models';
import { workflowIds } from '../workflows/names';
import { seedMarketData, UNIVERSE_SYMBOLS } from './daily-fixtures';
import { runQuant, testConfig, uniqueName, useTestStack } from './helpers';

const config = testConfig();
const stack = useTestStack(config);
let client: Client;
let db: Db;

/** The daily models' date: the synthetic market has a moving-average cross up on it (GS). */
const D = '2025-03-14';
/** The replayed intraday day: its cycles follow the daily models' runs of the session before (D). */
const REPLAY = '2025-03-17';
const BAD = 'Bad Name';

beforeAll(async () => {
  ({ client, db } = stack);
  await seedMarketData(db, { from: '2024-09-01', to: D });
  // WF3's scores of D for the combined score (one BUY: 0.3 x 80 + 0.4 x 70 + 0.3 x 50 = 67).
  await db.query(`INSERT INTO signal_runs (run_date, symbols, weights, distribution) VALUES ($1, 1, '{}', '{}')`, [D]);
  await db.query(
    `INSERT INTO signal_results (run_date, symbol, technical_score, fundamental_score, sentiment_score, has_sentiment, combined_score, signal)
     VALUES ($1, $2, 80, 70, 50, true, 0, 'hold')`,
    [D, UNIVERSE_SYMBOLS[0]],
  );
});

const quant = (args: string[]) => runQuant(args, uniqueName('tq'));
const modelRows = async () =>
  (await db.query(`SELECT name, version, kind, config FROM models ORDER BY name, version`)).rows as {
    name: string;
    version: number;
    kind: string;
    config: Record<string, unknown>;
  }[];

describe('quant db migrate', () => {
  it('registers each strategy of a cross-registered kind as a model, once; models list shows them with their kinds', async () => {
    const first = await quant(['db', 'migrate']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('registered built-in models: combined-score@1 (combinedScore), enhanced-momentum@1 (enhancedMomentum)');
    expect(first.stdout).toContain(
      'registered strategy models: moving_average_crossover@1 (movingAverageCrossover), pairs_aten_ingm@1 (pairsTrading), ' +
        'pairs_statistical@1 (pairsTrading), rsi_mean_reversion@1 (rsiMeanReversion)',
    );
    const models = await modelRows();
    // ml_strategy (modelSignals) follows a model: it is not one.
    expect(models.map((m) => [m.name, m.version, m.kind])).toEqual([
      ['combined-score', 1, 'combinedScore'],
      ['enhanced-momentum', 1, 'enhancedMomentum'],
      ['moving_average_crossover', 1, 'movingAverageCrossover'],
      ['pairs_aten_ingm', 1, 'pairsTrading'],
      ['pairs_statistical', 1, 'pairsTrading'],
      ['rsi_mean_reversion', 1, 'rsiMeanReversion'],
    ]);
    const byName = new Map(models.map((m) => [m.name, m]));
    // Config = the row's params (migration 014) with the kind's defaults filled in.
    expect(byName.get('moving_average_crossover')!.config).toEqual({ fastPeriod: 10, slowPeriod: 30, volatilityBars: 20, symbols: [] });
    expect(byName.get('moving_average_crossover')!.config).toEqual({ ...MOVING_AVERAGE_DEFAULTS });
    for (const s of await createStrategyRepo(db).list())
      if (byName.has(s.name)) expect(byName.get(s.name)!.config).toEqual(parseStrategyConfig(s.name, s.kind!, s.params));
    expect(byName.get('pairs_aten_ingm')!.config).toMatchObject({ mode: 'fixed', symbolA: 'ATEN', symbolB: 'INGM', lookback: 20 });

    const second = await quant(['db', 'migrate']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('registered');
    expect(await modelRows()).toEqual(models);

    const list = await quant(['models', 'list', '-o', 'json']);
    expect(list.status, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { name: string; version: number; kind: string; status: string }[];
    expect(listed.filter((m) => m.name.includes('_')).map((m) => [m.name, m.version, m.kind, m.status])).toEqual([
      ['moving_average_crossover', 1, 'movingAverageCrossover', 'active'],
      ['pairs_aten_ingm', 1, 'pairsTrading', 'active'],
      ['pairs_statistical', 1, 'pairsTrading', 'active'],
      ['rsi_mean_reversion', 1, 'rsiMeanReversion', 'active'],
    ]);
  });

  it('reports a strategy whose name cannot name a model, and registers the others', async () => {
    await createStrategyRepo(db).upsert({
      name: BAD,
      kind: 'rsiMeanReversion',
      params: { period: 10 },
      enabled: true,
      confidenceThreshold: 0.6,
      maxPositionSize: 1000,
      stopLossPct: null,
      maxSinglePosition: null,
    });
    const r = await prepareDatabase(db);
    expect(r).toMatchObject({ applied: [], builtInModels: [], strategyModels: [] });
    expect(r.problems).toEqual([expect.stringMatching(/^strategy Bad Name: model name "Bad Name" is invalid/)]);
  });
});

describe('the strategies as models on daily bars', () => {
  let result: ModelsResult;

  it("runs each strategy's model on the day's daily bars; the pairs model alone fails, naming ATEN, INGM and the date", async () => {
    // enhanced-momentum reads the feature store, which needs a year of history (tests/models.test.ts runs it): out of this run.
    await createModelRepo(db).retire('enhanced-momentum');
    result = await client.workflow.execute('models', {
      taskQueue: config.temporal.taskQueue,
      workflowId: workflowIds.models(D),
      args: [{ date: D }],
    });
    const outcome = Object.fromEntries(result.models.map((m) => [m.name, m.status]));
    expect(outcome).toEqual({
      'combined-score': 'completed',
      moving_average_crossover: 'completed',
      pairs_aten_ingm: 'failed',
      pairs_statistical: 'completed',
      rsi_mean_reversion: 'completed',
    });
    const pairs = result.models.find((m) => m.name === 'pairs_aten_ingm') as { error: string };
    expect(pairs.error).toMatch(/^no daily bars of ATEN, INGM on 2025-03-14 in market_data: this pairsTrading config trades them/);
    const run = await db.query(
      `SELECT r.status, r.error, r.signal_count, (SELECT count(*)::int FROM model_signals s WHERE s.model_run_id = r.id) AS stored
         FROM model_runs r JOIN models m ON m.id = r.model_id WHERE m.name = 'pairs_aten_ingm' AND r.run_date = $1`,
      [D],
    );
    expect(run.rows).toEqual([{ status: 'failed', error: pairs.error, signal_count: 0, stored: 0 }]);
  });

  it("stores the moving-average model's crossovers, as worked out by hand from market_data's closes", async () => {
    const rows = (
      await db.query(`SELECT symbol, close, to_char(date, 'YYYY-MM-DD') AS date FROM market_data WHERE date <= $1 ORDER BY symbol, date`, [
        D,
      ])
    ).rows as { symbol: string; close: number; date: string }[];
    const closes = new Map<string, { close: number; date: string }[]>();
    for (const r of rows) (closes.get(r.symbol) ?? closes.set(r.symbol, []).get(r.symbol)!).push(r);
    // Fast SMA(10) and slow SMA(30) as plain means; a cross up at the last close is a BUY (no position: a cross down
    // closes nothing, so HOLD); confidence 0.5 + 0.5 min(1, gap / (sd of the last 20 returns, ddof 1, x close)).
    const expected = new Map<string, { action: string; confidence: number; fast: number; slow: number }>();
    for (const [symbol, list] of closes) {
      if (list[list.length - 1].date !== D) continue;
      const c = list.map((x) => x.close);
      const t = c.length - 1;
      const mean = (to: number, n: number) => c.slice(to - n + 1, to + 1).reduce((a, b) => a + b, 0) / n;
      const now = mean(t, 10) - mean(t, 30);
      const prev = mean(t - 1, 10) - mean(t - 1, 30);
      const returns = Array.from({ length: 20 }, (_, i) => c[t - 19 + i] / c[t - 20 + i] - 1);
      const m = returns.reduce((a, b) => a + b, 0) / 20;
      const sd = Math.sqrt(returns.reduce((a, r) => a + (r - m) ** 2, 0) / 19);
      const up = prev <= 0 && now > 0;
      expected.set(symbol, {
        action: up ? 'BUY' : 'HOLD',
        confidence: up ? 0.5 + 0.5 * Math.min(1, Math.abs(now) / (sd * c[t])) : 0,
        fast: mean(t, 10),
        slow: mean(t, 30),
      });
    }
    const version = (await db.query(`SELECT id FROM models WHERE name = 'moving_average_crossover' AND version = 1`)).rows[0].id;
    const stored = (
      await db.query(
        `SELECT s.symbol, s.action, s.confidence, s.model_id, s.stop_loss, s.risk_metrics
           FROM model_signals s JOIN model_runs r ON r.id = s.model_run_id WHERE r.model_id = $1 AND r.run_date = $2 ORDER BY s.symbol`,
        [version, D],
      )
    ).rows;
    expect(stored.map((s) => s.symbol)).toEqual([...expected.keys()].sort());
    const buys = stored.filter((s) => s.action === 'BUY').map((s) => s.symbol);
    expect(buys.length).toBeGreaterThan(0); // the date was picked for it: not a vacuous check
    for (const s of stored) {
      const e = expected.get(s.symbol)!;
      expect([s.symbol, s.action, s.model_id]).toEqual([s.symbol, e.action, version]);
      expect(s.confidence).toBeCloseTo(e.confidence, 9);
      expect(s.stop_loss).toBeNull();
      if (s.action === 'BUY') {
        expect(s.risk_metrics.fastSma).toBeCloseTo(e.fast, 9);
        expect(s.risk_metrics.slowSma).toBeCloseTo(e.slow, 9);
      } else expect(s.risk_metrics.bars).toBeGreaterThanOrEqual(31);
    }
    const ran = result.models.find((m) => m.name === 'moving_average_crossover')!;
    expect(ran).toMatchObject({ version: 1, kind: 'movingAverageCrossover', buys: buys.length, sells: 0 });
  });
});

describe("a replayed day's signals", () => {
  const signalsOf = async (book: string) =>
    (
      await db.query(`SELECT strategy_id, metadata->>'model' AS model FROM trading_signals WHERE starts_with(idempotency_key, $1)`, [
        `${book}|`,
      ])
    ).rows as { strategy_id: string; model: string | null }[];
  const modelsBy = (rows: { strategy_id: string; model: string | null }[]) => {
    const out: Record<string, string[]> = {};
    for (const r of rows) out[r.strategy_id] = [...new Set([...(out[r.strategy_id] ?? []), String(r.model)])].sort();
    return out;
  };
  const replay = (tag: string, strategies?: string[]) =>
    client.workflow.execute(tradingDay, {
      taskQueue: config.temporal.taskQueue,
      workflowId: uniqueName(workflowIds.tradingDay(REPLAY, tag)),
      args: [{ date: REPLAY, tag, ...(strategies ? { strategies } : {}) }],
    });

  it('each carry the model version of the config that made them; changed params make the next cycles version 2', async () => {
    const first = await replay('v1');
    // The strategy without a model name does not run: its signals could not be traced.
    expect(first.replay.problems).toContainEqual(expect.stringMatching(/^strategy "Bad Name" not run: its model cannot be registered: /));
    // Every row of every strategy names one version (a row without metadata.model would show as "null").
    expect(modelsBy(await signalsOf(first.replay.book))).toEqual({
      moving_average_crossover: ['moving_average_crossover@1'],
      rsi_mean_reversion: ['rsi_mean_reversion@1'],
      pairs_aten_ingm: ['pairs_aten_ingm@1'],
      // ml_strategy follows combined-score: its signals name the version whose run of D they acted on.
      ml_strategy: ['combined-score@1'],
    });

    await setStrategy(createStrategyRepo(db), 'moving_average_crossover', ['fastPeriod=5']);
    const second = await replay('v2', ['moving_average_crossover', 'rsi_mean_reversion']);
    expect(modelsBy(await signalsOf(second.replay.book))).toEqual({
      moving_average_crossover: ['moving_average_crossover@2'],
      // unchanged params: the version it had (a no-op registration)
      rsi_mean_reversion: ['rsi_mean_reversion@1'],
    });
    const models = (await modelRows()).filter((m) => ['moving_average_crossover', 'rsi_mean_reversion'].includes(m.name));
    expect(models.map((m) => [m.name, m.version, m.config.fastPeriod ?? null])).toEqual([
      ['moving_average_crossover', 1, 10],
      ['moving_average_crossover', 2, 5],
      ['rsi_mean_reversion', 1, null],
    ]);

    // A retired config is still the version its signals are traced to: answered, not refused, nothing registered.
    const repo = createModelRepo(db);
    await repo.retire('moving_average_crossover', 2);
    const row = (await createStrategyRepo(db).get('moving_average_crossover'))!;
    expect(await repo.registerStrategy(row)).toMatchObject({ created: false, model: { version: 2, status: 'retired' } });
  });
});
