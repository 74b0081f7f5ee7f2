/** Fan-out portfolio aggregation against a hand-worked example (numbers checked with numpy 2.4). */
import { describe, expect, it } from 'vitest';
import { contractPnlPct, PortfolioAccumulator, tradeReturns } from './fanout-portfolio';

describe('tradeReturns', () => {
  it('earns the next change for a buy, its negative for a sell, nothing for a hold or the last bar', () => {
    // signal buy, sell, hold, buy; changes (undefined first), 2, -1, 3
    expect(Array.from(tradeReturns(Int8Array.of(1, -1, 0, 1), Float64Array.of(NaN, 2, -1, 3)))).toEqual([2, 1, 0, 0]);
  });
  it('treats an undefined next change as no return', () => {
    expect(Array.from(tradeReturns(Int8Array.of(1, 0), Float64Array.of(1, NaN)))).toEqual([0, 0]);
  });
  it('is empty for empty input', () => {
    expect(tradeReturns(new Int8Array(0), new Float64Array(0)).length).toBe(0);
    expect(contractPnlPct(new Int8Array(0), new Float64Array(0))).toBe(0);
  });
});

describe('PortfolioAccumulator', () => {
  it('averages contracts bar by bar and reports P&L, Sharpe and win rate', () => {
    const acc = new PortfolioAccumulator(4);
    acc.add(Int8Array.of(1, -1, 0, 1), Float64Array.of(NaN, 2, -1, 3), 2, 0); // returns [2, 1, 0, 0]
    acc.add(Int8Array.of(0, 1, 1, 0), Float64Array.of(NaN, 1, -2, 4), 1, 1); // returns [0, -2, 4, 0]
    const p = acc.finish();
    expect(Array.from(p.portfolioReturnPct)).toEqual([1, -0.5, 2, 0]);
    expect(Array.from(p.cumulativePnlPct)).toEqual([1, 0.5, 2.5, 2.5]);
    expect(p.totalPnlPct).toBe(2.5);
    // numpy: r.mean() / r.std(ddof=1) * sqrt(2016) with r = [1, -0.5, 2, 0]
    expect(p.sharpe).toBeCloseTo(25.311617216244695, 10);
    expect(p.winRate).toBeCloseTo(3 / 4, 15);
    expect(p.contracts).toBe(2);
  });
  it('gives null Sharpe for zero deviation and null win rate without judged trades', () => {
    const acc = new PortfolioAccumulator(3);
    acc.add(Int8Array.of(0, 0, 0), Float64Array.of(NaN, 1, 1), 0, 0);
    const p = acc.finish();
    expect(p.sharpe).toBeNull();
    expect(p.winRate).toBeNull();
    expect(p.totalPnlPct).toBe(0);
  });
  it('rejects a contract with a different bar count', () => {
    const acc = new PortfolioAccumulator(3);
    expect(() => acc.add(Int8Array.of(0, 0), Float64Array.of(NaN, 1), 0, 0)).toThrowError(/2 bars, the run has 3/);
  });
});
