import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, expectSeriesClose } from './__fixtures__/expect-close';
import { monthlyStocks, sp500Closes } from './__fixtures__/vega';
import { cagr, equalWeightBenchmark, logReturns, periodRate, simpleReturns, totalReturn, wealthIndex } from './returns';

// Expected values marked "empyrical" come from scripts/reference/risk.py:
// empyrical-reloaded 0.7.1, numpy 2.4.6, pandas 3.1.1, on vega-datasets data.

describe('simpleReturns / logReturns', () => {
  it('hand-worked values', () => {
    expectSeriesClose(simpleReturns([100, 110, 99]), [0.1, -0.1]);
    expectSeriesClose(logReturns([100, 110]), [Math.log(1.1)]);
  });
  it('edge cases: empty, one price, constant, zero/negative/NaN prices give NaN (never Infinity)', () => {
    expect(simpleReturns([]).length).toBe(0);
    expect(simpleReturns([5]).length).toBe(0);
    expectSeriesClose(simpleReturns([3, 3, 3]), [0, 0]);
    expectSeriesClose(simpleReturns([0, 5, NaN, 4, -1]), [null, null, null, null]);
    expectSeriesClose(logReturns([1, 0, 2]), [null, null]);
  });
});

describe('wealth, total return, CAGR, periodRate', () => {
  it('wealth starts at 1 and carries NaN periods; returns below -1 are a total loss', () => {
    expectSeriesClose(wealthIndex([0.1, NaN, -0.5]), [1, 1.1, 1.1, 0.55]);
    expectSeriesClose(wealthIndex([-2, 0.5]), [1, 0, 0]);
  });
  it('S&P 500 2000-2020 daily: CAGR and total return match empyrical', () => {
    const r = simpleReturns(sp500Closes());
    expect(r.length).toBe(5104);
    expectClose(cagr(r, 252), 0.034181539229865); // empyrical.cagr(period='daily')
    expectClose(totalReturn(r), 0.9753440141593661); // np.prod(1 + r) - 1
  });
  it('CAGR = W^(P/N) - 1 by hand, and its edge cases', () => {
    expectClose(cagr([0.21], 0.5), Math.pow(1.21, 0.5) - 1); // one return that is two years long
    expectClose(cagr([0.1, 0.1], 2), 0.21);
    expect(cagr([], 252)).toBeNaN();
    expect(cagr([NaN], 252)).toBeNaN();
    expect(cagr([-1, 0.5], 252)).toBe(-1);
    expect(cagr([0, 0, 0], 252)).toBe(0);
    expect(totalReturn([])).toBe(0);
  });
  it('CAGR with missing periods: interior NaN periods count as elapsed (empyrical), leading/trailing ones do not', () => {
    // by hand: W = 1.1 x 1.1 = 1.21 over 3 elapsed periods at 3 a year -> 1.21^1 - 1 = 0.21
    // (empyrical.cagr: len 3, NaN compounds as 0 -> 0.21; the old count of 2 gave 1.21^1.5 - 1 = 0.331)
    expectClose(cagr([0.1, NaN, 0.1], 3), 0.21);
    // leading/trailing NaN are before the series began: 2 periods at 2 a year -> 0.21
    // (empyrical would count 4 periods and give 1.21^0.5 - 1 = 0.1; we depart on purpose, see the doc comment)
    expectClose(cagr([NaN, 0.1, 0.1, NaN], 2), 0.21);
  });
  it('CAGR of S&P 500 daily returns with three interior gaps matches empyrical', () => {
    const r = simpleReturns(sp500Closes());
    for (const i of [1000, 2500, 4000]) r[i] = NaN;
    // empyrical-reloaded 0.7.1 ep.cagr(period="daily"), scripts/reference/risk.py: cagr_nan_at_1000_2500_4000
    // (the old count of non-NaN periods only gave a slightly higher rate)
    expectClose(cagr(r, 252), 0.033334567033664886);
  });
  it('periodRate compounds back to the annual rate', () => {
    expectClose(Math.pow(1 + periodRate(0.04, 252), 252) - 1, 0.04, 1e-12);
    expect(periodRate(0, 252)).toBe(0);
    expect(periodRate(-1, 252)).toBeNaN();
  });
});

describe('equalWeightBenchmark', () => {
  const m = monthlyStocks();
  const four = [m.MSFT, m.AMZN, m.IBM, m.AAPL];
  it('buy and hold over MSFT/AMZN/IBM/AAPL monthly matches pandas (four / four.iloc[0]).mean(axis=1)', () => {
    const b = equalWeightBenchmark(four);
    expect(b.wealth.length).toBe(123);
    expectClose(b.wealth[10], 0.5309024550528965);
    expectClose(b.wealth[122], 3.141331855852298);
    expectClose(cagr(b.returns, 12), 0.11917098192215825); // empyrical.cagr(period='monthly')
  });
  it('daily (here monthly) rebalancing matches pandas (1 + pct_change.mean(axis=1)).cumprod()', () => {
    expectClose(equalWeightBenchmark(four, { rebalance: 'daily' }).wealth[122], 3.227058741533836);
  });
  it('hand-worked, NaN carried forward, unbuyable series left out, empty', () => {
    expectSeriesClose(
      equalWeightBenchmark([
        [100, 110],
        [50, 50],
      ]).wealth,
      [1, 1.05],
    );
    const b = equalWeightBenchmark([
      [100, NaN, 120],
      [NaN, 5, 5],
      [10, 10, 10],
    ]);
    expect(b.included).toEqual([0, 2]);
    expectSeriesClose(b.wealth, [1, 1, 1.1]);
    expect(equalWeightBenchmark([]).wealth.length).toBe(0);
  });
  it('property: a basket of one series is that series', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 2, maxLength: 50 }), (p) => {
        const w = equalWeightBenchmark([p]).wealth;
        for (let i = 0; i < p.length; i++) expectClose(w[i], p[i] / p[0], 1e-12);
      }),
    );
  });
});
