/**
 * The matching rules of the local paper venue, pure: what price an order
 * executes at, when a resting order fills, how a bracket's legs come alive
 * and cancel each other, when a day order expires, and what a fill does to a
 * position and to cash. The adapter (src/adapters/broker/paper.ts) keeps the
 * book, persists it and streams the events; every decision is made here.
 *
 * Simplifications, on purpose (a long-horizon model portfolio, not a
 * microstructure study): there is one last price per symbol and no order
 * book depth, so an order fills in full at once (no partial fills); fill
 * prices are not rounded to the tick size.
 *
 * Costs (reusing the project's cost model, costs.ts): an order that takes
 * liquidity (market, triggered stop, marketable limit) pays half the quoted
 * spread, a fixed slippage and the cost model's market impact in its price:
 *   price = last x (1 +/- (spreadBps / 2 + slippageBps + impactBps(N)) / 10^4),
 *   impactBps(N) = impactBpsPer1000 x N / 1000, N = qty x last,
 * (+ for buys, - for sells); commission and exchange fee are charged to cash
 * as fees (transactionCost's `commission + exchangeFee`). A limit order never
 * fills worse than its limit.
 */
import { transactionCost, type CostModel } from './costs';
import type { MarketHours, MarketSession } from './market-session';
import { marketSession } from './market-session';

export type Side = 'buy' | 'sell';
export type PaperOrderType = 'market' | 'limit' | 'stop';
/**
 * Alpaca's statuses, plus `held` for a bracket leg waiting for its entry to
 * fill. `accepted` is an order received while the market is closed, queued
 * until the open.
 */
export type PaperOrderStatus = 'accepted' | 'new' | 'held' | 'filled' | 'canceled' | 'expired' | 'rejected';
export type LegRole = 'take_profit' | 'stop_loss';

export const FINAL_PAPER_STATUSES: ReadonlySet<PaperOrderStatus> = new Set(['filled', 'canceled', 'expired', 'rejected']);

export interface PaperOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  qty: number;
  type: PaperOrderType;
  limitPrice: number | null;
  stopPrice: number | null;
  timeInForce: 'day' | 'gtc';
  status: PaperOrderStatus;
  filledQty: number;
  filledAvgPrice: number | null;
  /** Epoch ms. */
  submittedAt: number;
  updatedAt: number;
  /** A day order expires at this close (epoch ms); null for gtc orders and legs. */
  expiresAt: number | null;
  /** For a bracket leg: its entry order. */
  parentId: string | null;
  legRole: LegRole | null;
  /** Why the venue rejected it, when it did. */
  rejectReason: string | null;
}

export interface PaperCosts {
  /** Quoted spread in bps of the price; a liquidity taker pays half. */
  spreadBps: number;
  slippageBps: number;
  /** Commission, exchange fee and market impact come from here (its spreadBps is not used: the quoted spread above is). */
  costModel: CostModel;
}

export interface PaperFill {
  orderId: string;
  symbol: string;
  side: Side;
  qty: number;
  price: number;
  /** Commission + exchange fee, charged to cash. */
  fees: number;
  at: number;
}

export interface PriceTick {
  symbol: string;
  price: number;
  /** Epoch ms. */
  at: number;
}

/** One change the venue reports (Alpaca trade-update events). */
export interface BookEvent {
  event: 'new' | 'fill' | 'canceled' | 'expired' | 'rejected';
  orderId: string;
  fill?: PaperFill;
}

export interface BookChange {
  /** New states of the orders that changed, in the order they changed. */
  changed: PaperOrder[];
  fills: PaperFill[];
  events: BookEvent[];
}

/**
 * The price a liquidity-taking order of `qty` shares executes at when the
 * last price is `last` (formula at the top of this file). Buys pay more,
 * sells receive less; zero costs give `last`.
 *
 * @example
 *   takerPrice('buy', 100, 10, { spreadBps: 10, slippageBps: 0, costModel: { ...m, impactBpsPer1000: 0 } }); // 100.05
 */
