/**
 * Model performance against an independent computation: the same signals
 * and closes worked in Python (numpy for the position bookkeeping,
 * empyrical-reloaded's sharpe_ratio / sortino_ratio / max_drawdown with the
 * daily risk-free rate (1.02)^(1/252) - 1 and annualization 252), recorded
 * here. Holding period 3 days, evaluated on 2025-03-17: the 2025-03-13 signal
 * has not finished its holding period and is left out, HOLD opens nothing.
 */
import { describe, expect, it } from 'vitest';
import { modelPerformance, rankModels, underperformance, type JudgedSignal, type ModelPerformance } from './model-performance';

const DATES = [
  '2025-03-03',
  '2025-03-04',
  '2025-03-05',
  '2025-03-06',
  '2025-03-07',
  '2025-03-10',
  '2025-03-11',
  '2025-03-12',
  '2025-03-13',
  '2025-03-14',
  '2025-03-17',
  '2025-03-18',
];
const CLOSES = new Map([
  ['A', { dates: DATES, closes: [100, 101, 102, 100, 99, 103, 104, 102, 105, 106, 107, 105] }],
  ['B', { dates: DATES, closes: [50, 49, 48.5, 49, 50, 51, 50.5, 49, 48, 48.5, 47, 46] }],
]);
const SIGNALS: JudgedSignal[] = [
  { runDate: '2025-03-03', symbol: 'A', action: 'BUY', confidence: 0.75 },
  { runDate: '2025-03-04', symbol: 'B', action: 'SELL', confidence: 0.62 },
  { runDate: '2025-03-06', symbol: 'A', action: 'BUY', confidence: 0.55 },
  { runDate: '2025-03-06', symbol: 'B', action: 'HOLD', confidence: 0 },
  { runDate: '2025-03-10', symbol: 'B', action: 'BUY', confidence: 0.91 },
  { runDate: '2025-03-13', symbol: 'A', action: 'BUY', confidence: 0.8 },
];

describe('modelPerformance', () => {
  const p = modelPerformance(SIGNALS, CLOSES, '2025-03-17', { holdingDays: 3, riskFreeRate: 0.02 });

  it('matches the Python/empyrical reference', () => {
    expect(p.signalCount).toBe(4);
    expect(p.meanSignalReturn).toBeCloseTo(-0.009807923169267707, 12);
    expect(p.winRate).toBe(0.25);
    expect(p.totalReturn).toBeCloseTo(-0.02141783111315032, 12);
    expect(p.sharpe).toBeCloseTo(-1.8088483604474654, 10);
    expect(p.sortino).toBeCloseTo(-2.7367411029826565, 10);
    expect(p.maxDrawdown).toBeCloseTo(0.04955018631503365, 12);
    expect(p.curve.map((c) => c.date)).toEqual([
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
      '2025-03-10',
      '2025-03-11',
      '2025-03-12',
      '2025-03-13',
    ]);
    expect(p.curve.at(-1)!.wealth).toBeCloseTo(0.9785821688868497, 12);
  });

  it('buckets the hit rate by confidence', () => {
    // A 03-03 BUY 0.75: 100 -> 100, no win; B 03-04 SELL 0.62: 49 -> 50, loss; A 03-06 BUY 0.55: 100 -> 104, win; B 03-10 BUY 0.91: 51 -> 48, loss.
    const byBucket = Object.fromEntries(p.hitRateByConfidence.map((b) => [b.bucket, [b.signals, b.hitRate]]));
    expect(byBucket).toEqual({
      '<0.5': [0, null],
      '0.5-0.6': [1, 1],
      '0.6-0.7': [1, 0],
      '0.7-0.8': [1, 0],
      '0.8-0.9': [0, null],
      '0.9-1': [1, 0],
    });
  });

  it('judges nothing before any holding period has ended', () => {
    const none = modelPerformance(SIGNALS, CLOSES, '2025-03-05', { holdingDays: 3, riskFreeRate: 0.02 });
    expect(none).toMatchObject({ signalCount: 0, totalReturn: null, sharpe: null, maxDrawdown: null, winRate: null, curve: [] });
  });
});

const perf = (sharpe: number | null, maxDrawdown: number | null = 0.01): ModelPerformance => ({
  holdingDays: 5,
  signalCount: 10,
  meanSignalReturn: 0,
  winRate: 0.5,
  hitRateByConfidence: [],
  totalReturn: 0,
  sharpe,
  sortino: null,
  maxDrawdown,
  curve: [],
});

describe('rankModels and underperformance', () => {
  it('ranks by Sharpe, models without one last, ties by name and version', () => {
    const ranked = rankModels([
      { modelId: 1, name: 'a', version: 1, performance: perf(null) },
      { modelId: 2, name: 'b', version: 1, performance: perf(1.5) },
      { modelId: 3, name: 'c', version: 2, performance: perf(0.3) },
      { modelId: 4, name: 'c', version: 1, performance: perf(0.3) },
    ]);
    expect(ranked.map((r) => [r.rank, r.model_id])).toEqual([
      [1, 2],
      [2, 4],
      [3, 3],
      [4, 1],
    ]);
  });

  it('flags a Sharpe below the floor on N consecutive evaluations, or a drawdown past the limit', () => {
    const rule = { minSharpe: 0, days: 3, maxDrawdown: 0.2 };
    expect(underperformance(perf(-0.5), [-0.1, -0.2], rule)).toMatch(/Sharpe below 0 on 3 consecutive/);
    expect(underperformance(perf(-0.5), [-0.1, 0.2], rule)).toBeNull();
    expect(underperformance(perf(-0.5), [-0.1], rule)).toBeNull(); // not enough history yet
    expect(underperformance(perf(1, 0.25), [], rule)).toMatch(/drawdown 25.0 % beyond the 20.0 % limit/);
  });
});
