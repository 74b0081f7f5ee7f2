/**
 * WF5 `monitor` on the real stack (dev server + Postgres): snapshots are
 * written into `portfolio_snapshots` here (what WF4 stores), then the
 * monitor's numbers are checked against an independent recomputation from
 * those stored rows. Formula sources: the issue (daily from the last two
 * snapshots, rf 5 % -> (1 + rf)^(1/252) - 1 per day) and empyrical's
 * conventions documented in src/domain/risk.ts (Sharpe on excess returns
 * with ddof 1 x sqrt 252; Sortino = mean(excess) x 252 / (sqrt(mean(min(excess, 0)^2)) x sqrt 252);
 * VaR = numpy's linear-interpolation 5th percentile). Also: the alerts at
 * the default thresholds, the report + SVG, the UPSERT, and graceful
 * degradation when the object store or the database fails.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { startTestWorker, testClient, testConfig, testDb, testEnv, uniqueName } from './helpers';
import { runMonitor } from '../src/cli/commands/report';
import { createBacktestRepo } from '../src/adapters/postgres/backtest-repo';
import { createMonitoringRepo } from '../src/adapters/postgres/monitoring-repo';
import { createPool, type Db } from '../src/adapters/postgres/pool';
import type { Alert } from '../src/adapters/notify/types';
import { createMonitorActivities } from '../activities/monitor';
import { buildWorker } from '../src/worker/worker';
import { DEFAULT_MONITOR_THRESHOLDS } from '../src/domain/monitoring';

const config = testConfig();
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let client: Client;
let db: Db;

// 2013: a year no other test file writes snapshots in.
const DATES: string[] = [];
for (let d = new Date(Date.UTC(2013, 1, 1)); DATES.length < 40; d.setUTCDate(d.getUTCDate() + 1)) {
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) DATES.push(d.toISOString().slice(0, 10));
}
const D = DATES.at(-1)!;
// Total values: a gentle rise, then an 8 % slide in the last 30 days, partly recovered.
const TOTALS = DATES.map((_, i) => 25_000 * (1 + 0.002 * Math.min(i, 20)) * (i > 25 ? 0.92 + 0.004 * (i - 26) * (i % 2 ? 1 : 0.5) : 1));
const POSITIONS = [
  { symbol: 'AAA', shares: 20, avgCost: 90, price: 100, sector: 'Tech' }, // 2000 of ~24k: ~8 % weight -> alert
  { symbol: 'BBB', shares: 10, avgCost: 100, price: 85, sector: 'Health' }, // -15 % -> alert
  { symbol: 'CCC', shares: 10, avgCost: 100, price: 104, sector: 'Tech' },
];

async function insertSnapshot(date: string, total: number, positions: typeof POSITIONS) {
  const pv = positions.reduce((a, p) => a + p.shares * p.price, 0);
  await db.query(
    `INSERT INTO portfolio_snapshots (snapshot_date, cash, positions_value, total_value, positions) VALUES ($1::date, $2, $3, $4, $5::jsonb)
     ON CONFLICT (snapshot_date) DO UPDATE SET cash = EXCLUDED.cash, positions_value = EXCLUDED.positions_value, total_value = EXCLUDED.total_value, positions = EXCLUDED.positions`,
    [
      date,
      total - pv,
      pv,
      total,
      JSON.stringify(positions.map((p) => ({ ...p, marketValue: p.shares * p.price, priceDate: date, stale: false }))),
    ],
  );
}

beforeAll(async () => {
  db = testDb();
  await db.query(`DELETE FROM portfolio_snapshots WHERE snapshot_date BETWEEN '2012-12-01' AND '2013-12-31'`);
  // the end of the previous year: the YTD base
  await insertSnapshot('2012-12-31', 24_000, []);
  for (let i = 0; i < DATES.length; i++)
    await insertSnapshot(DATES[i], TOTALS[i], i === DATES.length - 1 ? POSITIONS : POSITIONS.map((p) => ({ ...p, price: p.price * 0.99 })));
  // Closes of the held names (the chart's benchmark): AAA rises 1 a day from 100, BBB stays at 50, CCC falls 0.1 a day from 20.
  for (let i = 0; i < DATES.length; i++) {
    for (const [symbol, px] of [
      ['AAA', 100 + i],
      ['BBB', 50],
      ['CCC', 20 - 0.1 * i],
    ] as const) {
      await db.query(
        `INSERT INTO market_data (symbol, date, open, high, low, close, adj_close, volume, source) VALUES ($1, $2::date, $3, $3, $3, $3, $3, 1000, 'test')
         ON CONFLICT DO NOTHING`,
        [symbol, DATES[i], px],
      );
    }
  }
  worker = await startTestWorker(config);
  client = await testClient();
});

afterAll(async () => {
  await worker?.stop();
  await client?.connection.close();
  await db?.query(`DELETE FROM portfolio_snapshots WHERE snapshot_date BETWEEN '2012-12-01' AND '2013-12-31'`);
  await db?.end();
});

/** numpy.percentile(x, q) with linear interpolation. */
function percentile(x: number[], q: number): number {
  const s = [...x].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}

