/**
 * Tick validation of end-of-day bars (WF1 step 2) and the data-quality facts
 * the ingest reports: which bars are dropped and why, how complete each
 * symbol is, and which symbols are stale. Pure: the caller supplies the
 * expected trading days (from the exchange calendar) and the last stored bar
 * of each symbol; nothing here reads a clock or a calendar.
 *
 * "Corrupt data is worse than no data": a bar with any non-finite, zero or
 * negative price is dropped, never repaired.
 */

/** The fields of a bar the checks need (structurally an `EodBar`). */
export interface TickBar {
  symbol: string;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  adjClose: number;
  volume: number;
}

export type TickRejectReason = 'non_positive_price' | 'non_finite' | 'spread_too_wide' | 'inconsistent_range';

export interface RejectedTick {
  symbol: string;
  date: string;
  reason: TickRejectReason;
  detail: string;
}

export interface TickValidationOptions {
  /** Bars whose (high - low) / close exceeds this many basis points are dropped. Default 1000 (10 %). */
  maxSpreadBps?: number;
}

export const DEFAULT_MAX_SPREAD_BPS = 1000;

/**
 * The spread of a bar in basis points: 10,000 x (high - low) / close.
 * NaN when close is not positive or any input is not finite.
 *
 * @example
 *   spreadBps({ high: 105, low: 95, close: 100 }) // 1000
 */
export function spreadBps(bar: { high: number; low: number; close: number }): number {
  if (!Number.isFinite(bar.high) || !Number.isFinite(bar.low) || !Number.isFinite(bar.close) || bar.close <= 0) return NaN;
  return (10_000 * (bar.high - bar.low)) / bar.close;
}

/**
 * Split bars into kept and rejected. Rules, first match wins:
 *   1. any of open, high, low, close, adjClose or volume not finite (NaN, Infinity) -> `non_finite`;
 *   2. any price <= 0 (volume may be 0) or volume < 0 -> `non_positive_price`;
 *   3. high < low, or open/close outside [low, high] -> `inconsistent_range`;
 *   4. spreadBps > maxSpreadBps (strictly greater) -> `spread_too_wide`.
 * Order of kept bars is the input order. Empty input -> both lists empty.
 *
 * @example
 *   validateTicks([{ symbol: 'A', date: '2024-01-02', open: 100, high: 112, low: 99, close: 100, adjClose: 100, volume: 1 }])
 *   // rejected: spread 1300 bps > 1000
 */
export function validateTicks<B extends TickBar>(
  bars: readonly B[],
  opts: TickValidationOptions = {},
): { kept: B[]; rejected: RejectedTick[] } {
  const max = opts.maxSpreadBps ?? DEFAULT_MAX_SPREAD_BPS;
  const kept: B[] = [];
  const rejected: RejectedTick[] = [];
  const reject = (b: B, reason: TickRejectReason, detail: string) => rejected.push({ symbol: b.symbol, date: b.date, reason, detail });
  for (const b of bars) {
    const prices = [b.open, b.high, b.low, b.close, b.adjClose];
    if (![...prices, b.volume].every(Number.isFinite)) {
      reject(b, 'non_finite', `non-finite value in o/h/l/c/adj/vol ${prices.join('/')}/${b.volume}`);
    } else if (prices.some((p) => p <= 0) || b.volume < 0) {
      reject(b, 'non_positive_price', `zero or negative value in o/h/l/c/adj/vol ${prices.join('/')}/${b.volume}`);
    } else if (b.high < b.low || b.open > b.high || b.open < b.low || b.close > b.high || b.close < b.low) {
      reject(b, 'inconsistent_range', `open ${b.open} / close ${b.close} outside low ${b.low} .. high ${b.high}`);
    } else {
      const s = spreadBps(b);
      if (s > max) reject(b, 'spread_too_wide', `spread ${s.toFixed(0)} bps > ${max} bps`);
      else kept.push(b);
    }
  }
  return { kept, rejected };
}

export interface SymbolQuality {
  symbol: string;
  /** Expected trading days in the window. */
  expected: number;
  /** Days with a kept bar (bars on non-expected days are ignored). */
  present: number;
  /** present / expected; 1 when nothing was expected. */
  score: number;
}

/**
 * Completeness per symbol and overall: for each symbol, the share of the
 * expected trading days that have a kept bar; overall, the mean of the
 * symbols' scores (each symbol weighs the same). A symbol with no bars
 * scores 0. No expected days -> every score 1 (nothing was missing). No
 * symbols -> overall 1.
 *
 * @example
 *   qualityScore(['A', 'B'], ['d1', 'd2'], [{ symbol: 'A', date: 'd1' }, { symbol: 'A', date: 'd2' }, { symbol: 'B', date: 'd1' }])
 *   // { overall: 0.75, perSymbol: [A 1, B 0.5] }
 */
export function qualityScore(
  symbols: readonly string[],
  expectedDates: readonly string[],
  bars: readonly { symbol: string; date: string }[],
): { overall: number; perSymbol: SymbolQuality[] } {
  const expected = new Set(expectedDates);
  const seen = new Map<string, Set<string>>(symbols.map((s) => [s, new Set<string>()]));
  for (const b of bars) if (expected.has(b.date)) seen.get(b.symbol)?.add(b.date);
  const perSymbol = symbols.map((symbol) => {
    const present = seen.get(symbol)?.size ?? 0;
    return { symbol, expected: expected.size, present, score: expected.size === 0 ? 1 : present / expected.size };
  });
  const overall = perSymbol.length === 0 ? 1 : perSymbol.reduce((s, q) => s + q.score, 0) / perSymbol.length;
  return { overall, perSymbol };
}

export interface StaleSymbol {
  symbol: string;
  /** Last stored bar, or null when the symbol has none. */
  lastDate: string | null;
  /** Trading days after the last bar up to and including the run date (all of them when there is no bar). */
  tradingDaysBehind: number;
}

/**
 * Stale symbols: those whose last bar is more than `staleAfterDays` trading
 * days before the run date. `tradingDays` must list the trading days, sorted
 * ascending, ending at (or before) the run date and reaching back at least
 * `staleAfterDays + 1` days; the lag of a symbol is the number of those days
 * strictly after its last bar. A symbol with no bar has the full list's
 * length as its lag. Lag 0 = a bar on the last trading day.
 *
 * @example
 *   staleSymbols({ A: '2024-01-02', B: '2024-01-05' }, ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'], 2)
 *   // [{ symbol: 'A', lastDate: '2024-01-02', tradingDaysBehind: 3 }]
 */
export function staleSymbols(
  lastBarDates: Readonly<Record<string, string | null>>,
  tradingDays: readonly string[],
  staleAfterDays: number,
): StaleSymbol[] {
  const out: StaleSymbol[] = [];
  for (const [symbol, lastDate] of Object.entries(lastBarDates)) {
    let behind = 0;
    for (let i = tradingDays.length - 1; i >= 0 && (lastDate === null || tradingDays[i] > lastDate); i--) behind++;
    if (behind > staleAfterDays) out.push({ symbol, lastDate, tradingDaysBehind: behind });
  }
  return out.sort((a, b) => a.symbol.localeCompare(b.symbol));
}
