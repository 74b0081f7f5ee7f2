import { describe, expect, it } from 'vitest';
import { parseStrategyConfig, STRATEGY_KINDS, StrategyConfigError, strategyOf } from './registry';

describe('registry', () => {
  it('registers the four kinds under their own kind names', () => {
    expect(Object.keys(STRATEGY_KINDS).sort()).toEqual(['modelSignals', 'movingAverageCrossover', 'pairsTrading', 'rsiMeanReversion']);
    for (const [kind, s] of Object.entries(STRATEGY_KINDS)) expect(s.kind).toBe(kind);
  });

  it('parseStrategyConfig fills the defaults of the kind', () => {
    expect(parseStrategyConfig('ma', 'movingAverageCrossover', { slowPeriod: 50 })).toEqual({
      fastPeriod: 10,
      slowPeriod: 50,
      volatilityBars: 20,
      symbols: [],
    });
  });

  it('a bad setting throws StrategyConfigError naming strategy and setting', () => {
    let err: unknown;
    try {
      parseStrategyConfig('ma_fast', 'movingAverageCrossover', { fastPeriod: 40 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StrategyConfigError);
    expect(err).toMatchObject({ strategy: 'ma_fast', setting: 'fastPeriod', retryable: false, type: 'InvalidStrategyConfig' });
    expect((err as Error).message).toBe('strategy "ma_fast": fastPeriod: fastPeriod 40 must be less than slowPeriod 30');
  });

  it('an unknown kind throws, listing the known ones', () => {
    expect(() => strategyOf('x', 'momentum')).toThrow(
      /unknown kind "momentum" \(known: movingAverageCrossover, rsiMeanReversion, pairsTrading, modelSignals\)/,
    );
  });

  it('each default config parses back to itself', () => {
    for (const s of Object.values(STRATEGY_KINDS)) expect(s.parseConfig({})).toEqual({ config: s.defaults });
  });
});
