/**
 * What the Overview page reads from Postgres: the daily pipeline's
 * snapshots and monitoring runs, and for an execution book its fills (the
 * strategy book repo's), its paper account's starting cash, the intraday
 * bars it is marked with, its day results, risk checks and rejected signals.
 * Reads only; the shaping is in overview-shape.ts.
 */
import type { MonitoringRunRow } from '../../adapters/postgres/monitoring-repo';
import type { Db } from '../../adapters/postgres/pool';
import type { BarInterval } from '../../domain/strategies/types';

/** One alert as the page lists it, whatever wrote it. */
export interface AlertLine {
  /** A day ('2025-03-14') or an ISO instant. */
  at: string;
  severity: 'info' | 'warning' | 'critical';
  source: string;
  message: string;
}

export interface PipelineSnapshot {
  date: string;
  cash: number;
  positionsValue: number;
  totalValue: number;
  positions: { symbol: string; sector?: string | null; marketValue: number }[];
}

/** The P&L figures of WF5's latest completed run: the monitoring repo's row, narrowed to what the Overview shows. */
export type MonitoringFigures = Pick<
  MonitoringRunRow,
  'runDate' | 'dailyPnl' | 'dailyReturn' | 'mtdPnl' | 'mtdReturn' | 'ytdPnl' | 'ytdReturn'
>;

/** Intervals to mark an execution book with, preferred first: the strategies' default 5-minute bars, then coarser, then finer. */
const MARK_INTERVALS: readonly BarInterval[] = ['5m', '15m', '1m'];

const ALERT_LIMIT = 20;

