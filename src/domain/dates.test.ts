import { describe, expect, it } from 'vitest';
import { addDays, formatIsoDate, isIsoDate, isWeekend, parseIsoDate, previousWeekday, tradingDaysBack } from './dates';

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true); // leap day
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });
  it('parses and formats in UTC', () => {
    expect(parseIsoDate('2026-02-09').toISOString()).toBe('2026-02-09T00:00:00.000Z');
    expect(formatIsoDate(new Date('2026-02-09T23:59:59Z'))).toBe('2026-02-09');
  });
  it('adds days across month and year ends', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });
  it('knows weekends and the previous weekday', () => {
    expect(isWeekend('2026-02-07')).toBe(true); // Saturday
    expect(isWeekend('2026-02-09')).toBe(false);
    expect(previousWeekday(new Date('2026-02-09T07:00:00Z'))).toBe('2026-02-06'); // Monday -> Friday
    expect(previousWeekday(new Date('2026-02-08T07:00:00Z'))).toBe('2026-02-06'); // Sunday -> Friday
    expect(previousWeekday(new Date('2026-02-11T07:00:00Z'))).toBe('2026-02-10');
  });
});

// Sessions checked by hand against the NYSE 2024 holiday list (Good Friday 2024-03-29; Independence Day 2024-07-04).
describe('tradingDaysBack', () => {
  it('counts NYSE sessions, skipping weekends and holidays', () => {
    expect(tradingDaysBack('2024-03-18', 1)).toBe('2024-03-15');
    expect(tradingDaysBack('2024-03-30', 1)).toBe('2024-03-28');
    expect(tradingDaysBack('2024-04-01', 2)).toBe('2024-03-27');
    expect(tradingDaysBack('2024-07-08', 3)).toBe('2024-07-02');
  });
  it('n = 0 is the date itself, trading day or not', () => {
    expect(tradingDaysBack('2024-03-16', 0)).toBe('2024-03-16');
    expect(tradingDaysBack('2024-03-15', 0)).toBe('2024-03-15');
  });
});
