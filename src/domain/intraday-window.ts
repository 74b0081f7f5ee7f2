/**
 * A day of intraday bars held in memory for the signal cycles: the bars a
 * cycle at instant `at` may see are those closed by then (start + interval
 * <= at), per symbol, oldest first, the previous session's included as
 * warm-up. Pure; the caller loads the bars once per day (a replay) or once
 * per cycle (a live run).
 */
import { BAR_INTERVAL_MS, type BarInterval, type IntradayBar } from './strategies/types';
import { isTradingDay, tradingDays, type IsoDate } from './trading-calendar';
import { newYorkClock } from './intraday-bars';
import { addDays } from './dates';

export interface BarWindow {
  interval: BarInterval;
  /** Per symbol, oldest first. */
  bySymbol: ReadonlyMap<string, readonly IntradayBar[]>;
}

/** Group bars by symbol and sort each symbol's by start. */
export function barWindow(bars: readonly IntradayBar[], interval: BarInterval): BarWindow {
  const by = new Map<string, IntradayBar[]>();
  for (const b of bars) {
    let list = by.get(b.symbol);
    if (!list) by.set(b.symbol, (list = []));
    list.push(b);
  }
  for (const list of by.values()) list.sort((a, b) => a.ts - b.ts);
  return { interval, bySymbol: by };
}

/** First index of `list` whose bar is NOT closed by `at` (binary search). */
function closedCount(list: readonly IntradayBar[], at: number, step: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.ts + step <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The bars closed by `at`, per symbol (views of at most `keep` bars, the
 * latest). A symbol with no closed bar is absent.
 *
 * @example
 *   barsClosedBy(window, Date.parse('2025-03-14T18:35:00Z'), 200).get('AAPL')!.at(-1)!.ts; // the 14:30 ET bar
 */
export function barsClosedBy(w: BarWindow, at: number, keep = Infinity): Map<string, readonly IntradayBar[]> {
  const step = BAR_INTERVAL_MS[w.interval];
  const out = new Map<string, readonly IntradayBar[]>();
  for (const [symbol, list] of w.bySymbol) {
    const n = closedCount(list, at, step);
    if (n > 0) out.set(symbol, list.slice(Math.max(0, n - keep), n));
  }
  return out;
}

/** The last close by `at` of every symbol that has one. */
export function lastCloses(w: BarWindow, at: number): Map<string, number> {
  const step = BAR_INTERVAL_MS[w.interval];
  const out = new Map<string, number>();
  for (const [symbol, list] of w.bySymbol) {
    const n = closedCount(list, at, step);
    if (n > 0) out.set(symbol, list[n - 1]!.close);
  }
  return out;
}

/** The trading session before `date` (weekends and NYSE holidays skipped). */
export function previousSession(date: IsoDate): IsoDate {
  const days = tradingDays(addDays(date, -10), addDays(date, -1));
  return days[days.length - 1]!;
}

/**
 * Why a signal cycle at `at` has nothing to do, or null when it has: not a
 * trading day, before the session's first bar has closed (09:35 New York
 * time: earlier, the only bars are yesterday's), or at/after the close
 * (16:00: the venue takes no more orders). A risk check may run at the
 * close itself (`allowClose`).
 *
 * @example
 *   cycleSkipReason(Date.parse('2025-03-14T13:05:00Z')); // 'before the first bar closes at 09:35 New York time (09:05)'
 */
export function cycleSkipReason(at: number, interval: BarInterval, allowClose = false): string | null {
  const { date, hhmm } = newYorkClock(at);
  if (!isTradingDay(date)) return `${date} is not an NYSE trading day`;
  const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const firstClose = 9 * 60 + 30 + BAR_INTERVAL_MS[interval] / 60_000;
  if (minutes < firstClose) return `before the first bar closes (New York ${hhmm})`;
  if (minutes > 16 * 60 || (minutes === 16 * 60 && !allowClose)) return `the session has closed (New York ${hhmm})`;
  return null;
}
