/**
 * The NYSE trading calendar and the hourly bar clock of the fan-out dataset.
 * Pure arithmetic (no time-zone database), so a date's bars are the same on
 * every machine: weekends, the nine NYSE holidays with their observance rules,
 * Good Friday, and the unscheduled closures (9/11, state funerals, Hurricane
 * Sandy, ...).
 *
 * Bar clock: 8 observations per trading day at 09:30 (the open), 10:00,
 * 11:00, 12:00, 13:00, 14:00, 15:00 and 16:00 (the close), New York time,
 * stored as UTC instants (epoch ms) with US daylight saving applied. That is
 * the usual shape of an hourly vendor series with 8 bars a day: every mark
 * lies inside the regular session, the first is the open and the last the
 * close, and the spacing is hourly except the first half hour. Early closes
 * (13:00 on some holiday eves) are not modelled: the dataset keeps 8 bars on
 * every trading day, as the source dataset does.
 *
 * Unscheduled closures and the source dataset: the true NYSE calendar has
 * 3,498 sessions from 2000-01-27 to 2013-12-20 (checked date by date against
 * exchange_calendars' XNYS for 1995-2025). The source dataset has 28,048 bars
 * = 8 x 3,506, i.e. exactly 8 more days, and exactly 8 unscheduled closures
 * fall in that range (2001-09-11..14, 2004-06-11, 2007-01-02,
 * 2012-10-29/30): the source was built on the rule-based holiday calendar,
 * without unscheduled closures (a vendor calendar that carried prices
 * through those days). The dataset follows the source so its shape matches
 * (`DATASET_CALENDAR`); `isTradingDay` and `tradingDays` default to the true
 * calendar for everything else.
 */

export const BARS_PER_DAY = 8;

/** Minutes after New York midnight of each bar. */
export const BAR_MINUTES_ET: readonly number[] = [9 * 60 + 30, 10 * 60, 11 * 60, 12 * 60, 13 * 60, 14 * 60, 15 * 60, 16 * 60];

const DAY_MS = 86_400_000;

/**
 * Days the exchange was closed by proclamation or emergency, 1990 onwards
 * (outside the weekday/holiday rules).
 */
export const SPECIAL_CLOSURES: readonly string[] = [
  '1994-04-27', // President Nixon's funeral
  '2001-09-11', // September 11 attacks
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11', // President Reagan's funeral
  '2007-01-02', // national day of mourning, President Ford
  '2012-10-29', // Hurricane Sandy
  '2012-10-30',
  '2018-12-05', // President G. H. W. Bush's funeral
  '2025-01-09', // President Carter's funeral
];
const specialClosures = new Set(SPECIAL_CLOSURES);

/** A calendar date as `YYYY-MM-DD`. */
export type IsoDate = string;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number): IsoDate => `${y}-${pad(m)}-${pad(d)}`;
const dayOfWeek = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();

/** The n-th (1-based) `weekday` (0 = Sunday) of a month. */
function nthWeekday(y: number, m: number, weekday: number, n: number): number {
  const first = dayOfWeek(y, m, 1);
  return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
}

function lastWeekday(y: number, m: number, weekday: number): number {
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = dayOfWeek(y, m, daysInMonth);
  return daysInMonth - ((last - weekday + 7) % 7);
}

/** Western Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(y: number): { month: number; day: number } {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** A fixed-date holiday moved off the weekend: Saturday to Friday, Sunday to Monday. */
function observed(y: number, m: number, d: number): IsoDate {
  const t = Date.UTC(y, m - 1, d);
  const wd = new Date(t).getUTCDay();
  const shifted = wd === 6 ? t - DAY_MS : wd === 0 ? t + DAY_MS : t;
  return new Date(shifted).toISOString().slice(0, 10);
}

const holidayCache = new Map<number, Set<IsoDate>>();

/**
 * NYSE full-day holidays of year `y` (dates the market is closed that fall on
 * weekdays). New Year's Day on a Saturday is not moved to the Friday before
 * (NYSE rule 7.2: that Friday ends an accounting period); Juneteenth from 2022.
 */
