/**
 * Pairs trading statistics: the OLS hedge ratio, the spread and its rolling
 * z-score, entry/exit/stop signals, the Engle-Granger cointegration test
 * (ADF on the regression residuals, MacKinnon 2010 critical values and
 * MacKinnon 1994 p-values, as statsmodels' `coint` does), and the
 * half-life of mean reversion.
 */
import { DomainInputError } from './errors';
import { normalCdf, olsFit } from './ols';
import { pairMoments, rollingMoments, ZERO_DEVIATION_REL, type Series } from './stats';

/** y = alpha + beta x fitted by OLS. */
export interface HedgeRatio {
  beta: number;
  alpha: number;
  rSquared: number;
  /** Observations used (pairs where both are defined). */
  n: number;
}

/**
 * Hedge ratio by OLS of y on x with an intercept: beta = cov(x, y) /
 * var(x), alpha = mean(y) - beta mean(x), R^2 = corr^2. Pairs with a NaN
 * are skipped. Fewer than 2 pairs or a constant x -> NaN coefficients.
 * Legs of different lengths -> DomainInputError (as `spread` and
 * `engleGranger`): pairing by position is only meaningful on aligned bars.
 *
 * @example
 *   hedgeRatio([3, 5, 7], [1, 2, 3]) // { beta: 2, alpha: 1, rSquared: 1, n: 3 }
 */
export function hedgeRatio(y: Series, x: Series): HedgeRatio {
  if (y.length !== x.length) throw new DomainInputError('LENGTH_MISMATCH', `hedge ratio legs differ: y ${y.length} vs x ${x.length}`);
  const m = pairMoments(x, y);
  if (m.n < 2 || !(Math.sqrt(m.sxx / m.n) > ZERO_DEVIATION_REL * Math.abs(m.meanX))) {
    return { beta: NaN, alpha: NaN, rSquared: NaN, n: m.n };
  }
  const beta = m.sxy / m.sxx;
  return { beta, alpha: m.meanY - beta * m.meanX, rSquared: m.syy > 0 ? (m.sxy * m.sxy) / (m.sxx * m.syy) : NaN, n: m.n };
}

/**
 * Spread s_t = y_t - alpha - beta x_t; NaN where either input is NaN.
 *
 * @example
 *   spread([3, 5], [1, 2], 2, 1) // [0, 0]
 */
export function spread(y: Series, x: Series, beta: number, alpha = 0): Float64Array {
  if (y.length !== x.length) throw new DomainInputError('LENGTH_MISMATCH', `spread legs differ: ${y.length} vs ${x.length}`);
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] - alpha - beta * x[i];
  return out;
}

/**
 * Rolling z-score z_t = (s_t - mean(window)) / std(window, ddof 1) over the
 * window of `lookback` (default 20) values ending at t, the current value
 * included, as pandas' (s - s.rolling(20).mean()) / s.rolling(20).std().
 * First defined index lookback - 1; a window with a NaN gives NaN. A flat
 * window (all values exactly equal, even right after movement) has zero
 * deviation and gives NaN. Mean and deviation come from `rollingMoments`,
 * as accurate per window as a fresh two-pass computation (1e-13 relative)
 * on any length of series. O(n).
 *
 * @example
 *   rollingZScore(spreadSeries, 20)
 */
export function rollingZScore(s: Series, lookback = 20): Float64Array {
  if (!Number.isInteger(lookback) || lookback < 2)
    throw new DomainInputError('INVALID_PARAMETER', `lookback must be an integer >= 2, got ${lookback}`);
  const n = s.length;
  const out = new Float64Array(n);
  const { mean } = rollingMoments(s, lookback, { mean: new Float64Array(n), m2: out });
  for (let t = 0; t < n; t++) {
    const m2 = out[t];
    out[t] = m2 > 0 ? (s[t] - mean[t]) / Math.sqrt(m2 / (lookback - 1)) : NaN;
  }
  return out;
}

/** Thresholds of the pair strategy, in standard deviations of the spread. */
export interface PairThresholds {
  entry: number;
  exit: number;
  stop: number;
}

export const DEFAULT_PAIR_THRESHOLDS: PairThresholds = { entry: 2, exit: 0.5, stop: 3 };

