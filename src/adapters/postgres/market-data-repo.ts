/**
 * The hot store of WF1: end-of-day bars (`market_data`), fundamentals and
 * ingest runs. Bars are written by one multi-row UPSERT per batch from
 * parallel arrays (`unnest`), all batches of a call in one transaction, so a
 * failed store leaves no partial rows; a row whose values did not change is
 * not rewritten (its `ingested_at` stays), so a repeated ingest writes nothing.
 */
import type pg from 'pg';
import type { EodBar, Fundamentals } from '../market-data/types';
import type { IngestRunRecord } from '../../domain/ingest-day';
import { inTransaction, type Db } from './pool';

/** Rows per INSERT statement: 9 arrays of this length are one round trip. */
const BATCH = 10_000;

export interface StoreBarsResult {
  /** Rows inserted or changed. */
  written: number;
  /** Rows already present with the same values. */
  unchanged: number;
}

/** One `ingest_runs` row, as the domain records it. */
export type IngestRunRow = IngestRunRecord;

export interface StoredBar extends EodBar {
  source: string;
}

async function upsertBars(client: pg.PoolClient | Db, bars: readonly EodBar[], source: string): Promise<StoreBarsResult> {
  let written = 0;
  for (let i = 0; i < bars.length; i += BATCH) {
    const part = bars.slice(i, i + BATCH);
    const r = await client.query(
      `INSERT INTO market_data AS m (symbol, date, open, high, low, close, adj_close, volume, source)
       SELECT s, d, o, h, l, c, a, v, $9 FROM unnest($1::text[], $2::date[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::int8[])
         AS t(s, d, o, h, l, c, a, v)
       ON CONFLICT (symbol, date) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
         adj_close = EXCLUDED.adj_close, volume = EXCLUDED.volume, source = EXCLUDED.source, ingested_at = now()
       WHERE (m.open, m.high, m.low, m.close, m.adj_close, m.volume, m.source)
         IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.adj_close, EXCLUDED.volume, EXCLUDED.source)`,
      [
        part.map((b) => b.symbol),
        part.map((b) => b.date),
        part.map((b) => b.open),
        part.map((b) => b.high),
        part.map((b) => b.low),
        part.map((b) => b.close),
        part.map((b) => b.adjClose),
        part.map((b) => Math.round(b.volume)),
        source,
      ],
    );
    written += r.rowCount ?? 0;
  }
  return { written, unchanged: bars.length - written };
}

const storedBarOf = (x: Record<string, any>): StoredBar => ({
  symbol: x.symbol,
  date: x.date,
  open: x.open,
  high: x.high,
  low: x.low,
  close: x.close,
  adjClose: x.adj_close,
  volume: Number(x.volume),
  source: x.source,
});

