/**
 * When a statistic is worth showing. A one-day backtest annualises one
 * return into a Calmar of -246 and a Sortino of -16; two snapshot returns
 * give a "VaR 95" that is just the smaller return. Such numbers are
 * arithmetic, not information, so the reports show them as n/a with the
 * reason. The rule lives here, once: the backtest and monitor computations
 * apply it (the stored and reported numbers agree), and the reports take
 * the reason text from here.
 */
import { ZERO_DEVIATION_REL, mean, std, type Series } from './stats';

/**
 * Fewest periods (non-NaN returns) for an annualised statistic (CAGR,
 * volatility, Sharpe, Sortino, Calmar) and for a historical VaR 95. Twenty
 * daily returns are about a trading month; it is also 1 / (1 - 0.95), the
 * fewest observations for which the 5 % tail holds one whole observation.
 */
export const MIN_PERIODS_FOR_RATIOS = 20;

/** A statistic shown, or withheld with the reason (`n/a (reason)` in a report). */
export type Availability = { available: true } | { available: false; reason: string };

const AVAILABLE: Availability = { available: true };

function countFinite(x: Series): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) n++;
  return n;
}

/**
 * Whether annualised statistics over `periods` returns are shown: only
 * with at least MIN_PERIODS_FOR_RATIOS periods.
 *
 * @example
 *   ratioAvailability(1) // { available: false, reason: '1 period; needs at least 20' }
 */
export function ratioAvailability(periods: number): Availability {
  if (periods >= MIN_PERIODS_FOR_RATIOS) return AVAILABLE;
  return { available: false, reason: `${periods} period${periods === 1 ? '' : 's'}; needs at least ${MIN_PERIODS_FOR_RATIOS}` };
}

/**
 * Whether a historical VaR of `returns` is defined: at least
 * MIN_PERIODS_FOR_RATIOS non-NaN returns, and returns that vary (a
 * constant series, e.g. a portfolio still all in cash, has no loss
 * distribution: its "VaR" would be that constant). NaN returns are skipped.
 *
 * @example
 *   varAvailability([0, 0, 0]).available // false
 */
export function varAvailability(returns: Series): Availability {
  const n = countFinite(returns);
  if (n < MIN_PERIODS_FOR_RATIOS) {
    return { available: false, reason: `${n} return${n === 1 ? '' : 's'}; needs at least ${MIN_PERIODS_FOR_RATIOS}` };
  }
  if (!(std(returns, 1) > ZERO_DEVIATION_REL * Math.max(1, Math.abs(mean(returns))))) {
    return { available: false, reason: `the ${n} returns do not vary` };
  }
  return AVAILABLE;
}

/**
 * P&L below this many dollars in absolute value is "flat": it prints as
 * $0.00, so calling it a winner or a loser would be a label on nothing.
 */
export const FLAT_PNL_DOLLARS = 0.005;

/**
 * A position's P&L label: winner above +FLAT_PNL_DOLLARS, loser below
 * minus it, flat otherwise (and for NaN).
 *
 * @example
 *   pnlOutcome(0) // 'flat'
 */
export function pnlOutcome(pnl: number): 'winner' | 'loser' | 'flat' {
  if (pnl > FLAT_PNL_DOLLARS) return 'winner';
  if (pnl < -FLAT_PNL_DOLLARS) return 'loser';
  return 'flat';
}
