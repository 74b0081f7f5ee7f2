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
  it("issue 12's example: one sector, 6 strong buys + 12 buys keep the 3 : 2 ratio on the sector cap", () => {
    // Sector level: 25 % over raw 6 x 3 + 12 x 2 = 42, no stock cap reached:
    // strong buy 0.25 x 3 / 42 = 1.785714 %, buy 0.25 x 2 / 42 = 1.190476 %; 70 % stays in cash.
    // (The old proportional cut capped every name at 5 % first and then scaled all to 1.3889 %.)
    const c = [
      ...Array.from({ length: 6 }, (_, i) => cand(`S${i}`, 'Energy', 'strong_buy')),
      ...Array.from({ length: 12 }, (_, i) => cand(`B${i}`, 'Energy', 'buy')),
    ];
    const a = pensionAllocation(c);
    expect(a.weights.S0).toBeCloseTo(0.75 / 42, 14);
    expect(a.weights.B0).toBeCloseTo(0.5 / 42, 14);
    expect(a.sectorWeights.Energy).toBeCloseTo(0.25, 14);
    expect(a.cappedSectors).toEqual(['Energy']);
    expect(a.cappedSymbols).toEqual([]);
    expect(a.unallocated).toBeCloseTo(0.7, 12);
    expect(a.feasible).toBe(false);
  });
  it("issue 12's example: 6 strong buys + 13 buys in one sector no longer zero the buys", () => {
    // raw 6 x 3 + 13 x 2 = 44: strong buy 0.25 x 3 / 44 = 1.704545 %, buy 0.25 x 2 / 44 = 1.136364 %.
    // (The old code gave the strong buys 4.1667 % and every buy 0, so a held buy was sold outright.)
    const c = [
      ...Array.from({ length: 6 }, (_, i) => cand(`S${i}`, 'Energy', 'strong_buy')),
      ...Array.from({ length: 13 }, (_, i) => cand(`B${i}`, 'Energy', 'buy')),
    ];
    const a = pensionAllocation(c);
    for (let i = 0; i < 6; i++) expect(a.weights[`S${i}`]).toBeCloseTo(0.75 / 44, 14);
    for (let i = 0; i < 13; i++) expect(a.weights[`B${i}`]).toBeCloseTo(0.5 / 44, 14);
    expect(a.sectorWeights.Energy).toBeCloseTo(0.25, 14);
  });
  it('a capped sector below a stock cap, beside free sectors that fill up', () => {
    // Policy stock 10 %, sector 25 %, no reserve. Tech: 2 strong buys + 1 buy, caps would allow 30 % > 25 %:
    // sector level M with 2 x 3M + 2M = 0.25 -> M = 1/32: strong buys 9.375 %, buy 6.25 %.
    // Other: 8 buys in 8 sectors take the remaining 75 %: 9.375 % each (level 0.046875 > M, below the cap).
    const c = [cand('T1', 'Tech', 'strong_buy'), cand('T2', 'Tech', 'strong_buy'), cand('T3', 'Tech', 'buy')];
    for (let i = 0; i < 8; i++) c.push(cand(`O${i}`, `s${i}`, 'buy'));
    const a = pensionAllocation(c, { maxStockWeight: 0.1, maxSectorWeight: 0.25, cashReserve: 0 });
    expect(a.weights.T1).toBeCloseTo(0.09375, 14);
    expect(a.weights.T3).toBeCloseTo(0.0625, 14);
    expect(a.weights.O0).toBeCloseTo(0.09375, 14);
    expect(a.feasible).toBe(true);
    expect(a.cappedSectors).toEqual(['Tech']);
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
          const buys = c.filter((x) => x.recommendation === 'strong_buy' || x.recommendation === 'buy');
          expect(Object.keys(a.weights).sort()).toEqual(buys.map((x) => x.symbol).sort());
          for (const w of Object.values(a.weights)) {
            expect(w).toBeGreaterThan(0);
            expect(w).toBeLessThanOrEqual(maxStock + tol);
          }
          for (const w of Object.values(a.sectorWeights)) expect(w).toBeLessThanOrEqual(maxSector + tol);
          // 3 : 2 wherever no stock cap binds: within a sector, and across sectors off their cap
          const level = (x: AllocationCandidate) => a.weights[x.symbol] / (x.recommendation === 'strong_buy' ? 3 : 2);
          const free = buys.filter((x) => a.weights[x.symbol] < maxStock - tol);
          for (const x of free) {
            for (const y of free) {
              const together = x.sector === y.sector || (!a.cappedSectors.includes(x.sector) && !a.cappedSectors.includes(y.sector));
              if (together) expect(level(x)).toBeCloseTo(level(y), 12);
            }
          }
          // nothing left in cash that a cap would allow: every name is on its stock cap or in a capped sector
          if (!a.feasible && buys.length > 0) {
            for (const x of buys) expect(a.weights[x.symbol] >= maxStock - tol || a.sectorWeights[x.sector] >= maxSector - tol).toBe(true);
          }
          if (a.feasible) expect(sum(a.weights)).toBeCloseTo(1 - cashReserve, 9);
          else expect(a.unallocated).toBeCloseTo(1 - cashReserve - sum(a.weights), 9);
          expect(a.cash + a.invested).toBeCloseTo(1, 12);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
