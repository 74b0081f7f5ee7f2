/**
 * Rows of the daily signal run (WF3): `signal_runs` and `signal_results`,
 * keyed by the run date. `replaceSignals` deletes the date's run (results
 * cascade) and inserts the new one in ONE transaction, so a failed store
 * leaves the previous rows (or none) and never a partial set.
 */
import type { Recommendation } from '../../domain/scoring';
import type { Db } from './pool';
import type { CombinedSignal } from '../../domain/signal-day';
import { inTransaction } from './pool';

export interface SignalRunRow {
  runDate: string;
  symbols: number;
  weights: { technical: number; fundamental: number; sentiment: number };
  distribution: Record<Recommendation, number>;
  parquetKey: string | null;
  reportKey: string | null;
}

/** A stored signal row: the domain's combined signal without the screen's rank and quintile. */
export type SignalResultRow = Omit<CombinedSignal, 'quintile' | 'rank'>;

export function createSignalRepo(db: Db) {
  return {
    async replaceSignals(run: SignalRunRow, rows: readonly SignalResultRow[]): Promise<void> {
      await inTransaction(db, async (c) => {
        await c.query('DELETE FROM signal_runs WHERE run_date = $1::date', [run.runDate]);
        await c.query(
          `INSERT INTO signal_runs (run_date, symbols, weights, distribution, parquet_key, report_key)
           VALUES ($1::date, $2, $3::jsonb, $4::jsonb, $5, $6)`,
          [run.runDate, run.symbols, JSON.stringify(run.weights), JSON.stringify(run.distribution), run.parquetKey, run.reportKey],
        );
        if (rows.length === 0) return;
        await c.query(
          `INSERT INTO signal_results (run_date, symbol, sector, technical_score, fundamental_score, sentiment_score, has_sentiment,
             news_count, combined_score, signal, close, details)
           SELECT $1::date, * FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::bool[],
             $8::int[], $9::float8[], $10::text[], $11::float8[], $12::jsonb[])`,
          [
            run.runDate,
            rows.map((r) => r.symbol),
            rows.map((r) => r.sector),
            rows.map((r) => r.technicalScore),
            rows.map((r) => r.fundamentalScore),
            rows.map((r) => r.sentimentScore),
            rows.map((r) => r.hasSentiment),
            rows.map((r) => r.newsCount),
            rows.map((r) => r.combinedScore),
            rows.map((r) => r.signal),
            rows.map((r) => (r.close !== null && Number.isFinite(r.close) ? r.close : null)),
            rows.map((r) => JSON.stringify(r.details)),
          ],
        );
      });
    },

    async getSignalRun(date: string): Promise<SignalRunRow | null> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS run_date, symbols, weights, distribution, parquet_key, report_key
           FROM signal_runs WHERE run_date = $1::date`,
        [date],
      );
      const x = r.rows[0];
      return x
        ? {
            runDate: x.run_date,
            symbols: x.symbols,
            weights: x.weights,
            distribution: x.distribution,
            parquetKey: x.parquet_key,
            reportKey: x.report_key,
          }
        : null;
    },

    /** The date's results, highest combined score first. */
    async getSignalResults(date: string): Promise<SignalResultRow[]> {
      const r = await db.query(
        `SELECT symbol, sector, technical_score, fundamental_score, sentiment_score, has_sentiment, news_count, combined_score,
                signal, close, details
           FROM signal_results WHERE run_date = $1::date ORDER BY combined_score DESC, symbol`,
        [date],
      );
      return r.rows.map((x) => ({
        symbol: x.symbol,
        sector: x.sector,
        technicalScore: x.technical_score,
        fundamentalScore: x.fundamental_score,
        sentimentScore: x.sentiment_score,
        hasSentiment: x.has_sentiment,
        newsCount: x.news_count,
        combinedScore: x.combined_score,
        signal: x.signal,
        close: x.close,
        details: x.details,
      }));
    },
  };
}

export type SignalRepo = ReturnType<typeof createSignalRepo>;
