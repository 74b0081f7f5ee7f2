/**
 * Bollinger Bands (20, 2), TA-Lib's `BBANDS` with a simple moving average
 * and the population standard deviation.
 */
import type { Series } from '../stats';
import { ZERO_DEVIATION_REL } from '../stats';
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
 * bands recover once it leaves. The window variance is kept by a sliding
 * update (mean and sum of squared deviations), which stays accurate for
 * large prices where TA-Lib's sum-of-squares can lose digits; it is
 * recomputed from scratch after a NaN gap. O(n).
 * Empty -> empty; constant input -> all three bands equal the constant
 * (a sigma below 1e-12 of the price is float noise and snapped to 0).
 *
 * @example
 *   bollingerBands(closes, 20, 2).upper
 */
export function bollingerBands(x: Series, period = 20, k = 2): BollingerResult {
  checkPeriod('Bollinger period', period);
  const n = x.length;
  const upper = new Float64Array(n).fill(NaN);
  const middle = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  let nans = 0;
  let fresh = false; // window state (m, m2) valid for the window ending at t - 1
  let m = 0;
  let m2 = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    if (v !== v) nans++;
    if (t >= period && x[t - period] !== x[t - period]) nans--;
    if (t < period - 1 || nans > 0) {
      fresh = false;
      continue;
    }
    if (fresh) {
      const old = x[t - period];
      const m1 = m + (v - old) / period;
      m2 += (v - old) * (v - m1 + old - m);
      m = m1;
      if (m2 < 0) m2 = 0;
    } else {
      let s = 0;
      for (let i = t - period + 1; i <= t; i++) s += x[i];
      m = s / period;
      m2 = 0;
      for (let i = t - period + 1; i <= t; i++) m2 += (x[i] - m) * (x[i] - m);
      fresh = true;
    }
    let sd = Math.sqrt(m2 / period);
    if (sd <= ZERO_DEVIATION_REL * Math.abs(m)) sd = 0;
    middle[t] = m;
    upper[t] = m + k * sd;
    lower[t] = m - k * sd;
  }
  return { upper, middle, lower };
}
