/**
 * Exponential moving average with TA-Lib's default seeding; also the engine
 * under MACD.
 */
import type { Series } from '../stats';
import { checkPeriod } from './sma';

/**
 * EMA seeded the way TA-Lib does it, after skipping the first `skip` non-NaN
 * values: the seed is the plain average of the next `period` non-NaN values
 * and is the output at the bar that completes it; after that
 * e_t = e_{t-1} + k (x_t - e_{t-1}). A NaN bar gives NaN output and leaves
 * the state alone. Used by `ema` (skip 0) and by MACD, whose fast EMA skips
 * slow - fast values so both seed windows end on the same bar.
 *
 * @example
 *   emaWithSkip([9, 1, 2, 3], 2, 2 / 3, 1) // [NaN, NaN, 1.5, 2.5]
 */
export function emaWithSkip(x: Series, period: number, k: number, skip: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  let seen = 0;
  let sum = 0;
  let prev = NaN;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    if (v !== v) continue;
    seen++;
    if (seen <= skip) continue;
    if (seen - skip < period) {
      sum += v;
    } else if (seen - skip === period) {
      sum += v;
      prev = sum / period;
      out[t] = prev;
    } else {
      prev = (v - prev) * k + prev;
      out[t] = prev;
    }
  }
  return out;
}

/**
 * Exponential moving average, TA-Lib's `EMA` in its default (Metastock-
 * compatible off) mode: k = 2 / (N + 1); the first output, at index N - 1,
 * is the simple average of the first N values; then
 * EMA_t = EMA_{t-1} + k (x_t - EMA_{t-1}). A leading NaN run is skipped; an
 * interior NaN gives NaN at that bar and the recursion continues from the
 * last defined value (TA-Lib would propagate NaN for ever). O(n).
 * Empty -> empty; fewer than N values -> all NaN; constant -> the constant.
 *
 * @example
 *   ema([1, 2, 3, 4], 3) // Float64Array [NaN, NaN, 2, 3]
 */
export function ema(x: Series, period: number): Float64Array {
  checkPeriod('EMA period', period);
  return emaWithSkip(x, period, 2 / (period + 1), 0);
}
