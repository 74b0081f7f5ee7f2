/**
 * The Postgres side of the risk analysis: the closes its correlations and
 * stress scenarios are computed from (market_data, written by WF1 ingest) and
 * the symbol_correlations table the API's risk cache reads. Writes are one
 * multi-row upsert on (symbol_a, symbol_b) in one statement: all pairs or none.
 */
import type { DailyClose, PairCorrelation } from '../../domain/correlations';
import type { Db } from '../postgres/pool';

export interface StoredCorrelation extends PairCorrelation {
  asOf: string;
}

export function createRiskStore(db: Db) {
  return {
    /**
     * Adjusted closes of the last `sessions` dates with any bar on or before
     * `asOf` (one date more than the returns wanted), for `symbols` or all.
     *
     * @example
     *   await risk.recentCloses('2026-03-02', 61); // 60 daily returns per symbol
     */
    async recentCloses(asOf: string, sessions: number, symbols?: readonly string[]): Promise<DailyClose[]> {
      const r = await db.query(
        `WITH days AS (SELECT DISTINCT date FROM market_data WHERE date <= $1::date ORDER BY date DESC LIMIT $2)
         SELECT m.symbol, to_char(m.date, 'YYYY-MM-DD') AS date, m.adj_close AS close
           FROM market_data m JOIN days USING (date)
          WHERE $3::text[] IS NULL OR m.symbol = ANY($3::text[])
          ORDER BY m.symbol, m.date`,
        [asOf, sessions, symbols ? [...symbols] : null],
      );
      return r.rows.map((row) => ({ symbol: row.symbol as string, date: row.date as string, close: Number(row.close) }));
    },

    /** Upsert every pair (symbol_a < symbol_b) with its as-of date, in one statement. */
    async upsertCorrelations(pairs: readonly PairCorrelation[], asOf: string): Promise<number> {
      if (pairs.length === 0) return 0;
      const r = await db.query(
        `INSERT INTO symbol_correlations (symbol_a, symbol_b, correlation, observations, as_of)
         SELECT a, b, c, n, $5::date FROM unnest($1::text[], $2::text[], $3::float8[], $4::int[]) AS t(a, b, c, n)
         ON CONFLICT (symbol_a, symbol_b) DO UPDATE SET correlation = EXCLUDED.correlation, observations = EXCLUDED.observations, as_of = EXCLUDED.as_of`,
        [pairs.map((p) => p.symbolA), pairs.map((p) => p.symbolB), pairs.map((p) => p.correlation), pairs.map((p) => p.observations), asOf],
      );
      return r.rowCount ?? 0;
    },

    /** Stored correlations between any two of `symbols`, sorted by pair. */
    async correlationsAmong(symbols: readonly string[]): Promise<StoredCorrelation[]> {
      if (symbols.length < 2) return [];
      const r = await db.query(
        `SELECT symbol_a, symbol_b, correlation, observations, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM symbol_correlations
          WHERE symbol_a = ANY($1::text[]) AND symbol_b = ANY($1::text[]) ORDER BY symbol_a, symbol_b`,
        [[...symbols]],
      );
      return r.rows.map((row) => ({
        symbolA: row.symbol_a as string,
        symbolB: row.symbol_b as string,
        correlation: Number(row.correlation),
        observations: Number(row.observations),
        asOf: row.as_of as string,
      }));
    },
  };
}

export type RiskStore = ReturnType<typeof createRiskStore>;
