/**
 * Rows of WF5 `monitor`: reads the paper portfolio's snapshots (written by
 * WF4 into `portfolio_snapshots`) and UPSERTs one `monitoring_runs` row per
 * run date, so a rerun of the same date replaces its row.
 */
import type { Db } from './pool';

/** One position inside a snapshot (the JSONB written by WF4). */
export interface SnapshotPosition {
  symbol: string;
  shares: number;
  avgCost: number;
  price: number;
  priceDate?: string;
  marketValue: number;
  sector?: string | null;
  stale?: boolean;
}

export interface PortfolioSnapshotRow {
  date: string;
  cash: number;
  positionsValue: number;
  totalValue: number;
  costsPaidCum: number;
  dividendsCum: number;
  positions: SnapshotPosition[];
}

export interface MonitoringRunRow {
  runDate: string;
  status: 'completed' | 'no_portfolio';
  snapshotDate: string | null;
  totalValue: number | null;
  dailyPnl: number | null;
  dailyReturn: number | null;
  mtdPnl: number | null;
  mtdReturn: number | null;
  ytdPnl: number | null;
  ytdReturn: number | null;
  unrealizedPnl: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number | null;
  var95: number | null;
  windowReturns: number;
  alerts: unknown[];
  details: Record<string, unknown>;
  reportKey: string | null;
  chartKey: string | null;
}

/** NaN / Infinity cannot be stored as a number meaningfully: store NULL. */
const n = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);
const num = (x: unknown) => (x === null || x === undefined ? null : Number(x));

export function createMonitoringRepo(db: Db) {
  return {
    /** Snapshots dated `from`..`to` (inclusive), oldest first, with only the totals (no positions). */
    async snapshotTotals(from: string, to: string): Promise<{ date: string; totalValue: number }[]> {
      const r = await db.query(
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, total_value FROM portfolio_snapshots
          WHERE snapshot_date BETWEEN $1::date AND $2::date ORDER BY snapshot_date`,
        [from, to],
      );
      return r.rows.map((x) => ({ date: x.d, totalValue: Number(x.total_value) }));
    },

    /** The latest `limit` snapshots on or before `date`, newest first, with positions. */
    async latestSnapshots(date: string, limit: number): Promise<PortfolioSnapshotRow[]> {
      const r = await db.query(
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, cash, positions_value, total_value, costs_paid_cum, dividends_cum, positions
           FROM portfolio_snapshots WHERE snapshot_date <= $1::date ORDER BY snapshot_date DESC LIMIT $2`,
        [date, limit],
      );
      return r.rows.map((x) => ({
        date: x.d,
        cash: Number(x.cash),
        positionsValue: Number(x.positions_value),
        totalValue: Number(x.total_value),
        costsPaidCum: Number(x.costs_paid_cum),
        dividendsCum: Number(x.dividends_cum),
        positions: (x.positions ?? []) as SnapshotPosition[],
      }));
    },

    /** Total value of the latest snapshot strictly before `date` (the base of MTD / YTD), or null. */
    async totalBefore(date: string): Promise<{ date: string; totalValue: number } | null> {
      const r = await db.query(
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, total_value FROM portfolio_snapshots
          WHERE snapshot_date < $1::date ORDER BY snapshot_date DESC LIMIT 1`,
        [date],
      );
      return r.rows[0] ? { date: r.rows[0].d, totalValue: Number(r.rows[0].total_value) } : null;
    },

    async upsertMonitoringRun(row: MonitoringRunRow): Promise<void> {
      await db.query(
        `INSERT INTO monitoring_runs (run_date, status, snapshot_date, total_value, daily_pnl, daily_return, mtd_pnl, mtd_return, ytd_pnl, ytd_return,
           unrealized_pnl, sharpe, sortino, max_drawdown, var95, window_returns, alerts, details, report_key, chart_key, updated_at)
         VALUES ($1::date, $2, $3::date, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb, $18::jsonb, $19, $20, now())
         ON CONFLICT (run_date) DO UPDATE SET status = EXCLUDED.status, snapshot_date = EXCLUDED.snapshot_date, total_value = EXCLUDED.total_value,
           daily_pnl = EXCLUDED.daily_pnl, daily_return = EXCLUDED.daily_return, mtd_pnl = EXCLUDED.mtd_pnl, mtd_return = EXCLUDED.mtd_return,
           ytd_pnl = EXCLUDED.ytd_pnl, ytd_return = EXCLUDED.ytd_return, unrealized_pnl = EXCLUDED.unrealized_pnl, sharpe = EXCLUDED.sharpe,
           sortino = EXCLUDED.sortino, max_drawdown = EXCLUDED.max_drawdown, var95 = EXCLUDED.var95, window_returns = EXCLUDED.window_returns,
           alerts = EXCLUDED.alerts, details = EXCLUDED.details, report_key = EXCLUDED.report_key, chart_key = EXCLUDED.chart_key, updated_at = now()`,
        [
          row.runDate,
          row.status,
          row.snapshotDate,
          n(row.totalValue),
          n(row.dailyPnl),
          n(row.dailyReturn),
          n(row.mtdPnl),
          n(row.mtdReturn),
          n(row.ytdPnl),
          n(row.ytdReturn),
          n(row.unrealizedPnl),
          n(row.sharpe),
          n(row.sortino),
          n(row.maxDrawdown),
          n(row.var95),
          row.windowReturns,
          JSON.stringify(row.alerts),
          JSON.stringify(row.details),
          row.reportKey,
          row.chartKey,
        ],
      );
    },

    async getMonitoringRun(date: string): Promise<MonitoringRunRow | null> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS run_date, status, to_char(snapshot_date, 'YYYY-MM-DD') AS snapshot_date, total_value, daily_pnl,
                daily_return, mtd_pnl, mtd_return, ytd_pnl, ytd_return, unrealized_pnl, sharpe, sortino, max_drawdown, var95, window_returns,
                alerts, details, report_key, chart_key
           FROM monitoring_runs WHERE run_date = $1::date`,
        [date],
      );
      const x = r.rows[0];
      if (!x) return null;
      return {
        runDate: x.run_date,
        status: x.status,
        snapshotDate: x.snapshot_date,
        totalValue: num(x.total_value),
        dailyPnl: num(x.daily_pnl),
        dailyReturn: num(x.daily_return),
        mtdPnl: num(x.mtd_pnl),
        mtdReturn: num(x.mtd_return),
        ytdPnl: num(x.ytd_pnl),
        ytdReturn: num(x.ytd_return),
        unrealizedPnl: num(x.unrealized_pnl),
        sharpe: num(x.sharpe),
        sortino: num(x.sortino),
        maxDrawdown: num(x.max_drawdown),
        var95: num(x.var95),
        windowReturns: x.window_returns,
        alerts: x.alerts,
        details: x.details,
        reportKey: x.report_key,
        chartKey: x.chart_key,
      };
    },
  };
}

export type MonitoringRepo = ReturnType<typeof createMonitoringRepo>;
