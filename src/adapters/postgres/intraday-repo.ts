/**
 * The hot store of the intraday strategies (issue 14): `intraday_bars`,
 * keyed by (symbol, interval, ts) (sql/013_intraday_bars.sql says why
 * `source` is not in the key). Bars are written by one parameterised
 * multi-row UPSERT per chunk from parallel arrays (`unnest`), every chunk of
 * a call in one transaction, so a failed write leaves no partial day; a row
 * whose values did not change is not rewritten, so a repeated fetch writes
 * nothing. Times cross the boundary as epoch milliseconds.
 */
import type pg from 'pg';
import type { BarInterval, IntradayBar } from '../../domain/strategies/types';
import { inTransaction, type Db } from './pool';

/** Rows per INSERT statement: 8 arrays of this length are one round trip. */
const CHUNK = 5_000;
const INTERVALS: readonly BarInterval[] = ['1m', '5m', '15m'];

export interface UpsertBarsResult {
  /** Rows inserted or changed. */
  written: number;
  /** Rows already stored with the same values and source. */
  unchanged: number;
}

async function upsertChunk(client: pg.PoolClient, source: string, interval: BarInterval, part: readonly IntradayBar[]): Promise<number> {
  const r = await client.query(
    `INSERT INTO intraday_bars AS b (symbol, interval, ts, open, high, low, close, volume, source)
     SELECT s, $1, to_timestamp(t / 1000.0), o, h, l, c, v, $2
     FROM unnest($3::text[], $4::int8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::int8[]) AS x(s, t, o, h, l, c, v)
     ON CONFLICT (symbol, interval, ts) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
       close = EXCLUDED.close, volume = EXCLUDED.volume, source = EXCLUDED.source, ingested_at = now()
     WHERE (b.open, b.high, b.low, b.close, b.volume, b.source)
       IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume, EXCLUDED.source)`,
    [
      interval,
      source,
      part.map((b) => b.symbol),
      part.map((b) => b.ts),
      part.map((b) => b.open),
      part.map((b) => b.high),
      part.map((b) => b.low),
      part.map((b) => b.close),
      part.map((b) => Math.round(b.volume)),
    ],
  );
  return r.rowCount ?? 0;
}

/**
 * @example
 *   const repo = createIntradayRepo(db);
 *   await repo.upsertBars('synthetic', '5m', bars); // { written: 3978, unchanged: 0 }
 *   await repo.barsBetween(['AAPL', 'MSFT'], open, close, '5m'); // AAPL's bars, then MSFT's, oldest first
 */
export function createIntradayRepo(db: Db) {
  return {
    /**
     * Upsert bars of one source and interval on (symbol, interval, ts), in chunks of 5,000 rows, all in one
     * transaction. A (symbol, ts) given twice in one call is stored once, with its last values (one
     * statement cannot update a row twice).
     */
    async upsertBars(source: string, interval: BarInterval, bars: readonly IntradayBar[]): Promise<UpsertBarsResult> {
      if (!INTERVALS.includes(interval)) throw new RangeError(`interval must be 1m, 5m or 15m, got ${String(interval)}`);
      if (bars.length === 0) return { written: 0, unchanged: 0 };
      const last = new Map<string, IntradayBar>();
      for (const b of bars) last.set(`${b.symbol}\u0000${b.ts}`, b);
      const rows = [...last.values()];
      const written = await inTransaction(db, async (client) => {
        let n = 0;
        for (let i = 0; i < rows.length; i += CHUNK) n += await upsertChunk(client, source, interval, rows.slice(i, i + CHUNK));
        return n;
      });
      return { written, unchanged: rows.length - written };
    },

    /** Bars of `interval` of these symbols starting in [from, to) (epoch ms), ordered by symbol then ts. */
    async barsBetween(symbols: readonly string[], from: number, to: number, interval: BarInterval): Promise<IntradayBar[]> {
      if (symbols.length === 0 || !(to > from)) return [];
      const r = await db.query<{ symbol: string; ms: string; open: number; high: number; low: number; close: number; volume: string }>(
        `SELECT symbol, (extract(epoch FROM ts) * 1000)::int8 AS ms, open, high, low, close, volume FROM intraday_bars
         WHERE symbol = ANY($1::text[]) AND interval = $2 AND ts >= to_timestamp($3 / 1000.0) AND ts < to_timestamp($4 / 1000.0)
         ORDER BY symbol, ts`,
        [symbols, interval, from, to],
      );
      return r.rows.map((x) => ({
        symbol: x.symbol,
        ts: Number(x.ms),
        open: x.open,
        high: x.high,
        low: x.low,
        close: x.close,
        volume: Number(x.volume),
      }));
    },

    /** The retention clean-up: delete bars (every interval) that start before `cutoffMs`; returns how many. */
    async deleteOlderThan(cutoffMs: number): Promise<number> {
      // Naming the intervals lets the (interval, ts) index serve the range on every Postgres version.
      const r = await db.query('DELETE FROM intraday_bars WHERE interval = ANY($1::text[]) AND ts < to_timestamp($2 / 1000.0)', [
        INTERVALS,
        cutoffMs,
      ]);
      return r.rowCount ?? 0;
    },

    /** Start (epoch ms) of the newest stored bar of `interval`, or null when there is none. */
    async latestBarTs(interval: BarInterval): Promise<number | null> {
      const r = await db.query<{ ms: string | null }>(
        'SELECT (extract(epoch FROM max(ts)) * 1000)::int8 AS ms FROM intraday_bars WHERE interval = $1',
        [interval],
      );
      const ms = r.rows[0]?.ms;
      return ms == null ? null : Number(ms);
    },
  };
}

export type IntradayRepo = ReturnType<typeof createIntradayRepo>;
