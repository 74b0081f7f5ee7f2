/**
 * What trading costs a portfolio: turnover, total costs and cost drag, from
 * a simulated curve and what it traded each day. Used by the backtest
 * (WF6) through `performanceSummary`, its report and bench:backtest.
 */
import { cagr } from './returns';
import type { Series } from './stats';

/** A curve with what was traded and paid at each of its points. */
export interface TradedCurve {
  /** Cash + positions at each close, after that day's trades and costs. */
  equity: readonly number[];
  initialCapital: number;
  /** Notional bought + sold at each point (dollars, both sides counted). */
  traded: readonly number[];
  /** Costs paid at each point (dollars). */
  dayCosts: readonly number[];
}

/** The per-period series `performanceSummary` takes to report turnover and costs. */
export interface TradingSeries {
  /** One-sided turnover of each period: traded_t / (2 equity_t). */
  turnover: number[];
  /** Returns of the same trades without costs (see `tradingSeries`). */
  grossReturns: number[];
  /** Costs of each period as a fraction of the initial capital. */
  costs: number[];
}

/**
 * The trading series of a curve:
 * - turnover_t = traded_t / (2 E_t): one-sided (half of buys + sells, so a
 *   full switch from one name to another counts once), over the day's
 *   closing equity, as pyfolio's `get_turnover`;
 * - gross curve G_t = E_t + sum_{s <= t} cost_s: the same trades (the same
 *   shares on the same days) without costs, so only the cash differs, by
 *   the costs paid so far (cash earns nothing in the engine);
 *   grossReturns_0 = G_0 / initialCapital - 1, grossReturns_t = G_t / G_{t-1} - 1;
 * - costs_t = cost_t / initialCapital.
 * Missing `traded` or `dayCosts` (a curve stored before they existed) -> NaN series.
 *
 * @example
 *   tradingSeries({ equity: [995, 1005], initialCapital: 1000, traded: [500, 0], dayCosts: [5, 0] })
 *   // { turnover: [0.2513, 0], grossReturns: [0, 0.01], costs: [0.005, 0] }
 */
export function tradingSeries(c: TradedCurve): TradingSeries {
  const n = c.equity.length;
  const known = c.traded?.length === n && c.dayCosts?.length === n;
  const turnover: number[] = [];
  const grossReturns: number[] = [];
  const costs: number[] = [];
  let paid = 0;
  let prev = c.initialCapital;
  for (let t = 0; t < n; t++) {
    if (!known) {
      turnover.push(NaN);
      grossReturns.push(NaN);
      costs.push(NaN);
      continue;
    }
    paid += c.dayCosts[t];
    const gross = c.equity[t] + paid;
    turnover.push(c.traded[t] / (2 * c.equity[t]));
    grossReturns.push(gross / prev - 1);
    costs.push(c.dayCosts[t] / c.initialCapital);
    prev = gross;
  }
  return { turnover, grossReturns, costs };
}

/**
 * Annual turnover: the mean one-sided turnover per period x P (periods per
 * year). 1.0 = the whole portfolio replaced once a year. NaN entries are
 * skipped; empty or all-NaN -> NaN.
 *
 * @example
 *   annualTurnover([0.01, 0, 0.01, 0], 252) // 0.005 x 252 = 1.26
 */
export function annualTurnover(turnover: Series, periodsPerYear = 252): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < turnover.length; i++) {
    const v = turnover[i];
    if (v === v) {
      s += v;
      n++;
    }
  }
  return n === 0 ? NaN : (s / n) * periodsPerYear;
}

/**
 * Cost drag: CAGR of the gross returns (the same trades without costs)
 * minus CAGR of the net returns, both with `cagr`'s convention (P / N
 * periods). Positive = costs lowered the growth rate. NaN when either is NaN.
 *
 * @example
 *   costDrag([995 / 1000 - 1, 1005 / 995 - 1], [0, 0.01], 2) // (1.01 - 1) - (1.005 - 1) = 0.005 (P = N = 2)
 */
export function costDrag(returns: Series, grossReturns: Series, periodsPerYear = 252): number {
  return cagr(grossReturns, periodsPerYear) - cagr(returns, periodsPerYear);
}

/** Sum of the per-period costs (fractions of the initial capital); NaN entries make it NaN; empty -> 0. */
export function totalCosts(costs: Series): number {
  let s = 0;
  for (let i = 0; i < costs.length; i++) s += costs[i];
  return s;
}
