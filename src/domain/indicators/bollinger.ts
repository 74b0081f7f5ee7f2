/**
 * Bollinger Bands (20, 2), TA-Lib's `BBANDS` with a simple moving average
 * and the population standard deviation.
 */
import type { Series } from '../stats';
import { rollingMoments } from '../stats';
import { checkPeriod } from './sma';

/** The three bands, each as long as the input and NaN where undefined. */
export interface BollingerResult {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/**
 * Bollinger Bands as TA-Lib's `BBANDS(timeperiod 20, nbdevup 2, nbdevdn 2,
 * matype SMA)`: middle = SMA_N, sigma = population standard deviation
 * (divide by N, not N - 1) of the same window, upper/lower = middle +- k
 * sigma. First defined index N - 1. A window holding a NaN gives NaN; the
 * bands recover once it leaves. Mean and sigma come from `rollingMoments`:
 * each window is as accurate as a fresh two-pass computation of it (1e-13
 * relative), however long the series, where a plain sliding update (and
 * TA-Lib's sum of squares) drifts. O(n).
 * Empty -> empty. A flat window (all N values equal, even right after
 * movement) has sigma exactly 0: all three bands equal that value. Only
 * exactly equal values are flat; values that differ in the last digit give
 * a tiny, true sigma.
 *
 * @example
 *   bollingerBands(closes, 20, 2).upper
 */
export function bollingerBands(x: Series, period = 20, k = 2): BollingerResult {
  checkPeriod('Bollinger period', period);
  const n = x.length;
  const middle = new Float64Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  // lower holds m2 until it is overwritten below
  rollingMoments(x, period, { mean: middle, m2: lower });
  for (let t = 0; t < n; t++) {
    const m = middle[t];
    const m2 = lower[t];
    if (m2 === 0) {
      upper[t] = m;
      lower[t] = m;
    } else {
      const sd = Math.sqrt(m2 / period);
      upper[t] = m + k * sd;
      lower[t] = m - k * sd;
    }
  }
  return { upper, middle, lower };
}
