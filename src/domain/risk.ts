/**
 * Risk and performance statistics of a return series: annualised
 * volatility, Sharpe, Sortino, maximum drawdown (with its peak and trough),
 * Calmar, historical VaR, beta, correlation, win rate, and a one-call
 * summary used by the monitor and backtest workflows.
 *
 * Conventions (chosen to agree with empyrical and pandas):
 * - P is periods per year (252 daily, 252 x 8 hourly);
 * - an annual risk-free rate rf becomes (1 + rf)^(1/P) - 1 per period;
 * - sample deviations use ddof 1;
 * - NaN returns are missing periods and are skipped;
 * - an undefined ratio (zero deviation, no drawdown, too few points) is NaN,
 *   never Infinity.
 */
import { cagr, periodRate, totalReturn, wealthIndex } from './returns';
import { mean, pairMoments, quantile, std, ZERO_DEVIATION_REL, type Series } from './stats';
import { annualTurnover, costDrag, totalCosts, type TradingSeries } from './turnover';

/** Options shared by the annualised statistics. */
export interface AnnualisationOptions {
  /** Periods per year; 252 for daily bars. */
  periodsPerYear?: number;
  /** Annual risk-free rate, e.g. 0.04; converted to (1 + rf)^(1/P) - 1 per period. */
  riskFreeRate?: number;
}

/**
 * Annualised volatility: std(r, ddof 1) * sqrt(P).
 * Fewer than 2 non-NaN returns -> NaN. Constant returns -> 0.
 *
 * @example
 *   annualizedVolatility([0.01, -0.01, 0.02], 252) // 0.2429...
 */
export function annualizedVolatility(returns: Series, periodsPerYear = 252): number {
  return std(returns, 1) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sharpe ratio:
 * mean(r - rf_p) / std(r - rf_p, ddof 1) * sqrt(P), rf_p = (1 + rf)^(1/P) - 1.
 * Fewer than 2 non-NaN returns -> NaN. Zero deviation (a constant series)
 * -> NaN: the ratio is undefined, not infinite.
 *
 * @example
 *   sharpeRatio([0.01, -0.005, 0.007], { periodsPerYear: 252 }) // 7.64...
 */
export function sharpeRatio(returns: Series, options: AnnualisationOptions = {}): number {
  const p = options.periodsPerYear ?? 252;
  const rf = periodRate(options.riskFreeRate ?? 0, p);
  const ex = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) ex[i] = returns[i] - rf;
  const sd = std(ex, 1);
  if (!(sd > 0)) return NaN;
  return (mean(ex) / sd) * Math.sqrt(p);
}

/** Options for `sortinoRatio`. */
export interface SortinoOptions {
  periodsPerYear?: number;
  /** Minimum acceptable return per period (empyrical's `required_return`); default 0. */
  targetReturn?: number;
}

/**
 * Annualised Sortino ratio, as empyrical computes it:
 * mean(r - MAR) * P / (sqrt(mean(min(r - MAR, 0)^2)) * sqrt(P)).
 * Both means run over all non-NaN observations (not only the losing ones).
 * Empty input -> NaN. No return below the target (zero downside deviation)
 * -> NaN, where empyrical gives Infinity.
 *
 * @example
 *   sortinoRatio([0.02, -0.01, 0.01], { periodsPerYear: 252 }) // 27.49...
 */
export function sortinoRatio(returns: Series, options: SortinoOptions = {}): number {
  const p = options.periodsPerYear ?? 252;
  const mar = options.targetReturn ?? 0;
  let s = 0;
  let dd = 0;
  let n = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (r !== r) continue;
    const d = r - mar;
    s += d;
    if (d < 0) dd += d * d;
    n++;
  }
  if (n === 0) return NaN;
  const downside = Math.sqrt(dd / n) * Math.sqrt(p);
  if (!(downside > 0)) return NaN;
  return ((s / n) * p) / downside;
}

/** The largest peak-to-trough loss and where it happened. */
export interface Drawdown {
  /** Loss from peak to trough as a positive fraction in [0, 1]; 0.25 = 25 % down. */
  maxDrawdown: number;
  /**
   * Index of the peak in the wealth path (0 = the starting wealth of 1 before
   * the first return; index i = after return i - 1, i.e. price bar i when
   * the returns came from prices). null when there is no drawdown.
   */
  peakIndex: number | null;
  /** Index of the trough in the same wealth path; null when there is no drawdown. */
  troughIndex: number | null;
}

