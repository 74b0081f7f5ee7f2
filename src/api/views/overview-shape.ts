/**
 * The Overview page's numbers, shaped from rows already read: a book's
 * equity curve with its drawdown, exposure by sector, P&L of the day, month
 * and year from per-day results, and an execution book's curve, cash and
 * holdings rebuilt from its fills (the strategy book's own pnlCurves and
 * ledgers, so the page and the end-of-day report agree). Pure: no I/O, no clock.
 */
import { cashAfterFill } from '../../domain/paper-matching';
import { underwater } from '../../domain/risk';
import { BAR_INTERVAL_MS, type BarInterval, type IntradayBar } from '../../domain/strategies/types';
import { ledgersAsOf, pnlCurves, type BookFill, type Mark } from '../../domain/strategy-book/book';
import { liveBook } from '../../domain/strategy-book/books';
import { sessionBarStarts } from '../../domain/intraday-bars';
import { barWindow, lastCloses, type BarWindow } from '../../domain/intraday-window';

export interface CurvePoint<T extends string | number = string | number> {
  /** A day ('2025-03-14') for a daily curve, epoch ms for an intraday one. */
  time: T;
  equity: number;
  /** Below the running peak, as a fraction <= 0 (-0.05 = 5 % under); null where there is no peak yet. */
  drawdown: number | null;
}

/**
 * Each value with its drawdown from the running peak, d_t = v_t / max_{s<=t} v_s - 1
 * (risk.ts `underwater`): 0 at a new high, negative below it.
 *
 * @example
 *   withDrawdown([{ time: 'a', value: 100 }, { time: 'b', value: 120 }, { time: 'c', value: 90 }]).map((p) => p.drawdown); // [0, 0, -0.25]
 */
export function withDrawdown<T extends string | number>(points: readonly { time: T; value: number }[]): CurvePoint<T>[] {
  const under = underwater(points.map((p) => p.value));
  return points.map((p, i) => ({ time: p.time, equity: p.value, drawdown: Number.isFinite(under[i]) ? under[i]! : null }));
}

export interface SectorExposure {
  sector: string;
  /** Market value held in the sector (signed: a short is negative). */
  value: number;
  /** value / total value of the book (cash included). */
  weight: number;
  positions: number;
}

/** What a position without a sector is filed under. */
export const UNCLASSIFIED = 'Unclassified';

/**
 * Market value per sector and its share of `totalValue`, largest exposure
 * (by absolute value) first; a position without a sector counts as
 * "Unclassified". Weights are null-free: a total of 0 or less gives weight 0.
 *
 * @example
 *   sectorExposure([{ sector: 'Tech', value: 30 }, { sector: 'Tech', value: 20 }, { sector: null, value: 10 }], 100);
 *   // [{ sector: 'Tech', value: 50, weight: 0.5, positions: 2 }, { sector: 'Unclassified', value: 10, weight: 0.1, positions: 1 }]
 */
