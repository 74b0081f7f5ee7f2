/**
 * The broker port: what the execution service needs from a trading venue,
 * whichever it is (the local paper broker, Alpaca paper or live). One small
 * interface, one file per adapter, one contract suite (contract.ts) that every
 * adapter passes. Quantities are whole shares; prices are in the account
 * currency; times are ISO-8601 UTC strings.
 *
 * Idempotency lives here too: `submitOrder` with a `clientOrderId` the venue
 * has already seen returns that order, never a second one, so a retry after a
 * crash cannot double an order.
 */
import { QuantError } from '../../domain/errors';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';
export type TimeInForce = 'day' | 'gtc';

/** Alpaca's order life cycle, which the paper broker follows too. */
export type BrokerOrderStatus = 'new' | 'accepted' | 'pending_new' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'rejected';

/** Statuses after which an order can no longer fill. */
export const FINAL_ORDER_STATUSES: ReadonlySet<BrokerOrderStatus> = new Set(['filled', 'canceled', 'expired', 'rejected']);

export interface OrderRequest {
  /** Our idempotency key; the venue keeps it as the order's client order id (at most 48 characters, Alpaca's limit). */
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  /** Whole shares, > 0. */
  qty: number;
  type: OrderType;
  /** Required for `limit`. */
  limitPrice?: number;
  timeInForce: TimeInForce;
  /** Bracket legs: a stop-loss and/or take-profit attached to the entry (Alpaca `order_class: bracket|oto`). */
  stopLoss?: number;
  takeProfit?: number;
}

export interface BrokerOrder {
  /** The venue's order id. */
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  type: OrderType | 'stop';
  limitPrice: number | null;
  stopPrice: number | null;
  status: BrokerOrderStatus;
  filledQty: number;
  filledAvgPrice: number | null;
  submittedAt: string;
  updatedAt: string;
  /** Bracket legs (take-profit limit, stop-loss stop), when the order has them. */
  legs: BrokerOrder[];
}

export interface BrokerAccount {
  cash: number;
  equity: number;
  buyingPower: number;
  currency: string;
  /** The venue refuses new orders (Alpaca `trading_blocked` / `account_blocked`). */
  tradingBlocked: boolean;
}

export interface BrokerPosition {
  symbol: string;
  /** Signed: negative for a short. */
  qty: number;
  avgEntryPrice: number;
  currentPrice: number;
  marketValue: number;
}

export interface MarketClock {
  timestamp: string;
  isOpen: boolean;
  nextOpen: string;
  nextClose: string;
}

/** One event of the venue's trade-update stream (Alpaca `trade_updates`). */
export interface TradeUpdate {
  event: 'new' | 'fill' | 'partial_fill' | 'canceled' | 'expired' | 'rejected' | 'replaced';
  order: BrokerOrder;
  /** For fills: this execution's price and quantity, and a unique id for it. */
  price?: number;
  qty?: number;
  executionId?: string;
  timestamp: string;
}

export interface ListOrdersFilter {
  status?: 'open' | 'closed' | 'all';
  /** Only orders submitted after this ISO time. */
  after?: string;
  limit?: number;
}

export interface Broker {
  /** The book's name in trading_orders.broker and broker_positions: 'paper', 'alpaca', or a second paper book's own name. */
  readonly name: string;
  /** Idempotent on `clientOrderId`: a repeat returns the existing order. */
  submitOrder(request: OrderRequest): Promise<BrokerOrder>;
  /** Cancel an open order (and its open legs). Cancelling a final order is a BrokerError with `type` 'OrderNotCancelable'. */
  cancelOrder(orderId: string): Promise<void>;
  getOrder(orderId: string): Promise<BrokerOrder | null>;
  getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null>;
  listOrders(filter?: ListOrdersFilter): Promise<BrokerOrder[]>;
  getAccount(): Promise<BrokerAccount>;
  listPositions(): Promise<BrokerPosition[]>;
  getClock(): Promise<MarketClock>;
  /** Subscribe to trade updates; returns the unsubscribe function. */
  onTradeUpdate(listener: (update: TradeUpdate) => void): () => void;
  /** Stop streams and timers. */
  close(): Promise<void>;
}

/**
 * A venue refused or failed a call. `status` is the HTTP status where there is
 * one; `retryable` is true for outages and rate limits (429, 5xx, network),
 * false for a refusal that repeats (403, 404, 422).
 */
export class BrokerError extends QuantError {
  constructor(
    readonly type: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}
