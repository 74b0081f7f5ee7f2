/**
 * Period returns, wealth and growth: simple and log returns from prices,
 * compounding, CAGR, the per-period risk-free rate, and the equal-weight
 * buy-and-hold benchmark that backtests compare against.
 *
 * Conventions: a return series r has one element per period; wealth starts
 * at 1 before the first return; P is the number of periods per year (252 for
 * daily bars, 252 x 8 for the hourly fan-out).
 */
import { finiteOrNaN, type Series } from './stats';

/**
 * Simple returns r_t = p_t / p_{t-1} - 1, for t = 1..n-1 (length n - 1).
 * A NaN, zero or negative price on either side gives NaN for that return
 * (never Infinity). Empty or one-price input -> empty array. A constant
 * series -> all zeros.
 *
 * @example
 *   simpleReturns([100, 110, 99]) // Float64Array [0.1, -0.1]
 */
export function simpleReturns(prices: Series): Float64Array {
  const n = prices.length;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let t = 1; t < n; t++) {
    const a = prices[t - 1];
    const b = prices[t];
    out[t - 1] = a > 0 && b >= 0 ? b / a - 1 : NaN;
  }
  return out;
}

/**
 * Log returns r_t = ln(p_t / p_{t-1}), length n - 1. Non-positive or NaN
 * prices give NaN for the returns that touch them. Empty or one-price input
 * -> empty array. Constant series -> zeros.
 *
 * @example
 *   logReturns([100, 110])[0] // 0.09531017980432493
 */
export function logReturns(prices: Series): Float64Array {
  const n = prices.length;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let t = 1; t < n; t++) {
    const a = prices[t - 1];
    const b = prices[t];
    out[t - 1] = a > 0 && b > 0 ? Math.log(b / a) : NaN;
  }
  return out;
}

/**
 * Wealth path w_0 = 1, w_i = w_{i-1} (1 + r_{i-1}), length n + 1, so w_i
 * lines up with price index i when r came from prices. A NaN return is a
 * missing period: wealth is carried unchanged. A return below -1 is treated
 * as -1 (total loss; wealth cannot go negative for a long-only holder).
 * Empty input -> [1].
 *
 * @example
 *   wealthIndex([0.1, -0.5]) // Float64Array [1, 1.1, 0.55]
 */
export function wealthIndex(returns: Series): Float64Array {
  const n = returns.length;
  const w = new Float64Array(n + 1);
  w[0] = 1;
  for (let i = 0; i < n; i++) {
    const r = returns[i];
    w[i + 1] = r === r ? w[i] * (1 + (r < -1 ? -1 : r)) : w[i];
  }
  return w;
}

/**
 * Total compounded return prod(1 + r) - 1 over the non-NaN returns.
 * Empty input -> 0 (no periods, no growth); all-NaN input -> NaN.
 *
 * @example
 *   totalReturn([0.1, 0.1]) // 0.21
 */
export function totalReturn(returns: Series): number {
  let w = 1;
  let n = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (r === r) {
      w *= 1 + (r < -1 ? -1 : r);
      n++;
    }
  }
  return n === 0 && returns.length > 0 ? NaN : w - 1;
}

/**
 * Compound annual growth rate: CAGR = W^(P / N) - 1, where W = prod(1 + r)
 * over the non-NaN returns is the ending wealth and N counts the periods
 * from the first to the last non-NaN return, NaN periods between them
 * included (a missing return is a period that elapsed with unknown, here
 * flat, growth). This is empyrical's `cagr`/`annual_return` (N = every
 * period, NaN compounding as 0) whenever the series has no leading or
 * trailing NaN; we do not count those, because they are periods before the
 * series began or after it ended (a contract listed later than its peers),
 * not time the investment was held. Empty or all-NaN input -> NaN; a
 * result too large for a double (absurd growth over a few bars) -> NaN. A
 * total loss (W = 0) -> -1. Constant zero returns -> 0.
 *
 * @example
 *   cagr([0.01, 0.01], 2) // 0.0201 (two periods, two periods per year)
 *   cagr([0.1, NaN, 0.1], 3) // 0.21: three periods elapsed, one a year
 */
