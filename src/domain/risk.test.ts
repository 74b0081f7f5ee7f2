import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from './__fixtures__/expect-close';
import { monthlyStocks, sp500Closes } from './__fixtures__/vega';
import { equalWeightBenchmark, periodRate, simpleReturns } from './returns';
import {
  annualizedVolatility,
  beta,
  calmarRatio,
  correlation,
  drawdownOfValues,
  historicalVaR,
  maxDrawdown,
  performanceSummary,
  sharpeRatio,
  sortinoRatio,
  underwater,
  winRate,
} from './risk';

// Expected values marked "empyrical" come from scripts/reference/risk.py:
// empyrical-reloaded 0.7.1, numpy 2.4.6, pandas 3.1.1. Inputs: the close
// column of vega-datasets sp500-2000.csv (5,105 closes -> 5,104 daily simple
// returns), stocks.csv monthly prices, and the SMALL series below.
const r = simpleReturns(sp500Closes());
const SMALL = [0.01, -0.02, 0.015, -0.005, 0.03, -0.01, 0.0, 0.02];

describe('S&P 500 daily 2000-2020 against empyrical / numpy', () => {
  it('annualised volatility (ddof 1, sqrt 252)', () => expectClose(annualizedVolatility(r, 252), 0.1989143062066408));
  it('Sharpe with rf 0 and with rf 2 % converted to (1.02)^(1/252) - 1', () => {
    expectClose(sharpeRatio(r), 0.26860462897158777);
    expectClose(sharpeRatio(r, { riskFreeRate: 0.02, periodsPerYear: 252 }), 0.16904715742623266);
  });
  it('Sortino against 0 and against the per-period risk-free rate', () => {
    expectClose(sortinoRatio(r), 0.3765281774115558);
    expectClose(sortinoRatio(r, { targetReturn: periodRate(0.02, 252) }), 0.23604780698806804);
  });
  it('max drawdown 56.8 % from bar 1952 (2007-10-09) to bar 2307 (2009-03-09)', () => {
    const d = maxDrawdown(r);
    expectClose(d.maxDrawdown, 0.5677538775030552); // empyrical returns it negative
    expect(d.peakIndex).toBe(1952);
    expect(d.troughIndex).toBe(2307);
  });
  it('Calmar, VaR 95/99 (numpy percentile, linear), win rate', () => {
    expectClose(calmarRatio(r, 252), 0.06020485387117601);
    expectClose(historicalVaR(r, 0.95), -0.018938962761684237);
    expectClose(historicalVaR(r, 0.99), -0.03450820643278012);
    expectClose(winRate(r), 0.5350705329153606);
  });
  it('performanceSummary agrees with the single functions', () => {
    const s = performanceSummary(r, { riskFreeRate: 0.02 });
    expect(s.periods).toBe(5104);
    expectClose(s.sharpe, 0.16904715742623266);
    expectClose(s.sortino, 0.23604780698806804);
    expectClose(s.var, -0.018938962761684237);
    expectClose(s.maxDrawdown, 0.5677538775030552);
  });
});

describe('monthly stocks.csv against empyrical / numpy', () => {
  const m = monthlyStocks();
  const aapl = simpleReturns(m.AAPL);
  const msft = simpleReturns(m.MSFT);
  const ew = equalWeightBenchmark([m.MSFT, m.AMZN, m.IBM, m.AAPL]).returns;
  it('beta and correlation of AAPL', () => {
    expectClose(beta(aapl, msft), 0.7158762967909559);
    expectClose(correlation(aapl, msft), 0.48655271826140706);
    expectClose(beta(aapl, ew), 1.2238840781253182);
  });
  it('equal-weight benchmark Sharpe (P = 12) and max drawdown', () => {
    expectClose(sharpeRatio(ew, { periodsPerYear: 12 }), 0.49903755387736004);
    expectClose(maxDrawdown(ew).maxDrawdown, 0.6656598981880871);
  });
});

describe('short hand-written series against empyrical', () => {
  it('Sharpe, Sortino, volatility, drawdown, VaR, CAGR', () => {
    expectClose(sharpeRatio(SMALL), 4.755563543407302);
    expectClose(sortinoRatio(SMALL), 9.79795897113271);
    expectClose(annualizedVolatility(SMALL), 0.26495282598983544);
    expectClose(maxDrawdown(SMALL).maxDrawdown, 0.02);
    expectClose(historicalVaR(SMALL, 0.95), -0.0165);
  });
  it('a loss on the first bar counts (wealth starts at 1): empyrical gives -0.1 for [-0.1, 0.05, 0.02]', () => {
    expect(maxDrawdown([-0.1, 0.05, 0.02])).toEqual({ maxDrawdown: expect.closeTo(0.1, 12), peakIndex: 0, troughIndex: 1 });
  });
  it('Sortino by hand: [0.02, -0.01, 0.01], P = 1 -> mean 0.00667 / sqrt(0.0001 / 3)', () => {
    expectClose(sortinoRatio([0.02, -0.01, 0.01], { periodsPerYear: 1 }), 0.02 / 3 / Math.sqrt(0.0001 / 3));
  });
  it('drawdownOfValues on a value path', () => {
    expect(drawdownOfValues([100, 120, 90, 130])).toEqual({ maxDrawdown: 0.25, peakIndex: 1, troughIndex: 2 });
  });
});

