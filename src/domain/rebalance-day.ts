/**
 * One paper-trading day of the `rebalance` workflow as a pure function:
 * dividends credited and reinvested, held symbols marked to the day's close
 * (or kept at their last price and flagged), pension target weights, whole-
 * share orders with their cost breakdown, the expected-net-alpha filter, the
 * fills booked at weighted average cost, and the closing valuation. It
 * trades only on the rebalance days of its policy and only names outside
 * their no-trade band (rebalance-policy.ts, shared with the backtest). Built on
 * allocation, orders, costs and portfolio; the workflow's activity and the
 * property tests run the very same code.
 */
import { pensionAllocation, type Allocation, type AllocationPolicy } from './allocation';
import { DEFAULT_COST_MODEL, type CostModel } from './costs';
import { generateOrders, type Order } from './orders';
import { applyFill, type PortfolioState } from './portfolio';
import { applyNoTradeBand, isRebalanceDue, resolveRebalancePolicy, type RebalancePolicy } from './rebalance-policy';
import type { Recommendation } from './scoring';

/** The expected-alpha assumption behind the trade filter. */
export interface AlphaPolicy {
  /** Annual excess return of a combined score of 100 (a score of 50 expects none). Default 0.04. */
  annualAlpha: number;
  /** Holding horizon the alpha is earned over, in trading days. Default 63 (a quarter). */
  horizonDays: number;
}

export const DEFAULT_ALPHA_POLICY: AlphaPolicy = { annualAlpha: 0.04, horizonDays: 63 };

/**
 * Expected alpha in dollars of holding `notional` of a name with combined
 * score `score` (0..100) over the horizon:
 * alpha = (score - 50) / 50 x annualAlpha x horizonDays / 252 x notional.
 * A score of 50 (no view) expects 0; NaN score -> 0.
 *
 * @example
 *   expectedAlpha(75, 10_000) // 0.5 x 0.04 x 0.25 x 10000 = 50
 */
export function expectedAlpha(score: number, notional: number, policy: AlphaPolicy = DEFAULT_ALPHA_POLICY): number {
  if (!Number.isFinite(score)) return 0;
  return ((score - 50) / 50) * policy.annualAlpha * (policy.horizonDays / 252) * notional;
}

/**
 * Net alpha of a buy: expectedAlpha - 2 x its cost (round trip: the later
 * exit is assumed to cost what the entry costs). Buys are proposed only when
 * this is > 0. Sells are not filtered: a sell only exists to leave a name the
 * model no longer rates buy or to bring a position back under its cap, and
 * blocking it would let the portfolio drift outside the caps.
 */
export function buyNetAlpha(score: number, order: Pick<Order, 'notional' | 'cost'>, policy: AlphaPolicy = DEFAULT_ALPHA_POLICY): number {
  return expectedAlpha(score, order.notional, policy) - 2 * order.cost.total;
}

/** A held position as stored. */
export interface HeldPosition {
  symbol: string;
  shares: number;
  avgCost: number;
  lastPrice: number;
  lastPriceDate: string;
  sector: string | null;
}

export interface DaySignal {
  symbol: string;
  sector: string | null;
  signal: Recommendation;
  score: number;
}

export interface DueDividend {
  symbol: string;
  exDate: string;
  amount: number;
}

export interface RebalanceDayInput {
  date: string;
  cash: number;
  positions: readonly HeldPosition[];
  /** The day's close per symbol; a held symbol missing here keeps its last price and is flagged. */
  prices: Readonly<Record<string, number>>;
  /** The day's signals; empty = no signals, so no trades. */
  signals: readonly DaySignal[];
  /** Dividends of held symbols whose ex-date fell since the last snapshot. */
  dividends: readonly DueDividend[];
  minTradeValue: number;
  allocationPolicy?: Partial<AllocationPolicy>;
  costModel?: CostModel;
  alphaPolicy?: AlphaPolicy;
  /** Frequency and no-trade band (default DEFAULT_REBALANCE_POLICY). */
  rebalancePolicy?: Partial<RebalancePolicy>;
  /** The account's last rebalance day (a day with an outcome in REBALANCED_OUTCOMES); null or absent = none, so the day is due. */
  lastRebalanceDate?: string | null;
}

