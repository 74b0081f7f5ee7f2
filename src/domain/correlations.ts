/**
 * Pairwise correlations of daily returns, for the risk manager's
 * "max correlation 0.7 between the new symbol and each held symbol over the
 * last 60 daily returns" rule. The risk-analysis workflow computes them from
 * stored closes and writes them to symbol_correlations; the API's risk cache
 * reads that table.
 *
 * Conventions: simple returns close_t / close_{t-1} - 1 between a symbol's
 * consecutive stored bars; a pair uses the dates on which both symbols have
 * a return, the last `window` of them; Pearson correlation (risk.ts
 * `correlation`). Pairs are unordered and reported once, symbol_a < symbol_b.
 */
import { DomainInputError } from './errors';
import { correlation } from './risk';

export interface DailyClose {
  symbol: string;
  /** YYYY-MM-DD */
  date: string;
  close: number;
}

export interface PairCorrelation {
  symbolA: string;
  symbolB: string;
  correlation: number;
  /** Shared daily returns the correlation is computed over. */
  observations: number;
}

export interface PairCorrelationOptions {
  /** Most recent shared returns used per pair. Default 60. */
  window?: number;
  /** Pairs with fewer shared returns are left out. Default 20. */
  minObservations?: number;
}

/**
 * Daily simple returns per symbol, keyed by the date of the later close.
 * Throws DomainInputError for a close that is not a positive finite number
 * (corrupt data is worse than no data), naming symbol and date.
 *
 * @example
 *   dailyReturns([{ symbol: 'A', date: '2026-01-02', close: 100 }, { symbol: 'A', date: '2026-01-05', close: 110 }])
 *   // Map { 'A' => Map { '2026-01-05' => 0.1 } }
 */
export function dailyReturns(closes: readonly DailyClose[]): Map<string, Map<string, number>> {
  const bySymbol = new Map<string, DailyClose[]>();
  for (const c of closes) {
    if (!(Number.isFinite(c.close) && c.close > 0))
      throw new DomainInputError('INVALID_PRICE', `close of ${c.symbol} on ${c.date} is ${c.close}`);
    const list = bySymbol.get(c.symbol) ?? [];
    list.push(c);
    bySymbol.set(c.symbol, list);
  }
  const out = new Map<string, Map<string, number>>();
  for (const [symbol, list] of bySymbol) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const r = new Map<string, number>();
    for (let i = 1; i < list.length; i++) r.set(list[i].date, list[i].close / list[i - 1].close - 1);
    out.set(symbol, r);
  }
  return out;
}

/**
 * Correlation of every pair of symbols over their last `window` shared daily
 * returns. Pairs with fewer than `minObservations` shared returns, or with a
 * constant series (correlation undefined), are left out. Sorted by
 * (symbolA, symbolB).
 *
 * @example
 *   pairCorrelations(closes, { window: 60 }) // [{ symbolA: 'AAPL', symbolB: 'MSFT', correlation: 0.62, observations: 60 }, ...]
 */
export function pairCorrelations(closes: readonly DailyClose[], options: PairCorrelationOptions = {}): PairCorrelation[] {
  const window = options.window ?? 60;
  const minObservations = options.minObservations ?? 20;
  if (!(Number.isInteger(window) && window >= 2))
    throw new DomainInputError('INVALID_PARAMETER', `window must be an integer >= 2, got ${window}`);
  const returns = dailyReturns(closes);
  const symbols = [...returns.keys()].sort();
  const out: PairCorrelation[] = [];
  for (let i = 0; i < symbols.length; i++) {
    const ra = returns.get(symbols[i])!;
    for (let j = i + 1; j < symbols.length; j++) {
      const rb = returns.get(symbols[j])!;
      const shared = [...ra.keys()]
        .filter((d) => rb.has(d))
        .sort()
        .slice(-window);
      if (shared.length < Math.max(2, minObservations)) continue;
      const c = correlation(
        shared.map((d) => ra.get(d)!),
        shared.map((d) => rb.get(d)!),
      );
      if (Number.isNaN(c)) continue;
      out.push({ symbolA: symbols[i], symbolB: symbols[j], correlation: c, observations: shared.length });
    }
  }
  return out;
}