describe('edge cases: undefined is NaN, never Infinity', () => {
  it('empty input', () => {
    expect(annualizedVolatility([])).toBeNaN();
    expect(sharpeRatio([])).toBeNaN();
    expect(sortinoRatio([])).toBeNaN();
    expect(maxDrawdown([])).toEqual({ maxDrawdown: NaN, peakIndex: null, troughIndex: null });
    expect(calmarRatio([])).toBeNaN();
    expect(historicalVaR([])).toBeNaN();
    expect(beta([], [])).toBeNaN();
    expect(correlation([], [])).toBeNaN();
    expect(winRate([])).toBeNaN();
  });
  it('one element', () => {
    expect(annualizedVolatility([0.01])).toBeNaN();
    expect(sharpeRatio([0.01])).toBeNaN();
    expect(historicalVaR([0.01])).toBe(0.01);
    expect(winRate([0.01])).toBe(1);
  });
  it('constant series: zero volatility makes Sharpe undefined, no drawdown makes Calmar undefined', () => {
    const c = new Array(10).fill(0.01);
    expect(annualizedVolatility(c)).toBe(0);
    expect(sharpeRatio(c)).toBeNaN();
    expect(sortinoRatio(c)).toBeNaN(); // no downside
    expect(maxDrawdown(c)).toEqual({ maxDrawdown: 0, peakIndex: null, troughIndex: null });
    expect(calmarRatio(c)).toBeNaN();
    expect(beta([0.01, 0.02, 0.03], [0.01, 0.01, 0.01])).toBeNaN();
    expect(correlation([1, 2, 3], [5, 5, 5])).toBeNaN();
  });
  it('NaN gaps are skipped', () => {
    expectClose(sharpeRatio([0.01, NaN, -0.02, 0.015]), sharpeRatio([0.01, -0.02, 0.015]));
    expectClose(historicalVaR([NaN, 1, 2, 3, 4], 0.95), 1.15);
    expectClose(beta([0.02, NaN, -0.02, 0.04], [0.01, 0.5, -0.01, 0.02]), 2);
    expect(winRate([NaN, 1, -1])).toBe(0.5);
    expect(maxDrawdown([0.1, NaN, -0.5]).maxDrawdown).toBeCloseTo(0.5, 12);
  });
  it('invalid VaR confidence is NaN', () => {
    expect(historicalVaR([1, 2], 1)).toBeNaN();
    expect(historicalVaR([1, 2], 0)).toBeNaN();
  });
});

describe('properties', () => {
  it('drawdown lies in [0, 1] for any returns, with peak before trough', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 200 }), (xs) => {
        const d = maxDrawdown(xs);
        expect(d.maxDrawdown).toBeGreaterThanOrEqual(0);
        expect(d.maxDrawdown).toBeLessThanOrEqual(1);
        if (d.peakIndex !== null) expect(d.peakIndex).toBeLessThan(d.troughIndex!);
      }),
    );
  });
  it('VaR equals the sort-based numpy percentile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (xs, c) => {
          const s = [...xs].sort((a, b) => a - b);
          const h = (s.length - 1) * (1 - c);
          const lo = Math.floor(h);
          const ref = lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
          expectClose(historicalVaR(xs, c), ref, 1e-12, 1e-15);
        },
      ),
    );
  });
  it('no statistic returns Infinity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.constant(NaN), fc.double({ min: -1, max: 1, noNaN: true })), { maxLength: 30 }),
        (xs) => {
          const s = performanceSummary(xs);
          for (const v of Object.values(s)) expect(Number.isFinite(v) || Number.isNaN(v)).toBe(true);
          const b = beta(xs, [...xs].reverse());
          expect(Number.isFinite(b) || Number.isNaN(b)).toBe(true);
        },
      ),
    );
  });
});

describe('underwater', () => {
  it('is each value over its running peak, minus 1; its minimum is minus the max drawdown', () => {
    // by hand: peaks 100, 120, 120, 130, 130 -> 0, 0, 90/120 - 1 = -0.25, 0, 117/130 - 1 = -0.1
    const u = underwater([100, 120, 90, 130, 117]);
    expect([...u].map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0, 0, -0.25, 0, -0.1]);
    expect(Math.min(...u)).toBeCloseTo(-drawdownOfValues([100, 120, 90, 130, 117]).maxDrawdown, 15);
  });

  it('passes NaN through without moving the peak, and is empty for empty input', () => {
    expect([...underwater([100, NaN, 50])]).toEqual([0, NaN, -0.5]);
    expect(underwater([])).toHaveLength(0);
    expect([...underwater([0, 10])]).toEqual([NaN, 0]);
  });
});