export function takerPrice(side: Side, last: number, qty: number, costs: PaperCosts): number {
  const notional = qty * last;
  const bps = costs.spreadBps / 2 + costs.slippageBps + (costs.costModel.impactBpsPer1000 * notional) / 1000;
  const sign = side === 'buy' ? 1 : -1;
  return last * (1 + (sign * bps) / 1e4);
}

/** Commission plus exchange fee of a fill (the cost model's, costs.ts). */
export function fillFees(qty: number, price: number, costs: PaperCosts): number {
  const c = transactionCost(qty, price, costs.costModel);
  return c.commission + c.exchangeFee;
}

/**
 * The price `order` executes at if the last price is `last`, or null if it
 * does not execute:
 * - market: always, at the taker price;
 * - limit buy when last <= limit, at min(limit, taker price); limit sell when
 *   last >= limit, at max(limit, taker price) (the limit or better);
 * - stop sell when last <= stop, stop buy when last >= stop, at the taker
 *   price (a stop becomes a market order when triggered; a gap fills through it).
 * A touch (last exactly at the limit or stop) executes.
 */
export function executionPrice(
  order: Pick<PaperOrder, 'side' | 'type' | 'qty' | 'limitPrice' | 'stopPrice'>,
  last: number,
  costs: PaperCosts,
): number | null {
  const taker = takerPrice(order.side, last, order.qty, costs);
  switch (order.type) {
    case 'market':
      return taker;
    case 'limit': {
      const limit = order.limitPrice!;
      if (order.side === 'buy') return last <= limit ? Math.min(limit, taker) : null;
      return last >= limit ? Math.max(limit, taker) : null;
    }
    case 'stop': {
      const stop = order.stopPrice!;
      const triggered = order.side === 'buy' ? last >= stop : last <= stop;
      return triggered ? taker : null;
    }
  }
}

export interface PaperOrderRequest {
  clientOrderId: string;
  symbol: string;
  side: Side;
  qty: number;
  type: 'market' | 'limit';
  limitPrice?: number;
  timeInForce: 'day' | 'gtc';
  stopLoss?: number;
  takeProfit?: number;
}

const positive = (v: number | undefined) => v !== undefined && Number.isFinite(v) && v > 0;

/**
 * What is wrong with a request, naming the field, or null when it is fine.
 * Checks: client order id 1..48 characters, a symbol, whole shares > 0, a
 * positive finite limit price for a limit order (and none on a market order),
 * positive stop-loss and take-profit, and a bracket on the right side of its
 * reference price (the limit, else `last` when known): for a buy
 * stopLoss < reference < takeProfit, for a sell the reverse.
 */
export function orderRequestProblem(req: PaperOrderRequest, last: number | undefined): string | null {
  if (!req.clientOrderId || req.clientOrderId.length > 48)
    return `clientOrderId must be 1..48 characters, got ${JSON.stringify(req.clientOrderId)}`;
  if (!req.symbol) return 'symbol is empty';
  if (!Number.isInteger(req.qty) || req.qty <= 0) return `qty must be a whole number of shares > 0, got ${req.qty}`;
  if (req.side !== 'buy' && req.side !== 'sell') return `side must be buy or sell, got ${String(req.side)}`;
  if (req.type === 'limit' && !positive(req.limitPrice))
    return `limitPrice must be a positive price for a limit order, got ${req.limitPrice}`;
  if (req.type === 'market' && req.limitPrice !== undefined) return 'limitPrice is set on a market order';
  if (req.type !== 'market' && req.type !== 'limit') return `type must be market or limit, got ${String(req.type)}`;
  if (req.stopLoss !== undefined && !positive(req.stopLoss)) return `stopLoss must be a positive price, got ${req.stopLoss}`;
  if (req.takeProfit !== undefined && !positive(req.takeProfit)) return `takeProfit must be a positive price, got ${req.takeProfit}`;
  const ref = req.limitPrice ?? last;
  const below = req.side === 'buy' ? req.stopLoss : req.takeProfit;
  const above = req.side === 'buy' ? req.takeProfit : req.stopLoss;
  const belowName = req.side === 'buy' ? 'stopLoss' : 'takeProfit';
  const aboveName = req.side === 'buy' ? 'takeProfit' : 'stopLoss';
  if (below !== undefined && above !== undefined && below >= above)
    return `${belowName} ${below} must be below ${aboveName} ${above} for a ${req.side}`;
  if (ref !== undefined) {
    if (below !== undefined && below >= ref)
      return `${belowName} ${below} must be below the ${req.limitPrice !== undefined ? 'limit' : 'last'} price ${ref} for a ${req.side}`;
    if (above !== undefined && above <= ref)
      return `${aboveName} ${above} must be above the ${req.limitPrice !== undefined ? 'limit' : 'last'} price ${ref} for a ${req.side}`;
  }
  return null;
}

