import { BollingerBands as TsBB } from 'trading-signals';
import { BollingerBands as TiBB } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { expectClose, expectSeriesClose } from '../__fixtures__/expect-close';
import { cpiLikeSeries, flatAfterMovement, twoPassWindows } from '../__fixtures__/rolling-reference';
import { TALIB_SP500 } from '../__fixtures__/talib-sp500';
import { sp500Closes } from '../__fixtures__/vega';
import { bollingerBands } from './bollinger';

const closes = sp500Closes();

describe('bollingerBands 20/2 (population sigma)', () => {
  it('hand-worked: window [2,4,4,4,5,5,7,9] has mean 5 and population sigma 2', () => {
    const b = bollingerBands([2, 4, 4, 4, 5, 5, 7, 9], 8, 2);
    expectClose(b.middle[7], 5);
    expectClose(b.upper[7], 9);
    expectClose(b.lower[7], 1);
    expect(b.middle[6]).toBeNaN();
  });

  it('matches TA-Lib 0.8.2 BBANDS(20, 2, 2, SMA) on S&P 500 closes', () => {
    const b = bollingerBands(closes, 20, 2);
    for (const [i, v] of Object.entries(TALIB_SP500.bbUpper)) expectClose(b.upper[Number(i)], v, 1e-9);
    for (const [i, v] of Object.entries(TALIB_SP500.bbMiddle)) expectClose(b.middle[Number(i)], v, 1e-9);
    for (const [i, v] of Object.entries(TALIB_SP500.bbLower)) expectClose(b.lower[Number(i)], v, 1e-9);
  });

  it('agrees with trading-signals and technicalindicators BollingerBands on every bar', () => {
    const ours = bollingerBands(closes, 20, 2);
    const ts = new TsBB(20, 2);
    const ti = TiBB.calculate({ period: 20, stdDev: 2, values: closes });
    for (let i = 0; i < closes.length; i++) {
      const r = ts.update(closes[i], false);
      if (i < 19) continue;
      expectClose(ours.upper[i], r!.upper, 1e-9);
      expectClose(ours.lower[i], r!.lower, 1e-9);
      expectClose(ours.upper[i], ti[i - 19].upper, 1e-9);
      expectClose(ours.middle[i], ti[i - 19].middle, 1e-9);
    }
  });

  it('edge cases: empty, constant (bands collapse), NaN gap recovers', () => {
    expect(bollingerBands([]).upper.length).toBe(0);
    const flat = bollingerBands(new Array(25).fill(0.1), 20, 2);
    expect(flat.upper[24]).toBe(flat.middle[24]);
    expect(flat.lower[24]).toBe(flat.middle[24]);
    const g = bollingerBands([1, 3, NaN, 1, 3, 5], 2, 1);
    expectSeriesClose(g.middle, [null, 2, null, null, 2, 4]);
    expectSeriesClose(g.upper, [null, 3, null, null, 3, 5]);
  });
});

describe('bollingerBands accuracy per window', () => {
  it('is within 1e-12 of a fresh two-pass computation of every window of a 600-month CPI-like series', () => {
    // The old sliding update drifted to 1.8e-9 relative on sigma here (see cpiLikeSeries).
    const x = cpiLikeSeries(600, 10);
    for (const period of [12, 20]) {
      const b = bollingerBands(x, period, 2);
      const ref = twoPassWindows(x, period, 0);
      for (let t = period - 1; t < x.length; t++) {
        expectClose(b.middle[t], ref.mean[t], 1e-12);
        expectClose((b.upper[t] - b.middle[t]) / 2, ref.sd[t], 1e-12, 0);
        expectClose((b.middle[t] - b.lower[t]) / 2, ref.sd[t], 1e-12, 0);
      }
    }
  });

  it('closes the bands exactly on a flat window that follows movement', () => {
    // The old update left the bands 1.4e-7 open here.
    const x = flatAfterMovement(25);
    const b = bollingerBands(x, 20, 2);
    for (let t = 43; t < x.length; t++) {
      expect(b.middle[t]).toBe(101.3);
      expect(b.upper[t]).toBe(101.3);
      expect(b.lower[t]).toBe(101.3);
    }
    expect(b.upper[42]).toBeGreaterThan(b.middle[42]); // the last window still holding a move
  });
});
