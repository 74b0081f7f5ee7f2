/**
 * The intraday strategies on daily bars: what lets a strategy kind be a
 * registered model (issue 15) that the daily `models` workflow runs. The
 * strategy function is not rewritten for days: a date's end-of-day bar is
 * handed to it as one bar of the strategy's own shape, so the daily run and
 * the intraday cycle are the same code, and only the bar length differs.
 * Which kinds cross over, how many days a config reads, and the bar mapping
 * live here; turning the strategy's signals into model signals is in
 * src/domain/model-strategies.ts, next to the other model kinds.
 */
import { isIsoDate, parseIsoDate } from '../dates';
import { DomainInputError } from '../errors';
import type { IntradayBar, IntradayStrategy } from './types';

/**
 * The strategy kinds that are also model kinds: each `strategy_config` row
 * of one is registered as a model named after the strategy. `modelSignals`
 * is not among them: it follows a registered model's signals, so a model of
 * it would be a model that follows models (circular: its daily run would read
 * the runs of the very day it is part of), and its signals are traced to the
 * model it follows instead.
 */
export const CROSS_REGISTERED_KINDS = ['movingAverageCrossover', 'rsiMeanReversion', 'pairsTrading'] as const;

export type CrossRegisteredKind = (typeof CROSS_REGISTERED_KINDS)[number];

export function isCrossRegistered(kind: string | null | undefined): kind is CrossRegisteredKind {
  return (CROSS_REGISTERED_KINDS as readonly (string | null | undefined)[]).includes(kind);
}

/** One end-of-day bar of `market_data` (the fields the strategies read). */
export interface DailyBar {
  symbol: string;
  /** YYYY-MM-DD. */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A daily bar's length in the strategies' bar convention (a bar is closed at ts + its length). */
export const DAY_MS = 86_400_000;

/**
 * Days read beyond the strategy's own warm-up: a pair's legs are aligned on
 * the dates both have, so a few days missing on one leg must still leave a
 * full window. The strategies read a fixed tail of what they are given
 * (moving-average.ts, rsi-reversion.ts, pairs-trading.ts), so the margin never
 * changes a signal, only whether there are enough bars for one.
 */
export const DAILY_LOOKBACK_MARGIN = 10;

/**
 * How many daily bars up to the run date a config reads per symbol: the
 * strategy's warm-up (slow period and volatility window; 5 x the RSI period;
 * twice the pair's look-back, or selection window + look-back), the bar it
 * decides on, and DAILY_LOOKBACK_MARGIN.
 *
 * @example
 *   dailyLookback(movingAverageCrossover, MOVING_AVERAGE_DEFAULTS) // max(30, 20) + 1 + 1 + 10 = 42
 */
export function dailyLookback<C>(strategy: IntradayStrategy<C>, config: C): number {
  return strategy.warmupBars(config) + 1 + DAILY_LOOKBACK_MARGIN;
}

/** The instant a date's daily bar is closed by, in the strategies' convention: its ts (00:00 UTC of the date) + one day. */
export function dailyCloseInstant(date: string): number {
  return parseIsoDate(date).getTime() + DAY_MS;
}

/**
 * One symbol's daily bars as the strategies' bars, oldest first, up to and
 * including `upTo` (a later bar would be look-ahead and is left out). A
 * bar's `ts` is its date at 00:00 UTC: the strategies use ts only to order
 * and align bars (a pair's legs on the same date) and to label a signal, so
 * any one instant per date serves; midnight UTC is the date itself. Throws
 * DomainInputError on a date that is not YYYY-MM-DD, bars out of order or
 * a close that is not a positive number (corrupt input is refused, not
 * traded on).
 *
 * @example
 *   strategyBarsOfDays([{ symbol: 'A', date: '2025-03-14', open: 1, high: 1, low: 1, close: 1, volume: 0 }], '2025-03-14')[0].ts
 *   // Date.UTC(2025, 2, 14)
 */
export function strategyBarsOfDays(bars: readonly DailyBar[], upTo: string): IntradayBar[] {
  const out: IntradayBar[] = [];
  let previous = '';
  for (const b of bars) {
    if (!isIsoDate(b.date))
      throw new DomainInputError('INVALID_PARAMETER', `daily bar of ${b.symbol} has date "${b.date}", not YYYY-MM-DD`);
    if (b.date <= previous)
      throw new DomainInputError('INVALID_PARAMETER', `daily bars of ${b.symbol} are not in date order (${b.date} after ${previous})`);
    previous = b.date;
    if (b.date > upTo) continue;
    if (!(b.close > 0 && Number.isFinite(b.close)))
      throw new DomainInputError('INVALID_PRICE', `daily bar of ${b.symbol} on ${b.date} has close ${b.close}`);
    out.push({
      symbol: b.symbol,
      ts: parseIsoDate(b.date).getTime(),
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
    });
  }
  return out;
}
