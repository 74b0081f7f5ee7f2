import { SMA as TiSMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../errors';
import { expectClose, expectSeriesClose } from '../__fixtures__/expect-close';
import { TALIB_SP500 } from '../__fixtures__/talib-sp500';
import { sp500Closes } from '../__fixtures__/vega';
import { sma } from './sma';

const closes = sp500Closes();

describe('sma', () => {
  it('hand-worked: [1,2,3,4,5] period 3 -> NaN, NaN, 2, 3, 4', () => {
    expectSeriesClose(sma([1, 2, 3, 4, 5], 3), [null, null, 2, 3, 4]);
  });

  it('matches TA-Lib 0.8.2 SMA(50) and SMA(200) on S&P 500 closes (sp500-2000.csv)', () => {
    const s50 = sma(closes, 50);
    const s200 = sma(closes, 200);
    for (const [i, v] of Object.entries(TALIB_SP500.sma50)) expectClose(s50[Number(i)], v);
    for (const [i, v] of Object.entries(TALIB_SP500.sma200)) expectClose(s200[Number(i)], v);
  });

  it('agrees with technicalindicators SMA bar for bar', () => {
    const ours = sma(closes, 50);
    const theirs = TiSMA.calculate({ period: 50, values: closes });
    expect(theirs.length).toBe(closes.length - 49);
    for (let i = 0; i < theirs.length; i++) expectClose(ours[i + 49], theirs[i], 1e-9);
  });

  it('edge cases: empty, shorter than the period, constant, NaN gap, bad period', () => {
    expect(sma([], 3).length).toBe(0);
    expectSeriesClose(sma([1, 2], 3), [null, null]);
    expectSeriesClose(sma([5, 5, 5, 5], 2), [null, 5, 5, 5]);
    // leading NaN skipped; interior NaN blanks the windows that hold it, then recovers
    expectSeriesClose(sma([NaN, 1, 3, NaN, 5, 7, 9], 2), [null, null, 2, null, null, 6, 8]);
    expect(() => sma([1, 2], 0)).toThrow(DomainInputError);
    expect(() => sma([1, 2], 2.5)).toThrow(DomainInputError);
  });
});
