/**
 * The Alpaca adapter of the broker port: Trading API v2 over plain fetch
 * (orders, account, positions, clock) with every response checked by zod at
 * the boundary, and the `trade_updates` stream (alpaca-stream.ts) kept alive
 * across drops.
 *
 * Failures: 429, 5xx and network errors retry with exponential backoff
 * (honouring Retry-After), a bounded number of times, then surface as a
 * retryable BrokerError; 401/403/404/422 fail at once, not retryable. Every
 * message names the endpoint and the HTTP status; the keys are sent only as
 * headers and the stream's auth message, and are masked out of any text the
 * venue sends back.
 *
 * Exactly once: `submitOrder` carries our idempotency key as
 * `client_order_id`; a retried POST the venue had already accepted comes back
 * 422 (duplicate), and the existing order is returned from
 * `orders:by_client_order_id`. Nothing missed: after the stream reconnects,
 * orders submitted since shortly before the drop, and every order we were
 * still watching, are fetched; whatever changed unseen (a fill, a cancel) is
 * delivered to the listeners as the update the stream would have sent (fills
 * with the quantity and average price of the missed executions), and a late
 * duplicate from the stream is dropped.
 */
import { z } from 'zod';
import { AlpacaTradeStream } from './alpaca-stream';
import {
  BrokerError,
  FINAL_ORDER_STATUSES,
  type Broker,
  type BrokerAccount,
  type BrokerOrder,
  type BrokerOrderStatus,
  type BrokerPosition,
  type ListOrdersFilter,
  type MarketClock,
  type OrderRequest,
  type TradeUpdate,
} from './types';

export interface AlpacaBrokerOptions {
  /** REST base, e.g. https://paper-api.alpaca.markets (see src/config/broker-select.ts). */
  baseUrl: string;
  /** trade_updates WebSocket, e.g. wss://paper-api.alpaca.markets/stream. */
  streamUrl: string;
  keyId: string;
  secretKey: string;
  /** Retries after the first attempt on 429/5xx/network. Default 3. */
  maxRetries?: number;
  /** First retry delay; doubles per retry. Default 250 ms. */
  retryBaseMs?: number;
  /** Longest single wait (also caps Retry-After). Default 5 s. */
  retryMaxMs?: number;
  /** Per-request timeout. Default 10 s. */
  requestTimeoutMs?: number;
  /** Stream reconnect backoff: first delay, longest delay. Defaults 250 ms, 30 s. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  pingIntervalMs?: number;
  /**
   * With listeners, an order submitted before the stream has first listened
   * waits at most this long for it (once), so its own updates come from the
   * stream; later, while the stream is down, orders go at once and the
   * catch-up after the reconnect reports them. Default 5 s.
   */
  streamReadyTimeoutMs?: number;
  /** After a reconnect, fetch orders submitted from this long before the drop. Default 60 s. */
  catchUpSlackMs?: number;
  /** Orders per page of the catch-up (Alpaca's maximum, 500, by default; tests page with less). */
  catchUpPageSize?: number;
  /** Where stream drops, reconnects and catch-up failures are reported. Never given a key. */
  log?: (level: 'info' | 'warn', message: string) => void;
}

// ---- response shapes (Alpaca sends numbers as strings) ----------------------

const decimal = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)
    .transform(Number),
]);
const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');

const orderBase = z.looseObject({
  id: z.string().min(1),
  client_order_id: z.string(),
  symbol: z.string().min(1),
  side: z.enum(['buy', 'sell']),
  qty: decimal.nullable(),
  type: z.string(),
  limit_price: decimal.nullable().optional(),
  stop_price: decimal.nullable().optional(),
  status: z.string(),
  filled_qty: decimal,
  filled_avg_price: decimal.nullable().optional(),
  submitted_at: time.nullable().optional(),
  created_at: time,
  updated_at: time.nullable().optional(),
});
/** An order; legs are one level deep (Alpaca never nests them further). */
export const alpacaOrderSchema = orderBase.extend({ legs: z.array(orderBase).nullable().optional() });
type AlpacaOrder = z.infer<typeof orderBase> & { legs?: Array<z.infer<typeof orderBase>> | null };

