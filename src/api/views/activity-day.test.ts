/** Which day the Strategies page's activity shows, and that day's bounds in New York time (daylight saving included). */
import { describe, expect, it } from 'vitest';
import { activityDay, newYorkDayBounds } from './activity-day';

describe('newYorkDayBounds', () => {
  it('runs from New York midnight to the next, in UTC', () => {
    // 2025-03-14 is daylight time (UTC-4): 04:00Z to 04:00Z
    expect(newYorkDayBounds('2025-03-14').map((t) => new Date(t).toISOString())).toEqual([
      '2025-03-14T04:00:00.000Z',
      '2025-03-15T04:00:00.000Z',
    ]);
    // 2025-01-10 is standard time (UTC-5)
    expect(newYorkDayBounds('2025-01-10').map((t) => new Date(t).toISOString())).toEqual([
      '2025-01-10T05:00:00.000Z',
      '2025-01-11T05:00:00.000Z',
    ]);
  });
  it('ends a session day where the next day starts, across the switch to daylight time', () => {
    // Friday 2025-03-07 (EST) and Monday 2025-03-10 (EDT), the clocks having changed on Sunday the 9th
    expect(newYorkDayBounds('2025-03-07')[1]).toBe(newYorkDayBounds('2025-03-08')[0]);
    expect(newYorkDayBounds('2025-03-10')[0]).toBe(Date.parse('2025-03-10T04:00:00Z'));
  });
});

describe('activityDay', () => {
  const latest = Date.parse('2025-03-14T19:55:00Z'); // 15:55 in New York
  it('is the day asked for, whatever else is stored', () => {
    expect(activityDay({ asked: '2025-03-13', today: '2026-12-05', todaySignals: 4, latestSignalAt: latest })).toBe('2025-03-13');
  });
  it('is today when today has signals', () => {
    expect(activityDay({ today: '2026-12-05', todaySignals: 1, latestSignalAt: latest })).toBe('2026-12-05');
  });
  it('is the New York date of the latest signal when today has none', () => {
    expect(activityDay({ today: '2026-12-05', todaySignals: 0, latestSignalAt: latest })).toBe('2025-03-14');
    // 01:30Z on the 15th is still the 14th in New York (21:30 EDT)
    expect(activityDay({ today: '2026-12-05', todaySignals: 0, latestSignalAt: Date.parse('2025-03-15T01:30:00Z') })).toBe('2025-03-14');
  });
  it('is null when no signal was ever stored', () => {
    expect(activityDay({ today: '2026-12-05', todaySignals: 0, latestSignalAt: null })).toBeNull();
  });
});