export function createOverviewReads(db: Db) {
  return {
    /** Every execution book with fills, day results or risk checks, with its latest activity (epoch ms). */
    async executionBooks(): Promise<{ book: string; latest: number }[]> {
      const r = await db.query(
        `SELECT book, max(at) AS at FROM (
           SELECT o.broker AS book, max(f.filled_at) AS at FROM order_fills f JOIN trading_orders o ON o.id = f.order_id GROUP BY o.broker
           UNION ALL SELECT book, max(computed_at) FROM strategy_day_results GROUP BY book
           UNION ALL SELECT book, max(checked_at) FROM book_risk_checks GROUP BY book
         ) x GROUP BY book`,
      );
      return r.rows.map((x) => ({ book: x.book, latest: new Date(x.at).getTime() }));
    },

    async hasPipeline(): Promise<boolean> {
      const r = await db.query('SELECT EXISTS (SELECT 1 FROM portfolio_snapshots) OR EXISTS (SELECT 1 FROM monitoring_runs) AS found');
      return r.rows[0].found === true;
    },

    /** Every snapshot's date and total, oldest first (the equity curve). */
    async snapshotTotals(): Promise<{ date: string; totalValue: number }[]> {
      const r = await db.query(
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, total_value FROM portfolio_snapshots ORDER BY snapshot_date`,
      );
      return r.rows.map((x) => ({ date: x.d, totalValue: Number(x.total_value) }));
    },

    async latestSnapshot(): Promise<PipelineSnapshot | null> {
      const r = await db.query(
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, cash, positions_value, total_value, positions
           FROM portfolio_snapshots ORDER BY snapshot_date DESC LIMIT 1`,
      );
      const x = r.rows[0];
      if (!x) return null;
      return {
        date: x.d,
        cash: Number(x.cash),
        positionsValue: Number(x.positions_value),
        totalValue: Number(x.total_value),
        positions: x.positions ?? [],
      };
    },

    /** The latest completed monitoring run's P&L figures (WF5), or null before the first. */
    async latestMonitoring(): Promise<MonitoringFigures | null> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS d, daily_pnl, daily_return, mtd_pnl, mtd_return, ytd_pnl, ytd_return
           FROM monitoring_runs WHERE status = 'completed' ORDER BY run_date DESC LIMIT 1`,
      );
      const x = r.rows[0];
      if (!x) return null;
      return {
        runDate: x.d,
        dailyPnl: x.daily_pnl,
        dailyReturn: x.daily_return,
        mtdPnl: x.mtd_pnl,
        mtdReturn: x.mtd_return,
        ytdPnl: x.ytd_pnl,
        ytdReturn: x.ytd_return,
      };
    },

    /** The monitor's alerts (monitoring_runs.alerts, MonitorAlert), newest run first. */
    async pipelineAlerts(): Promise<AlertLine[]> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS d, alerts FROM monitoring_runs
          WHERE jsonb_array_length(alerts) > 0 ORDER BY run_date DESC LIMIT $1`,
        [ALERT_LIMIT],
      );
      return r.rows
        .flatMap((x) =>
          (x.alerts as { kind?: string; message?: string }[]).map((a) => ({
            at: x.d as string,
            severity: 'warning' as const,
            source: `monitor${a.kind ? ` · ${a.kind}` : ''}`,
            message: a.message ?? JSON.stringify(a),
          })),
        )
        .slice(0, ALERT_LIMIT);
    },

    /**
     * The paper account a book trades and its starting cash: `replay:*` books trade an account of their own
     * name, `paper:<account>` that account, and the service's own venue name (`paper`) the account its
     * orders were placed on (found through the venue's record of the same client order id). Null when the
     * account is not a paper account here (Alpaca).
     */
    async startingCash(book: string): Promise<number | null> {
      const named = book.startsWith('replay:') ? book : book.startsWith('paper:') ? book.slice('paper:'.length) : null;
      const r = named
        ? await db.query('SELECT starting_cash FROM paper_venue_accounts WHERE account = $1', [named])
        : await db.query(
            `SELECT a.starting_cash FROM trading_orders o
               JOIN paper_venue_orders p ON p.client_order_id = o.client_order_id
               JOIN paper_venue_accounts a ON a.account = p.account
              WHERE o.broker = $1 LIMIT 1`,
            [book],
          );
      return r.rows[0] ? Number(r.rows[0].starting_cash) : null;
    },

    /** The bar interval to mark `symbols` with (see MARK_INTERVALS) and the latest bar's start (epoch ms), or null without bars. */
    async markInterval(symbols: readonly string[]): Promise<{ interval: BarInterval; latest: number } | null> {
      if (symbols.length === 0) return null;
      const r = await db.query(
        `SELECT interval, (extract(epoch FROM max(ts)) * 1000)::int8 AS ms FROM intraday_bars
          WHERE symbol = ANY($1::text[]) GROUP BY interval`,
        [symbols],
      );
      const found = new Map(r.rows.map((x) => [x.interval as BarInterval, Number(x.ms)]));
      const interval = MARK_INTERVALS.find((i) => found.has(i));
      return interval ? { interval, latest: found.get(interval)! } : null;
    },

    /** Sector of each symbol from the trading universe (its latest membership spell). */
    async sectors(symbols: readonly string[]): Promise<Map<string, string | null>> {
      if (symbols.length === 0) return new Map();
      const r = await db.query(
        `SELECT DISTINCT ON (symbol) symbol, sector FROM trading_universe WHERE symbol = ANY($1::text[]) ORDER BY symbol, added_on DESC`,
        [symbols],
      );
      return new Map(r.rows.map((x) => [x.symbol as string, x.sector as string | null]));
    },

    /** The book's total P&L per session (strategy_day_results, strategy '*'), oldest first. */
    async dayTotals(book: string): Promise<{ date: string; pnl: number }[]> {
      const r = await db.query(
        `SELECT to_char(session_date, 'YYYY-MM-DD') AS d, pnl FROM strategy_day_results
          WHERE book = $1 AND strategy = '*' ORDER BY session_date`,
        [book],
      );
      return r.rows.map((x) => ({ date: x.d, pnl: Number(x.pnl) }));
    },

    /**
     * A book's alerts: each violation of its latest risk checks (and a halt), and its signals the risk
     * manager rejected, one line per day and rule (a rejection is routine; thousands of lines would bury
     * the risk check's). Signals belong to a desk's book by their key prefix `<book>|`.
     */
    async bookAlerts(book: string): Promise<AlertLine[]> {
      const [checks, rejected] = await Promise.all([
        db.query(
          `SELECT checked_at, violations, halted FROM book_risk_checks
            WHERE book = $1 AND (jsonb_array_length(violations) > 0 OR halted) ORDER BY checked_at DESC LIMIT $2`,
          [book, ALERT_LIMIT],
        ),
        db.query(
          `SELECT v.rule, count(*) AS n, max(s.signal_ts) AS last FROM risk_violations v JOIN trading_signals s ON s.id = v.signal_id
            WHERE starts_with(s.idempotency_key, $1) GROUP BY v.rule, (s.signal_ts AT TIME ZONE 'America/New_York')::date ORDER BY max(s.signal_ts) DESC LIMIT $2`,
          [`${book}|`, ALERT_LIMIT],
        ),
      ]);
      const fromChecks = checks.rows.flatMap((x): AlertLine[] => {
        const at = new Date(x.checked_at).toISOString();
        const lines = (x.violations as { severity?: string; rule?: string; message?: string }[]).map((v) => ({
          at,
          severity: v.severity === 'critical' ? ('critical' as const) : ('warning' as const),
          source: `risk check${v.rule ? ` · ${v.rule}` : ''}`,
          message: v.message ?? JSON.stringify(v),
        }));
        return x.halted ? [{ at, severity: 'critical', source: 'risk check', message: 'trading halted' }, ...lines] : lines;
      });
      const fromRejections = rejected.rows.map((x): AlertLine => ({
        at: new Date(x.last).toISOString(),
        severity: 'info',
        source: `risk manager · ${x.rule}`,
        message: `${x.n} signal${Number(x.n) === 1 ? '' : 's'} rejected by ${x.rule}`,
      }));
      return [...fromChecks, ...fromRejections].sort((a, b) => b.at.localeCompare(a.at)).slice(0, ALERT_LIMIT);
    },
  };
}

export type OverviewReads = ReturnType<typeof createOverviewReads>;