describe('monitor (WF5)', () => {
  it('P&L, risk and alerts equal an independent recomputation from the stored snapshots', async () => {
    const r = await runMonitor(client, config.temporal.taskQueue, { date: D });
    expect(r.status).toBe('completed');
    expect(r.errors).toEqual([]);

    const rows = (
      await db.query<{ d: string; total_value: number }>(
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, total_value FROM portfolio_snapshots WHERE snapshot_date <= $1::date ORDER BY snapshot_date`,
        [D],
      )
    ).rows.map((x) => ({ d: x.d, v: Number(x.total_value) }));
    const last = rows.at(-1)!;
    const prev = rows.at(-2)!;
    expect(r.snapshotDate).toBe(D);
    expect(r.totalValue).toBeCloseTo(last.v, 8);
    expect(r.dailyPnl).toBeCloseTo(last.v - prev.v, 8);
    const monthBase = rows.filter((x) => x.d < `${D.slice(0, 7)}-01`).at(-1)!.v;
    expect(r.mtdPnl).toBeCloseTo(last.v - monthBase, 8);
    expect(r.ytdPnl).toBeCloseTo(last.v - 24_000, 8);
    expect(r.unrealizedPnl).toBeCloseTo(20 * 10 + 10 * -15 + 10 * 4, 8);

    const w = rows.slice(-31).map((x) => x.v);
    const ret = w.slice(1).map((v, i) => v / w[i] - 1);
    expect(ret).toHaveLength(30);
    const rf = Math.pow(1.05, 1 / 252) - 1;
    const ex = ret.map((x) => x - rf);
    const mu = ex.reduce((a, b) => a + b, 0) / ex.length;
    const sd = Math.sqrt(ex.reduce((a, b) => a + (b - mu) ** 2, 0) / (ex.length - 1));
    const down = Math.sqrt(ex.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / ex.length);
    let peak = -Infinity;
    let mdd = 0;
    for (const v of w) {
      peak = Math.max(peak, v);
      mdd = Math.max(mdd, 1 - v / peak);
    }
    expect(r.risk!.returns).toBe(30);
    expect(r.risk!.sharpe).toBeCloseTo((mu / sd) * Math.sqrt(252), 8);
    expect(r.risk!.sortino).toBeCloseTo((mu * 252) / (down * Math.sqrt(252)), 8);
    expect(r.risk!.maxDrawdown).toBeCloseTo(mdd, 10);
    expect(r.risk!.var95).toBeCloseTo(percentile(ret, 0.05), 10);

    // Alerts at the default thresholds (5 % drawdown, 7 % weight, 3 % VaR, 10 % unrealised loss).
    expect(mdd).toBeGreaterThan(DEFAULT_MONITOR_THRESHOLDS.maxDrawdown);
    const kinds = r.alerts.map((a) => `${a.kind}${a.symbol ? `:${a.symbol}` : ''}`);
    expect(kinds).toContain('drawdown');
    expect(kinds).toContain('position_weight:AAA');
    expect(kinds).toContain('unrealized_loss:BBB');
    expect(kinds).not.toContain('position_weight:CCC');
    expect(kinds.includes('var95')).toBe(-percentile(ret, 0.05) > 0.03);

    // The row, the report and the chart.
    const row = await createMonitoringRepo(db).getMonitoringRun(D);
    expect(row).toMatchObject({ status: 'completed', snapshotDate: D, windowReturns: 30, reportKey: r.reportKey, chartKey: r.chartKey });
    expect(row!.sharpe).toBeCloseTo(r.risk!.sharpe, 10);
    const md = new TextDecoder().decode(await worker.store.get(r.reportKey!));
    for (const h of ['## Summary', '## P&L', '## Winners and losers', '## Risk', '## Sectors', '## Alerts']) expect(md).toContain(h);
    expect(md).toContain(`](${r.chartKey!.split('/').pop()})`);
    const svg = new TextDecoder().decode(await worker.store.get(r.chartKey!));
    const pts = svg
      .match(/points="([^"]*)"/)![1]
      .trim()
      .split(/\s+/);
    expect(pts).toHaveLength(rows.length); // every snapshot lies within the chart's year before D
    expect(svg).toContain('<g data-legend="equal-weight buy and hold of the first holdings">');
    expect(svg).toContain('<g data-panel="drawdown">');
    expect(md).toContain('equal-weight buy and hold of the 3 names held on ' + DATES[0]);

    // UPSERT: a rerun replaces the row.
    await runMonitor(client, config.temporal.taskQueue, { date: D });
    expect((await db.query('SELECT count(*)::int AS n FROM monitoring_runs WHERE run_date = $1::date', [D])).rows[0].n).toBe(1);
  });

  it('thresholds come from config: the same run with a looser position limit does not flag AAA', async () => {
    const notified: Alert[] = [];
    const acts = createMonitorActivities({
      store: worker.store,
      monitoring: createMonitoringRepo(db),
      marketCloses: createBacktestRepo(db),
      notifier: { kind: 'log', notify: async (a) => (notified.push(...a), true) },
      monitorSettings: {
        windowDays: 30,
        riskFreeRate: 0.05,
        initialCapital: 25_000,
        thresholds: { ...DEFAULT_MONITOR_THRESHOLDS, maxPositionWeight: 0.2 },
      },
    });
    const c = await acts.computeMonitoring({ date: D });
    expect(c.status).toBe('completed');
    if (c.status !== 'completed') return;
    expect(c.summary.alerts.map((a) => a.symbol)).not.toContain('AAA');
    // Storing the run sends its alerts through the notifier, one per alert with its numbers.
    await acts.storeMonitoringRun({ computation: c });
    expect(notified.length).toBeGreaterThan(0);
    expect(notified.map((a) => [a.source, a.at, a.message, a.details?.threshold])).toEqual(
      c.summary.alerts.map((a) => ['monitor', D, a.message, a.threshold]),
    );
    // The benchmark: the 2012-12-31 snapshot holds nothing, so it starts on DATES[0] at that day's total, a third in each name:
    // at D (day 39): TOTALS[0] x (139/100 + 50/50 + 16.1/20) / 3.
    const b = c.benchmark!;
    expect(c.curve.dates[0]).toBe('2012-12-31');
    expect(b.values[0]).toBeNaN();
    expect(b.values[1]).toBeCloseTo(TOTALS[0], 6);
    expect(b.values.at(-1)).toBeCloseTo((TOTALS[0] * (139 / 100 + 1 + 16.1 / 20)) / 3, 6);
    expect(testConfig({ MONITOR_MAX_POSITION_WEIGHT: '0.2' }).monitoring.maxPositionWeight).toBe(0.2);
  });

  it('an object-store failure degrades: numbers stored, report returned inline', async () => {
    const blocker = join(testEnv().dataDir, `${uniqueName('not-a-dir')}`);
    writeFileSync(blocker, 'a file where the object root should be');
    const cfg = testConfig({ OBJECT_STORE_ROOT: blocker });
    const w = await startTestWorker(cfg);
    try {
      const r = await runMonitor(client, cfg.temporal.taskQueue, { date: DATES.at(-2)! });
      expect(r.status).toBe('degraded');
      expect(r.stored).toBe(true);
      expect(r.reportKey).toBeNull();
      expect(r.errors.join(' ')).toMatch(/writing reports\/monitor\/.*failed/);
      expect(r.report).toContain('## Alerts');
      expect(r.totalValue).toBeCloseTo(TOTALS.at(-2)!, 8);
    } finally {
      await w.stop();
    }
  });

  it('a database failure degrades: the run completes with the error and an inline report', async () => {
    const cfg = testConfig();
    const e = testEnv();
    const handle = await buildWorker({
      config: cfg,
      temporalAddress: e.temporalAddress,
      databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none',
      workflowBundlePath: e.bundlePath,
      overrides: { shutdownGraceTime: '1s' },
    });
    const running = handle.worker.run();
    try {
      const r = await runMonitor(client, cfg.temporal.taskQueue, { date: D });
      expect(r.status).toBe('degraded');
      expect(r.errors[0]).toMatch(/loading the snapshots of .* failed/);
      expect(r.report).toContain('could not load the portfolio');
    } finally {
      handle.worker.shutdown();
      await running.catch(() => undefined);
      await handle.close();
    }
    // and a failed UPSERT alone is reported, not thrown
    const dead = createPool('postgres://nobody:x@127.0.0.1:1/none', 1);
    try {
      const acts = createMonitorActivities({
        store: worker.store,
        monitoring: createMonitoringRepo(dead),
        marketCloses: createBacktestRepo(dead),
        notifier: { kind: 'log', notify: async () => true },
        monitorSettings: { windowDays: 30, riskFreeRate: 0.05, initialCapital: 25_000, thresholds: DEFAULT_MONITOR_THRESHOLDS },
      });
      const s = await acts.storeMonitoringRun({ computation: { status: 'no_portfolio', date: D } });
      expect(s.stored).toBe(false);
      expect(s.error).toMatch(/monitoring_runs upsert .* failed/);
    } finally {
      await dead.end();
    }
  });
});
