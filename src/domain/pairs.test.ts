import { describe, expect, it } from 'vitest';
import { DomainInputError } from './errors';
import { expectClose, expectSeriesClose } from './__fixtures__/expect-close';
import { cpiLikeSeries, flatAfterMovement, twoPassWindows } from './__fixtures__/rolling-reference';
import { monthlyStocks } from './__fixtures__/vega';
import { normalCdf, olsFit } from './ols';
import {
  adfTest,
  engleGranger,
  halfLife,
  hedgeRatio,
  mackinnonCriticalValues,
  mackinnonPValue,
  pairPositions,
  rollingZScore,
  spread,
} from './pairs';
import { mulberry32 } from './random';

// Expected values come from scripts/reference/pairs.py: statsmodels 0.15.0
// (coint trend='c' autolag='aic'; adfuller autolag='AIC'), numpy 2.4.6
// polyfit, pandas 3.1.1 rolling(20) mean/std.

/** The synthetic pair of pairs.py, rebuilt from the same mulberry32 draws with the same arithmetic. */
function syntheticPair(): { x: Float64Array; y: Float64Array } {
  const rng = mulberry32(2024);
  const n = 500;
  const x = new Float64Array(n);
  const s = new Float64Array(n);
  x[0] = 100;
  for (let t = 1; t < n; t++) {
    x[t] = x[t - 1] + (rng() - 0.5) * 2;
    s[t] = 0.8 * s[t - 1] + (rng() - 0.5);
  }
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) y[t] = 10 + 1.5 * x[t] + s[t];
  return { x, y };
}

describe('synthetic cointegrated pair (y = 10 + 1.5 x + AR(0.8) noise)', () => {
  const { x, y } = syntheticPair();
  it('rebuilds the same series as the Python reference', () => {
    expect(y[499]).toBe(162.2658805630866);
    expect(x[499]).toBe(101.75434502726421);
  });
  it('hedge ratio matches numpy.polyfit(x, y, 1)', () => {
    const h = hedgeRatio(y, x);
    expectClose(h.beta, 1.5059654609609556);
    expectClose(h.alpha, 9.41093921804342);
  });
  it('rolling z-score (20) of the residual matches pandas rolling mean/std', () => {
    const h = hedgeRatio(y, x);
    const z = rollingZScore(spread(y, x, h.beta, h.alpha), 20);
    expect(z[18]).toBeNaN();
    expectClose(z[19], -0.6562355093016011, 1e-8);
    expectClose(z[20], -0.4971460241607481, 1e-8);
    expectClose(z[100], -0.40044026759122053, 1e-8);
    expectClose(z[499], -1.5386342330316656, 1e-8);
  });
  it('Engle-Granger statistic, p-value and critical values match statsmodels coint', () => {
    const eg = engleGranger(y, x);
    expectClose(eg.statistic, -6.987147078821122, 1e-8);
    expectClose(eg.pValue, 9.208172882872647e-9, 1e-5, 1e-12);
    expectClose(eg.criticalValues['1%'], -3.91852234143638, 1e-12);
    expectClose(eg.criticalValues['5%'], -3.348402090875137, 1e-12);
    expectClose(eg.criticalValues['10%'], -3.052960322448504, 1e-12);
    expect(eg.cointegrated).toBe(true);
    expectClose(engleGranger(x, y).statistic, -6.9294777252447775, 1e-8);
  });
  it('ADF with a constant on the residual matches adfuller (lag chosen by AIC = 1)', () => {
    const h = hedgeRatio(y, x);
    const a = adfTest(spread(y, x, h.beta, h.alpha), { regression: 'c' });
    expect(a.usedLag).toBe(1);
    expect(a.nobs).toBe(498);
    expectClose(a.statistic, -6.979902126462503, 1e-8);
    expectClose(a.pValue, 8.24344407698652e-10, 1e-5, 1e-13);
    expectClose(a.criticalValues['5%'], -2.8673612117611267, 1e-12);
  });
  it('half-life matches -ln 2 / polyfit slope of diff(resid) on lagged resid; AR 0.8 implies about 3.1 bars', () => {
    const h = hedgeRatio(y, x);
    const hl = halfLife(spread(y, x, h.beta, h.alpha));
    expectClose(hl, 3.037018903650627, 1e-9);
    expect(Math.abs(hl - -Math.LN2 / (0.8 - 1))).toBeLessThan(0.5);
  });
});

describe('real monthly prices (stocks.csv)', () => {
  const m = monthlyStocks();
  it('MSFT ~ IBM Engle-Granger matches statsmodels coint', () => {
    const eg = engleGranger(m.MSFT, m.IBM);
    expectClose(eg.statistic, -5.067371577777909, 1e-8);
    expectClose(eg.pValue, 0.0001235502870014186, 1e-5);
    expectClose(eg.criticalValues['5%'], -3.386671198602526, 1e-12);
  });
  it('ADF on AAPL prices: constant, no constant, fixed lag 2', () => {
    const c = adfTest(m.AAPL, { regression: 'c' });
    expectClose(c.statistic, 0.4708680317861713, 1e-8);
    expectClose(c.pValue, 0.983960234203071, 1e-6);
    expect(c.usedLag).toBe(0);
    expect(c.nobs).toBe(122);
    expectClose(c.criticalValues['1%'], -3.4851223522012855, 1e-12);
    const n = adfTest(m.AAPL, { regression: 'n' });
    expectClose(n.statistic, 1.4309516346568019, 1e-8);
    expectClose(n.pValue, 0.9618049882469852, 1e-6);
    expectClose(n.criticalValues['10%'], -1.6148113261462413, 1e-12);
    expectClose(adfTest(m.AAPL, { regression: 'c', maxLag: 2, autolag: null }).statistic, 0.16192081015175555, 1e-8);
  });
});