export const alpacaAccountSchema = z.looseObject({
  currency: z.string().min(1),
  cash: decimal,
  equity: decimal,
  buying_power: decimal,
  status: z.string(),
  trading_blocked: z.boolean(),
  account_blocked: z.boolean(),
  trade_suspended_by_user: z.boolean().optional(),
});

export const alpacaPositionSchema = z.looseObject({
  symbol: z.string().min(1),
  qty: decimal,
  side: z.enum(['long', 'short']),
  avg_entry_price: decimal,
  current_price: decimal.nullable(),
  market_value: decimal.nullable(),
});

export const alpacaClockSchema = z.looseObject({ timestamp: time, is_open: z.boolean(), next_open: time, next_close: time });

export const alpacaTradeUpdateSchema = z.looseObject({
  event: z.string(),
  order: alpacaOrderSchema,
  timestamp: time.optional(),
  price: decimal.nullable().optional(),
  qty: decimal.nullable().optional(),
  execution_id: z.string().nullable().optional(),
});

const errorBodySchema = z.looseObject({ code: z.number().optional(), message: z.string().optional() });

// ---- mapping ----------------------------------------------------------------

/** An ISO time in UTC, keeping the venue's sub-millisecond digits (so `after` filters stay exact). */
export function toUtcIso(text: string): string {
  if (/Z$/i.test(text)) return text.replace(/z$/, 'Z');
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  const iso = new Date(Date.parse(text)).toISOString();
  return fraction.length > 3 ? `${iso.slice(0, 20)}${fraction}Z` : iso;
}

const STATUS: Record<string, BrokerOrderStatus> = {
  new: 'new',
  accepted: 'accepted',
  pending_new: 'pending_new',
  accepted_for_bidding: 'pending_new',
  // A bracket leg waits for its entry to fill; it is live but cannot fill yet.
  held: 'accepted',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
  // The old order of a replace can no longer fill.
  replaced: 'canceled',
  // Still able to fill until the venue confirms:
  pending_cancel: 'new',
  pending_replace: 'new',
  stopped: 'new',
  suspended: 'accepted',
  done_for_day: 'accepted',
};

function mapStatus(o: AlpacaOrder): BrokerOrderStatus {
  if (o.status === 'calculated') return o.qty !== null && o.filled_qty >= o.qty ? 'filled' : 'accepted';
  const s = STATUS[o.status];
  if (!s) throw new BrokerError('MalformedBrokerResponse', `Alpaca order ${o.id}: unknown status "${o.status}"`, false);
  return s;
}

function mapOrder(o: AlpacaOrder): BrokerOrder {
  const submitted = toUtcIso(o.submitted_at ?? o.created_at);
  return {
    id: o.id,
    clientOrderId: o.client_order_id,
    symbol: o.symbol,
    side: o.side,
    qty: o.qty ?? 0,
    type: o.type === 'market' || o.type === 'limit' ? o.type : 'stop',
    limitPrice: o.limit_price ?? null,
    stopPrice: o.stop_price ?? null,
    status: mapStatus(o),
    filledQty: o.filled_qty,
    filledAvgPrice: o.filled_avg_price ?? null,
    submittedAt: submitted,
    updatedAt: o.updated_at ? toUtcIso(o.updated_at) : submitted,
    legs: (o.legs ?? []).map((leg) => mapOrder(leg)),
  };
}

const TRADE_EVENTS = new Set<TradeUpdate['event']>(['new', 'fill', 'partial_fill', 'canceled', 'expired', 'rejected', 'replaced']);

