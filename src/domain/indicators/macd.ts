/**
 * MACD 12/26/9 with TA-Lib's seeding: MACD line, signal line, histogram.
 */
import { DomainInputError } from '../errors';
import type { Series } from '../stats';
import { emaWithSkip } from './ema';
import { checkPeriod } from './sma';

/** The three MACD outputs, each as long as the input and NaN where undefined. */
export interface MacdResult {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

/**
 * MACD as TA-Lib's `MACD(fast 12, slow 26, signal 9)` computes it:
 * - slow EMA (k = 2/(slow+1)) seeded with the SMA of values 0..slow-1;
 * - fast EMA (k = 2/(fast+1)) seeded with the SMA of values
 *   slow-fast..slow-1, so both seed windows end on bar slow - 1 (TA-Lib does
 *   not start the fast EMA at bar fast - 1);
 * - MACD = fast - slow; signal = EMA(signal) of MACD seeded with the SMA of
 *   its first `signal` values; histogram = MACD - signal.
 * All three outputs start at index (slow - 1) + (signal - 1) = 33 for
 * 12/26/9, TA-Lib's lookback, counted from the first non-NaN input; the MACD
 * line is known from bar 25 but, like TA-Lib, is reported from bar 33. If
 * fast > slow the two are swapped (TA-Lib does the same). O(n).
 * Empty -> empty arrays; too short -> all NaN; constant input -> 0, 0, 0.
 *
 * @example
 *   const m = macd(closes); m.histogram[m.histogram.length - 1]
 */
export function macd(x: Series, fastPeriod = 12, slowPeriod = 26, signalPeriod = 9): MacdResult {
  checkPeriod('MACD fast period', fastPeriod, 2);
  checkPeriod('MACD slow period', slowPeriod, 2);
  checkPeriod('MACD signal period', signalPeriod, 1);
  if (fastPeriod === slowPeriod) {
    throw new DomainInputError('INVALID_PARAMETER', `MACD fast and slow periods are both ${fastPeriod}`);
  }
  if (fastPeriod > slowPeriod) [fastPeriod, slowPeriod] = [slowPeriod, fastPeriod];
  const n = x.length;
  const slow = emaWithSkip(x, slowPeriod, 2 / (slowPeriod + 1), 0);
  const fast = emaWithSkip(x, fastPeriod, 2 / (fastPeriod + 1), slowPeriod - fastPeriod);
  const line = new Float64Array(n);
  for (let t = 0; t < n; t++) line[t] = fast[t] - slow[t];
  const signal = emaWithSkip(line, signalPeriod, 2 / (signalPeriod + 1), 0);
  const macdOut = new Float64Array(n).fill(NaN);
  const histogram = new Float64Array(n).fill(NaN);
  for (let t = 0; t < n; t++) {
    const s = signal[t];
    if (s === s) {
      macdOut[t] = line[t];
      histogram[t] = line[t] - s;
    }
  }
  return { macd: macdOut, signal, histogram };
}
