/**
 * The model kinds' configs: defaults are the seed's parameters (seed 004,
 * "Model Parameters": momentum_config rsi_period 14, rsi_overbought 70,
 * rsi_oversold 30, macd 12/26/9, position_size 0.05, stop_loss 0.02; WF3's
 * 30/40/30 weights from the config schema), and every refusal names the
 * field or the kind.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_STRATEGIES } from '../domain/model-strategies';
import { CROSS_REGISTERED_KINDS } from '../domain/strategies/daily-bars';
import { parseStrategyConfig, STRATEGY_KINDS } from '../domain/strategies/registry';
import { checkModelName, MODEL_KIND_NAMES, ModelRegistrationError, parseModelConfig } from './model-kinds';

function refusal(fn: () => unknown): ModelRegistrationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelRegistrationError);
    expect((e as ModelRegistrationError).retryable).toBe(false);
    return e as ModelRegistrationError;
  }
  throw new Error('expected a refusal');
}

describe('parseModelConfig', () => {
  it("fills in the seed's enhanced momentum parameters and keeps what is given", () => {
    expect(parseModelConfig('enhancedMomentum', {})).toEqual({
      rsiPeriod: 14,
      rsiOverbought: 70,
      rsiOversold: 30,
      macdFast: 12,
      macdSlow: 26,
      macdSignal: 9,
      positionSize: 0.05,
      stopLoss: 0.02,
    });
    expect(parseModelConfig('enhancedMomentum', { rsiPeriod: 10 }).rsiPeriod).toBe(10);
    expect(parseModelConfig('combinedScore', undefined)).toEqual({ technicalWeight: 0.3, fundamentalWeight: 0.4, sentimentWeight: 0.3 });
  });

  it('refuses an unknown kind, listing the known ones', () => {
    expect(refusal(() => parseModelConfig('lstm', {})).message).toMatch(/unknown model kind "lstm".*combinedScore, enhancedMomentum/);
  });

  it('names the field that fails the schema, and refuses unknown fields rather than ignoring them', () => {
    expect(refusal(() => parseModelConfig('enhancedMomentum', { rsiPeriod: 1.5 })).message).toMatch(/field "rsiPeriod"/);
    expect(refusal(() => parseModelConfig('enhancedMomentum', { stopLoss: 2 })).message).toMatch(/field "stopLoss"/);
    expect(refusal(() => parseModelConfig('enhancedMomentum', { rsi_period: 14 })).message).toMatch(/unknown field\(s\) "rsi_period"/);
    expect(refusal(() => parseModelConfig('enhancedMomentum', { macdFast: 30 })).message).toMatch(
      /field "macdFast": macdFast must be below macdSlow/,
    );
    expect(refusal(() => parseModelConfig('combinedScore', { technicalWeight: 0.5 })).message).toMatch(/must be 1/);
  });
});

describe('parseModelConfig of an intraday strategy kind', () => {
  it("is the strategy's own parser: its defaults, and the params a strategy row stores parse to the same config", () => {
    for (const kind of CROSS_REGISTERED_KINDS) expect(parseModelConfig(kind, undefined)).toEqual(STRATEGY_KINDS[kind].defaults);
    expect(parseModelConfig('movingAverageCrossover', { fastPeriod: 12 })).toEqual({
      fastPeriod: 12,
      slowPeriod: 30,
      volatilityBars: 20,
      symbols: [],
    });
    const pairRow = { mode: 'fixed', symbolA: 'ATEN', symbolB: 'INGM', hedgeRatio: 1, entry: 2, exit: 0.5, stop: 3, lookback: 20 };
    expect(parseModelConfig('pairsTrading', pairRow)).toEqual(parseStrategyConfig('pairs_aten_ingm', 'pairsTrading', pairRow));
  });

  it('refuses what the strategy refuses, naming every field, as a registration error', () => {
    expect(refusal(() => parseModelConfig('movingAverageCrossover', { fastPeriod: 40 })).message).toBe(
      'model config of kind movingAverageCrossover is invalid: field "fastPeriod": fastPeriod 40 must be less than slowPeriod 30',
    );
    expect(refusal(() => parseModelConfig('rsiMeanReversion', { period: 1, oversold: 'low', perod: 3 })).message).toMatch(
      /field "period": must be an integer >= 2, got 1; field "oversold": must be a number in \(0, 100\), got "low"; field "perod": unknown setting \(known: period, overbought, oversold, symbols\)/,
    );
    expect(refusal(() => parseModelConfig('pairsTrading', [1, 2])).message).toContain('config: must be a mapping of settings');
  });
});

describe('checkModelName', () => {
  it('accepts lower-case names and refuses others, naming the name', () => {
    expect(() => checkModelName('my-momentum_v2.1')).not.toThrow();
    for (const bad of ['', 'My-Model', '-x', 'a b', 'x'.repeat(64)])
      expect(refusal(() => checkModelName(bad)).message).toContain(`"${bad}"`);
    // The seed's strategy names are model names (they name their cross-registered models).
    for (const name of ['moving_average_crossover', 'rsi_mean_reversion', 'pairs_aten_ingm', 'pairs_statistical'])
      expect(() => checkModelName(name)).not.toThrow();
  });
});

describe('model kinds and strategies', () => {
  it('have a strategy in src/domain for every kind with a config schema, and no other', () => {
    expect([...MODEL_KIND_NAMES].sort()).toEqual(Object.keys(MODEL_STRATEGIES).sort());
  });
});
