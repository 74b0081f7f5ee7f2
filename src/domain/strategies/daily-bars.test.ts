/**
 * The strategies on daily bars: which kinds cross over into models, how many
 * days a config reads (each kind's warm-up + the decision bar + the margin,
 * worked out from the defaults below), and the daily-bar -> strategy-bar
 * mapping with its refusals.
 */
import { describe, expect, it } from 'vitest';
import {
  CROSS_REGISTERED_KINDS,
  DAILY_LOOKBACK_MARGIN,
  dailyCloseInstant,
  dailyLookback,
  isCrossRegistered,
  strategyBarsOfDays,
  type DailyBar,
} from './daily-bars';
import { MOVING_AVERAGE_DEFAULTS, movingAverageCrossover } from './moving-average';
import { PAIRS_DEFAULTS, pairsTrading } from './pairs-trading';
import { STRATEGY_KINDS } from './registry';
import { RSI_REVERSION_DEFAULTS, rsiMeanReversion } from './rsi-reversion';

const day = (date: string, close: number, symbol = 'A'): DailyBar => ({
  symbol,
  date,
  open: close,
  high: close,
  low: close,
  close,
  volume: 100,
});

describe('cross-registered kinds', () => {
  it('are every strategy kind but modelSignals (a model of it would follow models)', () => {
    expect([...CROSS_REGISTERED_KINDS].sort()).toEqual(
      Object.keys(STRATEGY_KINDS)
        .filter((k) => k !== 'modelSignals')
        .sort(),
    );
    expect(isCrossRegistered('pairsTrading')).toBe(true);
    expect(isCrossRegistered('modelSignals')).toBe(false);
    expect(isCrossRegistered(null)).toBe(false);
  });
});

describe('dailyLookback', () => {
  it("reads the strategy's warm-up, the decision bar and the margin", () => {
    expect(DAILY_LOOKBACK_MARGIN).toBe(10);
    // max(slow 30, volatility 20) + 1 = 31 warm-up, + 1 + 10
    expect(dailyLookback(movingAverageCrossover, MOVING_AVERAGE_DEFAULTS)).toBe(42);
    expect(dailyLookback(movingAverageCrossover, { ...MOVING_AVERAGE_DEFAULTS, slowPeriod: 50 })).toBe(62);
    // 5 x RSI 14 = 70, + 1 + 10
    expect(dailyLookback(rsiMeanReversion, RSI_REVERSION_DEFAULTS)).toBe(81);
    // fixed pair: 2 x look-back 20 = 40, + 1 + 10; statistical: selection 78 + look-back 20 = 98, + 1 + 10
    expect(dailyLookback(pairsTrading, PAIRS_DEFAULTS)).toBe(51);
    expect(dailyLookback(pairsTrading, { ...PAIRS_DEFAULTS, mode: 'statistical' })).toBe(109);
  });
});

describe('strategyBarsOfDays', () => {
  it('gives each date one bar at its 00:00 UTC, oldest first, and leaves out bars after the run date', () => {
    const bars = strategyBarsOfDays([day('2025-03-12', 10), day('2025-03-13', 11), day('2025-03-14', 12)], '2025-03-13');
    expect(bars).toEqual([
      { symbol: 'A', ts: Date.UTC(2025, 2, 12), open: 10, high: 10, low: 10, close: 10, volume: 100 },
      { symbol: 'A', ts: Date.UTC(2025, 2, 13), open: 11, high: 11, low: 11, close: 11, volume: 100 },
    ]);
    // The run date's bar is closed one day after its ts.
    expect(dailyCloseInstant('2025-03-13')).toBe(Date.UTC(2025, 2, 14));
    expect(strategyBarsOfDays([], '2025-03-13')).toEqual([]);
  });

  it('refuses bars out of order, a date that is not YYYY-MM-DD and a close that is not a positive number', () => {
    expect(() => strategyBarsOfDays([day('2025-03-13', 1), day('2025-03-12', 1)], '2025-03-14')).toThrow(
      /daily bars of A are not in date order \(2025-03-12 after 2025-03-13\)/,
    );
    expect(() => strategyBarsOfDays([day('2025-03-13', 1), day('2025-03-13', 1)], '2025-03-14')).toThrow(/not in date order/);
    expect(() => strategyBarsOfDays([day('2025-02-30', 1)], '2025-03-14')).toThrow(/has date "2025-02-30", not YYYY-MM-DD/);
    expect(() => strategyBarsOfDays([day('2025-03-13', Number.NaN)], '2025-03-14')).toThrow(/on 2025-03-13 has close NaN/);
    expect(() => strategyBarsOfDays([day('2025-03-13', 0)], '2025-03-14')).toThrow(/has close 0/);
  });
});