/**
 * Maximum drawdown of a wealth (or price, or portfolio value) path:
 * max over t of 1 - w_t / max_{s <= t} w_s, with the earliest peak and
 * trough that attain it. One pass, O(n).
 * Empty input -> NaN with null indices. A path that never falls (including
 * a constant one) -> 0 with null indices. NaN values are skipped.
 *
 * @example
 *   drawdownOfValues([100, 120, 90, 130]) // { maxDrawdown: 0.25, peakIndex: 1, troughIndex: 2 }
 */
export function drawdownOfValues(values: Series): Drawdown {
  let peak = NaN;
  let peakAt = -1;
  let best = 0;
  let bestPeak: number | null = null;
  let bestTrough: number | null = null;
  let seen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    seen = true;
    if (!(v <= peak)) {
      peak = v;
      peakAt = i;
      continue;
    }
    const dd = peak > 0 ? 1 - v / peak : 0;
    if (dd > best) {
      best = dd;
      bestPeak = peakAt;
      bestTrough = i;
    }
  }
  if (!seen) return { maxDrawdown: NaN, peakIndex: null, troughIndex: null };
  return { maxDrawdown: best > 1 ? 1 : best, peakIndex: bestPeak, troughIndex: bestTrough };
}

/**
 * The underwater curve of a value path (pyfolio's underwater plot):
 * u_t = w_t / max_{s <= t} w_s - 1, a fraction <= 0 (-0.25 = 25 % below the
 * running peak). Its minimum is minus `drawdownOfValues(values).maxDrawdown`.
 * NaN values give NaN and do not move the peak; values before the first
 * positive peak give NaN (no peak to be under). Empty input -> empty array.
 *
 * @example
 *   underwater([100, 120, 90, 130]) // Float64Array [0, 0, -0.25, 0]
 */
export function underwater(values: Series): Float64Array {
  const out = new Float64Array(values.length);
  let peak = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      out[i] = NaN;
      continue;
    }
    if (!(v <= peak)) peak = v;
    out[i] = peak > 0 ? v / peak - 1 : NaN;
  }
  return out;
}

/**
 * Maximum drawdown of a return series, measured on wealth that starts at 1
 * before the first return, so a loss on the first bar counts (empyrical's
 * `max_drawdown`, but reported as a positive fraction). Returns below -1 are
 * a total loss (wealth 0). Indices refer to the wealth path: peak 0 is the
 * start, trough i is after return i - 1. Empty input -> NaN; never a loss
 * -> 0 with null indices.
 *
 * @example
 *   maxDrawdown([-0.1, 0.05]) // { maxDrawdown: 0.1, peakIndex: 0, troughIndex: 1 }
 */
export function maxDrawdown(returns: Series): Drawdown {
  if (returns.length === 0) return { maxDrawdown: NaN, peakIndex: null, troughIndex: null };
  return drawdownOfValues(wealthIndex(returns));
}

/**
 * Calmar ratio: CAGR / |max drawdown|, both over the whole series.
 * Empty input or no drawdown -> NaN (undefined, not infinite).
 *
 * @example
 *   calmarRatio([0.01, -0.02, 0.03], 252)
 */
export function calmarRatio(returns: Series, periodsPerYear = 252): number {
  const dd = maxDrawdown(returns).maxDrawdown;
  if (!(dd > 0)) return NaN;
  return cagr(returns, periodsPerYear) / dd;
}

/**
 * Historical value at risk: the (1 - confidence) quantile of the returns
 * with linear interpolation (numpy's default percentile method), reported
 * as a return, e.g. -0.021 means a 2.1 % loss is exceeded on 5 % of days.
 * Expected O(n) (quickselect). Empty or all-NaN input -> NaN; one element
 * -> that element; confidence outside (0, 1) -> NaN.
 *
 * @example
 *   historicalVaR([-0.03, -0.01, 0, 0.01, 0.02], 0.95) // -0.026
 */
export function historicalVaR(returns: Series, confidence = 0.95): number {
  if (!(confidence > 0 && confidence < 1)) return NaN;
  return quantile(returns, 1 - confidence);
}