/** One position change. */
export interface PairEvent {
  index: number;
  type: 'enter_long' | 'enter_short' | 'exit' | 'stop';
  z: number;
}

/**
 * Position in the spread per bar from its z-score: +1 long the spread
 * (long y, short beta x), -1 short, 0 flat.
 * - flat: z <= -entry -> long; z >= entry -> short; but not when |z| >=
 *   stop (too far gone to enter);
 * - long: z <= -stop -> stop out; z >= -exit -> exit (reverted);
 * - short: z >= stop -> stop out; z <= exit -> exit.
 * A NaN z keeps the current position. The position on bar t is the one
 * held after acting on z_t. O(n).
 *
 * @example
 *   pairPositions([0, -2.1, -1, -0.4]).positions // [0, 1, 1, 0]
 */
export function pairPositions(z: Series, thresholds: Partial<PairThresholds> = {}): { positions: Int8Array; events: PairEvent[] } {
  const { entry, exit, stop } = { ...DEFAULT_PAIR_THRESHOLDS, ...thresholds };
  if (!(exit >= 0 && exit < entry && entry < stop)) {
    throw new DomainInputError('INVALID_PARAMETER', `need 0 <= exit < entry < stop, got ${exit}, ${entry}, ${stop}`);
  }
  const positions = new Int8Array(z.length);
  const events: PairEvent[] = [];
  let pos = 0;
  for (let t = 0; t < z.length; t++) {
    const v = z[t];
    if (v === v) {
      if (pos === 0) {
        if (Math.abs(v) < stop) {
          if (v <= -entry) {
            pos = 1;
            events.push({ index: t, type: 'enter_long', z: v });
          } else if (v >= entry) {
            pos = -1;
            events.push({ index: t, type: 'enter_short', z: v });
          }
        }
      } else if (pos === 1) {
        if (v <= -stop) {
          pos = 0;
          events.push({ index: t, type: 'stop', z: v });
        } else if (v >= -exit) {
          pos = 0;
          events.push({ index: t, type: 'exit', z: v });
        }
      } else if (v >= stop) {
        pos = 0;
        events.push({ index: t, type: 'stop', z: v });
      } else if (v <= exit) {
        pos = 0;
        events.push({ index: t, type: 'exit', z: v });
      }
    }
    positions[t] = pos;
  }
  return { positions, events };
}

/** Critical values at 1 %, 5 % and 10 %. */
export interface CriticalValues {
  '1%': number;
  '5%': number;
  '10%': number;
}

// MacKinnon (2010), "Critical Values for Cointegration Tests", Table 2, as
// tabulated in statsmodels.tsa.adfvalues: tau = b0 + b1/T + b2/T^2 + b3/T^3.
// Rows: 1 %, 5 %, 10 %.
const TAU_C: Record<1 | 2, number[][]> = {
  1: [
    [-3.43035, -6.5393, -16.786, -79.433],
    [-2.86154, -2.8903, -4.234, -40.04],
    [-2.56677, -1.5384, -2.809, 0],
  ],
  2: [
    [-3.89644, -10.9519, -33.527, 0],
    [-3.33613, -6.1101, -6.823, 0],
    [-3.04445, -4.2412, -2.72, 0],
  ],
};
// No-constant case, N = 1 (MacKinnon 1996 via statsmodels).
const TAU_N1 = [
  [-2.56574, -2.2358, -3.627, 0],
  [-1.941, -0.2686, -3.365, 31.223],
  [-1.61682, 0.2656, -2.714, 25.364],
];
// MacKinnon (1994) p-value surfaces (statsmodels.tsa.adfvalues, scaled).
const P_TABLE = {
  c: {
    1: { max: 2.74, min: -18.83, star: -1.61, small: [2.1659, 1.4412, 0.038269], large: [1.7339, 0.93202, -0.12745, -0.010368] },
    2: { max: 0.92, min: -18.86, star: -2.62, small: [2.92, 1.5012, 0.039796], large: [2.1945, 0.64695, -0.29198, -0.042377] },
  },
  n: {
    1: { max: Infinity, min: -19.04, star: -1.04, small: [0.6344, 1.2378, 0.032496], large: [0.4797, 0.93557, -0.06999, 0.033066] },
  },
} as const;