export interface PlannedOrder extends Order {
  /** Combined score of the symbol today (50 when it has no signal). */
  score: number;
  expectedAlpha: number;
  /** Buys: expectedAlpha - 2 cost; sells: expectedAlpha of leaving (-alpha of holding) - cost. Informational for sells. */
  netAlpha: number;
}

export interface RejectedTrade {
  symbol: string;
  side: 'buy' | 'sell';
  shares: number;
  notional: number;
  reason: 'min_trade_value' | 'insufficient_cash' | 'net_alpha' | 'share_price_above_allocation';
  netAlpha?: number;
  /** share_price_above_allocation: the target weight, its dollars (weight x account value) and one share's price. */
  targetWeight?: number;
  allocation?: number;
  price?: number;
}

export interface BookedDividend {
  symbol: string;
  exDate: string;
  amountPerShare: number;
  shares: number;
  cash: number;
  /** Shares bought with the cash at the day's close (0 when the symbol has no price today: the cash stays). */
  reinvestedShares: number;
}

export interface TargetWeight {
  symbol: string;
  sector: string | null;
  signal: Recommendation;
  score: number;
  weight: number;
  capped: boolean;
}

export interface MarkedPosition extends HeldPosition {
  /** Price used for the valuation (today's close, or the last price when stale). */
  price: number;
  priceDate: string;
  marketValue: number;
  stale: boolean;
}

export type RebalanceOutcome = 'traded' | 'no_signals' | 'no_trades' | 'capital_too_small' | 'not_due';

/**
 * The outcomes of a rebalance day (targets evaluated, whether or not
 * anything traded): the rebalance frequency counts from the last of them.
 * A day without signals or not due is no rebalance. (The portfolio repo's
 * `lastRebalanceDate` query lists the same values.)
 */
export const REBALANCED_OUTCOMES: readonly RebalanceOutcome[] = ['traded', 'no_trades', 'capital_too_small'];

