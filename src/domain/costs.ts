/**
 * The transaction-cost model used when sizing and booking paper trades:
 * commission per share, spread and exchange fee in basis points of notional,
 * and a market impact that grows with the size of the trade.
 */
import { DomainInputError } from './errors';

/** Parameters of the cost model. */
export interface CostModel {
  /** Dollars per share traded (default 0.005). */
  commissionPerShare: number;
  /** Spread cost in basis points of notional (default 5). */
  spreadBps: number;
  /** Exchange fee in basis points of notional (default 3). */
  exchangeFeeBps: number;
  /** Market impact in basis points per $1,000 of notional (default 0.1). */
  impactBpsPer1000: number;
}

export const DEFAULT_COST_MODEL: CostModel = {
  commissionPerShare: 0.005,
  spreadBps: 5,
  exchangeFeeBps: 3,
  impactBpsPer1000: 0.1,
};

/** Cost of one trade, broken down, in dollars. */
export interface TradeCost {
  notional: number;
  commission: number;
  spread: number;
  exchangeFee: number;
  marketImpact: number;
  total: number;
}

/**
 * Cost of trading `shares` (sign ignored: buys and sells cost the same) at
 * `price`, with notional N = |shares| price:
 * - commission = commissionPerShare |shares|;
 * - spread = N spreadBps / 10^4;
 * - exchange fee = N exchangeFeeBps / 10^4;
 * - market impact = N (impactBpsPer1000 N / 1000) / 10^4, i.e. the impact
 *   rate grows by 0.1 bp for every $1,000 traded, so impact is quadratic in N.
 * Every part is >= 0 and non-decreasing in |shares|. Zero shares -> all 0.
 * A NaN, infinite or negative price or share count -> DomainInputError.
 *
 * @example
 *   transactionCost(100, 50).total // 0.5 + 2.5 + 1.5 + 0.25 = 4.75
 */
export function transactionCost(shares: number, price: number, model: CostModel = DEFAULT_COST_MODEL): TradeCost {
  if (!Number.isFinite(shares)) throw new DomainInputError('INVALID_PARAMETER', `share count is ${shares}`);
  if (!Number.isFinite(price) || price < 0) throw new DomainInputError('INVALID_PRICE', `price is ${price}`);
  const q = Math.abs(shares);
  const notional = q * price;
  const commission = model.commissionPerShare * q;
  const spread = (notional * model.spreadBps) / 1e4;
  const exchangeFee = (notional * model.exchangeFeeBps) / 1e4;
  const marketImpact = (notional * ((model.impactBpsPer1000 * notional) / 1000)) / 1e4;
  return { notional, commission, spread, exchangeFee, marketImpact, total: commission + spread + exchangeFee + marketImpact };
}
