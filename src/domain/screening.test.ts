import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from './errors';
import { expectClose } from './__fixtures__/expect-close';
import { TALIB_SP500 } from './__fixtures__/talib-sp500';
import { sp500Closes } from './__fixtures__/vega';
import { mulberry32, normalSampler } from './random';
import {
  clusterUniverse,
  compositeScores,
  quintiles,
  ranksOf,
  scoreUniverse,
  screenUniverse,
  symbolMetrics,
  zScores,
  type SymbolMetrics,
} from './screening';

// Reference values from scripts/reference/screening.py (pandas 3.1.1, scipy 1.17.1)
// on the close column of vega-datasets sp500-2000.csv.
describe('symbolMetrics on S&P 500 closes (last bar 2020-04-17)', () => {
  const m = symbolMetrics(sp500Closes());
  it('momentum over 10/21/63/126/252 bars', () => {
    expectClose(m.momentum[10], 0.13758366792639176);
    expectClose(m.momentum[21], 0.19868226576420422);
    expectClose(m.momentum[63], -0.13333594391393522);
    expectClose(m.momentum[126], -0.03850897058625791);
    expectClose(m.momentum[252], -0.008926164021921479);
  });
  it('252-day volatility, Sharpe and drawdown; RSI from TA-Lib', () => {
    expectClose(m.volatility, 0.31872687281896855);
    expectClose(m.sharpe, 0.13205772283124928);
    expectClose(m.maxDrawdown, 0.33924960006097227);
    expectClose(m.rsi, TALIB_SP500.rsi14[5104]!);
    expectClose(m.rsiScore, (50 - TALIB_SP500.rsi14[5104]!) / 50);
  });
  it('edge cases: empty, one close, constant', () => {
    const e = symbolMetrics([]);
    expect([e.momentum[10], e.volatility, e.rsi, e.sharpe, e.maxDrawdown].every(Number.isNaN)).toBe(true);
    const one = symbolMetrics([10]);
    expect(one.volatility).toBeNaN();
    const c = symbolMetrics(new Array(300).fill(20));
    expect(c.momentum[252]).toBe(0);
    expect(c.volatility).toBe(0);
    expect(c.sharpe).toBeNaN();
    expect(c.maxDrawdown).toBe(0);
    expect(c.rsi).toBe(50);
    expect(c.rsiScore).toBe(0);
  });
});

describe('zScores', () => {
  it('matches scipy.stats.zscore (ddof 0)', () => {
    const z = zScores([3, 7, 1, 9, 5, 2]);
    const ref = [-0.5331139899831832, 0.8885233166386386, -1.243932643294094, 1.5993419699495495, 0.17770466332772772, -0.8885233166386386];
    ref.forEach((v, i) => expectClose(z[i], v));
  });
  it('NaN stays NaN; constant, single or empty -> NaN', () => {
    const z = zScores([1, NaN, 3]);
    expect(z[1]).toBeNaN();
    expectClose(z[0], -1);
    expect(Array.from(zScores([4, 4, 4])).every(Number.isNaN)).toBe(true);
    expect(zScores([1])[0]).toBeNaN();
    expect(zScores([]).length).toBe(0);
  });
  it('property: mean 0 and population deviation 1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 100 }), (xs) => {
        fc.pre(new Set(xs).size > 1 && Math.max(...xs) - Math.min(...xs) > 1e-6);
        const z = Array.from(zScores(xs));
        const m = z.reduce((a, b) => a + b, 0) / z.length;
        const sd = Math.sqrt(z.reduce((a, b) => a + (b - m) ** 2, 0) / z.length);
        expect(Math.abs(m)).toBeLessThan(1e-9);
        expect(Math.abs(sd - 1)).toBeLessThan(1e-9);
      }),
    );
  });
});