export interface AdmitContext {
  at: number;
  hours: MarketHours;
  outsideHours: 'queue' | 'reject';
  /** Ids for the entry and its legs (the adapter makes them; the domain has no randomness). */
  ids: { entry: string; stopLoss: string; takeProfit: string };
}

/**
 * The orders a valid request creates at time `at`: the entry, plus a
 * take-profit limit and a stop-loss stop on the opposite side, `held` until
 * the entry fills (one cancels the other once live). The entry is `new`
 * while the market is open; while closed it is `accepted` (queued until the
 * open) or `rejected`, as `outsideHours` says. A day order expires at the
 * close of the session it works in (none on a 24/7 venue); legs are gtc.
 * The events: `new` for an entry routed now, `rejected` for a rejection; a
 * queued order reports `new` when the open routes it (`stepBook`).
 */
export function admitOrder(req: PaperOrderRequest, ctx: AdmitContext): { orders: PaperOrder[]; events: BookEvent[] } {
  const session = marketSession(ctx.at, ctx.hours);
  const status: PaperOrderStatus = session.isOpen ? 'new' : ctx.outsideHours === 'queue' ? 'accepted' : 'rejected';
  const expiresAt =
    ctx.hours === 'always' || req.timeInForce === 'gtc'
      ? null
      : session.isOpen
        ? session.nextClose
        : marketSession(session.nextOpen, ctx.hours).nextClose;
  const base = {
    symbol: req.symbol,
    qty: req.qty,
    filledQty: 0,
    filledAvgPrice: null,
    submittedAt: ctx.at,
    updatedAt: ctx.at,
    rejectReason: status === 'rejected' ? 'the market is closed and this venue rejects orders outside market hours' : null,
  };
  const entry: PaperOrder = {
    ...base,
    id: ctx.ids.entry,
    clientOrderId: req.clientOrderId,
    side: req.side,
    type: req.type,
    limitPrice: req.type === 'limit' ? req.limitPrice! : null,
    stopPrice: null,
    timeInForce: req.timeInForce,
    status,
    expiresAt,
    parentId: null,
    legRole: null,
  };
  const exitSide: Side = req.side === 'buy' ? 'sell' : 'buy';
  const legStatus: PaperOrderStatus = status === 'rejected' ? 'rejected' : 'held';
  const leg = (role: LegRole, id: string, type: 'limit' | 'stop', price: number): PaperOrder => ({
    ...base,
    id,
    // Alpaca keeps legs' client ids of its own; ours are derived so they stay unique and traceable.
    clientOrderId: `${req.clientOrderId}:${role === 'take_profit' ? 'tp' : 'sl'}`,
    side: exitSide,
    type,
    limitPrice: type === 'limit' ? price : null,
    stopPrice: type === 'stop' ? price : null,
    timeInForce: 'gtc',
    status: legStatus,
    expiresAt: null,
    parentId: entry.id,
    legRole: role,
  });
  const orders = [entry];
  if (req.takeProfit !== undefined) orders.push(leg('take_profit', ctx.ids.takeProfit, 'limit', req.takeProfit));
  if (req.stopLoss !== undefined) orders.push(leg('stop_loss', ctx.ids.stopLoss, 'stop', req.stopLoss));
  const events: BookEvent[] =
    status === 'new' ? [{ event: 'new', orderId: entry.id }] : status === 'rejected' ? [{ event: 'rejected', orderId: entry.id }] : [];
  return { orders, events };
}

