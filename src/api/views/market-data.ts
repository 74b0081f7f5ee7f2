/**
 * The Market page's reads: which symbols have bars, a symbol's bars in one
 * interval, and what to mark on them (the daily pipeline's recommendations,
 * model signals, the intraday strategies' signals, and our fills from both
 * books). Read-only SQL, every value a parameter. Days cross the boundary as
 * 'YYYY-MM-DD'; intraday instants as both the real instant (ISO) and the
 * exchange's wall clock in seconds (`wall`), the time the chart draws.
 */
import type { BarInterval } from '../../domain/strategies/types';
import type { Db } from '../../adapters/postgres/pool';

/** The exchange every stored session belongs to; intraday axes read in its wall clock. */
export const EXCHANGE_TZ = 'America/New_York';

export type MarketInterval = '1d' | BarInterval;
const INTERVAL_ORDER: readonly MarketInterval[] = ['1d', '1m', '5m', '15m'];

export interface SymbolRow {
  symbol: string;
  /** Bars per interval that has any, with the first and last bar ('YYYY-MM-DD' days, ISO instants intraday). */
  intervals: { interval: MarketInterval; bars: number; first: string; last: string }[];
  /** When we last traded it (a fill in either book), ISO; null if never. */
  last_fill_at: string | null;
  fills: number;
}

