/**
 * The model strategies on inputs small enough to work out by hand (the
 * arithmetic is in each expectation's comment), and their refusals.
 */
import { describe, expect, it } from 'vitest';
import { expectClose } from './__fixtures__/expect-close';
import { addDays } from './dates';
import {
  combinedScoreSignals,
  enhancedMomentumSignals,
  MODEL_STRATEGIES,
  ModelInputError,
  strategyOnDailyBars,
  toModelSignals,
  type ModelInputs,
} from './model-strategies';
import { barsOf, inputsOf } from './strategies/__fixtures__/bars';
import type { DailyBar } from './strategies/daily-bars';
import { MOVING_AVERAGE_DEFAULTS, movingAverageCrossover } from './strategies/moving-average';
import { PAIRS_DEFAULTS } from './strategies/pairs-trading';
import type { StrategySignal } from './strategies/types';

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
  dailyBars: new Map(),
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

/** Daily bars of `symbol` with these closes on consecutive calendar dates ending at `last` (the strategies read order, not the calendar). */
const daysOf = (symbol: string, closes: readonly number[], last: string): DailyBar[] =>
  closes.map((close, i) => ({
    symbol,
    date: addDays(last, i - closes.length + 1),
    open: close,
    high: close,
    low: close,
    close,
    volume: 1000,
  }));
const dailyInputs = (date: string, ...series: DailyBar[][]): ModelInputs => ({
  date,
  features: new Map(),
  scores: new Map(),
  dailyBars: new Map(series.filter((b) => b.length > 0).map((b) => [b[0].symbol, b])),
});
const D = '2025-03-14';

// The closes and TA-Lib reference of src/domain/strategies/moving-average.test.ts (UP: SMA(10) crosses above SMA(30)
// on the last close): talib.SMA(c, 10)[-1], talib.SMA(c, 30)[-1] and 0.5 + 0.5 min(1, gap / (std of 20 returns x close)).
const UP = [
  101.0, 100.2, 100.7, 99.8, 100.3, 100.0, 99.6, 99.9, 99.3, 99.5, 98.9, 99.2, 98.6, 98.8, 98.2, 98.5, 97.9, 98.1, 97.6, 97.8, 97.2, 97.5,
  97.0, 97.3, 96.8, 97.1, 96.6, 97.0, 97.4, 97.9, 98.3, 98.6, 99.1, 99.4, 99.8, 100.1,
];
const REF_UP = { fast: 98.41999999999999, slow: 98.30000000000001, confidence: 0.6395855425888384 };

// The first 22 closes of the ATEN/INGM day of src/domain/strategies/pairs-trading.test.ts: pandas' 20-bar z of
// ATEN - 1.0 INGM at the last one is 2.0530498797367187 (>= entry 2: short the spread).
const ATEN = [
  25.0, 25.44, 25.08, 25.52, 25.16, 25.05, 25.54, 25.13, 25.02, 25.31, 25.0, 24.99, 25.23, 24.97, 25.41, 25.25, 24.84, 25.28, 25.12, 24.81,
  25.38, 25.2,
];
const INGM = [
  20.0, 20.34, 20.13, 20.47, 20.26, 20.05, 20.39, 20.18, 19.97, 20.31, 20.1, 19.89, 20.23, 20.02, 20.36, 20.15, 19.94, 20.28, 20.07, 19.86,
  20.2, 19.99,
];
const Z_PAIR = 2.0530498797367187;

describe('toModelSignals', () => {
  const signal = (symbol: string, action: 'BUY' | 'SELL', confidence: number, extra: Partial<StrategySignal> = {}): StrategySignal => ({
    symbol,
    action,
    confidence,
    reason: 'r',
    ...extra,
  });

  it('maps a signal (action, confidence, stop, metrics) and makes every other symbol a HOLD, in symbol order', () => {
    const out = toModelSignals(
      ['C', 'A', 'B', 'A'],
      [signal('B', 'SELL', 0.7, { stopLoss: 12.5, metrics: { z: 2.1 }, quantity: 3 })],
      (s) => ({
        close: s === 'A' ? 1 : 3,
      }),
    );
    expect(out).toEqual([
      { symbol: 'A', action: 'HOLD', confidence: 0, expectedReturn: null, positionSize: 0, stopLoss: null, riskMetrics: { close: 1 } },
      { symbol: 'B', action: 'SELL', confidence: 0.7, expectedReturn: null, positionSize: 0, stopLoss: 12.5, riskMetrics: { z: 2.1 } },
      { symbol: 'C', action: 'HOLD', confidence: 0, expectedReturn: null, positionSize: 0, stopLoss: null, riskMetrics: { close: 3 } },
    ]);
    expect(toModelSignals([], [signal('A', 'BUY', 0.5)], () => ({}))).toEqual([]);
  });

  it('drops a confidence outside [0, 1], keeps the most confident of one action, and holds on a contradiction', () => {
    const out = toModelSignals(
      ['A', 'B', 'C', 'D'],
      [
        signal('A', 'BUY', 0.6),
        signal('A', 'BUY', 0.9),
        signal('A', 'BUY', 0.9, { metrics: { second: 1 } }),
        signal('B', 'BUY', 0.6),
        signal('B', 'SELL', 0.7),
        signal('C', 'BUY', Number.NaN),
        signal('D', 'SELL', 1.2),
        signal('D', 'SELL', 0.55),
        signal('E', 'BUY', 0.8),
      ],
      () => ({}),
    );
    expect(out.map((s) => [s.symbol, s.action, s.confidence])).toEqual([
      ['A', 'BUY', 0.9],
      ['B', 'HOLD', 0],
      ['C', 'HOLD', 0],
      ['D', 'SELL', 0.55],
    ]);
    // The first of equals is kept.
    expect(out[0].riskMetrics).toEqual({});
  });
});

