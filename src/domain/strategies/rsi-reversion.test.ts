import { describe, expect, it } from 'vitest';
import { expectClose } from '../__fixtures__/expect-close';
import { barsOf, inputsOf, positionsOf } from './__fixtures__/bars';
import { RSI_REVERSION_DEFAULTS, rsiConfidence, rsiMeanReversion as rsiStrategy, type RsiReversionConfig } from './rsi-reversion';

// Expected values: TA-Lib 0.8.2 RSI (Python 3.11) on the last 70 (= 5 x 14) closes, as the strategy reads them:
//   r = talib.RSI(np.array(closes[-70:]), 14); r[-2], r[-1]
// WAVE is 50 + 0.8 sin(i/3) + 0.3 cos(1.7 i) rounded to cents; SLIDE and RALLY follow it.
const WAVE = [
  50.3, 50.22, 50.2, 50.79, 51.04, 50.62, 50.51, 50.81, 50.52, 49.84, 49.76, 49.9, 49.4, 48.96, 49.27, 49.51, 49.21, 49.29, 49.98, 50.23,
  50.04, 50.4, 50.98, 50.84, 50.49, 50.74, 50.84, 50.23, 49.81, 49.98, 49.79, 49.14, 49.08, 49.47, 49.34, 49.08, 49.55, 50.11, 50.02, 50.05,
  50.69, 50.96, 50.6, 50.59, 50.94, 50.66, 50.01, 49.97, 50.07, 49.52, 49.05, 49.32, 49.47, 49.1, 49.17, 49.83, 50.03, 49.86, 50.27, 50.88,
  50.76, 50.5, 50.82, 50.96, 50.37, 50.0, 50.18, 49.94, 49.26, 49.18, 49.5, 49.28, 48.98, 49.43, 49.94, 49.82, 49.88, 50.56, 50.85, 50.53,
];
const SLIDE = [...WAVE, 49.58, 49.43, 49.28, 49.13, 48.18, 48.03, 47.88, 47.73, 46.78];
const RALLY = [...WAVE, 50.43, 51.08, 51.73, 51.63, 52.28, 52.93];
// RSI of the last 70 closes; on all 89 closes TA-Lib gives 25.21569526939476 instead (the seed's trace).
const REF_SLIDE = { prev: 30.845158829141877, now: 25.191198820361315 };
const REF_RALLY = { prev: 69.63595158761095, now: 73.34880442861801 };

const config = (over: Partial<RsiReversionConfig> = {}): RsiReversionConfig => ({ ...RSI_REVERSION_DEFAULTS, ...over });

describe('rsiMeanReversion signals', () => {
  it('BUYs when RSI crosses below oversold and not long; RSI from the last 5 x period closes', () => {
    const [s] = rsiStrategy.signals(inputsOf(config(), { XYZ: barsOf('XYZ', SLIDE) }));
    expect(s).toMatchObject({ symbol: 'XYZ', action: 'BUY' });
    expectClose(s.metrics!.rsi, REF_SLIDE.now, 1e-10);
    expectClose(s.metrics!.previousRsi, REF_SLIDE.prev, 1e-10);
    // 0.5 + 0.5 (30 - 25.1912) / 30
    expectClose(s.confidence, 0.5801466863273115, 1e-10);
    expect(s.reason).toBe('RSI(14) 25.19 crossed below oversold 30 (was 30.85)');
  });

  it('does not BUY when already long, nor while RSI stays below oversold (one entry per excursion)', () => {
    expect(rsiStrategy.signals(inputsOf(config(), { XYZ: barsOf('XYZ', SLIDE) }, positionsOf(['XYZ', 5])))).toEqual([]);
    expect(rsiStrategy.signals(inputsOf(config(), { XYZ: barsOf('XYZ', [...SLIDE, 46.5]) }))).toEqual([]);
  });

  it('SELLs the held quantity when RSI is above overbought and long', () => {
    const [s] = rsiStrategy.signals(inputsOf(config(), { XYZ: barsOf('XYZ', RALLY) }, positionsOf(['XYZ', 12])));
    expect(s).toMatchObject({ symbol: 'XYZ', action: 'SELL', quantity: 12 });
    expectClose(s.metrics!.rsi, REF_RALLY.now, 1e-10);
    // 0.5 + 0.5 (73.3488 - 70) / 30
    expectClose(s.confidence, 0.5558134071436335, 1e-10);
  });

  it('never SELLs when flat (no shorts)', () => {
    expect(rsiStrategy.signals(inputsOf(config(), { XYZ: barsOf('XYZ', RALLY) }))).toEqual([]);
  });

  it('thresholds come from the config', () => {
    // RSI 25.19 is not below oversold 20, and the previous 30.85 was already below 35
    expect(rsiStrategy.signals(inputsOf(config({ oversold: 20 }), { XYZ: barsOf('XYZ', SLIDE) }))).toEqual([]);
    expect(rsiStrategy.signals(inputsOf(config({ oversold: 35 }), { XYZ: barsOf('XYZ', SLIDE) }))).toEqual([]);
    expect(rsiStrategy.signals(inputsOf(config({ overbought: 75 }), { XYZ: barsOf('XYZ', RALLY) }, positionsOf(['XYZ', 1])))).toEqual([]);
  });

  it('needs period + 2 bars; asks for 5 x period', () => {
    expect(rsiStrategy.signals(inputsOf(config(), { XYZ: barsOf('XYZ', SLIDE.slice(-15)) }))).toEqual([]);
    expect(rsiStrategy.warmupBars(config())).toBe(70);
  });
});

describe('rsiConfidence', () => {
  it('rises linearly from 0.5 at the threshold to 1 at 0 (BUY) or 100 (SELL)', () => {
    expect(rsiConfidence('BUY', 30, 30, 70)).toBe(0.5);
    expect(rsiConfidence('BUY', 15, 30, 70)).toBe(0.75);
    expect(rsiConfidence('BUY', 0, 30, 70)).toBe(1);
    expect(rsiConfidence('SELL', 85, 30, 70)).toBe(0.75);
    expect(rsiConfidence('SELL', 100, 30, 70)).toBe(1);
    expect(rsiConfidence('SELL', NaN, 30, 70)).toBeNaN();
  });
});

describe('rsiMeanReversion.parseConfig', () => {
  it('fills the defaults (14 / 70 / 30)', () => {
    expect(rsiStrategy.parseConfig({})).toEqual({ config: { period: 14, overbought: 70, oversold: 30, symbols: [] } });
  });
  it('rejects oversold >= overbought, naming both', () => {
    expect(rsiStrategy.parseConfig({ oversold: 70 })).toMatchObject({
      problem: { setting: 'oversold', message: 'oversold 70 must be less than overbought 70' },
    });
  });
  it('rejects levels outside (0, 100) and a period below 2', () => {
    expect(rsiStrategy.parseConfig({ overbought: 100 })).toMatchObject({ problem: { setting: 'overbought' } });
    expect(rsiStrategy.parseConfig({ oversold: -5 })).toMatchObject({ problem: { setting: 'oversold' } });
    expect(rsiStrategy.parseConfig({ period: 1 })).toMatchObject({
      problem: { setting: 'period', message: 'must be an integer >= 2, got 1' },
    });
  });
});
