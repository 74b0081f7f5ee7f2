/**
 * Calendar dates as the project speaks them: `YYYY-MM-DD` strings in UTC.
 * One home for parsing, formatting and day arithmetic, so a date means the
 * same thing in the CLI, the activities and the workflows (this module is
 * pure and workflow-safe: it reads no clock).
 */
import { isTradingDay } from './trading-calendar';

/** The shape of an ISO calendar date, `YYYY-MM-DD` (the shape only; see `isIsoDate`). */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight UTC of `date` (`YYYY-MM-DD`). No validation: see `isIsoDate`. */
export function parseIsoDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/**
 * The UTC calendar date of `d`, `YYYY-MM-DD`.
 *
 * @example
 *   formatIsoDate(new Date('2026-02-09T23:30:00Z')) // '2026-02-09'
 */
export function formatIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * True when `date` is a real calendar date `YYYY-MM-DD` (so `2025-13-01` and
 * `2025-02-30` are not).
 */
export function isIsoDate(date: string): boolean {
  if (!ISO_DATE.test(date)) return false;
  const d = parseIsoDate(date);
  return !Number.isNaN(d.getTime()) && formatIsoDate(d) === date;
}

/**
 * `date` plus `days` calendar days (negative goes back), `YYYY-MM-DD`.
 *
 * @example
 *   addDays('2026-03-01', -1) // '2026-02-28'
 */
export function addDays(date: string, days: number): string {
  const d = parseIsoDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return formatIsoDate(d);
}

/** True for Saturday and Sunday (UTC). */
export function isWeekend(date: string): boolean {
  const day = parseIsoDate(date).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * The weekday before `nominal` (UTC): Tuesday..Saturday give the day before,
 * Sunday and Monday give Friday.
 *
 * @example
 *   previousWeekday(new Date('2026-02-09T07:00:00Z')) // '2026-02-06' (a Monday run screens Friday)
 */
export function previousWeekday(nominal: Date): string {
  const d = new Date(Date.UTC(nominal.getUTCFullYear(), nominal.getUTCMonth(), nominal.getUTCDate()));
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return formatIsoDate(d);
}

/**
 * The NYSE trading day `n` sessions before `date`: step back one calendar
 * day at a time and count the trading days passed. `date` itself is never
 * counted, so n = 0 returns `date` (trading day or not) and n = 1 the
 * previous session.
 *
 * @example
 *   tradingDaysBack('2024-03-18', 1) // '2024-03-15' (Monday -> Friday)
 *   tradingDaysBack('2024-03-30', 1) // '2024-03-28' (Good Friday 2024-03-29 is closed)
 */
export function tradingDaysBack(date: string, n: number): string {
  let d = date;
  for (let left = n; left > 0;) {
    d = addDays(d, -1);
    if (isTradingDay(d)) left--;
  }
  return d;
}