export function createMarketDataRepo(db: Db) {
  return {
    /**
     * Upsert bars on (symbol, date) in one transaction: all or nothing.
     *
     * @example
     *   await repo.storeBars(bars, 'synthetic'); // { written: 49, unchanged: 0 }
     */
    async storeBars(bars: readonly EodBar[], source: string): Promise<StoreBarsResult> {
      if (bars.length === 0) return { written: 0, unchanged: 0 };
      return inTransaction(db, (client) => upsertBars(client, bars, source));
    },

    async upsertFundamentals(rows: readonly Fundamentals[], asOf: string, source: string): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `INSERT INTO fundamentals (symbol, as_of, sector, pe_ratio, dividend_yield, roe, debt_to_equity, current_ratio, source)
         SELECT s, $2::date, sec, pe, dy, roe, de, cr, $9 FROM unnest($1::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
           AS t(s, sec, pe, dy, roe, de, cr)
         ON CONFLICT (symbol, as_of) DO UPDATE SET sector = EXCLUDED.sector, pe_ratio = EXCLUDED.pe_ratio, dividend_yield = EXCLUDED.dividend_yield,
           roe = EXCLUDED.roe, debt_to_equity = EXCLUDED.debt_to_equity, current_ratio = EXCLUDED.current_ratio, source = EXCLUDED.source`,
        [
          rows.map((r) => r.symbol),
          asOf,
          rows.map((r) => r.sector),
          rows.map((r) => r.peRatio),
          rows.map((r) => r.dividendYield),
          rows.map((r) => r.roe),
          rows.map((r) => r.debtToEquity),
          rows.map((r) => r.currentRatio),
          source,
        ],
      );
    },

    /** Upsert one ingest run per date (a backfill chunk records each of its trading days). */
    async upsertIngestRuns(rows: readonly IngestRunRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `INSERT INTO ingest_runs (run_date, provider, status, symbols, rows_stored, rejected_ticks, quality_score, stale_symbols, failed_symbols, parquet_key, report_key, updated_at)
         SELECT d, p, st, sy, rs, rt, q, ss::jsonb, fs::jsonb, pk, rk, now()
         FROM unnest($1::date[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::text[])
           AS t(d, p, st, sy, rs, rt, q, ss, fs, pk, rk)
         ON CONFLICT (run_date) DO UPDATE SET provider = EXCLUDED.provider, status = EXCLUDED.status, symbols = EXCLUDED.symbols,
           rows_stored = EXCLUDED.rows_stored, rejected_ticks = EXCLUDED.rejected_ticks, quality_score = EXCLUDED.quality_score,
           stale_symbols = EXCLUDED.stale_symbols, failed_symbols = EXCLUDED.failed_symbols, parquet_key = EXCLUDED.parquet_key,
           report_key = EXCLUDED.report_key, updated_at = now()`,
        [
          rows.map((r) => r.runDate),
          rows.map((r) => r.provider),
          rows.map((r) => r.status),
          rows.map((r) => r.symbols),
          rows.map((r) => r.rowsStored),
          rows.map((r) => r.rejectedTicks),
          rows.map((r) => r.qualityScore),
          rows.map((r) => JSON.stringify(r.staleSymbols)),
          rows.map((r) => JSON.stringify(r.failedSymbols)),
          rows.map((r) => r.parquetKey),
          rows.map((r) => r.reportKey),
        ],
      );
    },

    async getIngestRun(runDate: string): Promise<(IngestRunRow & { updatedAt: Date }) | undefined> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS run_date, provider, status, symbols, rows_stored, rejected_ticks, quality_score, stale_symbols,
                failed_symbols, parquet_key, report_key, updated_at FROM ingest_runs WHERE run_date = $1::date`,
        [runDate],
      );
      const x = r.rows[0];
      if (!x) return undefined;
      return {
        runDate: x.run_date,
        provider: x.provider,
        status: x.status,
        symbols: x.symbols,
        rowsStored: x.rows_stored,
        rejectedTicks: x.rejected_ticks,
        qualityScore: x.quality_score,
        staleSymbols: x.stale_symbols,
        failedSymbols: x.failed_symbols,
        parquetKey: x.parquet_key,
        reportKey: x.report_key,
        updatedAt: x.updated_at,
      };
    },

    /** Last stored bar date per symbol on or before `upTo` (null when none). */
    async lastBarDates(symbols: readonly string[], upTo: string): Promise<Record<string, string | null>> {
      const out: Record<string, string | null> = Object.fromEntries(symbols.map((s) => [s, null]));
      const r = await db.query<{ symbol: string; last: string }>(
        `SELECT symbol, to_char(max(date), 'YYYY-MM-DD') AS last FROM market_data WHERE symbol = ANY($1::text[]) AND date <= $2::date GROUP BY symbol`,
        [symbols, upTo],
      );
      for (const row of r.rows) out[row.symbol] = row.last;
      return out;
    },

    /** Adjusted closes per symbol over [from, to], in date order. */
    async loadCloses(
      symbols: readonly string[],
      from: string,
      to: string,
    ): Promise<Map<string, { dates: string[]; adjClose: Float64Array }>> {
      const bars = await this.loadBars(symbols, from, to);
      const grouped = new Map<string, StoredBar[]>();
      for (const b of bars) (grouped.get(b.symbol) ?? grouped.set(b.symbol, []).get(b.symbol)!).push(b);
      const out = new Map<string, { dates: string[]; adjClose: Float64Array }>();
      for (const [s, list] of grouped) out.set(s, { dates: list.map((b) => b.date), adjClose: Float64Array.from(list, (b) => b.adjClose) });
      return out;
    },

    /** Bars over [from, to] ordered by symbol then date. */
    async loadBars(symbols: readonly string[], from: string, to: string): Promise<StoredBar[]> {
      const r = await db.query(
        `SELECT symbol, to_char(date, 'YYYY-MM-DD') AS date, open, high, low, close, adj_close, volume, source FROM market_data
         WHERE symbol = ANY($1::text[]) AND date BETWEEN $2::date AND $3::date ORDER BY symbol, date`,
        [symbols, from, to],
      );
      return r.rows.map(storedBarOf);
    },

    /**
     * Of each symbol (of `symbols`, or every one) that has a bar on `date`, its last `count` bars up to `date`, ordered by
     * symbol then date: what a strategy kind's daily model run reads. A symbol without a bar on the date is left out
     * (its last bars would be a stale series), so the caller can name what is missing.
     */
    async lastBarsOn(date: string, count: number, symbols?: readonly string[]): Promise<StoredBar[]> {
      const r = await db.query(
        `SELECT b.symbol, to_char(b.date, 'YYYY-MM-DD') AS date, b.open, b.high, b.low, b.close, b.adj_close, b.volume, b.source
           FROM (SELECT symbol FROM market_data WHERE date = $1::date AND ($3::text[] IS NULL OR symbol = ANY($3::text[]))) d
           CROSS JOIN LATERAL (
             SELECT * FROM market_data m WHERE m.symbol = d.symbol AND m.date <= $1::date ORDER BY m.date DESC LIMIT $2) b
          ORDER BY b.symbol, b.date`,
        [date, count, symbols ?? null],
      );
      return r.rows.map(storedBarOf);
    },

    /** Rows stored for a date (tests, reports). */
    async countForDate(date: string): Promise<number> {
      const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM market_data WHERE date = $1::date', [date]);
      return Number(r.rows[0].n);
    },
  };
}

export type MarketDataRepo = ReturnType<typeof createMarketDataRepo>;
