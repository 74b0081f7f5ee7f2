/**
 * The model strategies on inputs small enough to work out by hand (the
 * arithmetic is in each expectation's comment), and their refusals.
 */
import { describe, expect, it } from 'vitest';
import { combinedScoreSignals, enhancedMomentumSignals, ModelInputError, type ModelInputs } from './model-strategies';

const SEED = {
  rsiPeriod: 14,
  rsiOverbought: 70,
  rsiOversold: 30,
  macdFast: 12,
  macdSlow: 26,
  macdSignal: 9,
  positionSize: 0.05,
  stopLoss: 0.02,
};
const row = (rsi: number | null, hist: number | null, vol: number | null = 0.2) => ({
  close: 100,
  rsi_14: rsi,
  macd_hist_12_26_9: hist,
  volatility_20: vol,
});
const inputs = (features: Record<string, Record<string, number | null>>, scores: ModelInputs['scores'] = new Map()): ModelInputs => ({
  date: '2025-03-14',
  features: new Map(Object.entries(features)),
  scores,
});

describe('enhancedMomentumSignals', () => {
  const [buy, hold, over, sell, warm] = enhancedMomentumSignals(
    inputs({ A: row(60, 0.25), B: row(55, -0.1), C: row(75, 1), D: row(40, -1), E: row(null, 0.3) }),
    SEED,
  );

  it('buys with positive momentum below overbought, sizing and stopping by the config', () => {
    // confidence = 0.5 + 0.25 * (10 / 20) + 0.25 * (0.25 / 0.5) = 0.75
    // expected = (2 * 0.75 - 1) * 0.2 / sqrt(252) * sqrt(5) = 0.0140859...
    expect(buy).toMatchObject({ symbol: 'A', action: 'BUY', positionSize: 0.05, stopLoss: 98 });
    expect(buy.confidence).toBeCloseTo(0.75, 12);
    expect(buy.expectedReturn).toBeCloseTo((0.5 * 0.2 * Math.sqrt(5)) / Math.sqrt(252), 12);
    expect(buy.riskMetrics).toEqual({ rsi: 60, macd_hist: 0.25, volatility_20: 0.2 });
  });

  it('sells with negative momentum above oversold; stop above the close', () => {
    // confidence = 0.5 + 0.25 * (10 / 20) + 0.25 * min(1, 1 / 0.5) = 0.875; expected return negative
    expect(sell).toMatchObject({ symbol: 'D', action: 'SELL', stopLoss: 102, positionSize: 0.05 });
    expect(sell.confidence).toBeCloseTo(0.875, 12);
    expect(sell.expectedReturn!).toBeLessThan(0);
  });

  it('holds when the two disagree, when overextended, and while RSI warms up', () => {
    for (const s of [hold, over, warm])
      expect(s).toMatchObject({ action: 'HOLD', confidence: 0, positionSize: 0, stopLoss: null, expectedReturn: null });
    expect([hold.symbol, over.symbol, warm.symbol]).toEqual(['B', 'C', 'E']);
  });

  it('names the feature its config needs and the set lacks, and refuses a day without features', () => {
    expect(() => enhancedMomentumSignals(inputs({ A: row(60, 0.25) }), { ...SEED, rsiPeriod: 10 })).toThrow(ModelInputError);
    expect(() => enhancedMomentumSignals(inputs({ A: row(60, 0.25) }), { ...SEED, rsiPeriod: 10 })).toThrow(/feature "rsi_10"/);
    expect(() => enhancedMomentumSignals(inputs({}), SEED)).toThrow(/no features stored for 2025-03-14/);
  });
});

describe('combinedScoreSignals', () => {
  it("recombines WF3's component scores with the version's weights and classifies as WF3 does", () => {
    const scores = new Map([
      ['X', { technical: 80, fundamental: 70, sentiment: 50 }],
      ['Y', { technical: 20, fundamental: 20, sentiment: 20 }],
      ['Z', { technical: 50, fundamental: 50, sentiment: 50 }],
    ]);
    const weights = { technicalWeight: 0.3, fundamentalWeight: 0.4, sentimentWeight: 0.3 };
    const [x, y, z] = combinedScoreSignals(inputs({}, scores), weights);
    // X: 0.3 * 80 + 0.4 * 70 + 0.3 * 50 = 67 -> buy; confidence |67 - 50| / 50 = 0.34
    expect(x).toMatchObject({ symbol: 'X', action: 'BUY' });
    expect(x.confidence).toBeCloseTo(0.34, 12);
    // Y: 20 -> strong sell; confidence 0.6.  Z: 50 -> hold; confidence 0.
    expect(y).toMatchObject({ symbol: 'Y', action: 'SELL' });
    expect(y.confidence).toBeCloseTo(0.6, 12);
    expect(z).toMatchObject({ symbol: 'Z', action: 'HOLD', confidence: 0 });
    // All weight on technical: X scores 80 -> strong buy, confidence 0.6.
    const [x2] = combinedScoreSignals(inputs({}, scores), { technicalWeight: 1, fundamentalWeight: 0, sentimentWeight: 0 });
    expect(x2.confidence).toBeCloseTo(0.6, 12);
    expect(() => combinedScoreSignals(inputs({}), weights)).toThrow(/run the signal workflow/);
  });
});
