/**
 * Ordinary least squares for the small regressions of the pairs module
 * (hedge ratio, ADF, half-life): coefficients, their standard errors and t
 * statistics, residual sum of squares and AIC. Solved through the normal
 * equations with Gaussian elimination (partial pivoting); the designs here
 * have at most a few dozen columns, so each fit is O(n k^2).
 */

/** Result of `olsFit`. */
export interface OlsFit {
  /** Coefficients, in column order. */
  coef: number[];
  /** Standard errors sqrt(s^2 (X'X)^-1_jj), s^2 = SSR / (n - k). */
  stdErr: number[];
  /** coef / stdErr. */
  tValues: number[];
  ssr: number;
  nobs: number;
  /** Akaike information criterion as statsmodels computes it: -2 llf + 2k, llf the Gaussian log-likelihood. */
  aic: number;
}

/** Solve A z = b for a small dense system (A k x k row-major, copied); null when singular. */
function solve(a: Float64Array, b: Float64Array, k: number): Float64Array | null {
  const m = Float64Array.from(a);
  const z = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r * k + c]) > Math.abs(m[piv * k + c])) piv = r;
    const pv = m[piv * k + c];
    if (!(Math.abs(pv) > 1e-300)) return null;
    if (piv !== c) {
      for (let j = 0; j < k; j++) {
        const t = m[c * k + j];
        m[c * k + j] = m[piv * k + j];
        m[piv * k + j] = t;
      }
      const t = z[c];
      z[c] = z[piv];
      z[piv] = t;
    }
    for (let r = c + 1; r < k; r++) {
      const f = m[r * k + c] / pv;
      if (f === 0) continue;
      for (let j = c; j < k; j++) m[r * k + j] -= f * m[c * k + j];
      z[r] -= f * z[c];
    }
  }
  for (let r = k - 1; r >= 0; r--) {
    let s = z[r];
    for (let j = r + 1; j < k; j++) s -= m[r * k + j] * z[j];
    z[r] = s / m[r * k + r];
  }
  return z;
}

/**
 * Fit y = X b + e by OLS. `columns[j][i]` is regressor j at observation i
 * (add a column of ones for an intercept). Needs n > k; a singular design
 * (e.g. a constant regressor next to an intercept) or n <= k -> null.
 *
 * @example
 *   olsFit([1, 3, 5], [[1, 1, 1], [0, 1, 2]])!.coef // [1, 2]
 */
export function olsFit(y: ArrayLike<number>, columns: ArrayLike<number>[]): OlsFit | null {
  const n = y.length;
  const k = columns.length;
  if (k === 0 || n <= k) return null;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const ca = columns[a];
    let sy = 0;
    for (let i = 0; i < n; i++) sy += ca[i] * y[i];
    xty[a] = sy;
    for (let b = a; b < k; b++) {
      const cb = columns[b];
      let s = 0;
      for (let i = 0; i < n; i++) s += ca[i] * cb[i];
      xtx[a * k + b] = s;
      xtx[b * k + a] = s;
    }
  }
  const coef = solve(xtx, xty, k);
  if (!coef) return null;
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += columns[j][i] * coef[j];
    const e = y[i] - f;
    ssr += e * e;
  }
  const s2 = ssr / (n - k);
  const stdErr: number[] = [];
  const unit = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    unit.fill(0);
    unit[j] = 1;
    const col = solve(xtx, unit, k);
    stdErr.push(col ? Math.sqrt(s2 * col[j]) : NaN);
  }
  const llf = (-n / 2) * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
  return {
    coef: Array.from(coef),
    stdErr,
    tValues: Array.from(coef, (c, j) => c / stdErr[j]),
    ssr,
    nobs: n,
    aic: -2 * llf + 2 * k,
  };
}

/**
 * Standard normal CDF, Phi(z) = erfc(-z / sqrt 2) / 2, with the Chebyshev
 * erfc of Numerical Recipes (fractional error < 1.2e-7).
 *
 * @example
 *   normalCdf(0) // 0.5
 */
export function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const r =
    t *
    Math.exp(
      -ax * ax -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return 0.5 * (x >= 0 ? r : 2 - r);
}