/** A sum of squared deviations that is zero or float noise around a constant. */
function flat(ss: number, n: number, m: number): boolean {
  return !(Math.sqrt(ss / n) > ZERO_DEVIATION_REL * Math.abs(m));
}

/**
 * Beta of r against benchmark b: cov(r, b) / var(b) over the periods where
 * both are defined. Fewer than 2 shared points or a constant benchmark -> NaN.
 * The series must have the same length (the shorter one decides).
 *
 * @example
 *   beta([0.02, -0.02, 0.04], [0.01, -0.01, 0.02]) // 2
 */
export function beta(returns: Series, benchmark: Series): number {
  const m = pairMoments(returns, benchmark);
  if (m.n < 2 || flat(m.syy, m.n, m.meanY)) return NaN;
  return m.sxy / m.syy;
}

/**
 * Pearson correlation sxy / sqrt(sxx syy) over the periods where both are
 * defined, clamped to [-1, 1] against rounding. Fewer than 2 shared points
 * or either series constant -> NaN.
 *
 * @example
 *   correlation([1, 2, 3], [3, 2, 1]) // -1
 */
export function correlation(x: Series, y: Series): number {
  const m = pairMoments(x, y);
  if (m.n < 2 || flat(m.sxx, m.n, m.meanX) || flat(m.syy, m.n, m.meanY)) return NaN;
  const c = m.sxy / Math.sqrt(m.sxx * m.syy);
  return c > 1 ? 1 : c < -1 ? -1 : c;
}

/**
 * Win rate: the share of non-NaN values that are strictly positive (a
 * zero return or a break-even trade is not a win). Works on period returns
 * or on per-trade P&L. Empty or all-NaN input -> NaN.
 *
 * @example
 *   winRate([0.01, -0.02, 0, 0.03]) // 0.5
 */
export function winRate(values: Series): number {
  let w = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    n++;
    if (v > 0) w++;
  }
  return n === 0 ? NaN : w / n;
}

/** Every statistic of `performanceSummary`. */
export interface PerformanceSummary {
  periods: number;
  totalReturn: number;
  cagr: number;
  volatility: number;
  sharpe: number;
  sortino: number;
  maxDrawdown: number;
  calmar: number;
  /** Historical VaR at the requested confidence (95 % by default), as a return. */
  var: number;
  winRate: number;
  /** With `options.trading` only: mean one-sided turnover per period x P (turnover.ts). */
  turnoverAnnual?: number;
  /** With `options.trading` only: total costs as a fraction of the initial capital. */
  costsTotal?: number;
  /** With `options.trading` only: CAGR of the same trades without costs minus CAGR (turnover.ts). */
  costDrag?: number;
}

/**
 * All headline statistics of a return series in one call, each with the
 * convention of its own function in this module. Sortino's target is the
 * per-period risk-free rate. Empty input -> periods 0 and NaN statistics
 * (total return 0). With `options.trading` (the per-period series of
 * `tradingSeries`, aligned with `returns`) it adds annual turnover, total
 * costs and cost drag.
 *
 * @example
 *   performanceSummary(dailyReturns, { periodsPerYear: 252, riskFreeRate: 0.02 }).sharpe
 */
export function performanceSummary(
  returns: Series,
  options: AnnualisationOptions & { varConfidence?: number; trading?: TradingSeries } = {},
): PerformanceSummary {
  const p = options.periodsPerYear ?? 252;
  let n = 0;
  for (let i = 0; i < returns.length; i++) if (returns[i] === returns[i]) n++;
  const t = options.trading;
  return {
    ...(t && {
      turnoverAnnual: annualTurnover(t.turnover, p),
      costsTotal: totalCosts(t.costs),
      costDrag: costDrag(returns, t.grossReturns, p),
    }),
    periods: n,
    totalReturn: totalReturn(returns),
    cagr: cagr(returns, p),
    volatility: annualizedVolatility(returns, p),
    sharpe: sharpeRatio(returns, options),
    sortino: sortinoRatio(returns, { periodsPerYear: p, targetReturn: periodRate(options.riskFreeRate ?? 0, p) }),
    maxDrawdown: maxDrawdown(returns).maxDrawdown,
    calmar: calmarRatio(returns, p),
    var: historicalVaR(returns, options.varConfidence ?? 0.95),
    winRate: winRate(returns),
  };
}
