/**
 * Simple moving average, TA-Lib's `SMA`: the building block of the SMA
 * 50/200 crossover and of Bollinger Bands' middle band.
 */
import { DomainInputError } from '../errors';
import type { Series } from '../stats';

/**
 * Throw a DomainInputError (INVALID_PARAMETER) unless `period` is an
 * integer >= `min`.
 *
 * @example
 *   checkPeriod('RSI period', 14); // ok; checkPeriod('x', 0) throws
 */
export function checkPeriod(name: string, period: number, min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new DomainInputError('INVALID_PARAMETER', `${name} must be an integer >= ${min}, got ${period}`);
  }
}

/**
 * Simple moving average: SMA_t = (x_{t-N+1} + ... + x_t) / N, one output
 * per input, NaN where undefined. The first defined index is N - 1 (TA-Lib's
 * lookback N - 1), counted from the first non-NaN input (a leading NaN run is
 * skipped, as the TA-Lib Python wrapper does). A window that holds an
 * interior NaN gives NaN and the average recovers once the NaN leaves the
 * window (TA-Lib's running sum would stay NaN for ever; pandas'
 * `rolling(N).mean()` recovers, and so do we). Running sum: O(n).
 * Empty input -> empty; fewer than N values -> all NaN; constant -> the constant.
 *
 * @example
 *   sma([1, 2, 3, 4], 2) // Float64Array [NaN, 1.5, 2.5, 3.5]
 */
export function sma(x: Series, period: number): Float64Array {
  checkPeriod('SMA period', period);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  let sum = 0;
  let nans = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t];
    if (v === v) sum += v;
    else nans++;
    if (t >= period) {
      const old = x[t - period];
      if (old === old) sum -= old;
      else nans--;
    }
    if (t >= period - 1 && nans === 0) out[t] = sum / period;
  }
  return out;
}