/** Reject a request the venue would refuse anyway, without a round trip. */
function checkRequest(r: OrderRequest): void {
  const problems: string[] = [];
  if (!r.clientOrderId || r.clientOrderId.length > 48) problems.push('clientOrderId must be 1-48 characters');
  if (!r.symbol) problems.push('symbol is required');
  if (!Number.isInteger(r.qty) || r.qty <= 0) problems.push(`qty must be a whole number > 0 (got ${r.qty})`);
  if (r.type === 'limit' && !(typeof r.limitPrice === 'number' && r.limitPrice > 0))
    problems.push('limitPrice must be > 0 for a limit order');
  if (r.stopLoss !== undefined && !(r.stopLoss > 0)) problems.push('stopLoss must be > 0');
  if (r.takeProfit !== undefined && !(r.takeProfit > 0)) problems.push('takeProfit must be > 0');
  if (problems.length > 0)
    throw new BrokerError(
      'InvalidOrder',
      `order ${r.clientOrderId || '(no client id)'} for ${r.symbol || '?'}: ${problems.join('; ')}`,
      false,
    );
}

function orderBody(r: OrderRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    symbol: r.symbol,
    qty: String(r.qty),
    side: r.side,
    type: r.type,
    time_in_force: r.timeInForce,
    client_order_id: r.clientOrderId,
  };
  if (r.type === 'limit') body.limit_price = String(r.limitPrice);
  if (r.stopLoss !== undefined || r.takeProfit !== undefined) {
    // Both legs: a bracket; one leg: one-triggers-other (Alpaca refuses a bracket with one leg).
    body.order_class = r.stopLoss !== undefined && r.takeProfit !== undefined ? 'bracket' : 'oto';
    if (r.takeProfit !== undefined) body.take_profit = { limit_price: String(r.takeProfit) };
    if (r.stopLoss !== undefined) body.stop_loss = { stop_price: String(r.stopLoss) };
  }
  return body;
}

/** How many pages of orders a catch-up reads at most (10,000 orders at Alpaca's page size). */
const CATCH_UP_MAX_PAGES = 20;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Delivered {
  status: BrokerOrderStatus;
  filledQty: number;
  /** filledQty x filledAvgPrice as last delivered, to price the fills a catch-up finds. */
  notional: number;
}

/**
 * @example
 *   const broker = createAlpacaBroker({ baseUrl: 'https://paper-api.alpaca.markets', streamUrl: 'wss://paper-api.alpaca.markets/stream', keyId, secretKey });
 *   const stop = broker.onTradeUpdate((u) => console.log(u.event, u.order.id));
 *   await broker.submitOrder({ clientOrderId: 'k1', symbol: 'AAPL', side: 'buy', qty: 1, type: 'market', timeInForce: 'day' });
 */
