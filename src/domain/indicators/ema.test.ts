import { EMA as TiEMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { expectClose, expectSeriesClose } from '../__fixtures__/expect-close';
import { TALIB_SP500 } from '../__fixtures__/talib-sp500';
import { sp500Closes } from '../__fixtures__/vega';
import { ema, emaWithSkip } from './ema';

const closes = sp500Closes();

describe('ema', () => {
  it('hand-worked: period 3 seeds with the SMA of the first 3, then k = 0.5', () => {
    // seed (1+2+3)/3 = 2 at index 2; then 2 + 0.5 (4 - 2) = 3; 3 + 0.5 (10 - 3) = 6.5
    expectSeriesClose(ema([1, 2, 3, 4, 10], 3), [null, null, 2, 3, 6.5]);
  });

  it('matches TA-Lib 0.8.2 EMA(20) on S&P 500 closes', () => {
    const e = ema(closes, 20);
    for (const [i, v] of Object.entries(TALIB_SP500.ema20)) expectClose(e[Number(i)], v);
  });

  it('matches TA-Lib 0.8.2 EMA(10) on the StockCharts RSI sample closes', () => {
    // TA-Lib EMA(10) on StockCharts' classic 20-bar sample (44.34, 44.09, ...):
    // the first value is the SMA of the first 10 bars, 44.779.
    const v = [44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28];
    const e = ema(v, 10);
    expectClose(e[9], 44.779);
    expectClose(e[10], 44.981);
    expectClose(e[11], 45.171727272727274);
    expectClose(e[13], 45.43842900075131);
    expectClose(e[14], 45.59144190970562);
  });

  it('agrees with technicalindicators EMA (also SMA-seeded) on every bar', () => {
    const ours = ema(closes, 20);
    const theirs = TiEMA.calculate({ period: 20, values: closes });
    expect(theirs.length).toBe(closes.length - 19);
    for (let i = 0; i < theirs.length; i++) expectClose(ours[i + 19], theirs[i], 1e-9);
  });

  it('emaWithSkip skips values before seeding (the MACD fast leg)', () => {
    // skip 9; seed (1 + 2) / 2 = 1.5 at index 2; then 1.5 + (2/3)(3 - 1.5) = 2.5
    expectSeriesClose(emaWithSkip([9, 1, 2, 3], 2, 2 / 3, 1), [null, null, 1.5, 2.5]);
  });

  it('edge cases: empty, short, constant, NaN gap keeps the state', () => {
    expect(ema([], 5).length).toBe(0);
    expect(Array.from(ema([1, 2], 3)).every(Number.isNaN)).toBe(true);
    expectSeriesClose(ema([7, 7, 7, 7, 7], 2), [null, 7, 7, 7, 7]);
    // seed (1+3)/2 = 2 at index 1; NaN bar -> NaN, state stays 2; 2 + (2/3)(5 - 2) = 4
    expectSeriesClose(ema([1, 3, NaN, 5], 2), [null, 2, null, 4]);
  });
});