export function cagr(returns: Series, periodsPerYear = 252): number {
  let w = 1;
  let first = -1;
  let last = -1;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (r === r) {
      w *= 1 + (r < -1 ? -1 : r);
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return NaN;
  // a huge growth rate over a few hourly bars can overflow; Infinity is never returned
  return finiteOrNaN(Math.pow(w, periodsPerYear / (last - first + 1)) - 1);
}

/**
 * Per-period rate equivalent to an annual rate: (1 + rf)^(1 / P) - 1, so
 * compounding it P times gives back rf. rf = 0 -> 0; rf <= -1 -> NaN.
 *
 * @example
 *   periodRate(0.04, 252) // 0.00015564...
 */
export function periodRate(annualRate: number, periodsPerYear = 252): number {
  if (!(annualRate > -1)) return NaN;
  return Math.pow(1 + annualRate, 1 / periodsPerYear) - 1;
}

/** Result of `equalWeightBenchmark`. */
export interface BenchmarkPath {
  /** Portfolio value per bar, starting at 1 on bar 0. */
  wealth: Float64Array;
  /** Period returns of the portfolio, length bars - 1. */
  returns: Float64Array;
  /** Indices (into the input list) of the series that took part. */
  included: number[];
}

/**
 * Equal-weight benchmark over several price series on the same bars.
 *
 * - `rebalance: 'none'` (default, buy and hold): 1/m of wealth goes into
 *   each of the m series on bar 0 and is never traded, so
 *   W_t = (1/m) sum_i p_{i,t} / p_{i,0}.
 * - `rebalance: 'daily'`: weights are reset to 1/m every bar, so
 *   r_t = mean_i r_{i,t} over the series with a defined return.
 *
 * A series whose bar-0 price is missing or non-positive is left out (it
 * could not have been bought); a later NaN price is carried forward from
 * the last good one (the holding did not vanish). No series or no bars ->
 * empty wealth and returns. All series must have the same length (the
 * shortest decides).
 *
 * @example
 *   equalWeightBenchmark([[100, 110], [50, 50]]).wealth // [1, 1.05]
 */
export function equalWeightBenchmark(prices: Series[], options: { rebalance?: 'none' | 'daily' } = {}): BenchmarkPath {
  const included: number[] = [];
  for (let i = 0; i < prices.length; i++) if (prices[i].length > 0 && prices[i][0] > 0) included.push(i);
  let bars = Infinity;
  for (const i of included) bars = Math.min(bars, prices[i].length);
  if (included.length === 0 || bars === Infinity) {
    return { wealth: new Float64Array(0), returns: new Float64Array(0), included };
  }
  const m = included.length;
  const wealth = new Float64Array(bars);
  const last = new Float64Array(m);
  for (let k = 0; k < m; k++) last[k] = prices[included[k]][0];
  wealth[0] = 1;
  if ((options.rebalance ?? 'none') === 'none') {
    const base = last.slice();
    for (let t = 1; t < bars; t++) {
      let s = 0;
      for (let k = 0; k < m; k++) {
        const p = prices[included[k]][t];
        if (p > 0) last[k] = p;
        s += last[k] / base[k];
      }
      wealth[t] = s / m;
    }
  } else {
    for (let t = 1; t < bars; t++) {
      let s = 0;
      let c = 0;
      for (let k = 0; k < m; k++) {
        const p = prices[included[k]][t];
        if (p > 0) {
          s += p / last[k] - 1;
          c++;
          last[k] = p;
        }
      }
      wealth[t] = wealth[t - 1] * (1 + (c === 0 ? 0 : s / c));
    }
  }
  const returns = new Float64Array(bars - 1);
  for (let t = 1; t < bars; t++) returns[t - 1] = wealth[t] / wealth[t - 1] - 1;
  return { wealth, returns, included };
}
