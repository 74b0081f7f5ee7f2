/**
 * Stress scenarios on the broker positions: what the book would lose if
 * prices moved by a scenario's shocks at once. A shock is a simple return
 * (-0.10 = a 10 % fall); a position's P&L is qty x price x shock, signed, so
 * a short gains when the market falls. The loss is also given as a fraction
 * of equity. No correlation model: a scenario states every symbol's shock
 * (a market shock is the same for all; the historical worst day is each
 * symbol's own).
 */
import { DomainInputError } from './errors';

export interface StressPosition {
  symbol: string;
  /** Signed shares (negative = short). */
  qty: number;
  price: number;
}

export interface StressScenario {
  name: string;
  description: string;
  /** Shock of a symbol that `bySymbol` does not list. */
  defaultShock: number;
  bySymbol?: Readonly<Record<string, number>>;
}

export interface StressResult {
  name: string;
  description: string;
  /** Sum of position P&L under the scenario (negative = loss). */
  pnl: number;
  /** pnl / equity; NaN when equity is not positive. */
  pnlPctOfEquity: number;
  /** The position that loses most (null for an empty book). */
  worst: { symbol: string; pnl: number } | null;
}

/**
 * The same shock for every symbol.
 *
 * @example
 *   marketShock(-0.1) // { name: 'market -10%', defaultShock: -0.1, ... }
 */
export function marketShock(shock: number): StressScenario {
  const pctText = `${shock < 0 ? '-' : '+'}${Math.abs(Math.round(shock * 1000) / 10)}%`;
  return { name: `market ${pctText}`, description: `every price moves ${pctText} at once`, defaultShock: shock };
}

/**
 * Each symbol's worst daily return in its history (`returns` per symbol),
 * applied to all symbols on the same day. Symbols without returns get 0.
 *
 * @example
 *   worstDayScenario(new Map([['A', new Map([['2026-01-05', -0.04]])]])).bySymbol // { A: -0.04 }
 */
export function worstDayScenario(returns: ReadonlyMap<string, ReadonlyMap<string, number>>, label = 'worst day'): StressScenario {
  const bySymbol: Record<string, number> = {};
  for (const [symbol, r] of returns) {
    let worst = Infinity;
    for (const v of r.values()) if (v < worst) worst = v;
    if (worst !== Infinity) bySymbol[symbol] = Math.min(worst, 0);
  }
  return { name: label, description: "each symbol's worst daily return in the window, all on one day", defaultShock: 0, bySymbol };
}

/**
 * P&L of each scenario on the positions. Throws DomainInputError on a price
 * that is not positive and finite, or a quantity that is not finite.
 *
 * @example
 *   runStress([{ symbol: 'A', qty: 10, price: 100 }], 10_000, [marketShock(-0.1)])
 *   // [{ name: 'market -10%', pnl: -100, pnlPctOfEquity: -0.01, worst: { symbol: 'A', pnl: -100 } }]
 */
export function runStress(positions: readonly StressPosition[], equity: number, scenarios: readonly StressScenario[]): StressResult[] {
  for (const p of positions) {
    if (!(Number.isFinite(p.price) && p.price > 0)) throw new DomainInputError('INVALID_PRICE', `price of ${p.symbol} is ${p.price}`);
    if (!Number.isFinite(p.qty)) throw new DomainInputError('INVALID_PARAMETER', `quantity of ${p.symbol} is ${p.qty}`);
  }
  return scenarios.map((s) => {
    let pnl = 0;
    let worst: StressResult['worst'] = null;
    for (const p of positions) {
      const shock = s.bySymbol?.[p.symbol] ?? s.defaultShock;
      const v = p.qty * p.price * shock;
      pnl += v;
      if (worst === null || v < worst.pnl) worst = { symbol: p.symbol, pnl: v };
    }
    return { name: s.name, description: s.description, pnl, pnlPctOfEquity: equity > 0 ? pnl / equity : NaN, worst };
  });
}
