/**
 * Rows of WF6 `backtest`: the signal history it replays (`signal_results`
 * of WF3 over a window), the closes it prices with (`market_data`), and
 * `backtest_runs`, UPSERTed on (start_date, end_date) with both equity
 * curves so the metrics can be recomputed from the row alone.
 */
import type { Db } from './pool';
import type { Recommendation } from '../../domain/scoring';

export interface HistoricalSignal {
  date: string;
  symbol: string;
  sector: string | null;
  signal: Recommendation;
}

export interface BacktestCurve {
  dates: string[];
  equity: number[];
}

export interface BacktestRunRow {
  startDate: string;
  endDate: string;
  runDate: string;
  status: 'completed' | 'no_signals';
  initialCapital: number;
  params: Record<string, unknown>;
  signalDates: number;
  signalMetrics: Record<string, number | null> | null;
  benchmarkMetrics: Record<string, number | null> | null;
  excess: Record<string, number | null> | null;
  signalCurve: BacktestCurve | null;
  benchmarkCurve: BacktestCurve | null;
  reportKey: string | null;
  chartKey: string | null;
}

/** JSON has no NaN: metrics that are undefined are stored as null. */
const metricsJson = (m: Record<string, number | null> | null) =>
  m === null
    ? null
    : JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v !== null && Number.isFinite(v) ? v : null])));

export function createBacktestRepo(db: Db) {
  return {
    /** Distinct dates with a signal run in [from, to], ascending. */
    async signalDates(from: string, to: string): Promise<string[]> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS d FROM signal_runs WHERE run_date BETWEEN $1::date AND $2::date ORDER BY run_date`,
        [from, to],
      );
      return r.rows.map((x) => x.d);
    },

    /** Every signal result in [from, to], by date then symbol. */
    async signalsBetween(from: string, to: string): Promise<HistoricalSignal[]> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS d, symbol, sector, signal FROM signal_results
          WHERE run_date BETWEEN $1::date AND $2::date ORDER BY run_date, symbol`,
        [from, to],
      );
      return r.rows.map((x) => ({ date: x.d, symbol: x.symbol, sector: x.sector, signal: x.signal }));
    },

    /** Adjusted closes of `symbols` in [from, to], by symbol then date. */
    async closes(symbols: readonly string[], from: string, to: string): Promise<{ symbol: string; date: string; adjClose: number }[]> {
      const r = await db.query(
        `SELECT symbol, to_char(date, 'YYYY-MM-DD') AS d, adj_close FROM market_data
          WHERE symbol = ANY($1::text[]) AND date BETWEEN $2::date AND $3::date ORDER BY symbol, date`,
        [[...symbols], from, to],
      );
      return r.rows.map((x) => ({ symbol: x.symbol, date: x.d, adjClose: Number(x.adj_close) }));
    },

    async upsertBacktestRun(row: BacktestRunRow): Promise<void> {
      await db.query(
        `INSERT INTO backtest_runs (start_date, end_date, run_date, status, initial_capital, params, signal_dates, signal_metrics, benchmark_metrics,
           excess, signal_curve, benchmark_curve, report_key, chart_key, updated_at)
         VALUES ($1::date, $2::date, $3::date, $4, $5, $6::jsonb, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14, now())
         ON CONFLICT (start_date, end_date) DO UPDATE SET run_date = EXCLUDED.run_date, status = EXCLUDED.status,
           initial_capital = EXCLUDED.initial_capital, params = EXCLUDED.params, signal_dates = EXCLUDED.signal_dates,
           signal_metrics = EXCLUDED.signal_metrics, benchmark_metrics = EXCLUDED.benchmark_metrics, excess = EXCLUDED.excess,
           signal_curve = EXCLUDED.signal_curve, benchmark_curve = EXCLUDED.benchmark_curve, report_key = EXCLUDED.report_key,
           chart_key = EXCLUDED.chart_key, updated_at = now()`,
        [
          row.startDate,
          row.endDate,
          row.runDate,
          row.status,
          row.initialCapital,
          JSON.stringify(row.params),
          row.signalDates,
          metricsJson(row.signalMetrics),
          metricsJson(row.benchmarkMetrics),
          metricsJson(row.excess),
          row.signalCurve ? JSON.stringify(row.signalCurve) : null,
          row.benchmarkCurve ? JSON.stringify(row.benchmarkCurve) : null,
          row.reportKey,
          row.chartKey,
        ],
      );
    },

    async getBacktestRun(startDate: string, endDate: string): Promise<BacktestRunRow | null> {
      const r = await db.query(
        `SELECT to_char(start_date, 'YYYY-MM-DD') AS s, to_char(end_date, 'YYYY-MM-DD') AS e, to_char(run_date, 'YYYY-MM-DD') AS rd, status,
                initial_capital, params, signal_dates, signal_metrics, benchmark_metrics, excess, signal_curve, benchmark_curve, report_key, chart_key
           FROM backtest_runs WHERE start_date = $1::date AND end_date = $2::date`,
        [startDate, endDate],
      );
      const x = r.rows[0];
      if (!x) return null;
      return {
        startDate: x.s,
        endDate: x.e,
        runDate: x.rd,
        status: x.status,
        initialCapital: Number(x.initial_capital),
        params: x.params,
        signalDates: x.signal_dates,
        signalMetrics: x.signal_metrics,
        benchmarkMetrics: x.benchmark_metrics,
        excess: x.excess,
        signalCurve: x.signal_curve,
        benchmarkCurve: x.benchmark_curve,
        reportKey: x.report_key,
        chartKey: x.chart_key,
      };
    },
  };
}

export type BacktestRepo = ReturnType<typeof createBacktestRepo>;
