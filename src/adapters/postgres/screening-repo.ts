/**
 * Rows of the daily screen (WF2) and the price reads it and WF3 make from
 * `market_data`. A run is keyed by its date: `replaceScreening` deletes the
 * date's run (its results cascade) and inserts the new one in ONE
 * transaction, so a rerun replaces, and a failure leaves the previous rows
 * (or none) but never a mix.
 */
import type { Db } from './pool';
import type { ScreenedSymbol } from '../../domain/screen-day';
import { inTransaction } from './pool';

/** One adjusted close from market_data. */
export interface PriceRow {
  symbol: string;
  /** YYYY-MM-DD */
  date: string;
  close: number;
  adjClose: number;
}

export interface ScreeningRunRow {
  runDate: string;
  symbols: number;
  lookbackDays: number;
  clusters: number | null;
  weights: Record<string, number>;
  parquetKey: string | null;
  reportKey: string | null;
}

/** A stored screen row: the domain's merged row without its per-run extras. */
export type ScreeningResultRow = Omit<ScreenedSymbol, 'bars' | 'lastDate' | 'lastClose'>;

const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

export function createScreeningRepo(db: Db) {
  return {
    /** Closes and adjusted closes over [from, to] (inclusive), oldest first per symbol; all symbols when `symbols` is omitted. */
    async loadAdjCloses(from: string, to: string, symbols?: readonly string[]): Promise<PriceRow[]> {
      const r = await db.query<{ symbol: string; date: string; close: number; adj_close: number }>(
        `SELECT symbol, to_char(date, 'YYYY-MM-DD') AS date, close, adj_close FROM market_data
          WHERE date BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR symbol = ANY($3::text[]))
          ORDER BY symbol, date`,
        [from, to, symbols ? [...symbols] : null],
      );
      return r.rows.map((x) => ({ symbol: x.symbol, date: x.date, close: Number(x.close), adjClose: Number(x.adj_close) }));
    },

    /** Number of bars stored for `date` (0 = no trading data that day). */
    async barsOn(date: string): Promise<number> {
      const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM market_data WHERE date = $1::date', [date]);
      return Number(r.rows[0].n);
    },

    /** Latest known sector per symbol from `fundamentals` (as of `date` or earlier). */
    async sectorsAsOf(date: string): Promise<Map<string, string>> {
      const r = await db.query<{ symbol: string; sector: string }>(
        `SELECT DISTINCT ON (symbol) symbol, sector FROM fundamentals
          WHERE as_of <= $1::date AND sector IS NOT NULL ORDER BY symbol, as_of DESC`,
        [date],
      );
      return new Map(r.rows.map((x) => [x.symbol, x.sector]));
    },

    /** Replace the date's screening (run row + results) in one transaction. */
    async replaceScreening(run: ScreeningRunRow, rows: readonly ScreeningResultRow[]): Promise<void> {
      await inTransaction(db, async (c) => {
        await c.query('DELETE FROM screening_runs WHERE run_date = $1::date', [run.runDate]);
        await c.query(
          `INSERT INTO screening_runs (run_date, symbols, lookback_days, clusters, weights, parquet_key, report_key)
           VALUES ($1::date, $2, $3, $4, $5::jsonb, $6, $7)`,
          [run.runDate, run.symbols, run.lookbackDays, run.clusters, JSON.stringify(run.weights), run.parquetKey, run.reportKey],
        );
        if (rows.length === 0) return;
        await c.query(
          `INSERT INTO screening_results (run_date, symbol, sector, momentum_score, low_vol_score, rsi_score, sharpe_score,
             composite, composite_z, rank, quintile, cluster, cluster_label, metrics)
           SELECT $1::date, * FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
             $8::float8[], $9::float8[], $10::int[], $11::int[], $12::int[], $13::text[], $14::jsonb[])`,
          [
            run.runDate,
            rows.map((r) => r.symbol),
            rows.map((r) => r.sector),
            rows.map((r) => num(r.momentumScore)),
            rows.map((r) => num(r.lowVolScore)),
            rows.map((r) => num(r.rsiScore)),
            rows.map((r) => num(r.sharpeScore)),
            rows.map((r) => num(r.composite)),
            rows.map((r) => num(r.compositeZ)),
            rows.map((r) => r.rank),
            rows.map((r) => r.quintile),
            rows.map((r) => r.cluster),
            rows.map((r) => r.clusterLabel),
            rows.map((r) => JSON.stringify(r.metrics)),
          ],
        );
      });
    },

    async getScreeningRun(date: string): Promise<ScreeningRunRow | null> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS run_date, symbols, lookback_days, clusters, weights, parquet_key, report_key
           FROM screening_runs WHERE run_date = $1::date`,
        [date],
      );
      const x = r.rows[0];
      if (!x) return null;
      return {
        runDate: x.run_date,
        symbols: x.symbols,
        lookbackDays: x.lookback_days,
        clusters: x.clusters,
        weights: x.weights,
        parquetKey: x.parquet_key,
        reportKey: x.report_key,
      };
    },

    /** The date's results, best rank first; `maxQuintile` keeps quintiles 1..maxQuintile. */
    async getScreeningResults(date: string, maxQuintile = 5): Promise<ScreeningResultRow[]> {
      const r = await db.query(
        `SELECT symbol, sector, momentum_score, low_vol_score, rsi_score, sharpe_score, composite, composite_z, rank, quintile,
                cluster, cluster_label, metrics
           FROM screening_results WHERE run_date = $1::date AND quintile <= $2 ORDER BY rank`,
        [date, maxQuintile],
      );
      return r.rows.map((x) => ({
        symbol: x.symbol,
        sector: x.sector,
        momentumScore: x.momentum_score,
        lowVolScore: x.low_vol_score,
        rsiScore: x.rsi_score,
        sharpeScore: x.sharpe_score,
        composite: x.composite,
        compositeZ: x.composite_z,
        rank: x.rank,
        quintile: x.quintile,
        cluster: x.cluster,
        clusterLabel: x.cluster_label,
        metrics: x.metrics,
      }));
    },
  };
}

export type ScreeningRepo = ReturnType<typeof createScreeningRepo>;
