/**
 * Paper-portfolio bookkeeping: positions at weighted average cost, cash
 * accounting for fills and their costs, realised and unrealised P&L, and a
 * valuation with weights. Every function returns a new state; nothing is
 * mutated, so the workflow can keep snapshots.
 */
import { DomainInputError } from './errors';

/** One holding. */
export interface Position {
  shares: number;
  /** Weighted average purchase price per share, excluding costs (costs are booked separately). */
  avgCost: number;
}

/** The whole account. */
export interface PortfolioState {
  cash: number;
  positions: Readonly<Record<string, Position>>;
  /** Sum of (sell price - avgCost) x shares over all sells. */
  realizedPnl: number;
  /** Sum of all transaction costs paid. */
  fees: number;
}

/** An executed trade. */
export interface Fill {
  symbol: string;
  side: 'buy' | 'sell';
  shares: number;
  price: number;
  /** Total transaction cost of the fill (>= 0). */
  cost: number;
}

/**
 * An empty account holding `cash`.
 *
 * @example
 *   emptyPortfolio(100_000) // { cash: 100000, positions: {}, realizedPnl: 0, fees: 0 }
 */
export function emptyPortfolio(cash: number): PortfolioState {
  if (!(cash >= 0) || !Number.isFinite(cash)) throw new DomainInputError('INSUFFICIENT_CASH', `starting cash is ${cash}`);
  return { cash, positions: {}, realizedPnl: 0, fees: 0 };
}

/**
 * Book one fill.
 * - buy q at p: avgCost' = (shares avgCost + q p) / (shares + q);
 *   cash -= q p + cost;
 * - sell q at p: avgCost unchanged; realised += q (p - avgCost);
 *   cash += q p - cost; a position sold to 0 is removed.
 * Costs go to `fees` and cash, not into avgCost, so P&L before and after
 * costs can both be read off.
 * Selling more than is held (no shorting), cash going below zero, a
 * non-positive share count or price, or a negative cost ->
 * DomainInputError naming the symbol.
 *
 * @example
 *   applyFill(emptyPortfolio(1000), { symbol: 'A', side: 'buy', shares: 10, price: 20, cost: 1 }).cash // 799
 */
export function applyFill(state: PortfolioState, fill: Fill): PortfolioState {
  const { symbol, side, shares, price, cost } = fill;
  if (!(shares > 0) || !Number.isFinite(shares)) throw new DomainInputError('INVALID_PARAMETER', `fill of ${symbol}: shares ${shares}`);
  if (!(price > 0) || !Number.isFinite(price)) throw new DomainInputError('INVALID_PRICE', `fill of ${symbol}: price ${price}`);
  if (!(cost >= 0) || !Number.isFinite(cost)) throw new DomainInputError('INVALID_PARAMETER', `fill of ${symbol}: cost ${cost}`);
  const pos = state.positions[symbol] ?? { shares: 0, avgCost: 0 };
  const positions: Record<string, Position> = { ...state.positions };
  let cash = state.cash;
  let realizedPnl = state.realizedPnl;
  if (side === 'buy') {
    const total = pos.shares + shares;
    positions[symbol] = { shares: total, avgCost: (pos.shares * pos.avgCost + shares * price) / total };
    cash -= shares * price + cost;
  } else {
    if (shares > pos.shares + 1e-9) {
      throw new DomainInputError('INSUFFICIENT_SHARES', `cannot sell ${shares} ${symbol}: holding ${pos.shares}`);
    }
    const left = pos.shares - shares;
    realizedPnl += shares * (price - pos.avgCost);
    if (left <= 1e-9) delete positions[symbol];
    else positions[symbol] = { shares: left, avgCost: pos.avgCost };
    cash += shares * price - cost;
  }
  // a cent of rounding slack; anything beyond is an order the account could not pay for
  if (cash < -0.01) throw new DomainInputError('INSUFFICIENT_CASH', `buying ${shares} ${symbol} needs ${(-cash).toFixed(2)} more cash`);
  return { cash, positions, realizedPnl, fees: state.fees + cost };
}

/**
 * Book several fills in order: sells are booked as given, so pass sells
 * before buys (as `generateOrders` does) when buys depend on their cash.
 *
 * @example
 *   applyFills(emptyPortfolio(1000), fills)
 */
export function applyFills(state: PortfolioState, fills: readonly Fill[]): PortfolioState {
  return fills.reduce(applyFill, state);
}

/** Valuation of one position. */
export interface PositionValue {
  symbol: string;
  shares: number;
  avgCost: number;
  price: number;
  marketValue: number;
  /** shares x (price - avgCost). */
  unrealizedPnl: number;
  /** marketValue / totalValue; NaN when the account is worth 0. */
  weight: number;
}

/** Valuation of the account. */
export interface PortfolioValuation {
  cash: number;
  marketValue: number;
  totalValue: number;
  unrealizedPnl: number;
  realizedPnl: number;
  fees: number;
  /** Cash weight of the total; NaN when the account is worth 0. */
  cashWeight: number;
  positions: PositionValue[];
}

/**
 * Mark the account to market: marketValue = sum shares x price,
 * totalValue = cash + marketValue, unrealised P&L = sum shares (price -
 * avgCost), weights = value / totalValue (NaN if totalValue is 0). A held
 * symbol without a positive price -> DomainInputError (MISSING_PRICE /
 * INVALID_PRICE). Positions are listed by symbol.
 *
 * @example
 *   valuePortfolio(state, { AAPL: 190.1 }).totalValue
 */
export function valuePortfolio(state: PortfolioState, prices: Readonly<Record<string, number>>): PortfolioValuation {
  const positions: PositionValue[] = [];
  let marketValue = 0;
  let unrealizedPnl = 0;
  for (const symbol of Object.keys(state.positions).sort()) {
    const pos = state.positions[symbol];
    const price = prices[symbol];
    if (price === undefined) throw new DomainInputError('MISSING_PRICE', `no price for held symbol ${symbol}`);
    if (!(price > 0) || !Number.isFinite(price)) throw new DomainInputError('INVALID_PRICE', `price for ${symbol} is ${price}`);
    const mv = pos.shares * price;
    const u = pos.shares * (price - pos.avgCost);
    marketValue += mv;
    unrealizedPnl += u;
    positions.push({ symbol, shares: pos.shares, avgCost: pos.avgCost, price, marketValue: mv, unrealizedPnl: u, weight: NaN });
  }
  const totalValue = state.cash + marketValue;
  for (const p of positions) p.weight = totalValue !== 0 ? p.marketValue / totalValue : NaN;
  return {
    cash: state.cash,
    marketValue,
    totalValue,
    unrealizedPnl,
    realizedPnl: state.realizedPnl,
    fees: state.fees,
    cashWeight: totalValue !== 0 ? state.cash / totalValue : NaN,
    positions,
  };
}