export function createAlpacaBroker(opts: AlpacaBrokerOptions): Broker {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const maxRetries = opts.maxRetries ?? 3;
  const retryBaseMs = opts.retryBaseMs ?? 250;
  const retryMaxMs = opts.retryMaxMs ?? 5_000;
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const log = opts.log ?? (() => undefined);
  const headers = { 'APCA-API-KEY-ID': opts.keyId, 'APCA-API-SECRET-KEY': opts.secretKey };
  /** Mask the keys in any text that came from outside (an error body, a network error). */
  const scrub = (text: string) =>
    [opts.keyId, opts.secretKey]
      .filter((s) => s.length >= 4)
      .reduce((t, s) => t.split(s).join('***'), text)
      .slice(0, 300);

  function httpError(endpoint: string, status: number, venueMessage: string, attempts: number): BrokerError {
    const detail = `Alpaca ${endpoint}: HTTP ${status}${venueMessage ? ` (${scrub(venueMessage)})` : ''}${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
    if (status === 429) return new BrokerError('BrokerRateLimited', detail, true, status);
    if (status >= 500) return new BrokerError('BrokerUnavailable', detail, true, status);
    if (status === 401) return new BrokerError('BrokerUnauthorized', `${detail}; check ALPACA_API_KEY / ALPACA_SECRET_KEY`, false, status);
    if (status === 403) return new BrokerError('BrokerForbidden', detail, false, status);
    if (status === 404) return new BrokerError(endpoint.includes('/v2/orders') ? 'OrderNotFound' : 'BrokerNotFound', detail, false, status);
    if (status === 422 && endpoint.startsWith('DELETE')) return new BrokerError('OrderNotCancelable', detail, false, status);
    return new BrokerError('BrokerRejected', detail, false, status);
  }

  /**
   * One REST call with bounded retries. `endpoint` names it in errors
   * (`GET /v2/orders/{id}`); 404 gives null when `nullOn404`.
   */
  async function call<T>(
    method: string,
    path: string,
    schema: z.ZodType<T> | null,
    extra: { body?: unknown; nullOn404?: boolean; endpoint?: string } = {},
  ): Promise<T | null> {
    const endpoint = `${method} ${extra.endpoint ?? path.split('?')[0]}`;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: extra.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Read the body inside the try: a connection cut mid-body is a network error, not a malformed answer.
        text = await res.text();
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name ?? 'error';
        if (attempt <= maxRetries) {
          await sleep(Math.min(retryBaseMs * 2 ** (attempt - 1), retryMaxMs));
          continue;
        }
        throw new BrokerError(
          'BrokerNetwork',
          `Alpaca ${endpoint}: network error (${scrub(String(cause))}) after ${attempt} attempts`,
          true,
        );
      }
      const json = (() => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return undefined;
        }
      })();
      if (res.ok) {
        if (schema === null) return null;
        if (json === undefined) {
          throw new BrokerError(
            'MalformedBrokerResponse',
            `Alpaca ${endpoint}: HTTP ${res.status} with a body that is not JSON`,
            false,
            res.status,
          );
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
          throw new BrokerError(
            'MalformedBrokerResponse',
            `Alpaca ${endpoint}: unexpected response shape (${issues.join('; ')})`,
            false,
            res.status,
          );
        }
        return parsed.data;
      }
      if (res.status === 404 && extra.nullOn404) return null;
      const body = errorBodySchema.safeParse(json);
      const venueMessage = body.success && body.data.message ? body.data.message : text.slice(0, 120);
      const retryable = res.status === 429 || res.status >= 500;
      if (retryable && attempt <= maxRetries) {
        const after = Number(res.headers.get('retry-after'));
        const wait = Number.isFinite(after) && after > 0 ? after * 1000 : retryBaseMs * 2 ** (attempt - 1);
        await sleep(Math.min(wait, retryMaxMs));
        continue;
      }
      throw httpError(endpoint, res.status, venueMessage, attempt);
    }
  }

  // ---- trade updates: listeners, the stream, and catching up after a drop ----

  const listeners = new Set<(u: TradeUpdate) => void>();
  const delivered = new Map<string, Delivered>();
  /** Orders that may still change: submitted here or seen on the stream, not yet delivered final. */
  const watched = new Set<string>();
  let disconnectedAt: number | null = null;
  let catchUpTimer: NodeJS.Timeout | null = null;
  let closed = false;
  /** The start-up wait for the stream timed out once; never block an order on it again. */
  let readyWaitedOnce = false;

  const deliver = (update: TradeUpdate) => {
    const o = update.order;
    delivered.set(o.id, { status: o.status, filledQty: o.filledQty, notional: o.filledQty * (o.filledAvgPrice ?? 0) });
    // Bounded memory: forget the oldest orders (a catch-up only looks back minutes).
    if (delivered.size > 20_000) delivered.delete(delivered.keys().next().value!);
    if (FINAL_ORDER_STATUSES.has(o.status)) watched.delete(o.id);
    else watched.add(o.id);
    for (const l of listeners) {
      try {
        l(update);
      } catch (err) {
        log('warn', `trade update listener failed: ${(err as Error).message}`);
      }
    }
  };

  /** Deliver a stream event unless a catch-up already delivered what it says. */
  const onStreamData = (data: unknown) => {
    const parsed = alpacaTradeUpdateSchema.safeParse(data);
    if (!parsed.success) return log('warn', `trade_updates: unexpected message shape (${parsed.error.issues[0]?.message})`);
    const u = parsed.data;
    if (!TRADE_EVENTS.has(u.event as TradeUpdate['event'])) return;
    let order: BrokerOrder;
    try {
      order = mapOrder(u.order);
    } catch (err) {
      return log('warn', (err as Error).message);
    }
    const prev = delivered.get(order.id);
    const event = u.event as TradeUpdate['event'];
    if (prev) {
      if ((event === 'fill' || event === 'partial_fill') && order.filledQty <= prev.filledQty) return;
      if (event === 'new') return;
      if ((event === 'canceled' || event === 'expired' || event === 'rejected') && prev.status === order.status) return;
    }
    deliver({
      event,
      order,
      price: u.price ?? undefined,
      qty: u.qty ?? undefined,
      executionId: u.execution_id ?? undefined,
      timestamp: toUtcIso(u.timestamp ?? order.updatedAt),
    });
  };

  /** What the stream would have said about `o`, given what was delivered before the drop. */
  const catchUpOne = (o: BrokerOrder) => {
    const prev = delivered.get(o.id);
    const prevQty = prev?.filledQty ?? 0;
    if (o.filledQty > prevQty) {
      const qty = o.filledQty - prevQty;
      const price = ((o.filledAvgPrice ?? 0) * o.filledQty - (prev?.notional ?? 0)) / qty;
      deliver({
        event: o.status === 'filled' ? 'fill' : 'partial_fill',
        order: o,
        price,
        qty,
        executionId: `catchup-${o.id}-${o.filledQty}`,
        timestamp: o.updatedAt,
      });
    } else if ((o.status === 'canceled' || o.status === 'expired' || o.status === 'rejected') && prev?.status !== o.status) {
      deliver({ event: o.status, order: o, timestamp: o.updatedAt });
    } else if (!prev && !FINAL_ORDER_STATUSES.has(o.status)) {
      deliver({ event: 'new', order: o, timestamp: o.updatedAt });
    }
  };

  /** Every order submitted after `after`, oldest first, page by page (Alpaca returns at most 500 per call). */
  const ordersSince = async (after: string): Promise<BrokerOrder[]> => {
    const pageSize = opts.catchUpPageSize ?? 500;
    const out: BrokerOrder[] = [];
    for (let cursor = after, page = 0; page < CATCH_UP_MAX_PAGES; page++) {
      const q = new URLSearchParams({ status: 'all', direction: 'asc', nested: 'true', limit: String(pageSize), after: cursor });
      const batch = (await call('GET', `/v2/orders?${q}`, z.array(alpacaOrderSchema)))!.map(mapOrder);
      out.push(...batch);
      if (batch.length < pageSize) return out;
      cursor = batch[batch.length - 1].submittedAt;
    }
    log('warn', `trade_updates: catch-up stopped after ${CATCH_UP_MAX_PAGES * pageSize} orders`);
    return out;
  };

  const catchUp = async (): Promise<void> => {
    if (disconnectedAt === null || closed) return;
    const since = disconnectedAt - (opts.catchUpSlackMs ?? 60_000);
    try {
      const recent = await ordersSince(new Date(since).toISOString());
      const seen = new Map<string, BrokerOrder>();
      for (const o of recent) for (const x of [o, ...o.legs]) seen.set(x.id, x);
      for (const id of [...watched]) {
        if (seen.has(id)) continue;
        const o = await api.getOrder(id);
        if (o) seen.set(id, o);
      }
      // Oldest first, entries before their legs, as the stream would have told it.
      for (const o of [...seen.values()].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))) catchUpOne(o);
      log('info', `trade_updates: caught up on ${seen.size} orders after the reconnect`);
      disconnectedAt = null;
    } catch (err) {
      log('warn', `trade_updates: catch-up after reconnect failed, retrying: ${(err as Error).message}`);
      if (!closed) catchUpTimer = setTimeout(() => void catchUp(), opts.reconnectBaseMs ?? 250);
    }
  };

  const stream = new AlpacaTradeStream({
    url: opts.streamUrl,
    keyId: opts.keyId,
    secretKey: opts.secretKey,
    reconnectBaseMs: opts.reconnectBaseMs,
    reconnectMaxMs: opts.reconnectMaxMs,
    pingIntervalMs: opts.pingIntervalMs,
    onUpdate: onStreamData,
    onDown: (reason) => {
      disconnectedAt ??= Date.now();
      log('warn', `trade_updates stream ${reason}; reconnecting`);
    },
    onUnauthorized: () => log('warn', 'trade_updates stream: the venue refused the keys; check ALPACA_API_KEY / ALPACA_SECRET_KEY'),
    onReady: (reconnected) => {
      if (reconnected) log('info', 'trade_updates stream listening again');
      // disconnectedAt is set by a drop, or by an order submitted while the stream was not listening.
      if (disconnectedAt !== null) void catchUp();
    },
  });

  const api: Broker = {
    name: 'alpaca',

    async submitOrder(request) {
      checkRequest(request);
      if (listeners.size > 0 && !stream.isListening) {
        // Someone listens: at start-up let the stream listen first, so this order's own updates come from it.
        if (!readyWaitedOnce && !stream.hasListened) readyWaitedOnce = !(await stream.ready(opts.streamReadyTimeoutMs ?? 5_000));
        // Still deaf (down, or never up): the catch-up after the next connect reports this order.
        if (!stream.isListening) disconnectedAt ??= Date.now();
      }
      let order: BrokerOrder;
      try {
        order = mapOrder((await call('POST', '/v2/orders', alpacaOrderSchema, { body: orderBody(request) }))!);
      } catch (err) {
        if (!(err instanceof BrokerError && err.status === 422)) throw err;
        // A duplicate client_order_id (a repeat, or a retry of a POST that did land): the existing order.
        const existing = await api.getOrderByClientId(request.clientOrderId);
        if (!existing) throw err;
        order = existing;
      }
      if (!FINAL_ORDER_STATUSES.has(order.status)) watched.add(order.id);
      return order;
    },

    async cancelOrder(orderId) {
      await call('DELETE', `/v2/orders/${encodeURIComponent(orderId)}`, null, { endpoint: '/v2/orders/{id}' });
    },

    async getOrder(orderId) {
      const o = await call('GET', `/v2/orders/${encodeURIComponent(orderId)}?nested=true`, alpacaOrderSchema, {
        nullOn404: true,
        endpoint: '/v2/orders/{id}',
      });
      return o ? mapOrder(o) : null;
    },

    async getOrderByClientId(clientOrderId) {
      const o = await call('GET', `/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(clientOrderId)}`, alpacaOrderSchema, {
        nullOn404: true,
      });
      return o ? mapOrder(o) : null;
    },

    async listOrders(filter: ListOrdersFilter = {}) {
      const q = new URLSearchParams({ status: filter.status ?? 'open', direction: 'desc', nested: 'true' });
      if (filter.after) q.set('after', filter.after);
      if (filter.limit !== undefined) q.set('limit', String(filter.limit));
      const os = await call('GET', `/v2/orders?${q}`, z.array(alpacaOrderSchema));
      return os!.map(mapOrder);
    },

    async getAccount(): Promise<BrokerAccount> {
      const a = (await call('GET', '/v2/account', alpacaAccountSchema))!;
      return {
        cash: a.cash,
        equity: a.equity,
        buyingPower: a.buying_power,
        currency: a.currency,
        tradingBlocked: a.trading_blocked || a.account_blocked || a.trade_suspended_by_user === true || a.status !== 'ACTIVE',
      };
    },

    async listPositions(): Promise<BrokerPosition[]> {
      const ps = (await call('GET', '/v2/positions', z.array(alpacaPositionSchema)))!;
      return ps.map((p) => {
        const qty = p.side === 'short' ? -Math.abs(p.qty) : Math.abs(p.qty);
        const currentPrice = p.current_price ?? p.avg_entry_price;
        return { symbol: p.symbol, qty, avgEntryPrice: p.avg_entry_price, currentPrice, marketValue: p.market_value ?? qty * currentPrice };
      });
    },

    async getClock(): Promise<MarketClock> {
      const c = (await call('GET', '/v2/clock', alpacaClockSchema))!;
      return { timestamp: toUtcIso(c.timestamp), isOpen: c.is_open, nextOpen: toUtcIso(c.next_open), nextClose: toUtcIso(c.next_close) };
    },

    onTradeUpdate(listener) {
      listeners.add(listener);
      if (!closed) stream.start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stream.stop();
      };
    },

    async close() {
      closed = true;
      if (catchUpTimer) clearTimeout(catchUpTimer);
      listeners.clear();
      stream.stop();
    },
  };
  return api;
}
