import { describe, expect, it } from 'vitest';
import { inputsOf, positionsOf } from './__fixtures__/bars';
import { MODEL_SIGNALS_DEFAULTS, modelNameOf, modelSignals as strategy, type ModelSignalsConfig } from './model-signals';
import type { ModelSignalInput, StrategyInputs } from './types';

const config = (over: Partial<ModelSignalsConfig> = {}): ModelSignalsConfig => ({ ...MODEL_SIGNALS_DEFAULTS, ...over });
const row = (over: Partial<ModelSignalInput> = {}): ModelSignalInput => ({
  model: 'combined-score@3',
  runDate: '2025-01-02',
  action: 'BUY',
  confidence: 0.82,
  stopLoss: 95.5,
  ...over,
});
function inputs(rows: Record<string, ModelSignalInput>, held: [string, number][] = [], c = config()): StrategyInputs<ModelSignalsConfig> {
  return { ...inputsOf(c, {}, positionsOf(...held)), modelSignals: new Map(Object.entries(rows)) };
}

describe('modelSignals signals', () => {
  it('BUYs when the model says BUY and not long: its confidence, its stop, a reason naming model@version and run date', () => {
    expect(strategy.signals(inputs({ AAPL: row() }))).toEqual([
      {
        symbol: 'AAPL',
        action: 'BUY',
        confidence: 0.82,
        stopLoss: 95.5,
        reason: 'combined-score@3 said BUY on its 2025-01-02 run (confidence 0.820)',
        metrics: { modelConfidence: 0.82 },
        // the version it followed: what the cycle's trading_signals row is traced to
        model: 'combined-score@3',
      },
    ]);
  });

  it('SELLs the held quantity when the model says SELL and long; nothing when flat (no shorts)', () => {
    const sell = row({ action: 'SELL', stopLoss: 110 });
    expect(strategy.signals(inputs({ AAPL: sell }, [['AAPL', 30]]))).toMatchObject([
      { symbol: 'AAPL', action: 'SELL', quantity: 30, stopLoss: 110, reason: expect.stringContaining('closing the long of 30') },
    ]);
    expect(strategy.signals(inputs({ AAPL: sell }))).toEqual([]);
  });

  it('no BUY when already long; HOLD gives nothing; a null stop is left out', () => {
    expect(strategy.signals(inputs({ AAPL: row() }, [['AAPL', 5]]))).toEqual([]);
    expect(strategy.signals(inputs({ AAPL: row({ action: 'HOLD' }) }))).toEqual([]);
    expect(strategy.signals(inputs({ AAPL: row({ stopLoss: null }) }))[0]).not.toHaveProperty('stopLoss');
  });

  it('skips rows below minConfidence and rows of another model; symbols in sorted order', () => {
    const rows = { MSFT: row({ confidence: 0.6 }), AAPL: row({ confidence: 0.7 }), IBM: row({ model: 'enhanced-momentum@1' }) };
    expect(strategy.signals(inputs(rows)).map((s) => s.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(strategy.signals(inputs(rows, [], config({ minConfidence: 0.65 }))).map((s) => s.symbol)).toEqual(['AAPL']);
    expect(strategy.signals(inputs(rows, [], config({ model: 'enhanced-momentum' }))).map((s) => s.symbol)).toEqual(['IBM']);
  });

  it('no modelSignals: no signals', () => {
    expect(strategy.signals(inputsOf(config(), {}))).toEqual([]);
  });
});

describe('modelSignals config', () => {
  it('defaults to combined-score with no confidence floor; needs no bars', () => {
    expect(strategy.parseConfig({})).toEqual({ config: { model: 'combined-score', minConfidence: 0 } });
    expect(strategy.warmupBars(config())).toBe(0);
  });
  it('rejects a versioned or empty model name and a confidence outside [0, 1]', () => {
    expect(strategy.parseConfig({ model: 'combined-score@3' })).toMatchObject({ problem: { setting: 'model' } });
    expect(strategy.parseConfig({ model: ' ' })).toMatchObject({ problem: { setting: 'model' } });
    expect(strategy.parseConfig({ minConfidence: 1.2 })).toMatchObject({ problem: { setting: 'minConfidence' } });
  });
  it('modelNameOf cuts the last @version', () => {
    expect(modelNameOf('combined-score@12')).toBe('combined-score');
    expect(modelNameOf('plain')).toBe('plain');
  });
});
