/**
 * Small numeric building blocks shared by the domain modules: NaN-skipping
 * mean and deviation, a linear-time quantile (quickselect), Pearson moments.
 * Everything here is O(n) (quantile in expected O(n)) and allocation-light.
 *
 * NaN policy, used across the library: a NaN element is a missing
 * observation and is skipped (as numpy's nan* functions and empyrical do).
 * A statistic that needs more observations than remain returns NaN.
 */

/** Anything indexable with numbers: plain arrays and typed arrays. */
export type Series = ArrayLike<number>;

/**
 * Relative size below which a computed standard deviation is float noise
 * from a constant series (e.g. std of ten copies of 0.01 is ~1e-18, not 0).
 */
export const ZERO_DEVIATION_REL = 1e-12;

/**
 * Arithmetic mean of the non-NaN elements: sum(x) / n.
 * Empty or all-NaN input -> NaN. Constant input -> that constant.
 *
 * @example
 *   mean([1, 2, NaN, 3]) // 2
 */
export function mean(x: Series): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) {
      s += v;
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

/**
 * Standard deviation of the non-NaN elements, two-pass:
 * sqrt(sum((x - mean)^2) / (n - ddof)). `ddof` 1 is the sample deviation
 * (pandas' default), 0 the population deviation (numpy's default).
 * Fewer than ddof + 1 observations -> NaN. Constant input -> exactly 0 (a
 * result below 1e-12 of the mean absolute value is snapped to 0).
 *
 * @example
 *   std([2, 4, 4, 4, 5, 5, 7, 9], 0) // 2
 */
export function std(x: Series, ddof = 1): number {
  const m = mean(x);
  if (m !== m) return NaN;
  let ss = 0;
  let n = 0;
  let absSum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) {
      const d = v - m;
      ss += d * d;
      absSum += Math.abs(v);
      n++;
    }
  }
  if (n - ddof <= 0) return NaN;
  const sd = Math.sqrt(ss / (n - ddof));
  return sd <= ZERO_DEVIATION_REL * (absSum / n) ? 0 : sd;
}

/** k-th smallest (0-based) of a[lo..hi] in place, expected O(n) (Hoare quickselect, median-of-three pivot). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three keeps sorted and reverse-sorted input linear
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const p = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * Quantile q in [0, 1] of the non-NaN elements with linear interpolation
 * between order statistics, numpy's default (`method='linear'`):
 * h = (n - 1) q, result = x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)).
 * Expected O(n) by quickselect; the input is not modified.
 * Empty or all-NaN input -> NaN. One element -> that element.
 *
 * @example
 *   quantile([1, 2, 3, 4], 0.05) // 1.15
 */
export function quantile(x: Series, q: number): number {
  if (!(q >= 0 && q <= 1)) return NaN;
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) n++;
  if (n === 0) return NaN;
  const a = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) a[j++] = x[i];
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const vlo = select(a, lo);
  if (lo === h || lo + 1 >= n) return vlo;
  // after select, a[lo+1..] are all >= vlo, so their minimum is the next order statistic
  let vhi = Infinity;
  for (let i = lo + 1; i < n; i++) if (a[i] < vhi) vhi = a[i];
  return vlo + (h - lo) * (vhi - vlo);
}

/**
 * Median of the non-NaN elements (the 0.5 quantile: the mean of the two middle
 * values for an even count, numpy's `nanmedian`). Empty or all-NaN -> NaN.
 *
 * @example
 *   median([3, 1, NaN, 2]) // 2
 */
export function median(x: Series): number {
  return quantile(x, 0.5);
}

/** Pairwise moments of two series over the indices where both are non-NaN. */
export interface PairMoments {
  n: number;
  meanX: number;
  meanY: number;
  /** sum((x - mx)(y - my)) */
  sxy: number;
  sxx: number;
  syy: number;
}

/**
 * Centered co-moments of x and y over the indices where both are defined
 * (two-pass). The series must have equal length.
 *
 * @example
 *   pairMoments([1, 2, 3], [2, 4, 6]).sxy // 4
 */
export function pairMoments(x: Series, y: Series): PairMoments {
  const len = Math.min(x.length, y.length);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < len; i++) {
    const a = x[i];
    const b = y[i];
    if (a === a && b === b) {
      sx += a;
      sy += b;
      n++;
    }
  }
  if (n === 0) return { n: 0, meanX: NaN, meanY: NaN, sxy: NaN, sxx: NaN, syy: NaN };
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < len; i++) {
    const a = x[i];
    const b = y[i];
    if (a === a && b === b) {
      const dx = a - mx;
      const dy = b - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
  }
  return { n, meanX: mx, meanY: my, sxy, sxx, syy };
}

/**
 * Replace +-Infinity by NaN: the library never returns infinities.
 *
 * @example
 *   finiteOrNaN(1 / 0) // NaN
 */
export function finiteOrNaN(v: number): number {
  return v === Infinity || v === -Infinity ? NaN : v;
}