export interface StepContext {
  at: number;
  session: MarketSession;
  costs: PaperCosts;
}

/**
 * Advance the book by one instant: `orders` are the venue's open orders (any
 * symbols), `tick` the new last price of one symbol (or null for a clock
 * tick). In order:
 * 1. a day order whose `expiresAt` has passed (at >= expiresAt) expires; its
 *    held legs are canceled;
 * 2. while the session is open, queued (`accepted`) orders are routed (`new`);
 * 3. while open, every live order of the tick's symbol that the price
 *    executes (see `executionPrice`) fills in full; an entry's fill makes its
 *    legs live, but they only trade on later ticks (a bracket never exits on
 *    the price that opened it); a leg's fill cancels its sibling (OCO).
 * Returns the changed orders (copies), the fills and the events, in order.
 */
export function stepBook(orders: readonly PaperOrder[], tick: PriceTick | null, ctx: StepContext): BookChange {
  const book = new Map(orders.map((o) => [o.id, { ...o }]));
  const changed = new Map<string, PaperOrder>();
  const fills: PaperFill[] = [];
  const events: BookEvent[] = [];
  const set = (o: PaperOrder, patch: Partial<PaperOrder>) => {
    Object.assign(o, patch, { updatedAt: ctx.at });
    changed.delete(o.id);
    changed.set(o.id, o);
  };
  const legsOf = (parentId: string) => [...book.values()].filter((o) => o.parentId === parentId && !FINAL_PAPER_STATUSES.has(o.status));

  for (const o of book.values()) {
    if (o.expiresAt !== null && ctx.at >= o.expiresAt && (o.status === 'new' || o.status === 'accepted')) {
      set(o, { status: 'expired' });
      events.push({ event: 'expired', orderId: o.id });
      for (const l of legsOf(o.id)) {
        set(l, { status: 'canceled' });
        events.push({ event: 'canceled', orderId: l.id });
      }
    }
  }
  if (!ctx.session.isOpen) return { changed: [...changed.values()], fills, events };

  for (const o of book.values()) {
    if (o.status === 'accepted') {
      set(o, { status: 'new' });
      events.push({ event: 'new', orderId: o.id });
    }
  }
  if (!tick) return { changed: [...changed.values()], fills, events };

  const liveBefore = [...book.values()].filter((o) => o.status === 'new' && o.symbol === tick.symbol);
  for (const o of liveBefore) {
    if (o.status !== 'new') continue; // canceled by its sibling earlier in this step
    const price = executionPrice(o, tick.price, ctx.costs);
    if (price === null) continue;
    const fill: PaperFill = {
      orderId: o.id,
      symbol: o.symbol,
      side: o.side,
      qty: o.qty,
      price,
      fees: fillFees(o.qty, price, ctx.costs),
      at: ctx.at,
    };
    set(o, { status: 'filled', filledQty: o.qty, filledAvgPrice: price });
    fills.push(fill);
    events.push({ event: 'fill', orderId: o.id, fill });
    if (o.legRole === null) {
      for (const l of legsOf(o.id)) if (l.status === 'held') set(l, { status: 'new' });
    } else if (o.parentId !== null) {
      for (const sibling of legsOf(o.parentId)) {
        set(sibling, { status: 'canceled' });
        events.push({ event: 'canceled', orderId: sibling.id });
      }
    }
  }
  return { changed: [...changed.values()], fills, events };
}