export function sectorExposure(
  positions: readonly { sector: string | null | undefined; value: number }[],
  totalValue: number,
): SectorExposure[] {
  const by = new Map<string, { value: number; positions: number }>();
  for (const p of positions) {
    const key = p.sector || UNCLASSIFIED;
    const s = by.get(key) ?? { value: 0, positions: 0 };
    s.value += p.value;
    s.positions += 1;
    by.set(key, s);
  }
  return [...by]
    .map(([sector, s]) => ({ sector, value: s.value, weight: totalValue > 0 ? s.value / totalValue : 0, positions: s.positions }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.sector.localeCompare(b.sector));
}

export interface PeriodPnl {
  /** The day the figures are as of (the latest day given). */
  date: string | null;
  day: number | null;
  mtd: number | null;
  ytd: number | null;
}

/**
 * P&L of the latest day, and the sums over that day's month and year, from
 * one P&L per day (an execution book's strategy_day_results totals). Days
 * after none: all null.
 *
 * @example
 *   periodPnl([{ date: '2024-12-31', pnl: 5 }, { date: '2025-01-02', pnl: 1 }, { date: '2025-02-03', pnl: 2 }]);
 *   // { date: '2025-02-03', day: 2, mtd: 2, ytd: 3 }
 */
export function periodPnl(days: readonly { date: string; pnl: number }[]): PeriodPnl {
  if (days.length === 0) return { date: null, day: null, mtd: null, ytd: null };
  const latest = days.reduce((a, b) => (b.date > a.date ? b : a));
  const sum = (prefix: string) => days.filter((d) => d.date.startsWith(prefix) && d.date <= latest.date).reduce((s, d) => s + d.pnl, 0);
  return { date: latest.date, day: latest.pnl, mtd: sum(latest.date.slice(0, 7)), ytd: sum(latest.date.slice(0, 4)) };
}

export type BookKind = 'pipeline' | 'live' | 'replay' | 'service';

export const PIPELINE_BOOK = 'pipeline';

/** The date a replay book replays (`replay:<date>[:tag]`), or null for any other book. */
export function replayDateOf(book: string): string | null {
  return /^replay:(\d{4}-\d{2}-\d{2})(?::|$)/.exec(book)?.[1] ?? null;
}

/**
 * What the page calls a book, and its kind: the daily pipeline's paper book,
 * the live strategies' book (`paper:<executionAccount>`), a replayed day, or
 * the execution service's own account (`paper`, `alpaca`, another paper account).
 *
 * @example
 *   describeBook('replay:2025-03-14:a', 'strategies'); // { label: 'Replay 2025-03-14 (a)', kind: 'replay' }
 */
export function describeBook(book: string, executionAccount: string): { label: string; kind: BookKind } {
  if (book === PIPELINE_BOOK) return { label: 'Daily pipeline', kind: 'pipeline' };
  if (book === liveBook(executionAccount).name) return { label: `Live paper (${executionAccount})`, kind: 'live' };
  const date = replayDateOf(book);
  if (date) {
    const tag = book.slice(`replay:${date}:`.length);
    return { label: tag ? `Replay ${date} (${tag})` : `Replay ${date}`, kind: 'replay' };
  }
  if (book === 'paper') return { label: 'Service paper account', kind: 'service' };
  if (book === 'alpaca') return { label: 'Alpaca account', kind: 'service' };
  return { label: book, kind: 'service' };
}

/**
 * The instants an execution book is marked at on each session: the open
 * (the previous close's prices) and every bar close up to `until` (the
 * latest bar close seen), as the end of day does; each priced at the last
 * close by then. A session whose bars are all missing is skipped (nothing
 * to mark it with).
 */
export function sessionMarks(sessions: readonly string[], bars: readonly IntradayBar[], interval: BarInterval, until: number): Mark[] {
  const step = BAR_INTERVAL_MS[interval];
  const window: BarWindow = barWindow(bars, interval);
  const marks: Mark[] = [];
  for (const date of sessions) {
    const starts = sessionBarStarts(date, interval);
    const open = starts[0]!;
    const closes = starts.map((s) => s + step).filter((t) => t <= until);
    if (!bars.some((b) => b.ts >= open && b.ts < open + starts.length * step)) continue;
    for (const at of [open, ...closes]) marks.push({ at, prices: lastCloses(window, at) });
  }
  return marks;
}

/**
 * Marks at each fill instant priced at the latest fill price of each
 * symbol: the curve of a book whose symbols have no intraday bars (a
 * service account trading daily symbols over HTTP). Fills at one instant
 * make one mark.
 */
export function fillMarks(fills: readonly BookFill[]): Mark[] {
  const last = new Map<string, number>();
  const marks: Mark[] = [];
  for (const f of fills) {
    last.set(f.symbol, f.price);
    const prices = new Map(last);
    if (marks.at(-1)?.at === f.at) marks[marks.length - 1] = { at: f.at, prices };
    else marks.push({ at: f.at, prices });
  }
  return marks;
}

/**
 * An execution book's equity at each mark: starting cash + total P&L since
 * its first fill (realized + unrealized, before fees: the fills the service
 * books carry no fees), with the drawdown from the running peak. Without a
 * starting cash (an account the service cannot see) the curve is the P&L
 * alone and has no drawdown (there is no capital to fall from).
 */
export function executionCurve(fills: readonly BookFill[], marks: readonly Mark[], startingCash: number | null): CurvePoint<number>[] {
  const { total } = pnlCurves(fills, marks);
  if (startingCash === null) return marks.map((m, i) => ({ time: m.at, equity: total[i]!, drawdown: null }));
  return withDrawdown(marks.map((m, i) => ({ time: m.at, value: startingCash + total[i]! })));
}

export interface Holding {
  symbol: string;
  /** Signed shares (negative = short), summed over the strategies. */
  qty: number;
  price: number;
  value: number;
}

/**
 * The book at instant `at`: every strategy's lots netted per symbol and
 * valued at `prices` (a symbol without a price at its average entry), and
 * the cash the fills left from `startingCash` (before fees, as the curve);
 * cash is null without a starting cash.
 *
 * @example
 *   bookHoldings([{ strategy: 's', symbol: 'A', side: 'buy', qty: 10, price: 100, at: 1 }], 1, new Map([['A', 110]]), 5000);
 *   // { cash: 4000, holdings: [{ symbol: 'A', qty: 10, price: 110, value: 1100 }] }
 */
export function bookHoldings(
  fills: readonly BookFill[],
  at: number,
  prices: ReadonlyMap<string, number>,
  startingCash: number | null,
): { cash: number | null; holdings: Holding[] } {
  const net = new Map<string, { qty: number; cost: number }>();
  for (const ledger of ledgersAsOf(fills, at).values())
    for (const lot of ledger.positions.values()) {
      const n = net.get(lot.symbol) ?? { qty: 0, cost: 0 };
      n.qty += lot.qty;
      n.cost += lot.qty * lot.avgEntryPrice;
      net.set(lot.symbol, n);
    }
  const holdings = [...net]
    .filter(([, n]) => n.qty !== 0)
    .map(([symbol, n]) => {
      const price = prices.get(symbol) ?? n.cost / n.qty;
      return { symbol, qty: n.qty, price, value: n.qty * price };
    })
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
  if (startingCash === null) return { cash: null, holdings };
  let cash = startingCash;
  for (const f of fills) if (f.at <= at) cash = cashAfterFill(cash, { ...f, fees: 0 });
  return { cash, holdings };
}
