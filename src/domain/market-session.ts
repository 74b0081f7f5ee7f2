/**
 * When a venue is open for trading: the regular NYSE session (09:30-16:00
 * America/New_York on NYSE trading days, from trading-calendar.ts) or a 24/7
 * test venue. Pure arithmetic on epoch milliseconds: the caller passes the
 * time. Early closes (13:00 on some holiday eves) are not modelled, as in the
 * calendar itself: such a day is treated as a full session.
 */
import { isTradingDay, newYorkToUtc } from './trading-calendar';

export type MarketHours = 'nyse' | 'always';

export interface MarketSession {
  isOpen: boolean;
  /** Epoch ms of the next session's open (strictly after `at` when open now, Alpaca's `next_open`). */
  nextOpen: number;
  /** Epoch ms of the close of the current session when open, else of the next session. */
  nextClose: number;
}

const OPEN_MINUTES = 9 * 60 + 30;
const CLOSE_MINUTES = 16 * 60;
const DAY_MS = 86_400_000;
/** A 24/7 venue never closes; its clock reports a rolling close one day ahead. */
const ALWAYS_HORIZON_MS = DAY_MS;
/** Longest run of closed weekdays plus a weekend, with margin (the 2001 closure was 4 weekdays). */
const SEARCH_DAYS = 14;

/** The regular session of NYSE trading day `date` (YYYY-MM-DD) as [open, close) epoch ms. */
export function nyseSessionOf(date: string): { open: number; close: number } {
  return { open: newYorkToUtc(date, OPEN_MINUTES), close: newYorkToUtc(date, CLOSE_MINUTES) };
}

/**
 * The session state at epoch ms `at`. A session is the half-open interval
 * [09:30, 16:00) New York time: open at 09:30:00.000, closed at 16:00:00.000.
 * `always` is open at every instant. A non-finite `at` is a programming error
 * and throws RangeError.
 *
 * @example
 *   // Monday 2026-03-02 15:00 UTC is 10:00 in New York (EST)
 *   marketSession(Date.parse('2026-03-02T15:00:00Z'), 'nyse').isOpen; // true
 */
export function marketSession(at: number, hours: MarketHours): MarketSession {
  if (!Number.isFinite(at)) throw new RangeError(`market time is ${at}`);
  if (hours === 'always') return { isOpen: true, nextOpen: at, nextClose: at + ALWAYS_HORIZON_MS };
  // Start the day before `at` in UTC: New York is behind UTC, so `at` may still be on that New York date.
  const first = Math.floor(at / DAY_MS) * DAY_MS - DAY_MS;
  let isOpen = false;
  let nextOpen = NaN;
  let nextClose = NaN;
  for (let d = 0; d < SEARCH_DAYS && Number.isNaN(nextOpen); d++) {
    const date = new Date(first + d * DAY_MS).toISOString().slice(0, 10);
    if (!isTradingDay(date)) continue;
    const { open, close } = nyseSessionOf(date);
    if (open <= at && at < close) {
      isOpen = true;
      nextClose = close;
    } else if (open > at) {
      nextOpen = open;
      if (Number.isNaN(nextClose)) nextClose = close;
    }
  }
  return { isOpen, nextOpen, nextClose };
}

/** A bar as the replay feed needs it: the trading day and its open and close. */
export interface DailyBarPrices {
  symbol: string;
  /** YYYY-MM-DD, a trading day. */
  date: string;
  open: number;
  close: number;
}

/** When a replayed daily bar's prices are seen: the open at 09:30 New York, the close one minute before 16:00 (still inside the half-open session). */
export const REPLAY_OPEN_MINUTES = OPEN_MINUTES;
export const REPLAY_CLOSE_MINUTES = CLOSE_MINUTES - 1;

/**
 * The price ticks a replay of daily bars produces: per bar, the open at
 * 09:30 and the close at 15:59 New York time of its date, all sorted by time
 * then symbol (a stable order, so replays repeat exactly). Both instants lie
 * inside the session, so queued orders fill at the open and resting ones can
 * trade on the close.
 *
 * @example
 *   dailyBarTicks([{ symbol: 'A', date: '2026-03-02', open: 10, close: 11 }]);
 *   // [{ symbol: 'A', price: 10, at: 14:30Z }, { symbol: 'A', price: 11, at: 20:59Z }]
 */
export function dailyBarTicks(bars: readonly DailyBarPrices[]): { symbol: string; price: number; at: number }[] {
  const ticks = bars.flatMap((b) => [
    { symbol: b.symbol, price: b.open, at: newYorkToUtc(b.date, REPLAY_OPEN_MINUTES) },
    { symbol: b.symbol, price: b.close, at: newYorkToUtc(b.date, REPLAY_CLOSE_MINUTES) },
  ]);
  return ticks.sort((a, b) => a.at - b.at || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}
