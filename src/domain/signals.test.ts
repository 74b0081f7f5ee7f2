import { describe, expect, it } from 'vitest';
import { sp500Closes } from './__fixtures__/vega';
import { TALIB_SP500 } from './__fixtures__/talib-sp500';
import { classifyBollinger, classifyMacd, classifyRsi, classifySmaCross, lastCross, technicalSignals } from './signals';

describe('classifications', () => {
  it('RSI zones at 30 and 70, thresholds included, NaN neutral', () => {
    expect(classifyRsi(29.9)).toBe('oversold');
    expect(classifyRsi(30)).toBe('oversold');
    expect(classifyRsi(30.1)).toBe('neutral');
    expect(classifyRsi(70)).toBe('overbought');
    expect(classifyRsi(NaN)).toBe('neutral');
  });
  it('SMA cross, MACD and Bollinger, including equal and NaN inputs', () => {
    expect(classifySmaCross(101, 100)).toBe('golden_cross');
    expect(classifySmaCross(99, 100)).toBe('death_cross');
    expect(classifySmaCross(100, 100)).toBe('neutral');
    expect(classifySmaCross(NaN, 100)).toBe('neutral');
    expect(classifyMacd(1, 0.5)).toBe('bullish');
    expect(classifyMacd(-1, 0.5)).toBe('bearish');
    expect(classifyMacd(NaN, 0.5)).toBe('neutral');
    expect(classifyBollinger(95, 96, 110)).toBe('oversold');
    expect(classifyBollinger(111, 96, 110)).toBe('overbought');
    expect(classifyBollinger(100, 100, 100)).toBe('neutral');
  });
  it('lastCross finds the latest sign change', () => {
    expect(lastCross([1, 3, 3, 1], [2, 2, 2, 2])).toEqual({ index: 3, direction: 'death_cross' });
    expect(lastCross([1, 2, 3], [2, 2, 2])).toEqual({ index: 2, direction: 'golden_cross' }); // equality is skipped
    expect(lastCross([1, 1], [2, 2])).toBeNull();
  });
});

describe('technicalSignals on real data', () => {
  it('reads the last S&P 500 bar from the TA-Lib reference values', () => {
    const closes = sp500Closes();
    const s = technicalSignals(closes);
    const last = closes.length - 1;
    // TA-Lib 0.8.2 at the last bar: SMA50 2863.09 < SMA200 3012.69; MACD 16.40 > signal -35.49;
    // RSI 57.36; close 2874.56 (2020-04-17) inside the bands [2268.05, 2958.16].
    expect(TALIB_SP500.sma50[last]! < TALIB_SP500.sma200[last]!).toBe(true);
    expect(s.smaCross).toBe('death_cross');
    expect(s.macd).toBe('bullish');
    expect(s.rsi).toBe('neutral');
    expect(s.bollinger).toBe('neutral');
    expect(s.values.rsi).toBeCloseTo(TALIB_SP500.rsi14[last]!, 9);
  });
  it('a short or empty series is neutral everywhere', () => {
    expect(technicalSignals([])).toMatchObject({ rsi: 'neutral', smaCross: 'neutral', macd: 'neutral', bollinger: 'neutral' });
    expect(technicalSignals([1, 2, 3]).smaCross).toBe('neutral');
  });
});
