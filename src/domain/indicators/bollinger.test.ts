import { BollingerBands as TsBB } from 'trading-signals';
import { BollingerBands as TiBB } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { expectClose, expectSeriesClose } from '../__fixtures__/expect-close';
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