/**
 * MacKinnon critical values for a unit-root (N = 1) or cointegration
 * (N = 2) test with `T` observations: b0 + b1/T + b2/T^2 + b3/T^3.
 *
 * @example
 *   mackinnonCriticalValues(2, 'c', 499)['5%'] // -3.3484...
 */
export function mackinnonCriticalValues(n: 1 | 2, regression: 'c' | 'n', nobs: number): CriticalValues {
  const table = regression === 'c' ? TAU_C[n] : n === 1 ? TAU_N1 : null;
  if (!table) return { '1%': NaN, '5%': NaN, '10%': NaN };
  const f = (b: number[]) => b[0] + b[1] / nobs + b[2] / nobs ** 2 + b[3] / nobs ** 3;
  return { '1%': f(table[0]), '5%': f(table[1]), '10%': f(table[2]) };
}

/**
 * MacKinnon (1994) approximate asymptotic p-value of an ADF/Engle-Granger
 * statistic: Phi(polynomial(stat)), with the small-p polynomial below
 * tau*, the large-p one above, 0 below tau_min and 1 above tau_max
 * (statsmodels' `mackinnonp`). Unsupported cases -> NaN.
 *
 * @example
 *   mackinnonPValue(-3.5, 'c', 2) // ~0.032
 */
export function mackinnonPValue(stat: number, regression: 'c' | 'n', n: 1 | 2): number {
  const t = regression === 'c' ? P_TABLE.c[n] : n === 1 ? P_TABLE.n[1] : undefined;
  if (!t || stat !== stat) return NaN;
  if (stat > t.max) return 1;
  if (stat < t.min) return 0;
  const c = stat <= t.star ? t.small : t.large;
  let poly = 0;
  for (let i = c.length - 1; i >= 0; i--) poly = poly * stat + c[i];
  return normalCdf(poly);
}

/** Result of `adfTest`. */
export interface AdfResult {
  statistic: number;
  usedLag: number;
  /** Observations in the final regression. */
  nobs: number;
  pValue: number;
  criticalValues: CriticalValues;
}

/**
 * Augmented Dickey-Fuller test, statsmodels' `adfuller`:
 * regress d_t = x_t - x_{t-1} on x_{t-1}, d_{t-1}..d_{t-p} (and a constant
 * when regression = 'c'); the statistic is the t value of x_{t-1}.
 * With autolag 'aic' (default) p is chosen in 0..maxLag by the smallest AIC
 * with all candidate regressions on the same sample, then refitted on the
 * longest sample for that p; maxLag defaults to ceil(12 (n/100)^(1/4)),
 * capped at n/2 - ntrend - 1. Critical values and p-value are MacKinnon's for
 * N = 1 (a plain unit-root test). Fewer than 6 finite values, NaN inside the
 * series, or a singular regression (e.g. a constant series) -> NaN statistic.
 *
 * @example
 *   adfTest(series).statistic
 */
export function adfTest(x: Series, options: { maxLag?: number; autolag?: 'aic' | null; regression?: 'c' | 'n' } = {}): AdfResult {
  const regression = options.regression ?? 'c';
  return adfCore(x, options.maxLag, options.autolag === undefined ? 'aic' : options.autolag, regression, 1, regression);
}

