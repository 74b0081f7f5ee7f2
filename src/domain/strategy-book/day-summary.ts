/**
 * The end of day of the strategy book: per strategy and in total, the day's
 * P&L (marked at bar closes), its trades, success rate, Sharpe and share of
 * the day's P&L (attribution), plus the curves the report charts.
 *
 * Conventions:
 * - P&L is cumulative realized + unrealized since the book's first fill,
 *   marked at each bar close; the day's P&L is its change from the previous
 *   session's last mark (the first mark given) to the day's last.
 * - Sharpe is of the per-bar P&L increments: mean / sample std x
 *   sqrt(bars per session x 252), no risk-free rate (over five minutes it is
 *   below the noise). Scale-free, so no capital base is needed; NaN with
 *   fewer than two increments or none that differ.
 * - Success rate: round trips closed today that made money / round trips
 *   closed today (NaN when none closed).
 * - Attribution: the strategy's P&L / the total's (NaN when the total is 0).
 */
import { mean, std } from '../stats';
import { ledgersAsOf, pnlCurves, type BookFill, type Mark } from './book';

export interface DayOrder {
  strategy: string;
  side: 'buy' | 'sell';
  status: string;
  filledQty: number;
  filledAvgPrice: number | null;
}

export interface StrategyDayResult {
  strategy: string;
  pnl: number;
  orders: number;
  filledOrders: number;
  rejectedOrders: number;
  buys: number;
  sells: number;
  notional: number;
  roundTrips: number;
  successRate: number;
  sharpe: number;
  attribution: number;
}

export interface DaySummary {
  strategies: StrategyDayResult[];
  total: Omit<StrategyDayResult, 'strategy' | 'attribution'>;
  /** P&L of the day at each mark after the first (0 at the start), per strategy and in total, for the charts. */
  curves: { at: number[]; byStrategy: Map<string, number[]>; total: number[] };
}

function sharpeOf(curve: readonly number[], barsPerSession: number): number {
  const inc: number[] = [];
  for (let i = 1; i < curve.length; i++) inc.push(curve[i]! - curve[i - 1]!);
  if (inc.length < 2) return NaN;
  const s = std(inc);
  return s > 1e-12 ? (mean(inc) / s) * Math.sqrt(barsPerSession * 252) : NaN;
}

/**
 * Summarize a session. `fills` are every fill of the book up to the day's
 * close, in time order; `marks` start with the previous close and then
 * each bar close of the day; `orders` are the day's orders.
 */
export function summarizeDay(
  fills: readonly BookFill[],
  marks: readonly Mark[],
  orders: readonly DayOrder[],
  barsPerSession: number,
): DaySummary {
  if (marks.length === 0) throw new Error('summarizeDay needs at least one mark (the previous close)');
  const { curves, total } = pnlCurves(fills, marks);
  const start = marks[0]!.at;
  const end = marks[marks.length - 1]!.at;
  const before = ledgersAsOf(fills, start);
  const after = ledgersAsOf(fills, end);
  const names = [...new Set([...curves.keys(), ...orders.map((o) => o.strategy)])].sort();
  const totalPnl = total[total.length - 1]! - total[0]!;
  const rel = (c: readonly number[]) => c.map((v) => v - c[0]!);
  const strategies = names.map((strategy): StrategyDayResult => {
    const curve = curves.get(strategy) ?? marks.map(() => 0);
    const mine = orders.filter((o) => o.strategy === strategy);
    const trips = (after.get(strategy)?.roundTrips ?? 0) - (before.get(strategy)?.roundTrips ?? 0);
    const wins = (after.get(strategy)?.winningRoundTrips ?? 0) - (before.get(strategy)?.winningRoundTrips ?? 0);
    const pnl = curve[curve.length - 1]! - curve[0]!;
    return {
      strategy,
      pnl,
      orders: mine.length,
      filledOrders: mine.filter((o) => o.filledQty > 0).length,
      rejectedOrders: mine.filter((o) => o.status === 'rejected').length,
      buys: mine.filter((o) => o.side === 'buy').length,
      sells: mine.filter((o) => o.side === 'sell').length,
      notional: mine.reduce((s, o) => s + o.filledQty * (o.filledAvgPrice ?? 0), 0),
      roundTrips: trips,
      successRate: trips > 0 ? wins / trips : NaN,
      sharpe: sharpeOf(curve, barsPerSession),
      attribution: totalPnl !== 0 ? pnl / totalPnl : NaN,
    };
  });
  const trips = strategies.reduce((s, r) => s + r.roundTrips, 0);
  const wins = strategies.reduce((s, r) => s + (r.roundTrips > 0 ? r.successRate * r.roundTrips : 0), 0);
  return {
    strategies,
    total: {
      pnl: totalPnl,
      orders: orders.length,
      filledOrders: strategies.reduce((s, r) => s + r.filledOrders, 0),
      rejectedOrders: strategies.reduce((s, r) => s + r.rejectedOrders, 0),
      buys: strategies.reduce((s, r) => s + r.buys, 0),
      sells: strategies.reduce((s, r) => s + r.sells, 0),
      notional: strategies.reduce((s, r) => s + r.notional, 0),
      roundTrips: trips,
      successRate: trips > 0 ? Math.round(wins) / trips : NaN,
      sharpe: sharpeOf(total, barsPerSession),
    },
    curves: {
      at: marks.map((m) => m.at),
      byStrategy: new Map(names.map((n) => [n, rel(curves.get(n) ?? marks.map(() => 0))])),
      total: rel(total),
    },
  };
}
