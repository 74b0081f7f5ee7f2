/**
 * A strategy book rebuilt from its fills: positions per strategy and
 * symbol, realized P&L, and the marked-to-market P&L curve over a day's bar
 * closes. One source of truth (the booked fills), so a cycle, the risk check
 * and the end of day all read the same positions for the same instant, and a
 * replayed instant reads what was held then, not what is held now.
 *
 * Conventions: average-cost lots (applyFillToPosition of the paper venue);
 * realized P&L is booked on the reducing part of a fill as
 * (fill price - average entry) x shares reduced x sign(position); fees are
 * not in the fills the service books, so P&L here is before fees.
 */
import { applyFillToPosition, type PaperPosition } from '../paper-matching';

export interface BookFill {
  strategy: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  /** Epoch ms. */
  at: number;
}

export interface StrategyLot {
  symbol: string;
  /** Signed shares (negative = short). */
  qty: number;
  avgEntryPrice: number;
}

export interface StrategyLedger {
  positions: Map<string, StrategyLot>;
  realized: number;
  /** Closed round trips (a position brought back to zero) and how many made money. */
  roundTrips: number;
  winningRoundTrips: number;
}

const emptyLedger = (): StrategyLedger => ({ positions: new Map(), realized: 0, roundTrips: 0, winningRoundTrips: 0 });

/**
 * Apply one fill to a strategy's ledger (mutates it). A round trip is counted
 * when a position returns to zero; it wins when the P&L realized since the
 * position opened is positive.
 */
export function applyFill(ledger: StrategyLedger, fill: BookFill, openedRealized: Map<string, number>): void {
  const held = ledger.positions.get(fill.symbol) ?? null;
  const heldQty = held?.qty ?? 0;
  const delta = fill.side === 'buy' ? fill.qty : -fill.qty;
  if (held && Math.sign(heldQty) !== Math.sign(delta)) {
    const reduced = Math.min(Math.abs(heldQty), fill.qty);
    ledger.realized += (fill.price - held.avgEntryPrice) * reduced * Math.sign(heldQty);
  }
  if (heldQty === 0) openedRealized.set(fill.symbol, ledger.realized);
  const next = applyFillToPosition(held as PaperPosition | null, fill);
  if (next) ledger.positions.set(fill.symbol, { symbol: next.symbol, qty: next.qty, avgEntryPrice: next.avgEntryPrice });
  else ledger.positions.delete(fill.symbol);
  if (heldQty !== 0 && (next === null || Math.sign(next.qty) !== Math.sign(heldQty))) {
    ledger.roundTrips += 1;
    if (ledger.realized - (openedRealized.get(fill.symbol) ?? 0) > 0) ledger.winningRoundTrips += 1;
    if (next) openedRealized.set(fill.symbol, ledger.realized);
  }
}

/**
 * Ledgers per strategy after the fills at or before `asOf` (fills must be in
 * time order; later ones are ignored).
 *
 * @example
 *   ledgersAsOf([{ strategy: 's', symbol: 'A', side: 'buy', qty: 10, price: 100, at: 1 }], 1).get('s')!.positions.get('A')!.qty; // 10
 */
export function ledgersAsOf(fills: readonly BookFill[], asOf: number): Map<string, StrategyLedger> {
  const ledgers = new Map<string, StrategyLedger>();
  const opened = new Map<string, Map<string, number>>();
  for (const f of fills) {
    if (f.at > asOf) break;
    let l = ledgers.get(f.strategy);
    if (!l) ledgers.set(f.strategy, (l = emptyLedger()));
    let o = opened.get(f.strategy);
    if (!o) opened.set(f.strategy, (o = new Map()));
    applyFill(l, f, o);
  }
  return ledgers;
}

/** Unrealized P&L of a ledger's positions at `prices` (a symbol without a price is marked at its entry: 0). */
export function unrealized(ledger: StrategyLedger, prices: ReadonlyMap<string, number>): number {
  let u = 0;
  for (const p of ledger.positions.values()) u += ((prices.get(p.symbol) ?? p.avgEntryPrice) - p.avgEntryPrice) * p.qty;
  return u;
}

/** Gross exposure (sum of |qty| x price) of a ledger at `prices`. */
export function grossExposure(ledger: StrategyLedger, prices: ReadonlyMap<string, number>): number {
  let g = 0;
  for (const p of ledger.positions.values()) g += Math.abs(p.qty) * (prices.get(p.symbol) ?? p.avgEntryPrice);
  return g;
}

export interface Mark {
  /** Epoch ms of the bar close. */
  at: number;
  prices: ReadonlyMap<string, number>;
}

/**
 * The total P&L (realized + unrealized, since the first fill) of every
 * strategy at each mark, in mark order: `curves.get(strategy)[i]` is its P&L
 * at `marks[i]`, and `total[i]` the sum over strategies.
 */
export function pnlCurves(fills: readonly BookFill[], marks: readonly Mark[]): { curves: Map<string, number[]>; total: number[] } {
  const ledgers = new Map<string, StrategyLedger>();
  const opened = new Map<string, Map<string, number>>();
  const curves = new Map<string, number[]>();
  for (const f of fills) if (!curves.has(f.strategy)) curves.set(f.strategy, []);
  const total: number[] = [];
  let next = 0;
  for (const m of marks) {
    while (next < fills.length && fills[next]!.at <= m.at) {
      const f = fills[next++]!;
      let l = ledgers.get(f.strategy);
      if (!l) ledgers.set(f.strategy, (l = emptyLedger()));
      let o = opened.get(f.strategy);
      if (!o) opened.set(f.strategy, (o = new Map()));
      applyFill(l, f, o);
    }
    let sum = 0;
    for (const [strategy, curve] of curves) {
      const l = ledgers.get(strategy);
      const v = l ? l.realized + unrealized(l, m.prices) : 0;
      curve.push(v);
      sum += v;
    }
    total.push(sum);
  }
  return { curves, total };
}