/** Moments of every full window, from `rollingMoments`. */
export interface RollingMoments {
  /** Mean of the window ending at t; NaN before the first full window or when it holds a NaN. */
  mean: Float64Array;
  /** Sum of squared deviations from that mean, sum((x_i - mean)^2); exactly 0 only for a flat window. */
  m2: Float64Array;
}

// Half the distance from 1 to the next double: the relative rounding error of one operation.
const UNIT_ROUNDOFF = Number.EPSILON / 2;
// Largest relative error (on m2, and on the mean measured in standard deviations) that the
// sliding update may reach before the window is recomputed from scratch.
const ROLLING_TOLERANCE = 1e-13;

/**
 * Mean and sum of squared deviations of each window of `window` values
 * ending at t (t >= window - 1), accurate to about 1e-13 relative per window
 * on any series, as a fresh two-pass computation of that window would be.
 *
 * Method: sliding sums S1 = sum(x - K), S2 = sum((x - K)^2) about a shift K
 * (mean = K + S1 / N, m2 = S2 - S1^2 / N), so rounding scales with the
 * window's spread, not its level. Beside them runs a bound on the rounding
 * error accumulated so far; when it exceeds 1e-13 of m2 (or of the standard
 * deviation, for the mean) the window is recomputed by the corrected
 * two-pass method with K = its mean. A smooth series is recomputed about
 * once per few dozen bars; a window after a burst (whose rounding would
 * otherwise dominate a calm window's tiny m2) is recomputed at once. O(n)
 * for ordinary data; O(n N) only if every window's spread collapses
 * against the previous one.
 *
 * A window whose N values are all equal (tracked by the length of the run
 * of equal values) is flat: mean = that value and m2 = 0 exactly, however
 * much movement came before. A window holding a NaN -> NaN for both; the
 * state is rebuilt once it leaves. `out` lets a caller reuse its arrays.
 *
 * @example
 *   rollingMoments([1, 2, 3, 3, 3], 3) // mean [NaN, NaN, 2, 8/3, 3], m2 [NaN, NaN, 2, 2/3, 0]
 */
export function rollingMoments(x: Series, window: number, out?: RollingMoments): RollingMoments {
  const n = x.length;
  const mean = out?.mean ?? new Float64Array(n);
  const m2 = out?.m2 ?? new Float64Array(n);
  const N = window;
  const invN = 1 / N;
  // the checks below are "rounding bound <= tolerance * m2", divided through by the tolerance
  const c = UNIT_ROUNDOFF / ROLLING_TOLERANCE;
  const c2 = c * c;
  let nans = 0;
  let run = 0; // length of the run of equal values ending at t
  let valid = false; // the sums describe the window ending at t - 1
  let k = 0;
  let s1 = 0;
  let s2 = 0;
  let e1 = 0; // |error of s1| <= UNIT_ROUNDOFF * e1
  let e2 = 0; // |error of s2| <= UNIT_ROUNDOFF * e2
  for (let t = 0; t < n; t++) {
    const v = x[t];
    if (v !== v) nans++;
    if (t >= N && x[t - N] !== x[t - N]) nans--;
    run = t > 0 && v === x[t - 1] ? run + 1 : 1;
    if (t < N - 1 || nans > 0) {
      mean[t] = NaN;
      m2[t] = NaN;
      valid = false;
      continue;
    }
    if (valid) {
      // the leaving term is recomputed exactly as it was added, so only the sums' roundings
      // (and the rounding of the terms still in the window) count
      const a = v - k;
      const b = x[t - N] - k;
      const p1 = s1 + a;
      s1 = p1 - b;
      e1 += Math.abs(p1) + Math.abs(s1) + Math.abs(a);
      const a2 = a * a;
      const p2 = s2 + a2;
      s2 = p2 - b * b;
      e2 += p2 + Math.abs(s2) + 3 * a2;
    }
    if (run >= N) {
      mean[t] = v;
      m2[t] = 0;
      continue;
    }
    let q = s2 - s1 * s1 * invN;
    if (valid) {
      const s1abs = Math.abs(s1);
      const m2Bound = c * (e2 + (2 * s1abs * e1 + 3 * s1abs * s1abs) * invN + Math.abs(q));
      const meanBound2 = c2 * e1 * e1 * invN; // N (u e1 / N)^2 / tol^2
      if (!(m2Bound <= q && meanBound2 <= q)) valid = false;
    }
    if (!valid) {
      let s = 0;
      for (let i = t - N + 1; i <= t; i++) s += x[i];
      k = s * invN;
      s1 = 0;
      s2 = 0;
      let abs1 = 0;
      for (let i = t - N + 1; i <= t; i++) {
        const d = x[i] - k;
        s1 += d;
        s2 += d * d;
        abs1 += Math.abs(d);
      }
      // recursive summation of N terms errs by at most (N - 1) u sum|term|, plus u per term
      e1 = N * abs1;
      e2 = (N + 3) * s2;
      q = s2 - s1 * s1 * invN;
      valid = true;
    }
    mean[t] = k + s1 * invN;
    m2[t] = q > 0 ? q : 0;
  }
  return { mean, m2 };
}
