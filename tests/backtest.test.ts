/**
 * WF6 `backtest` on the real stack: market_data seeded from the synthetic
 * market, a year of weekly WF3 signal rows written here, then the backtest.
 * Its stored metrics equal an independent recomputation from the equity
 * curves stored in its own `backtest_runs` row (formulas written out here:
 * CAGR = W^(252/N) - 1, Sharpe on rf-excess returns with ddof 1 x sqrt 252,
 * Sortino as empyrical, drawdown on wealth starting at the capital, Calmar
 * = CAGR / MDD). The row is an UPSERT on (start, end); the report carries
 * both curves in one SVG. No look-ahead: a symbol that doubles at the close
 * of its signal day earns the signal portfolio nothing, while the same
 * signal a day earlier earns the jump.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { recordHistory, startTestWorker, testClient, testConfig, testDb, testEnv, uniqueName } from './helpers';
import { workflowIds } from '../workflows/names';
import { createBacktestActivities } from '../activities/backtest';
import { createObjectStore } from '../src/adapters/object-store';
import { createPool } from '../src/adapters/postgres/pool';
import { seedMarketData, UNIVERSE_SYMBOLS, writeSignals } from './daily-fixtures';
import { runBacktest } from '../src/cli/commands/report';
import { createBacktestRepo } from '../src/adapters/postgres/backtest-repo';
import type { Recommendation } from '../src/domain/scoring';
import type { Db } from '../src/adapters/postgres/pool';
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { referenceMetrics } from './reference-metrics';
import { DEFAULT_REBALANCE_POLICY } from '../src/domain/rebalance-policy';

// Written for the rule before the rebalance policy (every signal day, exactly to the target): keep it explicitly.
const config = testConfig({ REBALANCE_FREQUENCY: 'daily', REBALANCE_BAND_ABS: '0', REBALANCE_BAND_REL: '0' });
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let client: Client;
let db: Db;
const START = '2014-01-03';
const END = '2014-12-31';
const CLASSES: Recommendation[] = ['strong_buy', 'buy', 'hold', 'sell', 'strong_sell'];

beforeAll(async () => {
  db = testDb();
  await seedMarketData(db, { from: '2013-12-01', to: END });
  // Weekly signals (Fridays) over 2014: 20 names, classes rotating week by week.
  for (let d = new Date(Date.UTC(2014, 0, 3)); d.toISOString().slice(0, 10) <= END; d.setUTCDate(d.getUTCDate() + 7)) {
    const j = Math.round((d.getTime() - Date.UTC(2014, 0, 3)) / (7 * 86_400_000));
    await writeSignals(
      db,
      d.toISOString().slice(0, 10),
      DAILY_UNIVERSE.slice(0, 20).map((c, k) => ({ symbol: c.symbol, sector: c.sector, signal: CLASSES[(j + k) % 4] })),
    );
  }
  worker = await startTestWorker(config);
  client = await testClient();
});

afterAll(async () => {
  await worker?.stop();
  await client?.connection.close();
  await db?.end();
});

/** Metrics of an equity curve that starts from `capital`, from tests/reference-metrics.ts. */
function recompute(equity: number[], capital: number, rfAnnual = 0.05) {
  return referenceMetrics([capital, ...equity], rfAnnual);
}

