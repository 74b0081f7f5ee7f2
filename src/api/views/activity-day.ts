/**
 * Which trading day the Strategies page's activity shows, and its bounds: a
 * signal belongs to the New York date of its own timestamp (signal_ts, the
 * market instant it was made at), so a replayed day's signals fall on the
 * day replayed, not on the day the replay ran. Pure.
 */
import { addDays } from '../../domain/dates';
import { newYorkClock } from '../../domain/intraday-bars';
import { newYorkToUtc } from '../../domain/trading-calendar';

/**
 * [start, end) in epoch ms of New York calendar day `date`: midnight to the
 * next midnight, local time, at the offset in force on that date
 * (trading-calendar's `newYorkToUtc`; the clocks change on a Sunday
 * at 02:00, never on a trading day, so a session is never cut).
 *
 * @example
 *   newYorkDayBounds('2025-03-14'); // [Date.parse('2025-03-14T04:00:00Z'), Date.parse('2025-03-15T04:00:00Z')]
 */
export function newYorkDayBounds(date: string): [number, number] {
  return [newYorkToUtc(date, 0), newYorkToUtc(addDays(date, 1), 0)];
}

/**
 * The day to show: `asked` when the caller named one; else today (New York)
 * when it has signals; else the New York date of the latest signal before
 * today's end (the latest day that had some); null when there never was one.
 *
 * @example
 *   activityDay({ today: '2026-12-05', todaySignals: 0, latestSignalAt: Date.parse('2025-03-14T19:55:00Z') }); // '2025-03-14'
 */
export function activityDay(o: { asked?: string; today: string; todaySignals: number; latestSignalAt: number | null }): string | null {
  if (o.asked) return o.asked;
  if (o.todaySignals > 0) return o.today;
  return o.latestSignalAt === null ? null : newYorkClock(o.latestSignalAt).date;
}
