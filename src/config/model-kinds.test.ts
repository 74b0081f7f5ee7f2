/**
 * The model kinds' configs: defaults are the seed's parameters (seed 004,
 * "Model Parameters": momentum_config rsi_period 14, rsi_overbought 70,
 * rsi_oversold 30, macd 12/26/9, position_size 0.05, stop_loss 0.02; WF3's
 * 30/40/30 weights from the config schema), and every refusal names the
 * field or the kind.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_STRATEGIES } from '../domain/model-strategies';
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

describe('checkModelName', () => {
  it('accepts lower-case names and refuses others, naming the name', () => {
    expect(() => checkModelName('my-momentum_v2.1')).not.toThrow();
    for (const bad of ['', 'My-Model', '-x', 'a b', 'x'.repeat(64)])
      expect(refusal(() => checkModelName(bad)).message).toContain(`"${bad}"`);
  });
});

describe('model kinds and strategies', () => {
  it('have a strategy in src/domain for every kind with a config schema, and no other', () => {
    expect([...MODEL_KIND_NAMES].sort()).toEqual(Object.keys(MODEL_STRATEGIES).sort());
  });
});