describe('hand-worked and edge cases', () => {
  it('hedge ratio and spread of an exact line', () => {
    expect(hedgeRatio([3, 5, 7], [1, 2, 3])).toEqual({ beta: 2, alpha: 1, rSquared: 1, n: 3 });
    expectSeriesClose(spread([3, 5], [1, 2], 2, 1), [0, 0]);
    expect(hedgeRatio([1, 2, 3], [4, 4, 4]).beta).toBeNaN();
    expect(hedgeRatio([], []).beta).toBeNaN();
    expect(() => spread([1], [1, 2], 1)).toThrow(DomainInputError);
    // used to fit on the first min(n) pairs silently
    expect(() => hedgeRatio([1, 2, 3], [1, 2])).toThrow(DomainInputError);
    expect(() => hedgeRatio([1, 2, 3], [1, 2])).toThrow('y 3 vs x 2');
  });
  it('rolling z-score: hand-worked window, constant window, NaN window', () => {
    // window [1, 2, 3]: mean 2, sample sd 1 -> z = 1
    expectSeriesClose(rollingZScore([1, 2, 3], 3), [null, null, 1]);
    // window [5, 5, 5] has zero deviation -> NaN; [5, 5, 6]: mean 16/3, sample sd sqrt(1/3) -> z = 2 / sqrt 3
    expectSeriesClose(rollingZScore([5, 5, 5, 6], 3), [null, null, null, 2 / Math.sqrt(3)]);
    expectSeriesClose(rollingZScore([1, NaN, 3, 4, 5], 2), [null, null, null, Math.SQRT1_2, Math.SQRT1_2]);
  });
  it('rolling z-score is within 1e-12 of a fresh two-pass computation per window of a 600-month CPI-like series', () => {
    // The old sliding update drifted to 1.6e-9 relative here (see cpiLikeSeries). The
    // tolerance is relative to max(1, |z|): near z = 0 the reference itself has no relative digits.
    const x = cpiLikeSeries(600, 10);
    for (const lookback of [12, 20]) {
      const z = rollingZScore(x, lookback);
      const ref = twoPassWindows(x, lookback, 1);
      for (let t = lookback - 1; t < x.length; t++) {
        if (ref.sd[t] === 0) {
          expect(z[t]).toBeNaN();
          continue;
        }
        const zr = (x[t] - ref.mean[t]) / ref.sd[t];
        expect(Math.abs(z[t] - zr)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(zr)));
      }
    }
  });
  it('rolling z-score is NaN on a flat window that follows movement', () => {
    // The old update saw a deviation of ~7e-8 here and returned 0.
    const z = rollingZScore(flatAfterMovement(25), 20);
    expect(z[42]).not.toBeNaN();
    for (let t = 43; t < z.length; t++) expect(z[t]).toBeNaN();
  });
  it('positions: entry at 2, exit at 0.5, stop at 3, no entry beyond the stop', () => {
    const z = [0, -2.1, -1, -0.4, 2.5, 1, 3.2, 0, 3.5, NaN, -2];
    const { positions, events } = pairPositions(z);
    expect(Array.from(positions)).toEqual([0, 1, 1, 0, -1, -1, 0, 0, 0, 0, 1]);
    expect(events.map((e) => `${e.index}:${e.type}`)).toEqual(['1:enter_long', '3:exit', '4:enter_short', '6:stop', '10:enter_long']);
    expect(() => pairPositions(z, { entry: 3, stop: 2 })).toThrow(DomainInputError);
  });
  it('ADF / Engle-Granger edge cases: short, constant, collinear, NaN', () => {
    expect(adfTest([1, 2, 3]).statistic).toBeNaN();
    expect(adfTest(new Array(50).fill(3)).statistic).toBeNaN();
    expect(adfTest([1, 2, NaN, 4, 5, 6, 7, 8]).statistic).toBeNaN();
    const x = Array.from({ length: 50 }, (_, i) => Math.sin(i) + i);
    const eg = engleGranger(
      x.map((v) => 2 * v + 1),
      x,
    );
    expect(eg.statistic).toBeNaN();
    expect(eg.cointegrated).toBe(false);
    expect(() => engleGranger([1, 2], [1])).toThrow(DomainInputError);
    expect(halfLife([1, 2])).toBeNaN();
    expect(halfLife([1, 2, 3, 4, 5])).toBeNaN(); // trending: no reversion
  });
  it('MacKinnon helpers: asymptotic table values, p-value regions, normal CDF', () => {
    // T -> infinity leaves b0: MacKinnon (2010) Table 2, N = 2, constant, 5 %: -3.33613
    expectClose(mackinnonCriticalValues(2, 'c', 1e12)['5%'], -3.33613, 1e-9);
    expect(mackinnonPValue(1, 'c', 2)).toBe(1);
    expect(mackinnonPValue(-30, 'c', 2)).toBe(0);
    expectClose(normalCdf(1.959963984540054), 0.975, 2e-7);
    expectClose(normalCdf(0), 0.5, 2e-7);
  });
  it('olsFit: exact line with intercept, and singular design', () => {
    const f = olsFit(
      [1, 3, 5],
      [
        [1, 1, 1],
        [0, 1, 2],
      ],
    )!;
    expectClose(f.coef[0], 1);
    expectClose(f.coef[1], 2);
    expect(
      olsFit(
        [1, 2, 3],
        [
          [1, 1, 1],
          [2, 2, 2],
        ],
      ),
    ).toBeNull();
  });
});