export function nyseHolidays(y: number): Set<IsoDate> {
  const cached = holidayCache.get(y);
  if (cached) return cached;
  const h = new Set<IsoDate>();
  if (dayOfWeek(y, 1, 1) !== 6) h.add(observed(y, 1, 1));
  if (y >= 1998) h.add(iso(y, 1, nthWeekday(y, 1, 1, 3))); // Martin Luther King Jr. Day
  h.add(iso(y, 2, nthWeekday(y, 2, 1, 3))); // Washington's Birthday
  const easter = easterSunday(y);
  const goodFriday = new Date(Date.UTC(y, easter.month - 1, easter.day) - 2 * DAY_MS);
  h.add(goodFriday.toISOString().slice(0, 10));
  h.add(iso(y, 5, lastWeekday(y, 5, 1))); // Memorial Day
  if (y >= 2022) h.add(observed(y, 6, 19)); // Juneteenth
  h.add(observed(y, 7, 4));
  h.add(iso(y, 9, nthWeekday(y, 9, 1, 1))); // Labor Day
  h.add(iso(y, 11, nthWeekday(y, 11, 4, 4))); // Thanksgiving
  h.add(observed(y, 12, 25));
  // A Saturday New Year's Day of the next year is not observed on this year's Dec 31 (rule above).
  holidayCache.set(y, h);
  return h;
}

export interface CalendarOptions {
  /** Treat the SPECIAL_CLOSURES days as closed. Default true (the real NYSE calendar). */
  unscheduledClosures?: boolean;
}

/** The calendar of the hourly fan-out dataset: holiday rules only, as the source dataset (see the top of this file). */
export const DATASET_CALENDAR: CalendarOptions = { unscheduledClosures: false };

/** True when the NYSE had a regular trading session on `date` (`YYYY-MM-DD`). */
export function isTradingDay(date: IsoDate, opts: CalendarOptions = {}): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const wd = dayOfWeek(y, m, d);
  if (wd === 0 || wd === 6) return false;
  if ((opts.unscheduledClosures ?? true) && specialClosures.has(date)) return false;
  return !nyseHolidays(y).has(date);
}

/**
 * Trading days from `first` to `last` inclusive, in order.
 *
 * @example
 *   tradingDays('2000-01-27', '2013-12-20').length; // 3498 (true NYSE)
 *   tradingDays('2000-01-27', '2013-12-20', DATASET_CALENDAR).length; // 3506
 */
export function tradingDays(first: IsoDate, last: IsoDate, opts: CalendarOptions = {}): IsoDate[] {
  const out: IsoDate[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= end; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (isTradingDay(date, opts)) out.push(date);
  }
  return out;
}

/**
 * US daylight saving in force at New York noon of `date`: 2007 onwards from
 * the second Sunday of March to the first Sunday of November; 1987-2006 from
 * the first Sunday of April to the last Sunday of October. Trading hours never
 * straddle the 02:00 switch, so the date alone decides the offset.
 */
export function isUsDst(date: IsoDate): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const key = m * 100 + d;
  const start = y >= 2007 ? 300 + nthWeekday(y, 3, 0, 2) : 400 + nthWeekday(y, 4, 0, 1);
  const end = y >= 2007 ? 1100 + nthWeekday(y, 11, 0, 1) : 1000 + lastWeekday(y, 10, 0);
  return key >= start && key < end;
}

/** UTC epoch ms of New York wall-clock `minutes` after midnight on `date`. */
export function newYorkToUtc(date: IsoDate, minutes: number): number {
  const offsetHours = isUsDst(date) ? 4 : 5;
  return Date.parse(`${date}T00:00:00Z`) + (minutes + offsetHours * 60) * 60_000;
}

/**
 * Bar timestamps (UTC epoch ms), 8 per trading day on the bar clock above,
 * on the dataset's calendar unless `opts` says otherwise.
 *
 * @example
 *   hourlyBarTimestamps('2000-01-27', '2013-12-20').length; // 28048
 */
export function hourlyBarTimestamps(first: IsoDate, last: IsoDate, opts: CalendarOptions = DATASET_CALENDAR): Float64Array {
  const days = tradingDays(first, last, opts);
  const out = new Float64Array(days.length * BARS_PER_DAY);
  let k = 0;
  for (const day of days) for (const min of BAR_MINUTES_ET) out[k++] = newYorkToUtc(day, min);
  return out;
}

/** The range of the source dataset: 3,506 days on DATASET_CALENDAR, 28,048 bars. */
export const DATASET_FIRST_DAY: IsoDate = '2000-01-27';
export const DATASET_LAST_DAY: IsoDate = '2013-12-20';
export const DATASET_BARS = 28_048;