describe('quintiles', () => {
  it('Q1 is the highest score; ties keep input order; NaN last', () => {
    expect(Array.from(quintiles([0.1, 0.5, -0.2, 0.3, 0]))).toEqual([3, 1, 5, 2, 4]);
    expect(Array.from(quintiles([NaN, 1, 1, 1, 1]))).toEqual([5, 1, 2, 3, 4]);
    expect(quintiles([]).length).toBe(0);
  });
  it('property: the five groups are balanced (sizes differ by at most one) and ordered by score', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 5, maxLength: 500 }), (xs) => {
        const q = quintiles(xs);
        const counts = [0, 0, 0, 0, 0];
        q.forEach((v) => counts[v - 1]++);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        for (let i = 0; i < xs.length; i++) for (let j = 0; j < xs.length; j++) if (xs[i] > xs[j]) expect(q[i]).toBeLessThanOrEqual(q[j]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('ranksOf', () => {
  it('1 = highest; ties keep input order; NaN last; agrees with quintiles', () => {
    expect(ranksOf([0.1, 0.5, NaN, 0.3])).toEqual([3, 1, 4, 2]);
    expect(ranksOf([2, 2, 1])).toEqual([1, 2, 3]);
    expect(ranksOf([])).toEqual([]);
    const xs = [0.4, -1, 3, NaN, 0.4, 2, 7, -0.5, 1, 0];
    const q = quintiles(xs);
    ranksOf(xs).forEach((r, i) => expect(q[i]).toBe(Math.floor(((r - 1) * 5) / xs.length) + 1));
  });
});

describe('compositeScores', () => {
  const mk = (mom: number, vol: number, rsi: number, sharpe: number): SymbolMetrics => ({
    momentum: { 10: mom, 21: mom, 63: mom, 126: mom, 252: mom },
    volatility: vol,
    rsi,
    rsiScore: (50 - rsi) / 50,
    sharpe,
    maxDrawdown: 0.1,
  });
  it('hand-worked two-symbol case: every factor z is +-1, composite = signed weight sum', () => {
    // A beats B on momentum (+1) and Sharpe (+1), loses on low vol (-1) and RSI (-1):
    // composite_A = 0.30 + 0.25 - 0.25 - 0.20 = 0.10, composite_B = -0.10.
    const s = compositeScores([mk(0.2, 0.3, 60, 1.5), mk(0.1, 0.2, 40, 0.5)]);
    expectClose(s.composite[0], 0.1);
    expectClose(s.composite[1], -0.1);
    expectClose(s.factors.lowVolatility[0], -1);
  });
  it('weights are configurable and normalised by their sum', () => {
    const s = compositeScores([mk(0.2, 0.3, 60, 1.5), mk(0.1, 0.2, 40, 0.5)], { momentum: 1, lowVolatility: 0, rsi: 0, sharpe: 0 });
    expectClose(s.composite[0], 1);
    expect(() => compositeScores([], { momentum: -1 })).toThrow(DomainInputError);
    expect(() => compositeScores([], { momentum: 0, lowVolatility: 0, rsi: 0, sharpe: 0 })).toThrow(DomainInputError);
  });
  it('a missing factor counts as 0 (the average)', () => {
    const s = compositeScores([mk(0.2, NaN, 60, 1.5), mk(0.1, NaN, 40, 0.5)]);
    expect(s.factors.lowVolatility[0]).toBeNaN();
    expectClose(s.composite[0], 0.35); // 0.30 + 0.25 - 0.20
  });
});

describe('scoreUniverse', () => {
  const mk = (mom: number): SymbolMetrics => ({
    momentum: { 10: mom, 21: mom, 63: mom, 126: mom, 252: mom },
    volatility: 0.2,
    rsi: 50,
    rsiScore: 0,
    sharpe: 1,
    maxDrawdown: 0.1,
  });
  it('momentum only: composite = z of momentum (ddof 0), ranked and split into quintiles', () => {
    // Momentum 1..5: mean 3, population sd sqrt(2); the other factors are equal for all, so they count 0.
    const s = scoreUniverse([3, 1, 5, 2, 4].map(mk));
    const z = [0, -2, 2, -1, 1].map((v) => v / Math.sqrt(2));
    z.forEach((v, i) => expectClose(s.composite[i], (0.3 * v) / 1));
    z.forEach((v, i) => expectClose(s.compositeZ[i], v));
    expect(s.rank).toEqual([3, 5, 1, 4, 2]);
    expect(Array.from(s.quintile)).toEqual([3, 5, 1, 4, 2]);
    expect(s.weights).toEqual({ momentum: 0.3, lowVolatility: 0.25, rsi: 0.2, sharpe: 0.25 });
    expect(scoreUniverse([mk(1)], { sharpe: 0 }).weights.sharpe).toBe(0);
  });
});

describe('screenUniverse', () => {
  function universe(symbols: number, days: number, seed: number): Float64Array[] {
    const rng = mulberry32(seed);
    const z = normalSampler(rng);
    return Array.from({ length: symbols }, () => {
      const drift = (rng() - 0.5) * 0.002;
      const vol = 0.005 + rng() * 0.03;
      const p = new Float64Array(days);
      p[0] = 100;
      for (let t = 1; t < days; t++) p[t] = p[t - 1] * Math.exp(drift + vol * z());
      return p;
    });
  }
  it('is deterministic for a seed, ranks the composite into quintiles, and labels clusters', () => {
    const u = universe(60, 300, 9);
    const a = screenUniverse(u);
    const b = screenUniverse(u);
    expect(a.rows.map((r) => r.clusterLabel)).toEqual(b.rows.map((r) => r.clusterLabel));
    expect(a.k).toBeGreaterThanOrEqual(1);
    expect(a.k).toBeLessThanOrEqual(10);
    expect(a.inertias.length).toBe(10);
    const best = a.rows.reduce((m, r) => (r.composite > m.composite ? r : m));
    expect(best.quintile).toBe(1);
    for (const r of a.rows) expect(r.clusterLabel).toMatch(/^(Hi|Mid|Lo)Mom-(Hi|Mid|Lo)Vol(-\d+)?$/);
    // the lowest-volatility cluster is labelled LoVol
    const byCluster = new Map<string, number[]>();
    for (const r of a.rows) byCluster.set(r.clusterLabel, [...(byCluster.get(r.clusterLabel) ?? []), r.metrics.volatility]);
    const avg = [...byCluster].map(([l, v]) => [l, v.reduce((x, y) => x + y, 0) / v.length] as const);
    if (avg.length > 1) expect(avg.reduce((m, x) => (x[1] < m[1] ? x : m))[0]).toMatch(/LoVol|MidVol/);
  });
  it('is its two halves: scoreUniverse and clusterUniverse over the same metrics', () => {
    const u = universe(30, 300, 4);
    const r = screenUniverse(u);
    const metrics = u.map((c) => symbolMetrics(c));
    const s = scoreUniverse(metrics);
    const c = clusterUniverse(metrics);
    expect(r.rows.map((x) => x.rank)).toEqual(s.rank);
    expect(r.rows.map((x) => x.composite)).toEqual(Array.from(s.composite));
    expect(r.rows.map((x) => x.clusterLabel)).toEqual(c.label);
    expect([r.k, r.inertias]).toEqual([c.k, c.inertias]);
  });
  it('empty universe', () => {
    expect(clusterUniverse([])).toMatchObject({ k: 0, cluster: [], label: [] });
    const r = screenUniverse([]);
    expect(r.rows).toEqual([]);
    expect(r.k).toBe(0);
  });
});
