import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transactionCost } from './costs';
import { DomainInputError } from './errors';
import { expectClose } from './__fixtures__/expect-close';
import { generateOrders } from './orders';

describe('generateOrders', () => {
  it('hand-worked rebalance: sells first, whole shares, truncated towards the target', () => {
    // V = 1,000 cash + 100 A x $50 + 20 B x $100 = 8,000.
    // A target 25 % = 2,000 -> 40 shares: sell 60. B target 50 % = 4,000 -> 40 shares: buy 20.
    // C target 20 % = 1,600 at $33 -> 48.48 shares: buy 48 (1,584).
    const plan = generateOrders({
      targetWeights: { A: 0.25, B: 0.5, C: 0.2 },
      holdings: { A: 100, B: 20 },
      prices: { A: 50, B: 100, C: 33 },
      cash: 1000,
    });
    expect(plan.portfolioValue).toBe(8000);
    expect(plan.orders.map((o) => [o.symbol, o.side, o.shares])).toEqual([
      ['A', 'sell', 60],
      ['B', 'buy', 20],
      ['C', 'buy', 48],
    ]);
    const costs = transactionCost(60, 50).total + transactionCost(20, 100).total + transactionCost(48, 33).total;
    expectClose(plan.totalCost, costs);
    expectClose(plan.cashAfter, 1000 + 3000 - 2000 - 1584 - costs);
  });
  it('skips trades below the $100 minimum and sells symbols without a target', () => {
    const plan = generateOrders({
      targetWeights: { A: 0.5 },
      holdings: { A: 49, Z: 3 },
      prices: { A: 100, Z: 20 },
      cash: 5060,
    });
    // V = 4,900 + 60 + 5,060 = 10,020; A target 5,010 -> 50.1 -> buy 1 ($100 is not below the minimum);
    // Z: sell all 3 = $60 < $100 -> skipped
    expect(plan.orders).toHaveLength(1);
    expect(plan.orders[0]).toMatchObject({ symbol: 'A', side: 'buy', shares: 1 });
    expect(plan.skipped).toEqual([{ symbol: 'Z', shares: -3, notional: 60 }]);
    const none = generateOrders({ targetWeights: { A: 0.5 }, holdings: {}, prices: { A: 100 }, cash: 150, minTradeValue: 100 });
    expect(none.orders).toEqual([]); // 0.75 share truncates to 0
  });
  it('scales buys down when their costs would overdraw the cash', () => {
    // 100 % target, no reserve: buying 100 shares at $100 = $10,000 leaves nothing for the costs
    const plan = generateOrders({ targetWeights: { A: 1 }, holdings: {}, prices: { A: 100 }, cash: 10_000 });
    expect(plan.orders[0].shares).toBe(99);
    expect(plan.cashAfter).toBeGreaterThanOrEqual(0);
  });
  it('edge cases: no targets and no holdings; bad input throws with the symbol', () => {
    expect(generateOrders({ targetWeights: {}, holdings: {}, prices: {}, cash: 0 }).orders).toEqual([]);
    expect(() => generateOrders({ targetWeights: { A: 0.5 }, holdings: {}, prices: {}, cash: 10 })).toThrow(/no price for A/);
    expect(() => generateOrders({ targetWeights: { A: 0.5 }, holdings: {}, prices: { A: 0 }, cash: 10 })).toThrow(DomainInputError);
    expect(() => generateOrders({ targetWeights: { A: 0.7, B: 0.7 }, holdings: {}, prices: { A: 1, B: 1 }, cash: 10 })).toThrow(/sum/);
  });
  it('property: whole shares, no trade below the minimum, cash never negative, no overshoot of a target', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 0.2, noNaN: true }),
            fc.integer({ min: 0, max: 500 }),
            fc.double({ min: 1, max: 900, noNaN: true }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        fc.double({ min: 0, max: 200_000, noNaN: true }),
        (rows, cash) => {
          const targetWeights: Record<string, number> = {};
          const holdings: Record<string, number> = {};
          const prices: Record<string, number> = {};
          rows.forEach(([w, h, p], i) => {
            targetWeights[`S${i}`] = w;
            holdings[`S${i}`] = h;
            prices[`S${i}`] = p;
          });
          const plan = generateOrders({ targetWeights, holdings, prices, cash });
          expect(plan.cashAfter).toBeGreaterThanOrEqual(-1e-9);
          for (const o of plan.orders) {
            expect(Number.isInteger(o.shares) && o.shares > 0).toBe(true);
            expect(o.notional).toBeGreaterThanOrEqual(100);
            const target = targetWeights[o.symbol] * plan.portfolioValue;
            const after = (holdings[o.symbol] + (o.side === 'buy' ? o.shares : -o.shares)) * o.price;
            if (o.side === 'buy') expect(after).toBeLessThanOrEqual(target + 1e-6);
            else expect(after).toBeGreaterThanOrEqual(targetWeights[o.symbol] === 0 ? -1e-9 : target - 1e-6);
          }
        },
      ),
    );
  });
});