export interface RebalanceDay {
  date: string;
  outcome: RebalanceOutcome;
  infeasible: boolean;
  infeasibleReason: string | null;
  /** Held symbols without a price today (kept at their last price, not traded). */
  stale: string[];
  /** Signalled symbols without a price today (not bought). */
  unpriced: string[];
  dividends: BookedDividend[];
  allocation: Allocation | null;
  targets: TargetWeight[];
  orders: PlannedOrder[];
  rejected: RejectedTrade[];
  /** Targeted or held names inside their no-trade band: left alone today. */
  inBand: string[];
  /** The policy the day ran with. */
  rebalancePolicy: RebalancePolicy;
  before: { cash: number; positionsValue: number; totalValue: number };
  after: { cash: number; positionsValue: number; totalValue: number; positions: MarkedPosition[] };
  costs: number;
  dividendCash: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Run one rebalance day. Order of events: dividends (cash += shares x
 * amount, then reinvested at today's close as fractional shares with no
 * cost), marking, targets (pension allocation over the signals; symbols
 * without a price are dropped; held symbols without a price are frozen and
 * the other targets rescaled so they still apply to the whole account),
 * the no-trade band (applyNoTradeBand), generateOrders, the net-alpha
 * filter on buys, fills (sells first). A day that is not a rebalance day
 * (isRebalanceDue(date, lastRebalanceDate, frequency) false) only books
 * dividends and marks: outcome 'not_due', no targets, no trades, sells
 * included (a name whose target became 0 is sold at the next rebalance
 * day, as in the backtest). A target with no holding whose one share costs
 * more than its allocation (weight x account value) is listed under
 * rejected with reason 'share_price_above_allocation'.
 *
 * Accounting identity (checked by the property test): after.totalValue +
 * costs = before.totalValue + sum(prev shares x (price - lastPrice)) +
 * dividendCash, where `before` is marked at the previous prices.
 */
export function rebalanceDay(input: RebalanceDayInput): RebalanceDay {
  const costModel = input.costModel ?? DEFAULT_COST_MODEL;
  const policy = resolveRebalancePolicy(input.rebalancePolicy);
  const due = isRebalanceDue(input.date, input.lastRebalanceDate ?? null, policy.frequency);
  const alphaPolicy = input.alphaPolicy ?? DEFAULT_ALPHA_POLICY;
  const priceOf = (s: string) => {
    const p = input.prices[s];
    return p !== undefined && Number.isFinite(p) && p > 0 ? p : undefined;
  };
  const held = new Map(input.positions.filter((p) => p.shares > 0).map((p) => [p.symbol, p]));
  const before = {
    cash: input.cash,
    positionsValue: sum([...held.values()].map((p) => p.shares * p.lastPrice)),
    totalValue: 0,
  };
  before.totalValue = before.cash + before.positionsValue;

  let state: PortfolioState = {
    cash: input.cash,
    positions: Object.fromEntries([...held.values()].map((p) => [p.symbol, { shares: p.shares, avgCost: p.avgCost }])),
    realizedPnl: 0,
    fees: 0,
  };

  const dividends: BookedDividend[] = [];
  for (const d of [...input.dividends].sort((a, b) => a.exDate.localeCompare(b.exDate) || a.symbol.localeCompare(b.symbol))) {
    const shares = state.positions[d.symbol]?.shares ?? 0;
    if (!(shares > 0) || !(d.amount > 0)) continue;
    const cash = shares * d.amount;
    state = { ...state, cash: state.cash + cash };
    const p = priceOf(d.symbol);
    let reinvestedShares = 0;
    if (p !== undefined) {
      reinvestedShares = cash / p;
      state = applyFill(state, { symbol: d.symbol, side: 'buy', shares: reinvestedShares, price: p, cost: 0 });
    }
    dividends.push({ symbol: d.symbol, exDate: d.exDate, amountPerShare: d.amount, shares, cash, reinvestedShares });
  }

  const stale = [...held.keys()].filter((s) => priceOf(s) === undefined).sort();
  const staleSet = new Set(stale);
  const mark = (s: string) => priceOf(s) ?? held.get(s)!.lastPrice;
  const valueOf = (st: PortfolioState, symbols: (s: string) => boolean) =>
    sum(
      Object.entries(st.positions)
        .filter(([s]) => symbols(s))
        .map(([s, p]) => p.shares * mark(s)),
    );

  const signals = [...input.signals].sort((a, b) => a.symbol.localeCompare(b.symbol));
  const scoreOf = new Map(signals.map((s) => [s.symbol, s.score]));
  const unpriced = signals
    .filter((s) => (s.signal === 'strong_buy' || s.signal === 'buy') && priceOf(s.symbol) === undefined)
    .map((s) => s.symbol);
  let allocation: Allocation | null = null;
  let targets: TargetWeight[] = [];
  let orders: PlannedOrder[] = [];
  const rejected: RejectedTrade[] = [];
  let inBand: string[] = [];
  let outcome: RebalanceOutcome = due ? 'no_signals' : 'not_due';

  if (due && signals.length > 0) {
    allocation = pensionAllocation(
      signals.map((s) => ({ symbol: s.symbol, sector: s.sector ?? 'Unknown', recommendation: s.signal })),
      input.allocationPolicy,
    );
    const capped = new Set(allocation.cappedSymbols);
    targets = signals
      .filter((s) => (allocation!.weights[s.symbol] ?? 0) > 0)
      .map((s) => ({
        symbol: s.symbol,
        sector: s.sector,
        signal: s.signal,
        score: s.score,
        weight: allocation!.weights[s.symbol],
        capped: capped.has(s.symbol),
      }));

    const tradeableValue = state.cash + valueOf(state, (s) => !staleSet.has(s));
    const totalValue = tradeableValue + valueOf(state, (s) => staleSet.has(s));
    const scale = tradeableValue > 0 ? totalValue / tradeableValue : 0;
    const weights: Record<string, number> = {};
    for (const t of targets) if (priceOf(t.symbol) !== undefined && !staleSet.has(t.symbol)) weights[t.symbol] = t.weight * scale;
    const wsum = sum(Object.values(weights));
    if (wsum > 1) for (const k of Object.keys(weights)) weights[k] /= wsum;

    const holdings: Record<string, number> = {};
    const prices: Record<string, number> = {};
    for (const [s, p] of Object.entries(state.positions)) {
      if (staleSet.has(s)) continue;
      holdings[s] = p.shares;
      prices[s] = priceOf(s)!;
    }
    for (const s of Object.keys(weights)) prices[s] = priceOf(s)!;
    const banded = applyNoTradeBand(weights, holdings, prices, state.cash, policy);
    inBand = banded.inBand;
    const plan = generateOrders({
      targetWeights: banded.weights,
      holdings,
      prices,
      cash: state.cash,
      minTradeValue: input.minTradeValue,
      costModel,
    });
    for (const k of plan.skipped) {
      rejected.push({
        symbol: k.symbol,
        side: k.shares < 0 ? 'sell' : 'buy',
        shares: Math.abs(k.shares),
        notional: k.notional,
        reason: k.notional < input.minTradeValue ? 'min_trade_value' : 'insufficient_cash',
      });
    }
    for (const o of plan.orders) {
      const score = scoreOf.get(o.symbol) ?? 50;
      if (o.side === 'buy') {
        const alpha = expectedAlpha(score, o.notional, alphaPolicy);
        const net = alpha - 2 * o.cost.total;
        if (net > 0) orders.push({ ...o, score, expectedAlpha: alpha, netAlpha: net });
        else rejected.push({ symbol: o.symbol, side: 'buy', shares: o.shares, notional: o.notional, reason: 'net_alpha', netAlpha: net });
      } else {
        const alpha = -expectedAlpha(score, o.notional, alphaPolicy);
        orders.push({ ...o, score, expectedAlpha: alpha, netAlpha: alpha - o.cost.total });
      }
    }
    // A target never held whose whole share exceeds its dollars truncates to 0 shares in generateOrders: say so.
    const named = new Set([...plan.orders.map((o) => o.symbol), ...rejected.map((r) => r.symbol), ...inBand]);
    for (const [s, w] of Object.entries(weights)) {
      const allocationDollars = w * plan.portfolioValue;
      if (named.has(s) || (holdings[s] ?? 0) > 0 || !(allocationDollars < prices[s])) continue;
      rejected.push({
        symbol: s,
        side: 'buy',
        shares: 0,
        notional: 0,
        reason: 'share_price_above_allocation',
        targetWeight: w,
        allocation: allocationDollars,
        price: prices[s],
      });
    }
    // sells first (generateOrders' order), so buys are paid from their proceeds
    orders = [...orders.filter((o) => o.side === 'sell'), ...orders.filter((o) => o.side === 'buy')];
    for (const o of orders)
      state = applyFill(state, { symbol: o.symbol, side: o.side, shares: o.shares, price: o.price, cost: o.cost.total });

    if (orders.length > 0) outcome = 'traded';
    else {
      const tooSmall =
        targets.length > 0 &&
        targets.every((t) => {
          const p = priceOf(t.symbol);
          return p === undefined || t.weight * totalValue < Math.max(input.minTradeValue, p);
        });
      outcome = tooSmall && Object.keys(holdings).length === 0 ? 'capital_too_small' : 'no_trades';
    }
  }

  const positions: MarkedPosition[] = Object.keys(state.positions)
    .sort()
    .map((s) => {
      const p = state.positions[s];
      const prev = held.get(s);
      const price = mark(s) ?? NaN;
      const isStale = staleSet.has(s);
      return {
        symbol: s,
        shares: p.shares,
        avgCost: p.avgCost,
        sector: prev?.sector ?? signals.find((x) => x.symbol === s)?.sector ?? null,
        lastPrice: price,
        lastPriceDate: isStale ? prev!.lastPriceDate : input.date,
        price,
        priceDate: isStale ? prev!.lastPriceDate : input.date,
        marketValue: p.shares * price,
        stale: isStale,
      };
    });
  const positionsValue = sum(positions.map((p) => p.marketValue));
  const infeasible = allocation !== null && !allocation.feasible;
  return {
    date: input.date,
    outcome,
    infeasible,
    infeasibleReason: infeasible ? (allocation!.note ?? 'caps infeasible') : null,
    stale,
    unpriced,
    dividends,
    allocation,
    targets,
    orders,
    rejected,
    inBand,
    rebalancePolicy: policy,
    before,
    after: { cash: state.cash, positionsValue, totalValue: state.cash + positionsValue, positions },
    costs: state.fees,
    dividendCash: sum(dividends.map((d) => d.cash)),
  };
}
