import { describe, expect, it } from 'vitest';
import { DomainInputError } from './errors';
import { applyFill, applyFills, emptyPortfolio, valuePortfolio } from './portfolio';

describe('portfolio bookkeeping', () => {
  it('hand-worked weighted average cost, realised P&L and cash', () => {
    // buy 10 @ 100 (cost 1), buy 30 @ 120 (cost 2): avg = (1,000 + 3,600) / 40 = 115
    // sell 20 @ 130 (cost 1.5): realised 20 x (130 - 115) = 300; avg stays 115
    // cash = 10,000 - 1,001 - 3,602 + 2,598.5 = 7,995.5
    const s = applyFills(emptyPortfolio(10_000), [
      { symbol: 'A', side: 'buy', shares: 10, price: 100, cost: 1 },
      { symbol: 'A', side: 'buy', shares: 30, price: 120, cost: 2 },
      { symbol: 'A', side: 'sell', shares: 20, price: 130, cost: 1.5 },
    ]);
    expect(s.positions.A).toEqual({ shares: 20, avgCost: 115 });
    expect(s.realizedPnl).toBe(300);
    expect(s.fees).toBe(4.5);
    expect(s.cash).toBeCloseTo(7995.5, 10);
    const v = valuePortfolio(s, { A: 125 });
    expect(v.marketValue).toBe(2500);
    expect(v.totalValue).toBeCloseTo(10_495.5, 10);
    expect(v.unrealizedPnl).toBe(200); // 20 x (125 - 115)
    expect(v.positions[0].weight).toBeCloseTo(2500 / 10_495.5, 12);
    // conservation: start + realised + unrealised - fees = total value
    expect(10_000 + s.realizedPnl + v.unrealizedPnl - s.fees).toBeCloseTo(v.totalValue, 9);
  });
  it('selling the whole position removes it; the input state is not mutated', () => {
    const s0 = applyFill(emptyPortfolio(1000), { symbol: 'A', side: 'buy', shares: 5, price: 10, cost: 0 });
    const s1 = applyFill(s0, { symbol: 'A', side: 'sell', shares: 5, price: 12, cost: 0 });
    expect(s1.positions).toEqual({});
    expect(s0.positions.A.shares).toBe(5);
    expect(s1.cash).toBe(1010);
  });
  it('rejects short sales, overdrafts and bad fills with typed errors', () => {
    const s = emptyPortfolio(100);
    expect(() => applyFill(s, { symbol: 'A', side: 'sell', shares: 1, price: 10, cost: 0 })).toThrow(DomainInputError);
    expect(() => applyFill(s, { symbol: 'A', side: 'buy', shares: 11, price: 10, cost: 0 })).toThrow(/needs/);
    expect(() => applyFill(s, { symbol: 'A', side: 'buy', shares: 1, price: NaN, cost: 0 })).toThrow(DomainInputError);
    expect(() => applyFill(s, { symbol: 'A', side: 'buy', shares: 1, price: 1, cost: -1 })).toThrow(DomainInputError);
    expect(() => emptyPortfolio(-1)).toThrow(DomainInputError);
  });
  it('valuation: empty account, missing price, zero value', () => {
    const v = valuePortfolio(emptyPortfolio(500), {});
    expect(v).toMatchObject({ cash: 500, marketValue: 0, totalValue: 500, cashWeight: 1, positions: [] });
    expect(valuePortfolio(emptyPortfolio(0), {}).cashWeight).toBeNaN();
    const s = applyFill(emptyPortfolio(100), { symbol: 'A', side: 'buy', shares: 1, price: 10, cost: 0 });
    expect(() => valuePortfolio(s, {})).toThrow(/no price for held symbol A/);
  });
});
