import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pensionAllocation, type AllocationCandidate } from './allocation';
import { DomainInputError } from './errors';
import type { Recommendation } from './scoring';

const cand = (symbol: string, sector: string, recommendation: Recommendation): AllocationCandidate => ({ symbol, sector, recommendation });
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

describe('pensionAllocation', () => {
  it('hand-worked, no cap binds: 3x / 2x of the base weight, holds and sells get 0', () => {
    // 20 strong buys (3) and 10 buys (2) in 10 sectors: raw sum 80, base = 0.95 / 80 = 0.011875
    const c: AllocationCandidate[] = [];
    for (let i = 0; i < 20; i++) c.push(cand(`S${i}`, `sec${i % 10}`, 'strong_buy'));
    for (let i = 0; i < 10; i++) c.push(cand(`B${i}`, `sec${i}`, 'buy'));
    c.push(cand('H', 'sec0', 'hold'), cand('X', 'sec1', 'strong_sell'));
    const a = pensionAllocation(c);
    expect(a.weights.S0).toBeCloseTo(3 * 0.011875, 12);
    expect(a.weights.B0).toBeCloseTo(2 * 0.011875, 12);
    expect(a.weights.H).toBeUndefined();
    expect(a.invested).toBeCloseTo(0.95, 12);
    expect(a.cash).toBeCloseTo(0.05, 12);
    expect(a.feasible).toBe(true);
    expect(a.cappedSymbols).toEqual([]);
  });
  it('hand-worked stock cap with redistribution', () => {
    // 1 strong buy + 30 buys, one sector each: base = 0.95 / 63; S = 0.04524 (< 5 %), nothing binds.
    // With 2 strong buys + 18 buys: base = 0.95 / 42, S = 0.0679 -> capped at 0.05;
    // remaining 0.85 over 18 buys (raw 2 each) = 0.047222 each.
    const c = [cand('S1', 'a', 'strong_buy'), cand('S2', 'b', 'strong_buy')];
    for (let i = 0; i < 18; i++) c.push(cand(`B${i}`, `s${i}`, 'buy'));
    const a = pensionAllocation(c);
    expect(a.weights.S1).toBeCloseTo(0.05, 12);
    expect(a.weights.B0).toBeCloseTo(0.85 / 18, 12);
    expect(a.cappedSymbols.sort()).toEqual(['S1', 'S2']);
    expect(a.feasible).toBe(true);
  });
  it('hand-worked sector cap: a 40 % sector is cut to 25 % and the rest goes elsewhere', () => {
    // 8 buys in Tech, 12 buys spread over 12 other sectors: base 0.95/40 = 0.02375; Tech = 0.19 < 0.25 -> no cap.
    // 12 buys in Tech, 8 elsewhere: Tech = 0.57 -> capped to 0.25 (0.020833 each); others share 0.70 -> 0.0875 each
    // -> capped at 0.05, leaving 0.70 - 0.40 = 0.30 unplaceable: infeasible.
    const c: AllocationCandidate[] = [];
    for (let i = 0; i < 12; i++) c.push(cand(`T${i}`, 'Tech', 'buy'));
    for (let i = 0; i < 8; i++) c.push(cand(`O${i}`, `s${i}`, 'buy'));
    const a = pensionAllocation(c);
    expect(a.sectorWeights.Tech).toBeCloseTo(0.25, 12);
    expect(a.weights.T0).toBeCloseTo(0.25 / 12, 12);
    expect(a.weights.O0).toBeCloseTo(0.05, 12);
    expect(a.invested).toBeCloseTo(0.65, 12);
    expect(a.feasible).toBe(false);
    expect(a.unallocated).toBeCloseTo(0.3, 12);
    expect(a.cash).toBeCloseTo(0.35, 12);
    expect(a.note).toMatch(/caps allow only 65.00% invested/);
  });
  it('capped stocks that alone overfill a sector are scaled onto the sector cap', () => {
    // six strong buys in one sector and nothing else: each capped at 5 % = 30 % > 25 % -> 25/6 % each
    const c = Array.from({ length: 6 }, (_, i) => cand(`E${i}`, 'Energy', 'strong_buy'));
    const a = pensionAllocation(c);
    expect(a.weights.E0).toBeCloseTo(0.25 / 6, 12);
    expect(a.sectorWeights.Energy).toBeCloseTo(0.25, 12);
    expect(a.feasible).toBe(false);
  });
  it('edge cases: no buys -> all cash; bad policy or duplicate symbol throws', () => {
    const a = pensionAllocation([cand('A', 'x', 'hold')]);
    expect(a).toMatchObject({ weights: {}, invested: 0, cash: 1, feasible: false });
    expect(pensionAllocation([]).cash).toBe(1);
    expect(() => pensionAllocation([], { maxStockWeight: 0 })).toThrow(DomainInputError);
    expect(() => pensionAllocation([], { cashReserve: 1 })).toThrow(DomainInputError);
    expect(() => pensionAllocation([cand('A', 'x', 'buy'), cand('A', 'y', 'buy')])).toThrow(DomainInputError);
  });
  it('property: weights sum to at most 1 - cash and respect every cap; feasible means fully invested', () => {
    const recs: Recommendation[] = ['strong_buy', 'buy', 'hold', 'sell', 'strong_sell'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 11 })), { maxLength: 120 }),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (rows, maxStock, maxSector, cashReserve) => {
          const c = rows.map(([r, s], i) => cand(`X${i}`, `sec${s}`, recs[r]));
          const a = pensionAllocation(c, { maxStockWeight: maxStock, maxSectorWeight: maxSector, cashReserve });
          const tol = 1e-9;
          expect(sum(a.weights)).toBeLessThanOrEqual(1 - cashReserve + tol);
          for (const w of Object.values(a.weights)) {
            expect(w).toBeGreaterThan(0);
            expect(w).toBeLessThanOrEqual(maxStock + tol);
          }
          for (const w of Object.values(a.sectorWeights)) expect(w).toBeLessThanOrEqual(maxSector + tol);
          if (a.feasible) expect(sum(a.weights)).toBeCloseTo(1 - cashReserve, 9);
          else expect(a.unallocated).toBeCloseTo(1 - cashReserve - sum(a.weights), 9);
          expect(a.cash + a.invested).toBeCloseTo(1, 12);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
