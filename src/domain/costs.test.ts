import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL, transactionCost } from './costs';
import { DomainInputError } from './errors';
import { expectClose } from './__fixtures__/expect-close';

describe('transactionCost', () => {
  it('hand-worked: 100 shares at $50 ($5,000)', () => {
    // commission 100 x 0.005 = 0.50; spread 5,000 x 5 bp = 2.50; exchange 5,000 x 3 bp = 1.50;
    // impact rate 0.1 bp x 5 = 0.5 bp -> 5,000 x 0.00005 = 0.25; total 4.75
    const c = transactionCost(100, 50);
    expectClose(c.commission, 0.5);
    expectClose(c.spread, 2.5);
    expectClose(c.exchangeFee, 1.5);
    expectClose(c.marketImpact, 0.25);
    expectClose(c.total, 4.75);
  });
  it('hand-worked: a $1,000,000 trade pays 1,000 x 0.1 bp = 100 bp of impact ($10,000)', () => {
    const c = transactionCost(10_000, 100);
    expectClose(c.marketImpact, 10_000);
    expectClose(c.total, 50 + 500 + 300 + 10_000);
  });
  it('sells cost the same as buys; zero shares cost nothing; bad input throws', () => {
    expect(transactionCost(-100, 50)).toEqual(transactionCost(100, 50));
    expect(transactionCost(0, 50).total).toBe(0);
    expect(() => transactionCost(10, -1)).toThrow(DomainInputError);
    expect(() => transactionCost(NaN, 1)).toThrow(DomainInputError);
    expect(transactionCost(10, 1, { ...DEFAULT_COST_MODEL, spreadBps: 0 }).spread).toBe(0);
  });
  it('property: costs are >= 0 and rise with trade size', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 5000, noNaN: true }),
        (a, b, p) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const cl = transactionCost(lo, p);
          const ch = transactionCost(hi, p);
          for (const k of ['commission', 'spread', 'exchangeFee', 'marketImpact', 'total'] as const) {
            expect(cl[k]).toBeGreaterThanOrEqual(0);
            expect(ch[k]).toBeGreaterThanOrEqual(cl[k]);
          }
          if (hi > lo * (1 + 1e-9) + 1e-6) expect(ch.total).toBeGreaterThan(cl.total);
        },
      ),
    );
  });
});