export interface BarRow {
  /** 'YYYY-MM-DD' for daily bars; the bar's start in exchange wall-clock seconds intraday. */
  time: string | number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One thing to mark: when it happened (a day or an instant), in the chart's time and in words. */
export interface EventRow {
  kind: 'signal' | 'model' | 'fill';
  /** 'YYYY-MM-DD' on the daily chart; exchange wall-clock seconds intraday (the bar it falls in is found later). */
  time: string | number;
  /** The day or the ISO instant, as stored. */
  at: string;
  side: 'buy' | 'sell';
  /** Who made it: "daily pipeline", "combined-score@1", a strategy, a book. */
  source: string;
  /** What it said: "strong buy", "BUY 0.82 (rejected)", "10 @ 12.34". */
  label: string;
  qty: number | null;
  price: number | null;
  /** Intraday signals: executed or rejected by the risk manager. */
  status: string | null;
}

export interface BarWindow {
  from?: string;
  to?: string;
  /** At most this many bars, the latest ones. */
  limit: number;
}

/**
 * @example
 *   const m = createMarketReads(db);
 *   await m.symbols(); // [{ symbol: 'AAPL', intervals: [{ interval: '1d', bars: 310, ... }, { interval: '5m', ... }], ... }]
 *   await m.bars('AAPL', '1d', { limit: 5000 }); // oldest first
 */
export function createMarketReads(db: Db) {
  return {
    /** Every symbol with bars in any interval, alphabetical, with our fills of it from both books. */
    async symbols(): Promise<SymbolRow[]> {
      const r = await db.query<{ symbol: string; interval: MarketInterval; bars: number; first: string; last: string }>(
        `SELECT symbol, '1d' AS interval, count(*)::int AS bars, to_char(min(date), 'YYYY-MM-DD') AS first, to_char(max(date), 'YYYY-MM-DD') AS last
           FROM market_data GROUP BY symbol
         UNION ALL
         SELECT symbol, interval, count(*)::int, to_json(min(ts)) #>> '{}', to_json(max(ts)) #>> '{}'
           FROM intraday_bars GROUP BY symbol, interval
         ORDER BY 1, 2`,
      );
      const f = await db.query<{ symbol: string; last_fill_at: string; fills: number }>(
        `SELECT symbol, to_json(max(at)) #>> '{}' AS last_fill_at, count(*)::int AS fills FROM (
           SELECT symbol, filled_at AS at FROM order_fills
           UNION ALL
           -- the daily book's trades are booked at the date's close, not at the wall time of the run
           SELECT symbol, (run_date + time '16:00') AT TIME ZONE $1 FROM trades
         ) x GROUP BY symbol`,
        [EXCHANGE_TZ],
      );
      const fills = new Map(f.rows.map((row) => [row.symbol, row]));
      const out = new Map<string, SymbolRow>();
      for (const { symbol, ...interval } of r.rows) {
        let row = out.get(symbol);
        if (!row) {
          const fill = fills.get(symbol);
          row = { symbol, intervals: [], last_fill_at: fill ? new Date(fill.last_fill_at).toISOString() : null, fills: fill?.fills ?? 0 };
          out.set(symbol, row);
        }
        row.intervals.push({
          ...interval,
          last: interval.interval === '1d' ? interval.last : iso(interval.last),
          first: interval.interval === '1d' ? interval.first : iso(interval.first),
        });
      }
      // Daily first, then the finer intervals: the page offers them in this order and opens on the first.
      for (const row of out.values()) row.intervals.sort((a, b) => INTERVAL_ORDER.indexOf(a.interval) - INTERVAL_ORDER.indexOf(b.interval));
      return [...out.values()];
    },

    /** Whether any interval has a bar of `symbol`. */
    async hasSymbol(symbol: string): Promise<boolean> {
      const r = await db.query(
        `SELECT 1 FROM market_data WHERE symbol = $1 UNION ALL SELECT 1 FROM intraday_bars WHERE symbol = $1 LIMIT 1`,
        [symbol],
      );
      return (r.rowCount ?? 0) > 0;
    },

    /**
     * The latest `limit` bars in [from, to] (days, inclusive; intraday, the sessions of those New York
     * dates), oldest first. Volume is a bigint in SQL; as a double it is exact below 2^53 shares.
     */
    async bars(symbol: string, interval: MarketInterval, w: BarWindow): Promise<BarRow[]> {
      const r =
        interval === '1d'
          ? await db.query<BarRow>(
              `SELECT to_char(date, 'YYYY-MM-DD') AS time, open, high, low, close, volume::float8 AS volume
                 FROM market_data
                WHERE symbol = $1 AND ($2::date IS NULL OR date >= $2::date) AND ($3::date IS NULL OR date <= $3::date)
                ORDER BY date DESC LIMIT $4`,
              [symbol, w.from ?? null, w.to ?? null, w.limit],
            )
          : await db.query<BarRow>(
              `SELECT extract(epoch FROM ts AT TIME ZONE $5)::float8 AS time, open, high, low, close, volume::float8 AS volume
                 FROM intraday_bars
                WHERE symbol = $1 AND interval = $2
                  AND ($3::date IS NULL OR ts >= $3::date::timestamp AT TIME ZONE $5)
                  AND ($4::date IS NULL OR ts < ($4::date + 1)::timestamp AT TIME ZONE $5)
                ORDER BY ts DESC LIMIT $6`,
              [symbol, interval, w.from ?? null, w.to ?? null, EXCHANGE_TZ, w.limit],
            );
      return r.rows.reverse();
    },

    /**
     * What to mark on the daily chart between two days (inclusive): the pipeline's recommendations and the
     * registered models' signals other than hold, the daily book's trades, and the execution service's fills
     * (on their New York date).
     */
    async dailyEvents(symbol: string, from: string, to: string): Promise<EventRow[]> {
      const r = await db.query<EventRow>(
        `SELECT 'signal' AS kind, to_char(run_date, 'YYYY-MM-DD') AS time, to_char(run_date, 'YYYY-MM-DD') AS at,
                CASE WHEN signal LIKE '%buy' THEN 'buy' ELSE 'sell' END AS side, 'daily pipeline' AS source,
                replace(signal, '_', ' ') AS label, NULL::float8 AS qty, close AS price, NULL AS status
           FROM signal_results WHERE symbol = $1 AND run_date BETWEEN $2::date AND $3::date AND signal <> 'hold'
         UNION ALL
         SELECT 'model', to_char(r.run_date, 'YYYY-MM-DD'), to_char(r.run_date, 'YYYY-MM-DD'), lower(s.action),
                m.name || '@' || m.version, s.action || ' ' || to_char(s.confidence, 'FM0.00'), NULL, NULL, NULL
           FROM model_signals s JOIN model_runs r ON r.id = s.model_run_id JOIN models m ON m.id = s.model_id
          WHERE s.symbol = $1 AND r.run_date BETWEEN $2::date AND $3::date AND s.action <> 'HOLD'
         UNION ALL
         SELECT 'fill', to_char(run_date, 'YYYY-MM-DD'), to_char(run_date, 'YYYY-MM-DD'), side, 'daily book', NULL, shares, price, NULL
           FROM trades WHERE symbol = $1 AND run_date BETWEEN $2::date AND $3::date
         UNION ALL
         SELECT 'fill', to_char((f.filled_at AT TIME ZONE $4)::date, 'YYYY-MM-DD'), to_json(f.filled_at) #>> '{}', f.side,
                o.broker || ' · ' || o.strategy_id, NULL, f.qty, f.price, NULL
           FROM order_fills f JOIN trading_orders o ON o.id = f.order_id
          WHERE f.symbol = $1 AND (f.filled_at AT TIME ZONE $4)::date BETWEEN $2::date AND $3::date
         ORDER BY 3, 1`,
        [symbol, from, to, EXCHANGE_TZ],
      );
      return r.rows.map(normalise);
    },

    /**
     * What to mark on an intraday chart between two instants (exchange wall-clock seconds, `to` exclusive):
     * the strategies' BUY and SELL signals (HOLD places nothing) with their outcome, and our fills.
     */
    async intradayEvents(symbol: string, fromWall: number, toWall: number): Promise<EventRow[]> {
      const r = await db.query<EventRow>(
        `SELECT 'signal' AS kind, extract(epoch FROM signal_ts AT TIME ZONE $4)::float8 AS time, to_json(signal_ts) #>> '{}' AS at,
                lower(action) AS side, strategy_id AS source, action || ' ' || to_char(confidence, 'FM0.00') AS label,
                quantity::float8 AS qty, price_target AS price, outcome AS status
           FROM trading_signals
          WHERE symbol = $1 AND action <> 'HOLD'
            AND signal_ts >= (to_timestamp($2) AT TIME ZONE 'UTC') AT TIME ZONE $4
            AND signal_ts < (to_timestamp($3) AT TIME ZONE 'UTC') AT TIME ZONE $4
         UNION ALL
         SELECT 'fill', extract(epoch FROM f.filled_at AT TIME ZONE $4)::float8, to_json(f.filled_at) #>> '{}', f.side,
                o.broker || ' · ' || o.strategy_id, NULL, f.qty, f.price, NULL
           FROM order_fills f JOIN trading_orders o ON o.id = f.order_id
          WHERE f.symbol = $1
            AND f.filled_at >= (to_timestamp($2) AT TIME ZONE 'UTC') AT TIME ZONE $4
            AND f.filled_at < (to_timestamp($3) AT TIME ZONE 'UTC') AT TIME ZONE $4
         ORDER BY 2, 1`,
        [symbol, fromWall, toWall, EXCHANGE_TZ],
      );
      return r.rows.map(normalise);
    },
  };
}

export type MarketReads = ReturnType<typeof createMarketReads>;

/** Postgres' JSON timestamps carry the session's offset; the wire says UTC. */
const iso = (t: string): string => new Date(t).toISOString();

function normalise(e: EventRow): EventRow {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(e.at) ? e.at : iso(e.at);
  const label = e.label ?? (e.qty != null && e.price != null ? `${e.side} ${e.qty} @ ${e.price.toFixed(2)}` : e.side);
  return { ...e, at, label };
}
