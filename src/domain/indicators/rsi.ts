/**
 * Relative Strength Index with Wilder smoothing, TA-Lib's `RSI` (period 14).
 */
import type { Series } from '../stats';
import { checkPeriod } from './sma';

/**
 * RSI with Wilder smoothing, as TA-Lib computes it:
 * - changes d_t = x_t - x_{t-1}; gain = max(d, 0), loss = max(-d, 0);
 * - seed: AG = mean of the first N gains, AL = mean of the first N losses
 *   (simple averages over changes 1..N), output at index N;
 * - then AG_t = (AG_{t-1} (N - 1) + gain_t) / N, likewise AL;
 * - RSI = 100 (AG / (AG + AL)), in TA-Lib's order: the ratio is at most 1
 *   after rounding, so the result never leaves [0, 100] (100 AG / (AG + AL)
 *   can round to 100.00000000000001 on an all-gain window).
 * The first defined index is N (TA-Lib's lookback), counted from the first
 * non-NaN input. An interior NaN bar gives NaN and the next change is taken
 * from the last defined price. O(n).
 *
 * Deviation from TA-Lib: when AG + AL = 0 (a flat stretch, e.g. a constant
 * series) TA-Lib outputs 0, which would read as deeply oversold; we output
 * 50, neutral, because nothing moved. All gains -> 100, all losses -> 0.
 * Empty -> empty; N or fewer values -> all NaN.
 *
 * @example
 *   rsi(closes, 14) // Float64Array, NaN for the first 14 bars
 */
export function rsi(x: Series, period = 14): Float64Array {
  checkPeriod('RSI period', period);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  let prevPrice = NaN;
  let count = 0; // changes seen
  let ag = 0;
  let al = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    if (v !== v) continue;
    if (prevPrice !== prevPrice) {
      prevPrice = v;
      continue;
    }
    const d = v - prevPrice;
    prevPrice = v;
    count++;
    if (count <= period) {
      if (d < 0) al -= d;
      else ag += d;
      if (count < period) continue;
      ag /= period;
      al /= period;
    } else {
      ag *= period - 1;
      al *= period - 1;
      if (d < 0) al -= d;
      else ag += d;
      ag /= period;
      al /= period;
    }
    const s = ag + al;
    out[t] = s === 0 ? 50 : 100 * (ag / s);
  }
  return out;
}
