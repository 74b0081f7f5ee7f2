import fc from 'fast-check';
import { RSI as TsRSI } from 'trading-signals';
import { RSI as TiRSI } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { expectClose, expectSeriesClose } from '../__fixtures__/expect-close';
import { TALIB_SP500 } from '../__fixtures__/talib-sp500';
import { sp500Closes } from '../__fixtures__/vega';
import { rsi } from './rsi';

const closes = sp500Closes();
// StockCharts' "RSI" ChartSchool sample (Wilder's method), 20 closes.
const WILDER = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03, 46.41, 46.22, 45.64,
];

describe('rsi (Wilder, TA-Lib seeding)', () => {
  it('matches TA-Lib 0.8.2 RSI(14) on the StockCharts sample', () => {
    // talib.RSI(np.array(WILDER), 14)[14:] with TA-Lib 0.8.2
    const expected = [70.46413502109704, 66.24961855355505, 66.48094183471265, 69.34685316290864, 66.29471265892623, 57.91502067008556];
    const r = rsi(WILDER, 14);
    for (let i = 0; i < 14; i++) expect(r[i]).toBeNaN();
    for (let i = 0; i < expected.length; i++) expectClose(r[14 + i], expected[i]);
  });

  it('matches TA-Lib 0.8.2 RSI(14) on S&P 500 closes, first defined index 14', () => {
    const r = rsi(closes, 14);
    for (const [i, v] of Object.entries(TALIB_SP500.rsi14)) expectClose(r[Number(i)], v);
  });

  it('agrees with trading-signals RSI (SMA-seeded WSMA) on every bar and with technicalindicators to its 2 decimals', () => {
    const ours = rsi(closes, 14);
    const ts = new TsRSI(14);
    for (let i = 0; i < closes.length; i++) {
      const v = ts.update(closes[i], false);
      if (i < 14) expect(v).toBeNull();
      else expectClose(ours[i], v as number, 1e-9);
    }
    const ti = TiRSI.calculate({ period: 14, values: closes });
    expect(ti.length).toBe(closes.length - 14);
    for (let i = 0; i < ti.length; i++) expect(Math.abs(ours[i + 14] - ti[i])).toBeLessThanOrEqual(0.0051);
  });

  it('edge cases: empty, too short, flat (50, not TA-Lib 0), all gains 100, all losses 0, NaN gap', () => {
    expect(rsi([]).length).toBe(0);
    expect(Array.from(rsi([1, 2, 3], 3)).every(Number.isNaN)).toBe(true);
    expectSeriesClose(rsi([5, 5, 5, 5], 2), [null, null, 50, 50]);
    expectSeriesClose(rsi([1, 2, 3, 4], 2), [null, null, 100, 100]);
    expectSeriesClose(rsi([4, 3, 2, 1], 2), [null, null, 0, 0]);
    // changes +1, (gap), +1 measured from 2 to 3, then -2: AG=(1+1)/2=1, AL=0 -> 100; then AG=0.5, AL=1 -> 33.33
    expectSeriesClose(rsi([1, 2, NaN, 3, 1], 2), [null, null, null, 100, 100 / 3]);
  });

  it('an all-gain window is exactly 100, never above (TA-Lib order 100 * (AG / (AG + AL)))', () => {
    // Found by scanning [100, 100 + 0.01k, 100 + 0.02k, 100 + 0.03k] with period 3: the old
    // (100 * AG) / (AG + AL) gave 100.00000000000001 here (k = 5, 9, 16, 34, 37 all did).
    for (const x of [
      [100, 100.05, 100.1, 100.15],
      [100, 100.09, 100.18, 100.27],
      [100, 100.34, 100.68, 101.02],
    ]) {
      expect(rsi(x, 3)[3]).toBe(100);
    }
  });

  it('property: every defined value lies in [0, 100]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 60 }),
        fc.integer({ min: 2, max: 5 }),
        (x, period) => {
          for (const v of rsi(x, period)) if (v === v) expect(v >= 0 && v <= 100).toBe(true);
        },
      ),
    );
  });
});