function adfCore(
  x: Series,
  maxLagOpt: number | undefined,
  autolag: 'aic' | null,
  regression: 'c' | 'n',
  critN: 1 | 2,
  critRegression: 'c' | 'n',
  critNobs?: number,
): AdfResult {
  const n = x.length;
  const ntrend = regression === 'c' ? 1 : 0;
  const bad: AdfResult = { statistic: NaN, usedLag: 0, nobs: 0, pValue: NaN, criticalValues: { '1%': NaN, '5%': NaN, '10%': NaN } };
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) return bad;
  if (n < 6) return bad;
  let maxLag = maxLagOpt ?? Math.min(Math.floor(n / 2) - ntrend - 1, Math.ceil(12 * Math.pow(n / 100, 1 / 4)));
  maxLag = Math.max(0, Math.min(maxLag, Math.floor(n / 2) - ntrend - 1));
  const d = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) d[i - 1] = x[i] - x[i - 1];

  // design for lag p on the sample t = start..n-2 (index into d)
  const design = (p: number, start: number) => {
    const m = n - 1 - start;
    const y = d.subarray(start);
    const cols: Float64Array[] = [];
    const level = new Float64Array(m);
    for (let i = 0; i < m; i++) level[i] = x[start + i];
    cols.push(level);
    for (let l = 1; l <= p; l++) cols.push(d.subarray(start - l, start - l + m));
    if (ntrend) cols.push(new Float64Array(m).fill(1));
    return { y, cols };
  };

  let lag = maxLag;
  if (autolag === 'aic') {
    let best = Infinity;
    for (let p = 0; p <= maxLag; p++) {
      const { y, cols } = design(p, maxLag);
      const fit = olsFit(y, cols);
      if (fit && fit.aic < best - 1e-12) {
        best = fit.aic;
        lag = p;
      }
    }
  }
  const { y, cols } = design(lag, lag);
  const fit = olsFit(y, cols);
  if (!fit || !(fit.stdErr[0] > 0)) return { ...bad, usedLag: lag, nobs: y.length };
  const statistic = fit.tValues[0];
  return {
    statistic,
    usedLag: lag,
    nobs: y.length,
    pValue: mackinnonPValue(statistic, critRegression, critN),
    criticalValues: mackinnonCriticalValues(critN, critRegression, critNobs ?? y.length),
  };
}

/** Result of `engleGranger`. */
export interface EngleGrangerResult extends AdfResult {
  hedge: HedgeRatio;
  /** statistic < the 5 % critical value: reject "no cointegration". */
  cointegrated: boolean;
}

/**
 * Engle-Granger two-step cointegration test, as statsmodels'
 * `coint(y, x, trend='c')`: (1) OLS y = alpha + beta x; (2) ADF without
 * constant on the residuals, lag by AIC up to maxLag (default
 * ceil(12 (n/100)^(1/4))); critical values from MacKinnon (2010) for N = 2
 * with a constant at T = n - 1, p-value from MacKinnon (1994). NaN pairs are
 * not allowed (align the legs first). Lengths differ -> DomainInputError;
 * too short, constant or perfectly collinear legs -> NaN statistic and
 * `cointegrated: false`.
 *
 * @example
 *   engleGranger(pricesA, pricesB).cointegrated
 */
export function engleGranger(y: Series, x: Series, options: { maxLag?: number; autolag?: 'aic' | null } = {}): EngleGrangerResult {
  if (y.length !== x.length) throw new DomainInputError('LENGTH_MISMATCH', `cointegration legs differ: ${y.length} vs ${x.length}`);
  const hedge = hedgeRatio(y, x);
  const bad = {
    statistic: NaN,
    usedLag: 0,
    nobs: 0,
    pValue: NaN,
    criticalValues: mackinnonCriticalValues(2, 'c', y.length - 1),
    hedge,
    cointegrated: false,
  };
  if (hedge.beta !== hedge.beta || !(hedge.rSquared < 1 - 1e-10)) return bad;
  const resid = spread(y, x, hedge.beta, hedge.alpha);
  const adf = adfCore(resid, options.maxLag, options.autolag === undefined ? 'aic' : options.autolag, 'n', 2, 'c', y.length - 1);
  return { ...adf, hedge, cointegrated: adf.statistic < adf.criticalValues['5%'] };
}

/**
 * Half-life of mean reversion of a spread, from the AR(1) fit
 * ds_t = a + b s_{t-1} + e (Chan's "Algorithmic Trading" convention):
 * half-life = -ln 2 / b, in bars. NaN bars are skipped pairwise. b >= 0 (no
 * reversion), fewer than 3 points or a constant spread -> NaN.
 *
 * @example
 *   halfLife(spreadSeries) // e.g. 6.6 bars
 */
export function halfLife(s: Series): number {
  const n = s.length;
  if (n < 3) return NaN;
  const lag = new Float64Array(n - 1);
  const diff = new Float64Array(n - 1);
  for (let t = 1; t < n; t++) {
    lag[t - 1] = s[t - 1];
    diff[t - 1] = s[t] - s[t - 1];
  }
  const m = pairMoments(lag, diff);
  if (m.n < 2 || !(m.sxx > 0)) return NaN;
  const b = m.sxy / m.sxx;
  return b < 0 ? -Math.LN2 / b : NaN;
}
