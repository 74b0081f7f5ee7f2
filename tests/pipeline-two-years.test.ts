/**
 * A two-year synthetic run of the full daily pipeline (WF1 -> WF6) on the
 * real stack: `pipeline-<date>` on the last trading day of every month of
 * 2016-2017 (24 runs; market_data seeded beforehand from the synthetic
 * provider, what a backfill stores, so WF2 has its 252-day history). Then:
 * - every run completed all six children and WF4 took one snapshot a run;
 * - the final WF6 row's metrics equal an independent recomputation from the
 *   equity curves stored in that row;
 * - the final WF5 row's P&L and risk equal an independent recomputation
 *   from the stored `portfolio_snapshots` (same formulas as tests/monitor.test.ts).
 * Monthly rather than daily runs keep it to about two minutes; the
 * annualisation (252) is the daily one, so the ratios are only compared,
 * not interpreted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { startTestWorker, testClient, testConfig, testDb } from './helpers';
import { seedMarketData } from './daily-fixtures';
import { runPipeline } from '../src/cli/commands/pipeline';
import { createBacktestRepo } from '../src/adapters/postgres/backtest-repo';
import { createMonitoringRepo } from '../src/adapters/postgres/monitoring-repo';
import type { Db } from '../src/adapters/postgres/pool';
import { referenceMetrics } from './reference-metrics';

const config = testConfig({ MARKET_DATA_PROVIDER: 'synthetic' });
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let client: Client;
let db: Db;
let dates: string[] = [];

beforeAll(async () => {
  db = testDb();
  await seedMarketData(db, { from: '2014-11-01', to: '2017-12-31' });
  dates = (
    await db.query<{ d: string }>(
      `SELECT to_char(max(date), 'YYYY-MM-DD') AS d FROM market_data WHERE date BETWEEN '2016-01-01' AND '2017-12-31' AND source = 'synthetic'
      GROUP BY date_trunc('month', date) ORDER BY 1`,
    )
  ).rows.map((r) => r.d);
  worker = await startTestWorker(config);
  client = await testClient();
});

afterAll(async () => {
  await worker?.stop();
  await client?.connection.close();
  await db?.end();
});

const riskOf = referenceMetrics;

describe('two years of the full pipeline (WF1-WF6, monthly)', () => {
  it('completes every run; WF6 and WF5 numbers equal recomputations from what they stored', async () => {
    expect(dates).toHaveLength(24);
    for (const date of dates) {
      const p = await runPipeline(client, config.temporal.taskQueue, { date });
      expect(p.status).toBe('completed');
      expect(p.rebalance?.status).toBe('executed');
      expect(p.monitor?.status).toBe('completed');
      expect(p.backtest?.status).toBe('completed');
    }
    const snaps = (
      await db.query<{ d: string; v: number }>(
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, total_value AS v FROM portfolio_snapshots WHERE snapshot_date BETWEEN $1 AND $2 ORDER BY snapshot_date`,
        [dates[0], dates.at(-1)],
      )
    ).rows.map((x) => ({ d: x.d, v: Number(x.v) }));
    expect(snaps.map((s) => s.d)).toEqual(dates);

    // WF6: the final backtest window runs from the first signal date to the last run date.
    const bt = (await createBacktestRepo(db).getBacktestRun(dates[0], dates.at(-1)!))!;
    expect(bt.status).toBe('completed');
    expect(bt.signalDates).toBe(24);
    for (const [stored, curve] of [
      [bt.signalMetrics!, bt.signalCurve!],
      [bt.benchmarkMetrics!, bt.benchmarkCurve!],
    ] as const) {
      const x = riskOf([bt.initialCapital, ...curve.equity]);
      for (const k of ['cagr', 'sharpe', 'sortino', 'maxDrawdown', 'calmar'] as const) expect(stored[k]).toBeCloseTo(x[k], 9);
    }
    // The replay and the paper account trade the same signals at the same closes; they differ by WF4's
    // net-alpha filter and dividend cash vs adjusted closes, so the curves agree loosely, not exactly.
    const btOn = new Map(bt.signalCurve!.dates.map((d, i) => [d, bt.signalCurve!.equity[i]]));
    for (const s of snaps) expect(Math.abs(btOn.get(s.d)! / s.v - 1)).toBeLessThan(0.1);

    // WF5 on the last date: the window holds every snapshot (24 < 31).
    const last = dates.at(-1)!;
    const mon = (await createMonitoringRepo(db).getMonitoringRun(last))!;
    const x = riskOf(snaps.map((s) => s.v));
    expect(mon.windowReturns).toBe(23);
    expect(mon.totalValue).toBeCloseTo(snaps.at(-1)!.v, 8);
    expect(mon.dailyPnl).toBeCloseTo(snaps.at(-1)!.v - snaps.at(-2)!.v, 8);
    expect(mon.ytdPnl).toBeCloseTo(snaps.at(-1)!.v - snaps.find((s) => s.d.startsWith('2016-12'))!.v, 8);
    expect(mon.sharpe).toBeCloseTo(x.sharpe, 8);
    expect(mon.sortino).toBeCloseTo(x.sortino, 8);
    expect(mon.maxDrawdown).toBeCloseTo(x.maxDrawdown, 10);
  });
});
