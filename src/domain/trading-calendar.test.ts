/** The NYSE calendar and the bar clock: counts, holiday rules, closures, DST. */
import { describe, expect, it } from 'vitest';
import {
  BAR_MINUTES_ET,
  DATASET_BARS,
  DATASET_CALENDAR,
  DATASET_FIRST_DAY,
  DATASET_LAST_DAY,
  SPECIAL_CLOSURES,
  easterSunday,
  futureRunDateProblem,
  lastCompletedSession,
  hourlyBarTimestamps,
  isTradingDay,
  isUsDst,
  newYorkToUtc,
  tradingDays,
} from './trading-calendar';

describe('trading calendar', () => {
  it('gives the source dataset its 28,048 bars (3,506 days x 8) from 2000-01-27 to 2013-12-20', () => {
    expect(tradingDays(DATASET_FIRST_DAY, DATASET_LAST_DAY, DATASET_CALENDAR).length).toBe(3506);
    expect(hourlyBarTimestamps(DATASET_FIRST_DAY, DATASET_LAST_DAY).length).toBe(DATASET_BARS);
    expect(DATASET_BARS).toBe(28_048);
  });

  it('the true NYSE calendar has 3,498 sessions there: the difference is exactly the 8 unscheduled closures', () => {
    const real = tradingDays(DATASET_FIRST_DAY, DATASET_LAST_DAY);
    const dataset = tradingDays(DATASET_FIRST_DAY, DATASET_LAST_DAY, DATASET_CALENDAR);
    expect(real.length).toBe(3498);
    const extra = dataset.filter((d) => !real.includes(d));
    expect(extra).toEqual(['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2004-06-11', '2007-01-02', '2012-10-29', '2012-10-30']);
    expect(extra.every((d) => SPECIAL_CLOSURES.includes(d))).toBe(true);
  });

  it('matches the XNYS session count for 1995-01-03..2025-12-31 (7,802, from exchange_calendars)', () => {
    expect(tradingDays('1995-01-03', '2025-12-31').length).toBe(7802);
  });

  it('closes on the holidays, with weekend observance', () => {
    const closed = [
      '2000-01-17', // MLK
      '2000-02-21', // Washington's Birthday
      '2000-04-21', // Good Friday
      '2000-05-29', // Memorial Day
      '2000-07-04',
      '2000-09-04', // Labor Day
      '2000-11-23', // Thanksgiving
      '2000-12-25',
      '2004-07-05', // July 4th on a Sunday -> Monday
      '2009-07-03', // July 4th on a Saturday -> Friday
      '2010-12-24', // Christmas on a Saturday -> Friday
      '2011-12-26', // Christmas on a Sunday -> Monday
      '2012-01-02', // New Year's Day on a Sunday -> Monday
      '2008-03-21', // an early Good Friday
      '2022-06-20', // Juneteenth observed
    ];
    for (const d of closed) expect(isTradingDay(d), d).toBe(false);
    // New Year's Day on a Saturday is not moved to Friday Dec 31
    expect(isTradingDay('2010-12-31')).toBe(true);
    expect(isTradingDay('2021-12-31')).toBe(true);
    expect(isTradingDay('2013-12-20')).toBe(true);
    expect(isTradingDay('2000-01-27')).toBe(true);
    expect(isTradingDay('2000-01-29')).toBe(false); // Saturday
    expect(isTradingDay('2001-09-11')).toBe(false);
    expect(isTradingDay('2001-09-11', DATASET_CALENDAR)).toBe(true);
  });

  it('computes Easter', () => {
    expect(easterSunday(2000)).toEqual({ month: 4, day: 23 });
    expect(easterSunday(2008)).toEqual({ month: 3, day: 23 });
    expect(easterSunday(2011)).toEqual({ month: 4, day: 24 });
    expect(easterSunday(2024)).toEqual({ month: 3, day: 31 });
  });
});

describe('bar clock', () => {
  it('puts 8 bars a day at 09:30, 10:00 .. 16:00 New York time', () => {
    const ts = hourlyBarTimestamps('2000-01-27', '2000-01-27');
    expect(Array.from(ts, (t) => new Date(t).toISOString().slice(11, 16))).toEqual([
      '14:30',
      '15:00',
      '16:00',
      '17:00',
      '18:00',
      '19:00',
      '20:00',
      '21:00',
    ]);
    const summer = hourlyBarTimestamps('2005-07-01', '2005-07-01');
    expect(new Date(summer[0]).toISOString()).toBe('2005-07-01T13:30:00.000Z');
    expect(new Date(summer[7]).toISOString()).toBe('2005-07-01T20:00:00.000Z');
  });

  it('applies US daylight saving exactly as the tz database does, every trading day 2000-2025', () => {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hour12: false,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    for (const day of tradingDays('2000-01-01', '2025-12-31')) {
      const t = newYorkToUtc(day, BAR_MINUTES_ET[0]);
      const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      expect(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`, day).toBe(`${day} 09:30`);
    }
    expect(isUsDst('2006-04-02')).toBe(true);
    expect(isUsDst('2006-04-01')).toBe(false);
    expect(isUsDst('2007-03-11')).toBe(true);
    expect(isUsDst('2007-11-04')).toBe(false);
  });

  it('is strictly increasing', () => {
    const ts = hourlyBarTimestamps(DATASET_FIRST_DAY, DATASET_LAST_DAY);
    for (let i = 1; i < ts.length; i++) if (!(ts[i] > ts[i - 1])) throw new Error(`not increasing at ${i}`);
  });
});

describe('lastCompletedSession', () => {
  // Expected sessions: NYSE's published 2026 holiday list (Thanksgiving 2026-11-26). The New York
  // clock of each instant comes from the IANA zone database through Intl, not from newYorkToUtc.
  const nyClock = (iso: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
  it.each([
    ['2026-12-03T20:59:00Z', '2026-12-03, 15:59', '2026-12-02'],
    ['2026-12-03T21:00:00Z', '2026-12-03, 16:00', '2026-12-03'],
    ['2026-12-04T02:00:00Z', '2026-12-03, 21:00', '2026-12-03'],
    ['2026-07-07T19:59:00Z', '2026-07-07, 15:59', '2026-07-06'],
    ['2026-07-07T20:00:00Z', '2026-07-07, 16:00', '2026-07-07'],
    ['2026-12-06T12:00:00Z', '2026-12-06, 07:00', '2026-12-04'],
    ['2026-12-07T14:00:00Z', '2026-12-07, 09:00', '2026-12-04'],
    ['2026-11-26T23:00:00Z', '2026-11-26, 18:00', '2026-11-25'],
  ])('at %s (New York %s) is %s', (now, ny, expected) => {
    expect(nyClock(now)).toBe(ny);
    expect(lastCompletedSession(Date.parse(now))).toBe(expected);
  });

  it('refuses only dates after it, naming the last session', () => {
    const now = Date.parse('2026-12-03T15:00:00Z');
    expect(futureRunDateProblem('2026-12-02', now)).toBeNull();
    expect(futureRunDateProblem('2020-01-02', now)).toBeNull();
    expect(futureRunDateProblem('2026-12-03', now)).toMatch(/run date 2026-12-03 is after the last completed NYSE session \(2026-12-02/);
    expect(futureRunDateProblem('2027-06-01', now)).toMatch(/nothing was written/);
  });
});
