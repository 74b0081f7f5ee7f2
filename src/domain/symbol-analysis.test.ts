import { describe, expect, it } from 'vitest';
import { expectClose, expectSeriesClose } from './__fixtures__/expect-close';
import { DomainInputError } from './errors';
import { analyzeSymbolBars, BETA_CLIP } from './symbol-analysis';

const f64 = (a: number[]) => Float64Array.from(a);

// Expected values from scripts/reference/symbol_analysis.py: an independent
// pandas 3.1.1 implementation (pct_change * 100, ratio with 0/0 -> 1 and
// x/0 -> sign(x) * 3, clip to [-3, 3], thresholds 0.5 VIX / 15, np.select
// signals, quality from shift(-1)) on this written-down series.
const BARS = {
  price: f64([100, 101, 101, 99, 99, 102, 100, 99, 101.5, 100]),
  spx: f64([4000, 4040, 4040, 4000, 4000, 4000, 4040, 4020, 4060, 4060]),
  vix: f64([15, 15, 30, 15, 15, 15, 15, 15, 45, 15]),
};
const REF = {
  priceChangePct: [
    null,
    1.0000000000000009,
    0.0,
    -1.980198019801982,
    0.0,
    3.0303030303030276,
    -1.9607843137254943,
    -1.0000000000000009,
    2.5252525252525304,
    -1.4778325123152691,
  ],
  spxChangePct: [
    null,
    1.0000000000000009,
    0.0,
    -0.990099009900991,
    0.0,
    0.0,
    1.0000000000000009,
    -0.4950495049504955,
    0.995024875621886,
    0.0,
  ],
  beta: [null, 1.0, 1.0, 2.0, 1.0, 3.0, -1.9607843137254926, 2.02, 2.5378787878788045, -3.0],
  buyThreshold: [0.5, 0.5, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 0.5],
  signal: [0, 1, 0, -1, 0, 1, -1, -1, 1, -1],
  quality: [0, 0, 0, 0, 0, -1, 1, -1, -1, 0],
  summary: { totalTrades: 7, goodTrades: 1, badTrades: 3, successRate: 14.285714285714285, avgBeta: 0.844121608239257, avgVix: 19.5 },
};

describe('analyzeSymbolBars', () => {
  const a = analyzeSymbolBars(BARS);
  it('matches the pandas reference bar for bar', () => {
    expectSeriesClose(a.priceChangePct, REF.priceChangePct, 1e-12);
    expectSeriesClose(a.spxChangePct, REF.spxChangePct, 1e-12);
    expectSeriesClose(a.beta, REF.beta, 1e-12);
    expectSeriesClose(a.buyThreshold, REF.buyThreshold, 1e-15);
    expect(Array.from(a.signal)).toEqual(REF.signal);
    expect(Array.from(a.quality)).toEqual(REF.quality);
    expect(a.summary.bars).toBe(10);
    expect(a.summary.totalTrades).toBe(REF.summary.totalTrades);
    expect(a.summary.goodTrades).toBe(REF.summary.goodTrades);
    expect(a.summary.badTrades).toBe(REF.summary.badTrades);
    expectClose(a.summary.successRate, REF.summary.successRate, 1e-12);
    expectClose(a.summary.avgBeta, REF.summary.avgBeta, 1e-12);
    expectClose(a.summary.avgVix, REF.summary.avgVix, 1e-15);
  });
  it('hand-worked edge rules', () => {
    // bars 2 and 4: 0 % / 0 % -> beta 1; bar 5: +3.03 % / 0 % -> +3; bar 9: -1.48 % / 0 % -> -3
    expect([a.beta[2], a.beta[4], a.beta[5], a.beta[9]]).toEqual([1, 1, BETA_CLIP, -BETA_CLIP]);
    // bar 8: +2.53 % clears the VIX-45 threshold of 1.5 -> buy
    expect(a.signal[8]).toBe(1);
    // bar 1 buy followed by a 0 % change: neutral quality, yet counted as a trade
    expect(a.quality[1]).toBe(0);
    // the last bar's signal counts as a trade but its quality is neutral (no next bar)
    expect(a.signal[9]).toBe(-1);
    expect(a.quality[9]).toBe(0);
    // bar 0: no change, hold, NaN beta
    expect(a.signal[0]).toBe(0);
    expect(a.beta[0]).toBeNaN();
  });
  it('a NaN price makes both touching changes NaN: beta 1, hold', () => {
    const r = analyzeSymbolBars({ price: f64([100, NaN, 105, 106]), spx: f64([10, 11, 12, 13]), vix: f64([15, 15, 15, 15]) });
    expect(r.priceChangePct[1]).toBeNaN();
    expect(r.priceChangePct[2]).toBeNaN();
    expect([r.beta[1], r.beta[2]]).toEqual([1, 1]);
    expect([r.signal[1], r.signal[2]]).toEqual([0, 0]);
    // bar 3: +0.952 % > 0.5 -> buy on the last bar
    expect(r.signal[3]).toBe(1);
    expect(r.summary).toMatchObject({ totalTrades: 1, goodTrades: 0, badTrades: 0, successRate: 0 });
  });
  it('empty and one-bar input', () => {
    const e = analyzeSymbolBars({ price: f64([]), spx: f64([]), vix: f64([]) });
    expect(e.signal.length).toBe(0);
    expect(e.summary.bars).toBe(0);
    expect(e.summary.successRate).toBe(0);
    expect(e.summary.avgBeta).toBeNaN();
    expect(e.summary.avgVix).toBeNaN();
    const one = analyzeSymbolBars({ price: f64([5]), spx: f64([5]), vix: f64([20]) });
    expect(one.summary.avgBeta).toBeNaN();
    expect(one.summary.avgVix).toBe(20);
    expect(one.summary.totalTrades).toBe(0);
  });
  it('rejects series of different lengths with a DomainInputError naming all three', () => {
    // was a RangeError; errors.ts makes DomainInputError the library's only input error
    const call = () => analyzeSymbolBars({ price: f64([1, 2]), spx: f64([1]), vix: f64([1, 2]) });
    expect(call).toThrow(DomainInputError);
    expect(call).toThrow('price 2, spx 1, vix 2');
  });
});
