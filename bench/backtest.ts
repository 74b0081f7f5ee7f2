/**
 * `npm run bench:backtest [-- --date 2025-06-27] [--skip-pipeline]`: prints
 * ONE JSON object:
 * - backtest_5y_49_s: the pure engine (src/domain/backtest.ts) over 5 years
 *   (1,260 trading days) x 49 symbols of seeded synthetic prices with a
 *   signal every day, signal portfolio (at the default rebalance policy) +
 *   buy-and-hold benchmark + comparison; target < 2 s;
 * - at the default policy: rebalances, trades, CAGR (signal vs buy and
 *   hold), `turnover_annual` (one-sided, a fraction a year), `costs_total`
 *   (a fraction of the initial capital) and `cost_drag` (gross minus net
 *   CAGR, a fraction a year; goal < 0.01); `backtest_daily_no_band` gives
 *   the same figures for the old rule (every day, exactly to the target);
 * - pipeline_one_date_s: `pipeline-<date>` (WF1 ingest with 252 trading days
 *   of lookback -> WF2 -> WF3 -> WF4 -> WF5 -> WF6) on the embedded stack
 *   with an in-process worker on the prebuilt bundle, client start to
 *   result; target < 20 s. `pipeline_steps` lists the children that ran.
 * The pipeline runs on its own stack in a fresh temporary data folder on free
 * ports (bench/support.ts), removed afterwards, so every run does the same
 * work; load_avg_1m/5m/15m say how busy the machine was.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  compareBacktests,
  simulateBuyAndHold,
  simulateSignalPortfolio,
  type BacktestComparison,
  type SignalDay,
  type SimulationResult,
} from '../src/domain/backtest';
import { DAILY_NO_BAND, DEFAULT_REBALANCE_POLICY } from '../src/domain/rebalance-policy';
import { mulberry32, normalSampler } from '../src/domain/random';
import type { Recommendation } from '../src/domain/scoring';
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { runPipeline } from '../src/cli/commands/pipeline';
import { freshStack, loadAverage, startBenchWorker } from './support';

const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

/** 5 years of business days and seeded geometric-Brownian closes for the 49-name universe, plus a signal every day. */
function syntheticBacktestInput(years = 5, seed = 42) {
  const dates: string[] = [];
  for (let d = new Date(Date.UTC(2019, 0, 1)); dates.length < 252 * years; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
  }
  const rng = mulberry32(seed);
  const z = normalSampler(rng);
  const symbols = DAILY_UNIVERSE.map((c) => c.symbol);
  const closes = symbols.map(() => {
    const out = new Float64Array(dates.length);
    let p = 20 + 100 * rng();
    for (let t = 0; t < dates.length; t++) out[t] = p *= Math.exp(0.0003 + 0.015 * z());
    return out;
  });
  const classes: Recommendation[] = ['strong_buy', 'buy', 'hold', 'sell', 'strong_sell'];
  const signalDays: SignalDay[] = dates.map((date) => ({
    date,
    candidates: DAILY_UNIVERSE.filter(() => rng() < 0.4).map((c) => ({
      symbol: c.symbol,
      sector: c.sector,
      recommendation: classes[Math.floor(rng() * 5)],
    })),
  }));
  return { market: { dates, symbols, closes }, signalDays };
}

/** Trades, CAGR (signal vs buy and hold), turnover, costs and cost drag of one policy, rounded for the JSON. */
function tradingFigures(sim: SimulationResult, cmp: BacktestComparison) {
  const r = (x: number) => Number(x.toFixed(4));
  return {
    rebalances: sim.executionDates.length,
    trades: sim.trades,
    cagr: { signal: r(cmp.signal.cagr), benchmark: r(cmp.benchmark.cagr) },
    turnover_annual: r(cmp.signal.turnoverAnnual),
    costs_total: r(cmp.signal.costsTotal),
    cost_drag: r(cmp.signal.costDrag),
  };
}

function benchEngine() {
  const { market, signalDays } = syntheticBacktestInput();
  const params = { initialCapital: 25_000, rebalance: DEFAULT_REBALANCE_POLICY };
  simulateSignalPortfolio(
    { ...market, dates: market.dates.slice(0, 50), closes: market.closes.map((c) => c.subarray(0, 50)) },
    signalDays.slice(0, 50),
    params,
  ); // warm-up
  const t0 = performance.now();
  const sig = simulateSignalPortfolio(market, signalDays, params);
  const bench = simulateBuyAndHold(market, signalDays[0], params);
  const cmp = compareBacktests(sig, bench, 0.05);
  const elapsed = seconds(t0);
  const f = tradingFigures(sig, cmp);
  // the old behaviour (every signal day, exactly to the target), for comparison
  const daily = simulateSignalPortfolio(market, signalDays, { ...params, rebalance: DAILY_NO_BAND });
  return {
    backtest_5y_49_s: elapsed,
    backtest_days: market.dates.length,
    backtest_policy: DEFAULT_REBALANCE_POLICY,
    backtest_rebalances: f.rebalances,
    backtest_trades: f.trades,
    backtest_cagr: f.cagr,
    turnover_annual: f.turnover_annual,
    costs_total: f.costs_total,
    cost_drag: f.cost_drag,
    backtest_daily_no_band: tradingFigures(daily, compareBacktests(daily, bench, 0.05)),
  };
}

async function benchPipeline(date: string): Promise<Record<string, unknown>> {
  const stack = await freshStack(
    'backtest',
    { MARKET_DATA_PROVIDER: process.env.MARKET_DATA_PROVIDER ?? 'synthetic', LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'bench-backtest' },
    (m) => process.stderr.write(`${m}\n`),
  );
  try {
    const worker = await startBenchWorker(stack);
    try {
      const t0 = performance.now();
      const p = await runPipeline(worker.client, stack.config.temporal.taskQueue, { date, lookbackDays: 252 });
      const s = seconds(t0);
      const steps = ['ingest', 'screen', 'signal', 'rebalance', 'monitor', 'backtest'].filter(
        (k) => (p as unknown as Record<string, unknown>)[k],
      );
      return {
        pipeline_one_date_s: s,
        pipeline_date: date,
        pipeline_status: p.status,
        pipeline_steps: steps,
        pipeline_results: {
          rebalance: p.rebalance?.outcome ?? null,
          monitor: p.monitor?.status ?? null,
          backtest: p.backtest?.status ?? null,
        },
      };
    } finally {
      await worker.close();
    }
  } finally {
    await stack.close();
  }
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { date: { type: 'string' }, 'skip-pipeline': { type: 'boolean' } },
    strict: true,
  });
  const result: Record<string, unknown> = benchEngine();
  if (values['skip-pipeline']) {
    result.pipeline_one_date_s = null;
    result.pipeline_reason = 'skipped (--skip-pipeline)';
  } else Object.assign(result, await benchPipeline(values.date ?? '2025-06-27'));
  process.stdout.write(`${JSON.stringify({ ...result, ...loadAverage() })}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:backtest failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