describe('strategyOnDailyBars', () => {
  it("runs the strategy on the days up to the date: the moving average's cross is the reference's, others HOLD", () => {
    const later = { symbol: 'XYZ', date: addDays(D, 1), open: 500, high: 500, low: 500, close: 500, volume: 1 };
    const inputs = dailyInputs(
      D,
      [...daysOf('XYZ', UP, D), later],
      daysOf('FLAT', Array<number>(36).fill(50), D),
      daysOf('GONE', UP, addDays(D, -3)),
    );
    const [flat, xyz, ...rest] = strategyOnDailyBars('movingAverageCrossover', inputs, MOVING_AVERAGE_DEFAULTS);
    // GONE has no bar on the date: not among the day's symbols.
    expect(rest).toEqual([]);
    expect(flat).toEqual({
      symbol: 'FLAT',
      action: 'HOLD',
      confidence: 0,
      expectedReturn: null,
      positionSize: 0,
      stopLoss: null,
      riskMetrics: { close: 50, bars: 36 },
    });
    expect(xyz).toMatchObject({ symbol: 'XYZ', action: 'BUY', expectedReturn: null, positionSize: 0, stopLoss: null });
    expectClose(xyz.confidence, REF_UP.confidence, 1e-9);
    expectClose(xyz.riskMetrics.fastSma!, REF_UP.fast, 1e-12);
    expectClose(xyz.riskMetrics.slowSma!, REF_UP.slow, 1e-12);
    expect(xyz.riskMetrics.close).toBe(100.1);
    expect(xyz.riskMetrics.barTs).toBe(Date.UTC(2025, 2, 14));
    // The same function as the intraday cycle's: the same closes as 5-minute bars give the same decision.
    const [intraday] = movingAverageCrossover.signals(inputsOf(MOVING_AVERAGE_DEFAULTS, { XYZ: barsOf('XYZ', UP) }));
    expect(xyz.confidence).toBe(intraday.confidence);
  });

  it("short-sells a pair's spread at its z-score: two legs, each with the entry confidence", () => {
    const [aten, ingm] = strategyOnDailyBars(
      'pairsTrading',
      dailyInputs(D, daysOf('ATEN', ATEN, D), daysOf('INGM', INGM, D), daysOf('OTHER', ATEN, D)),
      PAIRS_DEFAULTS,
    );
    // 0.5 + 0.5 min(1, (z - entry 2) / (stop 3 - entry 2)); only the config's two symbols are the model's.
    expect(aten).toMatchObject({ symbol: 'ATEN', action: 'SELL' });
    expect(ingm).toMatchObject({ symbol: 'INGM', action: 'BUY' });
    for (const leg of [aten, ingm]) {
      expectClose(leg.confidence, 0.5 + 0.5 * (Z_PAIR - 2), 1e-9);
      expectClose(leg.riskMetrics.z!, Z_PAIR, 1e-9);
    }
  });

  it('fails naming the symbols and the date when a symbol the config trades has no bar on the date', () => {
    const none = () => strategyOnDailyBars('pairsTrading', dailyInputs(D, daysOf('AAPL', UP, D)), PAIRS_DEFAULTS);
    expect(none).toThrow(ModelInputError);
    expect(none).toThrow(/^no daily bars of ATEN, INGM on 2025-03-14 in market_data: this pairsTrading config trades them/);
    // A leg whose bars stop before the date is missing too (it would trade on a stale price).
    expect(() =>
      strategyOnDailyBars('pairsTrading', dailyInputs(D, daysOf('ATEN', ATEN, D), daysOf('INGM', INGM, addDays(D, -1))), PAIRS_DEFAULTS),
    ).toThrow(/^no daily bars of INGM on 2025-03-14 in market_data: this pairsTrading config trades it/);
    expect(() => strategyOnDailyBars('movingAverageCrossover', dailyInputs(D), MOVING_AVERAGE_DEFAULTS)).toThrow(
      /no daily bars stored for 2025-03-14: run the ingest workflow/,
    );
  });

  it('asks for the config’s symbols and look-back through MODEL_STRATEGIES', () => {
    expect(MODEL_STRATEGIES.movingAverageCrossover.dailyBars!(MOVING_AVERAGE_DEFAULTS as never)).toEqual({ symbols: [], bars: 42 });
    expect(MODEL_STRATEGIES.pairsTrading.dailyBars!(PAIRS_DEFAULTS as never)).toEqual({ symbols: ['ATEN', 'INGM'], bars: 51 });
    expect(MODEL_STRATEGIES.rsiMeanReversion.needs).toBe('dailyBars');
  });
});