/**
 * Cancel order `id` of `orders` (the order with its legs, at least) at `at`:
 * the order and its open legs become `canceled`. A final order cannot be
 * cancelled: returns 'not_cancelable'; an id not in `orders`: 'not_found'.
 */
export function cancelInBook(orders: readonly PaperOrder[], id: string, at: number): BookChange | 'not_found' | 'not_cancelable' {
  const target = orders.find((o) => o.id === id);
  if (!target) return 'not_found';
  if (FINAL_PAPER_STATUSES.has(target.status)) return 'not_cancelable';
  const targets = [target, ...orders.filter((o) => o.parentId === id && !FINAL_PAPER_STATUSES.has(o.status))];
  const changed = targets.map((o) => ({ ...o, status: 'canceled' as const, updatedAt: at }));
  return { changed, fills: [], events: changed.map((o) => ({ event: 'canceled' as const, orderId: o.id })) };
}

export interface PaperPosition {
  symbol: string;
  /** Signed: negative for a short. */
  qty: number;
  avgEntryPrice: number;
}

/**
 * The position after `fill`. Adding in the direction held (or opening)
 * averages the entry price by shares; reducing keeps the average; crossing
 * through zero opens the remainder at the fill price; flat gives null.
 *
 * @example
 *   applyFillToPosition({ symbol: 'A', qty: 10, avgEntryPrice: 100 }, { side: 'buy', qty: 10, price: 120, ... }); // qty 20, avg 110
 */
export function applyFillToPosition(
  pos: PaperPosition | null,
  fill: Pick<PaperFill, 'symbol' | 'side' | 'qty' | 'price'>,
): PaperPosition | null {
  const held = pos?.qty ?? 0;
  const delta = fill.side === 'buy' ? fill.qty : -fill.qty;
  const qty = held + delta;
  if (qty === 0) return null;
  if (held === 0 || Math.sign(held) === Math.sign(delta)) {
    const avg = held === 0 ? fill.price : (Math.abs(held) * pos!.avgEntryPrice + fill.qty * fill.price) / Math.abs(qty);
    return { symbol: fill.symbol, qty, avgEntryPrice: avg };
  }
  if (Math.sign(qty) === Math.sign(held)) return { symbol: fill.symbol, qty, avgEntryPrice: pos!.avgEntryPrice };
  return { symbol: fill.symbol, qty, avgEntryPrice: fill.price };
}

/** Cash after `fill`: a buy pays qty x price + fees, a sell receives qty x price - fees (short proceeds included: no margin model). */
export function cashAfterFill(cash: number, fill: Pick<PaperFill, 'side' | 'qty' | 'price' | 'fees'>): number {
  const notional = fill.qty * fill.price;
  return fill.side === 'buy' ? cash - notional - fill.fees : cash + notional - fill.fees;
}

/**
 * Cash left for new buys: cash minus what open buy entries (not legs) may
 * spend, each at its limit price, or at the last price for a market order
 * (0 when its symbol has no price yet). No margin: a cash account.
 */
export function buyingPower(cash: number, openOrders: readonly PaperOrder[], last: (symbol: string) => number | undefined): number {
  let reserved = 0;
  for (const o of openOrders) {
    if (o.side !== 'buy' || o.legRole !== null || FINAL_PAPER_STATUSES.has(o.status)) continue;
    reserved += (o.qty - o.filledQty) * (o.limitPrice ?? last(o.symbol) ?? 0);
  }
  return Math.max(0, cash - reserved);
}

/**
 * The most a buy request may cost: qty x (its limit, else the taker price at
 * `last`) plus fees; undefined for a market order without a price yet.
 */
export function estimatedBuyCost(
  req: Pick<PaperOrderRequest, 'qty' | 'limitPrice'>,
  last: number | undefined,
  costs: PaperCosts,
): number | undefined {
  const price = req.limitPrice ?? (last === undefined ? undefined : takerPrice('buy', last, req.qty, costs));
  if (price === undefined) return undefined;
  return req.qty * price + fillFees(req.qty, price, costs);
}
