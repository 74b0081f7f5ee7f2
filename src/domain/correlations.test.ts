import { describe, expect, it } from 'vitest';
import { dailyReturns, pairCorrelations, type DailyClose } from './correlations';

/** Closes of scripts/reference/correlations.py (same formulas; C skips days divisible by 7). */
function referenceCloses(): DailyClose[] {
  const out: DailyClose[] = [];
  for (let t = 0; t < 90; t++) {
    const date = new Date(Date.UTC(2026, 0, 1 + t)).toISOString().slice(0, 10);
    out.push({ symbol: 'A', date, close: 100 + 10 * Math.sin(t / 3) + 0.1 * t });
    out.push({ symbol: 'B', date, close: 50 + 3 * Math.cos(t / 5) + (0.02 * t * t) / 10 });
    if (t % 7 !== 0) out.push({ symbol: 'C', date, close: 20 + (t % 5) - 0.05 * t });
  }
  return out;
}

describe('pairCorrelations', () => {
  it('matches Python statistics.correlation over the last 60 shared returns (scripts/reference/correlations.py)', () => {
    const r = pairCorrelations(referenceCloses(), { window: 60 });
    expect(r.map((p) => [p.symbolA, p.symbolB, p.observations])).toEqual([
      ['A', 'B', 60],
      ['A', 'C', 60],
      ['B', 'C', 60],
    ]);
    expect(r[0].correlation).toBeCloseTo(-0.19596867605292154, 12);
    expect(r[1].correlation).toBeCloseTo(-0.06924594725154487, 12);
    expect(r[2].correlation).toBeCloseTo(0.025906299391634725, 12);
  });

  it('is 1 for proportional returns and -1 for opposite ones, in symbol order', () => {
    const closes: DailyClose[] = [];
    let x = 100;
    let y = 100;
    for (let t = 0; t < 30; t++) {
      const date = new Date(Date.UTC(2026, 1, 1 + t)).toISOString().slice(0, 10);
      const r = ((t * 7) % 5) / 100 - 0.02;
      x *= 1 + r;
      y *= 1 - r;
      closes.push({ symbol: 'ZZ', date, close: x }, { symbol: 'AA', date, close: y });
    }
    const [p] = pairCorrelations(closes, { window: 60, minObservations: 10 });
    expect(p.symbolA).toBe('AA');
    expect(p.correlation).toBeCloseTo(-1, 12);
    expect(p.observations).toBe(29);
  });

  it('leaves out pairs with too few shared returns or a constant series', () => {
    const closes: DailyClose[] = [];
    for (let t = 0; t < 10; t++) {
      const date = new Date(Date.UTC(2026, 1, 1 + t)).toISOString().slice(0, 10);
      closes.push({ symbol: 'FLAT', date, close: 10 }, { symbol: 'UP', date, close: 10 + t * t });
    }
    expect(pairCorrelations(closes, { minObservations: 5 })).toEqual([]);
    expect(pairCorrelations(closes.filter((c) => c.symbol === 'UP'))).toEqual([]);
    expect(pairCorrelations([])).toEqual([]);
  });

  it('rejects a corrupt close, naming symbol and date', () => {
    expect(() => dailyReturns([{ symbol: 'AAPL', date: '2026-01-02', close: Number.NaN }])).toThrow(/AAPL on 2026-01-02/);
    expect(() => pairCorrelations([{ symbol: 'X', date: '2026-01-02', close: -1 }])).toThrow(/X on 2026-01-02/);
  });
});
