/**
 * Market sessions at their edges. Expected instants are written by hand from
 * the NYSE rules: 09:30-16:00 New York, EST = UTC-5 and EDT = UTC-4 (US DST
 * 2026: 8 March to 1 November), holidays per trading-calendar.ts.
 */
import { describe, expect, it } from 'vitest';
import { dailyBarTicks, marketSession } from './market-session';

const t = (iso: string) => Date.parse(iso);

describe('marketSession (nyse)', () => {
  it('opens at 09:30:00.000 New York and closes at 16:00:00.000 (half-open session)', () => {
    // Monday 2026-03-02, EST: 09:30 NY = 14:30 UTC, 16:00 NY = 21:00 UTC.
    expect(marketSession(t('2026-03-02T14:29:59.999Z'), 'nyse')).toEqual({
      isOpen: false,
      nextOpen: t('2026-03-02T14:30:00Z'),
      nextClose: t('2026-03-02T21:00:00Z'),
    });
    expect(marketSession(t('2026-03-02T14:30:00Z'), 'nyse')).toEqual({
      isOpen: true,
      nextOpen: t('2026-03-03T14:30:00Z'),
      nextClose: t('2026-03-02T21:00:00Z'),
    });
    expect(marketSession(t('2026-03-02T20:59:59.999Z'), 'nyse').isOpen).toBe(true);
    expect(marketSession(t('2026-03-02T21:00:00Z'), 'nyse')).toEqual({
      isOpen: false,
      nextOpen: t('2026-03-03T14:30:00Z'),
      nextClose: t('2026-03-03T21:00:00Z'),
    });
  });

  it('follows daylight saving: 09:30 EDT is 13:30 UTC', () => {
    // Monday 2026-03-09, the first weekday after the 8 March switch.
    expect(marketSession(t('2026-03-09T13:30:00Z'), 'nyse').isOpen).toBe(true);
    expect(marketSession(t('2026-03-09T13:29:00Z'), 'nyse').isOpen).toBe(false);
    // Friday 2026-03-06 (EST) 14:00 UTC = 09:00 NY: closed.
    expect(marketSession(t('2026-03-06T14:00:00Z'), 'nyse').isOpen).toBe(false);
  });

  it('skips weekends and holidays to the next session', () => {
    // Friday 2026-04-03 is Good Friday; after Thursday's close the next open is Monday 2026-04-06 09:30 EDT.
    expect(marketSession(t('2026-04-02T20:00:00Z'), 'nyse')).toEqual({
      isOpen: false,
      nextOpen: t('2026-04-06T13:30:00Z'),
      nextClose: t('2026-04-06T20:00:00Z'),
    });
    // Saturday evening New York time is already Sunday in UTC.
    expect(marketSession(t('2026-04-05T02:00:00Z'), 'nyse').nextOpen).toBe(t('2026-04-06T13:30:00Z'));
    // Christmas 2026 is a Friday: closed all day.
    expect(marketSession(t('2026-12-25T16:00:00Z'), 'nyse').isOpen).toBe(false);
  });

  it('late evening New York (already the next day in UTC) is still closed with the next morning open', () => {
    // Tuesday 2026-03-03 23:00 NY = Wednesday 04:00 UTC.
    expect(marketSession(t('2026-03-04T04:00:00Z'), 'nyse')).toEqual({
      isOpen: false,
      nextOpen: t('2026-03-04T14:30:00Z'),
      nextClose: t('2026-03-04T21:00:00Z'),
    });
  });

  it('rejects a non-finite time', () => {
    expect(() => marketSession(NaN, 'nyse')).toThrow(RangeError);
  });
});

describe('marketSession (always)', () => {
  it('is open at any instant, a Sunday night included, with a rolling close a day ahead', () => {
    const at = t('2026-04-05T02:00:00Z');
    expect(marketSession(at, 'always')).toEqual({ isOpen: true, nextOpen: at, nextClose: at + 86_400_000 });
  });
});

describe('dailyBarTicks', () => {
  it('sees the open at 09:30 and the close at 15:59 New York, sorted by time then symbol', () => {
    const ticks = dailyBarTicks([
      { symbol: 'B', date: '2026-03-03', open: 20, close: 21 },
      { symbol: 'A', date: '2026-03-03', open: 10, close: 11 },
      { symbol: 'A', date: '2026-03-02', open: 9, close: 9.5 },
    ]);
    expect(ticks).toEqual([
      { symbol: 'A', price: 9, at: t('2026-03-02T14:30:00Z') },
      { symbol: 'A', price: 9.5, at: t('2026-03-02T20:59:00Z') },
      { symbol: 'A', price: 10, at: t('2026-03-03T14:30:00Z') },
      { symbol: 'B', price: 20, at: t('2026-03-03T14:30:00Z') },
      { symbol: 'A', price: 11, at: t('2026-03-03T20:59:00Z') },
      { symbol: 'B', price: 21, at: t('2026-03-03T20:59:00Z') },
    ]);
    for (const tick of ticks) expect(marketSession(tick.at, 'nyse').isOpen).toBe(true);
  });
});
