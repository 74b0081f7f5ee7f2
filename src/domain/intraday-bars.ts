/**
 * The intraday bar clock (issue 14) and bar aggregation: where each bar of a
 * regular NYSE session starts, the New York wall-clock time of an instant,
 * and coarser bars made from finer ones. Pure date arithmetic on epoch
 * milliseconds (daylight saving from trading-calendar.ts, no time-zone
 * database); whether a date is a trading day is the caller's question.
 */
import { BAR_INTERVAL_MS, type BarInterval, type IntradayBar } from './strategies/types';
import { isUsDst, newYorkToUtc, type IsoDate } from './trading-calendar';

/** Regular session, minutes after New York midnight: [09:30, 16:00). */
export const SESSION_OPEN_MINUTES_ET = 9 * 60 + 30;
export const SESSION_END_MINUTES_ET = 16 * 60;
const SESSION_MINUTES = SESSION_END_MINUTES_ET - SESSION_OPEN_MINUTES_ET;
const HOUR_MS = 3_600_000;

/** Bars of `interval` in one full regular session: 390 (1m), 78 (5m), 26 (15m). */
export function barsPerSession(interval: BarInterval): number {
  return SESSION_MINUTES / (BAR_INTERVAL_MS[interval] / 60_000);
}

/**
 * The start (epoch ms, UTC) of every `interval` bar of the regular session
 * 09:30-16:00 America/New_York on `date`: 09:30, 09:35, ..., 15:55 for 5m
 * (78 bars; 390 for 1m, 26 for 15m). The last bar ends at 16:00. The date is
 * not checked against the calendar (a Saturday gives a Saturday's clock);
 * early closes are not modelled, as in the calendar. Sessions start on a
 * multiple of 15 minutes in UTC too (New York's offset is whole hours), so
 * every start is a multiple of its interval since the epoch.
 *
 * @example
 *   sessionBarStarts('2024-03-04', '5m').length; // 78
 *   new Date(sessionBarStarts('2024-03-04', '5m')[0]).toISOString(); // '2024-03-04T14:30:00.000Z' (EST)
 */
export function sessionBarStarts(date: IsoDate, interval: BarInterval): number[] {
  const open = newYorkToUtc(date, SESSION_OPEN_MINUTES_ET);
  const step = BAR_INTERVAL_MS[interval];
  return Array.from({ length: barsPerSession(interval) }, (_, k) => open + k * step);
}

/**
 * New York wall-clock time of epoch ms `ts` as `HH:MM` (24 h), and its New
 * York date. The offset is the one in force on the New York date (the 02:00
 * switch itself is not resolved to the minute; no session is near it).
 *
 * @example
 *   newYorkClock(Date.parse('2024-03-04T19:05:00Z')); // { date: '2024-03-04', hhmm: '14:05' }
 */
export function newYorkClock(ts: number): { date: IsoDate; hhmm: string } {
  const estDate = new Date(ts - 5 * HOUR_MS).toISOString().slice(0, 10);
  const local = new Date(ts - (isUsDst(estDate) ? 4 : 5) * HOUR_MS).toISOString();
  return { date: local.slice(0, 10), hhmm: local.slice(11, 16) };
}

/**
 * Coarser bars from finer ones (1m -> 5m or 15m, 5m -> 15m): each output bar
 * covers [k x interval, (k + 1) x interval) since the epoch (which lines up
 * with the session, see `sessionBarStarts`) and takes the first bar's open,
 * the highest high, the lowest low, the last bar's close and the summed
 * volume. A bucket with some of its finer bars missing still makes a bar
 * from those present (vendors do the same); a bucket with none makes none.
 * Input in any order; output grouped by symbol in order of first
 * appearance, oldest first. Empty input -> [].
 *
 * @example
 *   aggregateBars(oneMinuteBars, '5m'); // 78 bars per full session and symbol
 */
export function aggregateBars(bars: readonly IntradayBar[], interval: BarInterval): IntradayBar[] {
  const step = BAR_INTERVAL_MS[interval];
  const bySymbol = new Map<string, IntradayBar[]>();
  for (const b of bars) {
    const list = bySymbol.get(b.symbol);
    if (list) list.push(b);
    else bySymbol.set(b.symbol, [b]);
  }
  const out: IntradayBar[] = [];
  for (const [symbol, list] of bySymbol) {
    const sorted = list.every((b, i) => i === 0 || list[i - 1].ts <= b.ts) ? list : [...list].sort((a, b) => a.ts - b.ts);
    let cur: IntradayBar | undefined;
    for (const b of sorted) {
      const start = Math.floor(b.ts / step) * step;
      if (cur && cur.ts === start) {
        if (b.high > cur.high) cur.high = b.high;
        if (b.low < cur.low) cur.low = b.low;
        cur.close = b.close;
        cur.volume += b.volume;
      } else {
        cur = { symbol, ts: start, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
        out.push(cur);
      }
    }
  }
  return out;
}