describe('backtest (WF6)', () => {
  it('replays a year of signals against buy-and-hold; stored metrics equal a recomputation from the stored curves', async () => {
    const r = await runBacktest(client, config.temporal.taskQueue, { date: END, start: START, end: END });
    expect(r).toMatchObject({ status: 'completed', start: START, end: END, initialCapital: 25_000 });
    expect(r.signalDates).toBe(52);
    const row = (await createBacktestRepo(db).getBacktestRun(START, END))!;
    expect(row).toMatchObject({ status: 'completed', runDate: END, signalDates: 52, reportKey: r.reportKey, chartKey: r.chartKey });
    const sig = row.signalCurve!;
    const bench = row.benchmarkCurve!;
    expect(sig.dates[0]).toBe(START);
    expect(sig.dates.at(-1)).toBe(END);
    expect(bench.dates).toEqual(sig.dates);
    for (const [stored, curve] of [
      [row.signalMetrics!, sig],
      [row.benchmarkMetrics!, bench],
    ] as const) {
      const x = recompute(curve.equity, 25_000);
      for (const k of ['cagr', 'sharpe', 'sortino', 'maxDrawdown', 'calmar', 'totalReturn'] as const)
        expect(stored[k]).toBeCloseTo(x[k], 9);
    }
    for (const k of ['cagr', 'sharpe', 'sortino', 'maxDrawdown', 'calmar'] as const) {
      expect(row.excess![k]).toBeCloseTo(row.signalMetrics![k]! - row.benchmarkMetrics![k]!, 12);
      expect(r.excess![k]).toBeCloseTo(row.excess![k]!, 12);
    }
    // The signal portfolio trades on many dates and pays costs; the benchmark trades once.
    expect(r.signal!.trades).toBeGreaterThan(r.benchmark!.trades);
    expect(r.benchmark!.costs).toBeGreaterThan(0);
    // Turnover, costs and cost drag reach the result, the stored row and the report (definitions: src/domain/turnover.ts).
    expect(r.signal!.costsTotal).toBeCloseTo(r.signal!.costs / 25_000, 12);
    expect(r.signal!.costDrag).toBeGreaterThan(0);
    expect(r.signal!.turnoverAnnual).toBeGreaterThan(r.benchmark!.turnoverAnnual);
    expect(row.signalMetrics!.costDrag).toBeCloseTo(r.signal!.costDrag, 12);

    // The benchmark holds the first date's buys and strong buys, equally: check its first-day value against the stored closes.
    const firstBuys = DAILY_UNIVERSE.slice(0, 20)
      .filter((_, k) => CLASSES[k % 4] === 'strong_buy' || CLASSES[k % 4] === 'buy')
      .map((c) => c.symbol);
    expect(firstBuys.length).toBe(10);
    expect(bench.equity[0]).toBeLessThan(25_000);
    expect(bench.equity[0]).toBeGreaterThan(25_000 * 0.99);

    // Report: both curves in one chart, the comparison and the monthly returns.
    const md = new TextDecoder().decode(await worker.store.get(r.reportKey!));
    expect(md).toContain('## Comparison');
    expect(md).toContain('## Per-period returns');
    expect(md).toContain('| 2014-12 |');
    expect(md).toContain('| cost drag (gross - net CAGR) |');
    const svg = new TextDecoder().decode(await worker.store.get(r.chartKey!));
    // two curves in the equity panel, their underwater curves in the drawdown panel below
    expect(svg.match(/<polyline data-series="signal portfolio"/g)).toHaveLength(2);
    expect(svg.match(/<polyline data-series="equal-weight buy and hold"/g)).toHaveLength(2);
    expect(svg).toContain('<g data-panel="drawdown">');

    // UPSERT on (start, end)
    await runBacktest(client, config.temporal.taskQueue, { date: END, start: START, end: END });
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM backtest_runs WHERE start_date = $1 AND end_date = $2`, [START, END])).rows[0].n,
    ).toBe(1);
  });

  it('no look-ahead: a jump at the close of the signal day earns nothing; a day earlier it does', async () => {
    // ZZLA closes at 10 until 2016-03-07 and at 20 from 2016-03-08 on.
    const days = [
      '2016-03-01',
      '2016-03-02',
      '2016-03-03',
      '2016-03-04',
      '2016-03-07',
      '2016-03-08',
      '2016-03-09',
      '2016-03-10',
      '2016-03-11',
      '2016-03-14',
    ];
    for (const d of days) {
      const c = d >= '2016-03-08' ? 20 : 10;
      await db.query(
        `INSERT INTO market_data (symbol, date, open, high, low, close, adj_close, volume, source) VALUES ('ZZLA', $1::date, $2, $2, $2, $2, $2, 1000000, 'test')
         ON CONFLICT (symbol, date) DO UPDATE SET close = EXCLUDED.close, adj_close = EXCLUDED.adj_close`,
        [d, c],
      );
    }
    await writeSignals(db, '2016-03-07', [{ symbol: 'ZZLA', sector: 'Test', signal: 'strong_buy' }]);
    await writeSignals(db, '2016-03-08', [{ symbol: 'ZZLA', sector: 'Test', signal: 'strong_buy' }]);

    const onJumpDay = await runBacktest(client, config.temporal.taskQueue, { date: '2016-03-14', start: '2016-03-08', end: '2016-03-14' });
    expect(onJumpDay.status).toBe('completed');
    // bought at the 20 close of 03-08: the move to 20 is not earned, only costs are paid
    expect(onJumpDay.signal!.finalValue!).toBeLessThanOrEqual(25_000);
    expect(onJumpDay.signal!.finalValue!).toBeGreaterThan(25_000 * 0.999);

    const dayBefore = await runBacktest(client, config.temporal.taskQueue, { date: '2016-03-14', start: '2016-03-07', end: '2016-03-14' });
    // 5 % cap: 125 shares at 10 -> worth 2,500 after the jump
    expect(dayBefore.signal!.finalValue!).toBeGreaterThan(25_000 * 1.04);
  });

  it('a window without signals reports no_signals and stores the row', async () => {
    const r = await runBacktest(client, config.temporal.taskQueue, { date: '2011-06-30', start: '2011-01-03', end: '2011-06-30' });
    expect(r).toMatchObject({ status: 'no_signals', signal: null });
    expect((await createBacktestRepo(db).getBacktestRun('2011-01-03', '2011-06-30'))?.status).toBe('no_signals');
    expect(UNIVERSE_SYMBOLS.length).toBe(49);
  });

  // Seed 003: "DB and MinIO failures are non-fatal (report is still returned as workflow output)", as in WF5.
  it('an object store that stays down past the outage window degrades the run instead of failing it', async () => {
    const blocker = join(testEnv().dataDir, uniqueName('not-a-dir'));
    writeFileSync(blocker, 'a file where the object root should be');
    const cfg = testConfig({ OBJECT_STORE_ROOT: blocker, RETRY_OUTAGE_WINDOW_SECONDS: '2' });
    const w = await startTestWorker(cfg);
    try {
      const r = await runBacktest(client, cfg.temporal.taskQueue, { date: END, start: START, end: END });
      expect(r.status).toBe('degraded');
      expect(r.reportKey).toBeNull();
      expect(r.errors!.join(' ')).toMatch(/could not load or store its data: .*still failing after/);
      expect(r.report).toContain('The backtest could not run');
      // The degraded path (patch backtest-storage-not-fatal) as a replay fixture: QUANT_RECORD_HISTORIES=backtest.
      recordHistory(workflowIds.backtest(END), 'backtest');
    } finally {
      await w.stop();
    }
  });

  it('failed writes are listed, not thrown: the report comes back inline and the row is not claimed stored', async () => {
    const dead = createPool('postgres://nobody:x@127.0.0.1:1/none', 1);
    const blocker = join(testEnv().dataDir, uniqueName('not-a-dir'));
    writeFileSync(blocker, 'a file where the object root should be');
    const params = { date: '2011-06-30', start: '2011-01-03', end: '2011-06-30', initialCapital: 25_000 };
    try {
      const settings = {
        lookbackDays: 365,
        initialCapital: 25_000,
        minTradeValue: 100,
        riskFreeRate: 0,
        rebalance: DEFAULT_REBALANCE_POLICY,
      };
      const resolved = await createBacktestActivities({
        store: worker.store,
        backtests: createBacktestRepo(db),
        backtestSettings: settings,
      }).resolveBacktestParams(params);
      const acts = createBacktestActivities({
        store: createObjectStore(testConfig({ OBJECT_STORE_ROOT: blocker })),
        backtests: createBacktestRepo(dead),
        backtestSettings: settings,
      });
      const fin = await acts.finishBacktest({ params: resolved.params, signalDates: 0, signalCurveKey: null, benchmarkCurveKey: null });
      expect(fin.stored).toBe(false);
      expect(fin.reportKey).toBeNull();
      expect(fin.errors).toHaveLength(2);
      expect(fin.errors[0]).toMatch(/backtest_runs upsert .* failed/);
      expect(fin.errors[1]).toMatch(/writing reports\/.* failed/);
      expect(fin.markdown).toContain('2011-01-03');
    } finally {
      await dead.end();
    }
  });
});
