/**
 * Fixtures for the daily-pipeline tests: seed `market_data` straight from the
 * seeded synthetic provider (what WF1 would store), and small readers of the
 * stored rows. Used until (and besides) a real WF1 run.
 */
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { createSyntheticProvider } from '../src/adapters/market-data/synthetic';
import type { Db } from '../src/adapters/postgres/pool';
import { createSignalRepo } from '../src/adapters/postgres/signal-repo';
import type { Recommendation } from '../src/domain/scoring';

export const UNIVERSE_SYMBOLS = DAILY_UNIVERSE.map((c) => c.symbol);

/** Upsert synthetic end-of-day bars for `symbols` over [from, to]; returns the number of rows. */
export async function seedMarketData(
  db: Db,
  opts: { from: string; to: string; seed?: number; symbols?: readonly string[] },
): Promise<number> {
  const provider = createSyntheticProvider({ seed: opts.seed ?? 20000127 });
  const { bars } = await provider.fetchEod(opts.symbols ?? UNIVERSE_SYMBOLS, opts.from, opts.to);
  for (let i = 0; i < bars.length; i += 5000) {
    const b = bars.slice(i, i + 5000);
    await db.query(
      `INSERT INTO market_data (symbol, date, open, high, low, close, adj_close, volume, source)
       SELECT s, d::date, o, h, l, c, a, v, 'synthetic' FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::bigint[]) AS t(s, d, o, h, l, c, a, v)
       ON CONFLICT (symbol, date) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
         adj_close = EXCLUDED.adj_close, volume = EXCLUDED.volume`,
      [
        b.map((x) => x.symbol),
        b.map((x) => x.date),
        b.map((x) => x.open),
        b.map((x) => x.high),
        b.map((x) => x.low),
        b.map((x) => x.close),
        b.map((x) => x.adjClose),
        b.map((x) => Math.round(x.volume)),
      ],
    );
  }
  return bars.length;
}

/** Adjusted closes of one symbol up to `date`, oldest first. */
export async function adjCloses(db: Db, symbol: string, to: string, from = '1900-01-01'): Promise<number[]> {
  const r = await db.query<{ adj_close: number }>(
    'SELECT adj_close FROM market_data WHERE symbol = $1 AND date BETWEEN $2::date AND $3::date ORDER BY date',
    [symbol, from, to],
  );
  return r.rows.map((x) => Number(x.adj_close));
}

/** Messages of an error and its causes, joined (a workflow failure wraps the activity's). */
export function causeChain(e: unknown): string {
  const parts: string[] = [];
  for (let c = e as { message?: string; cause?: unknown } | undefined; c; c = c.cause as typeof c) parts.push(c.message ?? '');
  return parts.join(' <- ');
}

const RECOMMENDATIONS: Recommendation[] = ['strong_buy', 'buy', 'hold', 'sell', 'strong_sell'];

/** Store a WF3 signal run for `date` with the given classes (neutral component scores of 50), as WF3 would. */
export async function writeSignals(
  db: Db,
  date: string,
  rows: { symbol: string; sector: string | null; signal: Recommendation; close?: number }[],
): Promise<void> {
  const dist = Object.fromEntries(RECOMMENDATIONS.map((c) => [c, rows.filter((r) => r.signal === c).length])) as Record<
    Recommendation,
    number
  >;
  await createSignalRepo(db).replaceSignals(
    {
      runDate: date,
      symbols: rows.length,
      weights: { technical: 0.3, fundamental: 0.4, sentiment: 0.3 },
      distribution: dist,
      parquetKey: null,
      reportKey: null,
    },
    rows.map((r) => ({
      symbol: r.symbol,
      sector: r.sector,
      technicalScore: 50,
      fundamentalScore: 50,
      sentimentScore: 50,
      hasSentiment: false,
      newsCount: 0,
      combinedScore: 50,
      signal: r.signal,
      close: r.close ?? null,
      details: {},
    })),
  );
}
