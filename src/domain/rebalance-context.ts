/**
 * The pure pieces around one paper-trading day (`rebalanceDay`): which
 * symbols need a close, which dividends fall due since the last snapshot,
 * and the flags a planned day raises for the run row and the report.
 */
import type { DaySignal, DueDividend, HeldPosition, RebalanceDay } from './rebalance-day';

/** A flag of a planned day: a held symbol kept at a stale price, or a buy without a price. */
export interface RebalanceFlag {
  type: 'stale_price' | 'no_price';
  symbol: string;
  message: string;
}

/**
 * The symbols to price on the day: every held symbol and every signalled
 * one, each once, held symbols first.
 *
 * @example
 *   symbolsToPrice([{ symbol: 'A', ... }], [{ symbol: 'A', ... }, { symbol: 'B', ... }]) // ['A', 'B']
 */
export function symbolsToPrice(
  positions: readonly Pick<HeldPosition, 'symbol'>[],
  signals: readonly Pick<DaySignal, 'symbol'>[],
): string[] {
  return [...new Set([...positions.map((p) => p.symbol), ...signals.map((s) => s.symbol)])];
}

/**
 * The dividends of `symbol` with an ex-date in [from, to] (both inclusive,
 * YYYY-MM-DD): the ones the account earned since its last snapshot. A
 * provider may return a wider range than asked; anything outside is dropped.
 *
 * @example
 *   dividendsDue('KO', [{ date: '2024-03-14', amount: 0.485 }], '2024-03-01', '2024-03-27')
 *   // [{ symbol: 'KO', exDate: '2024-03-14', amount: 0.485 }]
 */
export function dividendsDue(
  symbol: string,
  dividends: readonly { date: string; amount: number }[],
  from: string,
  to: string,
): DueDividend[] {
  return dividends.filter((d) => d.date >= from && d.date <= to).map((d) => ({ symbol, exDate: d.date, amount: d.amount }));
}

/** A price with two decimals, 'n/a' when unknown. */
const price = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/**
 * The flags of a planned day: each held symbol without a close (kept at its
 * last price and not traded), then each buy-rated symbol without a close
 * (not bought).
 *
 * @example
 *   rebalanceFlags(day, positions)[0].message
 *   // 'XOM has no price on 2024-03-27: kept at its last price 118.20 of 2024-03-26 and not traded'
 */
export function rebalanceFlags(
  day: Pick<RebalanceDay, 'date' | 'stale' | 'unpriced'>,
  positions: readonly HeldPosition[],
): RebalanceFlag[] {
  const last = new Map(positions.map((p) => [p.symbol, p]));
  return [
    ...day.stale.map((s): RebalanceFlag => ({
      type: 'stale_price',
      symbol: s,
      message: `${s} has no price on ${day.date}: kept at its last price ${price(last.get(s)?.lastPrice)} of ${last.get(s)?.lastPriceDate} and not traded`,
    })),
    ...day.unpriced.map((s): RebalanceFlag => ({
      type: 'no_price',
      symbol: s,
      message: `${s} is rated buy but has no price on ${day.date}: not bought`,
    })),
  ];
}
