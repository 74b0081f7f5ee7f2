import { MACD as TiMACD } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../errors';
import { expectClose } from '../__fixtures__/expect-close';
import { TALIB_SP500 } from '../__fixtures__/talib-sp500';
import { sp500Closes } from '../__fixtures__/vega';
import { ema } from './ema';
import { macd } from './macd';

const closes = sp500Closes();

describe('macd 12/26/9 (TA-Lib seeding)', () => {
  it('matches TA-Lib 0.8.2 MACD(12, 26, 9) on S&P 500 closes, first defined index 33', () => {
    const m = macd(closes);
    for (const [i, v] of Object.entries(TALIB_SP500.macd)) expectClose(m.macd[Number(i)], v);
    for (const [i, v] of Object.entries(TALIB_SP500.macdSignal)) expectClose(m.signal[Number(i)], v);
    for (const [i, v] of Object.entries(TALIB_SP500.macdHist)) expectClose(m.histogram[Number(i)], v, 1e-8);
    expect(m.macd[32]).toBeNaN();
    expect(m.macd[33]).not.toBeNaN();
  });

  it('seeds the fast EMA on bars 14..25, not 0..11 (that is what makes it TA-Lib)', () => {
    const m = macd(closes);
    // Independently: fast EMA over closes[14..] seeded at bar 25, slow EMA seeded at bar 25.
    const fast = ema(closes.slice(14), 12); // index 11 here = bar 25
    const slow = ema(closes, 26);
    expectClose(m.macd[33], fast[33 - 14] - slow[33]);
    // A fast EMA seeded at bar 11 gives a visibly different MACD at bar 33.
    const naive = ema(closes, 12)[33] - slow[33];
    expect(Math.abs(naive - m.macd[33])).toBeGreaterThan(1e-3);
  });

  it('converges to technicalindicators MACD, whose fast EMA is seeded at bar 11, once the seed has decayed', () => {
    const ours = macd(closes);
    const ti = TiMACD.calculate({
      values: closes,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    // ti[j] is bar j + 25; after ~400 bars the seed difference has decayed by (11/13)^400 ~ 1e-29.
    for (let j = 400; j < ti.length; j++) {
      expectClose(ours.macd[j + 25], ti[j].MACD as number, 1e-7, 1e-9);
      expectClose(ours.signal[j + 25], ti[j].signal as number, 1e-7, 1e-9);
    }
  });

  it('edge cases: empty, too short, constant, equal periods', () => {
    expect(macd([]).macd.length).toBe(0);
    expect(Array.from(macd(closes.slice(0, 33)).macd).every(Number.isNaN)).toBe(true);
    const flat = macd(new Array(40).fill(10));
    expect(flat.macd[33]).toBe(0);
    expect(flat.signal[39]).toBe(0);
    expect(flat.histogram[39]).toBe(0);
    expect(() => macd(closes, 12, 12, 9)).toThrow(DomainInputError);
  });
});
