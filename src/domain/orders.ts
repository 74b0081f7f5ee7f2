/**
 * Order generation for the `rebalance` workflow: from current holdings and
 * target weights to whole-share buy and sell orders, priced with the
 * transaction-cost model, with small trades filtered out and buys kept
 * within the cash the account will have.
 */
import { DEFAULT_COST_MODEL, transactionCost, type CostModel, type TradeCost } from './costs';
import { DomainInputError } from './errors';

/** One order. */
export interface Order {
  symbol: string;
  side: 'buy' | 'sell';
  /** Whole shares, > 0. */
  shares: number;
  price: number;
  /** shares x price. */
  notional: number;
  /** Estimated cost from the cost model. */
  cost: TradeCost;
}

/** Inputs of `generateOrders`. */
export interface OrderRequest {
  /** Target weight per symbol (fractions of total portfolio value). */
  targetWeights: Readonly<Record<string, number>>;
  /** Shares held now per symbol. */
  holdings: Readonly<Record<string, number>>;
  /** Current price per symbol; needed for every held or targeted symbol. */
  prices: Readonly<Record<string, number>>;
  /** Cash in the account now. */
  cash: number;
  /** Trades with notional below this are skipped (default 100). */
  minTradeValue?: number;
  costModel?: CostModel;
}

/** Result of `generateOrders`. */
export interface OrderPlan {
  /** Sells first, then buys, each group by symbol. */
  orders: Order[];
  /** Trades dropped by the minimum trade value. */
  skipped: { symbol: string; shares: number; notional: number }[];
  /** Total portfolio value the targets were applied to: cash + sum(holdings x price). */
  portfolioValue: number;
  /** Cash after all orders and their estimated costs (>= 0). */
  cashAfter: number;
  totalCost: number;
}

/**
 * Orders that move current holdings towards target weights.
 *
 * V = cash + sum_i h_i p_i. For each symbol, the share change is
 * trunc(w_i V / p_i - h_i) (towards zero, so a trade never overshoots its
 * target), except that a target of 0 sells the whole holding. Trades with
 * |shares| p_i below `minTradeValue` (100) are skipped. Sells are costed
 * and credited first; if the buys plus their costs would exceed the cash
 * then available, every buy is scaled down by the same factor and
 * re-truncated (dropping those that fall below the minimum) until they fit,
 * so cashAfter >= 0. Holdings of symbols without a target weight are sold.
 *
 * A missing or non-positive price for a symbol that is held or targeted,
 * a negative holding, a target weight outside [0, 1] or targets summing
 * above 1 -> DomainInputError naming the symbol.
 *
 * @example
 *   generateOrders({ targetWeights: { A: 0.5 }, holdings: {}, prices: { A: 10 }, cash: 10_000 }).orders
 *   // [{ symbol: 'A', side: 'buy', shares: 500, ... }]
 */
export function generateOrders(req: OrderRequest): OrderPlan {
  const model = req.costModel ?? DEFAULT_COST_MODEL;
  const minTrade = req.minTradeValue ?? 100;
  if (!Number.isFinite(req.cash) || req.cash < 0) throw new DomainInputError('INSUFFICIENT_CASH', `cash is ${req.cash}`);
  const symbols = [...new Set([...Object.keys(req.holdings), ...Object.keys(req.targetWeights)])].sort();
  let wsum = 0;
  for (const [s, w] of Object.entries(req.targetWeights)) {
    if (!(w >= 0 && w <= 1)) throw new DomainInputError('INVALID_PARAMETER', `target weight of ${s} is ${w}`);
    wsum += w;
  }
  if (wsum > 1 + 1e-9) throw new DomainInputError('INVALID_PARAMETER', `target weights sum to ${wsum}`);
  let value = req.cash;
  for (const s of symbols) {
    const h = req.holdings[s] ?? 0;
    if (!(h >= 0)) throw new DomainInputError('INVALID_PARAMETER', `holding of ${s} is ${h}`);
    const price = req.prices[s];
    if (price === undefined) throw new DomainInputError('MISSING_PRICE', `no price for ${s}`);
    if (!(price > 0) || !Number.isFinite(price)) throw new DomainInputError('INVALID_PRICE', `price for ${s} is ${price}`);
    value += h * price;
  }

  const sells: Order[] = [];
  const buys: { symbol: string; shares: number; price: number }[] = [];
  const skipped: OrderPlan['skipped'] = [];
  for (const s of symbols) {
    const h = req.holdings[s] ?? 0;
    const price = req.prices[s];
    const w = req.targetWeights[s] ?? 0;
    const delta = w === 0 ? -h : Math.trunc((w * value) / price - h);
    if (delta === 0) continue;
    const notional = Math.abs(delta) * price;
    if (notional < minTrade) {
      skipped.push({ symbol: s, shares: delta, notional });
      continue;
    }
    if (delta < 0) {
      const shares = -delta;
      sells.push({ symbol: s, side: 'sell', shares, price, notional: shares * price, cost: transactionCost(shares, price, model) });
    } else buys.push({ symbol: s, shares: delta, price });
  }

  let cash = req.cash;
  for (const o of sells) cash += o.notional - o.cost.total;

  const costBuys = (scale: number) => {
    const out: Order[] = [];
    let spend = 0;
    for (const b of buys) {
      const shares = scale === 1 ? b.shares : Math.floor(b.shares * scale);
      const notional = shares * b.price;
      if (shares <= 0 || notional < minTrade) continue;
      const cost = transactionCost(shares, b.price, model);
      spend += notional + cost.total;
      out.push({ symbol: b.symbol, side: 'buy', shares, price: b.price, notional, cost });
    }
    return { out, spend };
  };
  let plan = costBuys(1);
  if (plan.spend > cash) {
    // scale all buys by the same factor; costs are convex, so shrink until it fits
    let scale = cash > 0 ? cash / plan.spend : 0;
    for (let i = 0; i < 60; i++) {
      plan = costBuys(scale);
      if (plan.spend <= cash) break;
      scale *= 0.999;
    }
    if (plan.spend > cash) plan = { out: [], spend: 0 };
  }
  const skippedBuys = new Set(plan.out.map((o) => o.symbol));
  for (const b of buys) if (!skippedBuys.has(b.symbol)) skipped.push({ symbol: b.symbol, shares: b.shares, notional: b.shares * b.price });

  const orders = [...sells, ...plan.out];
  const totalCost = orders.reduce((a, o) => a + o.cost.total, 0);
  return { orders, skipped, portfolioValue: value, cashAfter: cash - plan.spend, totalCost };
}
