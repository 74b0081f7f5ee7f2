/**
 * A loopback fake of Alpaca's Trading API v2 for tests: node http + ws on a
 * free port, serving the response shapes of Alpaca's API reference (orders,
 * account, positions and clock with numbers as strings, timestamps with
 * microseconds, errors as `{code, message}`) and the `trade_updates` stream
 * at /stream (auth, listen, binary frames as the paper venue sends them).
 *
 * Written from the reference, not from our adapter, so the adapter's zod
 * schemas are checked against an independent reading of the shapes. It is a
 * small venue too: market orders fill at the last price set with `setPrice`,
 * limit orders rest until a price crosses them, bracket/oto legs wait
 * ('held') until their entry fills and then trigger, one leg cancelling the
 * other. Faults: the next N requests (optionally matching a path) answer
 * 403/422/429/500 or drop the connection, and the stream can be dropped with
 * reconnects refused for a while. Events that happen while no client listens
 * are lost, as on the real venue.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeAlpacaOptions {
  keyId?: string;
  secretKey?: string;
  /** Starting cash (and equity). Default 100,000. */
  cash?: number;
  /** Default true: a 24/7 test venue. */
  marketOpen?: boolean;
}

export interface FakeFault {
  /**
   * HTTP status to answer; 'drop' destroys the socket before handling the
   * request (a network error); 'lose-response' handles it and then destroys
   * the socket instead of answering (the order landed, the client never heard);
   * 'cut-body' starts a 200 answer and cuts the connection halfway through its body.
   */
  status: number | 'drop' | 'lose-response' | 'cut-body';
  /** The error body's message (default: Alpaca's usual text for the status). */
  message?: string;
  /** Answer this JSON body instead of an error body (e.g. a malformed 200). */
  body?: unknown;
  /** Only requests whose `METHOD path` matches, e.g. /^POST \/v2\/orders$/. Default: any. */
  match?: RegExp;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

interface Order {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  type: 'market' | 'limit' | 'stop';
  limitPrice: number | null;
  stopPrice: number | null;
  timeInForce: string;
  orderClass: '' | 'simple' | 'bracket' | 'oto';
  status: string;
  filledQty: number;
  filledAvgPrice: number | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string;
  filledAt: string | null;
  canceledAt: string | null;
  /** Microseconds since the epoch of submittedAt, for `after`/`until` and ordering. */
  submittedUs: number;
  legs: Order[];
  parent: Order | null;
}

interface Position {
  qty: number;
  avgEntryPrice: number;
}

export interface FakeAlpacaServer {
  baseUrl: string;
  streamUrl: string;
  keyId: string;
  secretKey: string;
  /** Move the last price of `symbol`; resting orders and legs it crosses fill (and stream their events). */
  setPrice(symbol: string, price: number): void;
  setMarketOpen(open: boolean): void;
  /** Answer the next `count` matching requests with the fault instead. */
  failNext(count: number, fault: FakeFault): void;
  /** Close every stream connection abruptly; refuse new ones for `refuseMs` (default 0). */
  dropStream(refuseMs?: number): void;
  /**
   * Make every stream connection go silent without closing it (a half-open
   * TCP connection: no frames, no pongs); refuse new ones for `refuseMs`.
   * Only the client's ping timeout can notice.
   */
  freezeStream(refuseMs?: number): void;
  /** `METHOD path?query` of every HTTP request, in order. */
  readonly requests: string[];
  /** Stream clients that are authenticated and listening to trade_updates. */
  listeners(): number;
  /** Every frame the stream sent and every message it received (to check keys never travel elsewhere). */
  readonly streamLog: string[];
  close(): Promise<void>;
}

const ALPACA_ERRORS: Record<number, { code: number; message: string }> = {
  401: { code: 40110000, message: 'request is not authorized' },
  403: { code: 40310000, message: 'forbidden' },
  404: { code: 40410000, message: 'resource not found' },
  422: { code: 40010001, message: 'invalid request' },
  429: { code: 42910000, message: 'rate limit exceeded' },
  500: { code: 50010000, message: 'internal server error' },
};

const FINAL = new Set(['filled', 'canceled', 'expired', 'rejected', 'replaced']);
const money = (n: number) => String(Math.round(n * 1e6) / 1e6);

/** A clock of microseconds that never repeats, formatted as Alpaca does (`...T18:38:01.942282Z`). */
function microClock() {
  let last = 0;
  return () => {
    const us = Math.max(Date.now() * 1000, last + 1);
    last = us;
    const iso = new Date(Math.floor(us / 1000)).toISOString();
    return { us, iso: `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z` };
  };
}

/** Parse an ISO time with up to 9 fraction digits to microseconds. */
function toMicros(text: string): number {
  const m = /\.(\d+)/.exec(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return NaN;
  const frac = m ? m[1].padEnd(6, '0').slice(0, 6) : '000000';
  return Math.floor(ms / 1000) * 1_000_000 + Number(frac);
}

/** New York wall time with its offset, as Alpaca's clock reports it (`2024-01-02T10:15:00.123-05:00`). */
function newYorkTime(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  const frac = String(ms % 1000).padStart(3, '0');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${frac}${offset}`;
}

/**
 * @example
 *   const fake = await startFakeAlpacaServer();
 *   const broker = createAlpacaBroker({ baseUrl: fake.baseUrl, streamUrl: fake.streamUrl, keyId: fake.keyId, secretKey: fake.secretKey });
 *   fake.setPrice('AAPL', 100);
 */
export async function startFakeAlpacaServer(options: FakeAlpacaOptions = {}): Promise<FakeAlpacaServer> {
  const keyId = options.keyId ?? `PKFAKE${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`;
  const secretKey = options.secretKey ?? `fake-secret-${randomUUID()}`;
  const accountId = randomUUID();
  const now = microClock();
  const prices = new Map<string, number>();
  const orders: Order[] = [];
  const positions = new Map<string, Position>();
  const faults: Array<FakeFault & { left: number }> = [];
  const requests: string[] = [];
  const streamLog: string[] = [];
  let cash = options.cash ?? 100_000;
  let marketOpen = options.marketOpen ?? true;
  let refuseStreamUntil = 0;
  const listening = new Set<WebSocket>();
  const rawSockets = new Map<WebSocket, Duplex>();

  // ---- the venue ----------------------------------------------------------

  const orderJson = (o: Order): Record<string, unknown> => ({
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    submitted_at: o.submittedAt,
    filled_at: o.filledAt,
    expired_at: null,
    canceled_at: o.canceledAt,
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: '904837e3-3b76-47ec-b432-046db621571b',
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: String(o.qty),
    filled_qty: String(o.filledQty),
    filled_avg_price: o.filledAvgPrice === null ? null : money(o.filledAvgPrice),
    order_class: o.orderClass,
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: o.side === 'buy' ? 'buy_to_open' : 'sell_to_close',
    time_in_force: o.timeInForce,
    limit_price: o.limitPrice === null ? null : money(o.limitPrice),
    stop_price: o.stopPrice === null ? null : money(o.stopPrice),
    status: o.status,
    extended_hours: false,
    legs: o.legs.length > 0 ? o.legs.map(orderJson) : null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
    subtag: null,
    source: null,
    expires_at: null,
  });

  const emit = (event: string, o: Order, extra: Record<string, unknown> = {}) => {
    const frame = JSON.stringify({ stream: 'trade_updates', data: { event, timestamp: now().iso, order: orderJson(o), ...extra } });
    for (const ws of listening) {
      streamLog.push(`> ${frame}`);
      // The paper venue sends trade_updates as binary frames.
      ws.send(Buffer.from(frame), { binary: true });
    }
  };

  const touch = (o: Order, status: string) => {
    o.status = status;
    o.updatedAt = now().iso;
  };

  const fill = (o: Order, price: number) => {
    const qty = o.qty - o.filledQty;
    const signed = o.side === 'buy' ? qty : -qty;
    cash -= signed * price;
    const p = positions.get(o.symbol) ?? { qty: 0, avgEntryPrice: 0 };
    const next = p.qty + signed;
    if (next === 0) positions.delete(o.symbol);
    else {
      // Adding to a position (or flipping it) moves the average entry; reducing it does not.
      const adds = p.qty === 0 || Math.sign(signed) === Math.sign(p.qty);
      const avg = adds ? (p.qty * p.avgEntryPrice + signed * price) / next : Math.sign(next) !== Math.sign(p.qty) ? price : p.avgEntryPrice;
      positions.set(o.symbol, { qty: next, avgEntryPrice: avg });
    }
    o.filledAvgPrice = o.filledQty === 0 ? price : (o.filledAvgPrice! * o.filledQty + price * qty) / o.qty;
    o.filledQty = o.qty;
    o.filledAt = now().iso;
    touch(o, 'filled');
    emit('fill', o, { execution_id: randomUUID(), price: money(price), qty: String(qty), position_qty: String(next) });
    if (o.parent) {
      // One leg filled: the other is cancelled (one-cancels-other).
      for (const sibling of o.parent.legs) if (sibling !== o && !FINAL.has(sibling.status)) cancel(sibling);
    } else {
      for (const leg of o.legs) {
        touch(leg, 'new');
        emit('new', leg);
      }
    }
  };

  const cancel = (o: Order) => {
    o.canceledAt = now().iso;
    touch(o, 'canceled');
    emit('canceled', o);
    for (const leg of o.legs) if (!FINAL.has(leg.status)) cancel(leg);
  };

  /** The price at which `o` fills now, or null if it rests. */
  const crossing = (o: Order): number | null => {
    const price = prices.get(o.symbol);
    if (price === undefined || !marketOpen || o.status !== 'new') return null;
    if (o.type === 'market') return price;
    if (o.type === 'limit') {
      if (o.side === 'buy') return price <= o.limitPrice! ? price : null;
      return price >= o.limitPrice! ? price : null;
    }
    // A stop becomes a market order once the price reaches the stop.
    if (o.side === 'sell') return price <= o.stopPrice! ? price : null;
    return price >= o.stopPrice! ? price : null;
  };

  const match = () => {
    for (const o of orders) {
      for (const candidate of [o, ...o.legs]) {
        const price = crossing(candidate);
        if (price !== null) fill(candidate, price);
      }
    }
  };

  // ---- HTTP ---------------------------------------------------------------

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, message?: string, headers: Record<string, string> = {}) =>
    send(
      res,
      status,
      { code: ALPACA_ERRORS[status]?.code ?? status * 100000, message: message ?? ALPACA_ERRORS[status]?.message ?? 'error' },
      headers,
    );

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (text += c));
      req.on('end', () => resolve(text));
      req.on('error', reject);
    });

  const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);

  const newOrder = (fields: Partial<Order> & Pick<Order, 'symbol' | 'side' | 'qty' | 'type'>, parent: Order | null): Order => {
    const t = now();
    return {
      id: randomUUID(),
      clientOrderId: randomUUID(),
      limitPrice: null,
      stopPrice: null,
      timeInForce: 'gtc',
      orderClass: '',
      status: 'accepted',
      filledQty: 0,
      filledAvgPrice: null,
      createdAt: t.iso,
      updatedAt: t.iso,
      submittedAt: t.iso,
      submittedUs: t.us,
      filledAt: null,
      canceledAt: null,
      legs: [],
      parent,
      ...fields,
    };
  };

  const submit = async (req: IncomingMessage, res: ServerResponse) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return fail(res, 400, 'invalid request body');
    }
    const symbol = typeof body.symbol === 'string' ? body.symbol : '';
    const qty = num(body.qty);
    const side = body.side;
    const type = body.type;
    const tif = body.time_in_force;
    const clientOrderId = typeof body.client_order_id === 'string' ? body.client_order_id : randomUUID();
    if (!symbol) return fail(res, 422, 'symbol is required');
    if (!Number.isFinite(qty) || qty <= 0) return fail(res, 422, 'qty must be > 0');
    if (!Number.isInteger(qty)) return fail(res, 422, 'fractional orders must be market day orders');
    if (side !== 'buy' && side !== 'sell') return fail(res, 422, 'invalid side');
    if (type !== 'market' && type !== 'limit') return fail(res, 422, 'invalid order type');
    if (tif !== 'day' && tif !== 'gtc') return fail(res, 422, 'invalid time_in_force');
    if (clientOrderId.length > 48) return fail(res, 422, 'client_order_id must be no more than 48 characters');
    if (orders.some((o) => o.clientOrderId === clientOrderId || o.legs.some((l) => l.clientOrderId === clientOrderId))) {
      return fail(res, 422, 'client_order_id must be unique');
    }
    const limitPrice = type === 'limit' ? num(body.limit_price) : null;
    if (limitPrice !== null && !(limitPrice > 0)) return fail(res, 422, 'limit_price is required for limit orders');
    const orderClass = (body.order_class as string | undefined) ?? 'simple';
    const takeProfit = num((body.take_profit as { limit_price?: unknown } | undefined)?.limit_price);
    const stopLoss = num((body.stop_loss as { stop_price?: unknown } | undefined)?.stop_price);
    if (orderClass === 'bracket' && !(takeProfit > 0 && stopLoss > 0))
      return fail(res, 422, 'bracket orders require take_profit.limit_price and stop_loss.stop_price');
    if (orderClass === 'oto' && !(takeProfit > 0) && !(stopLoss > 0)) return fail(res, 422, 'oto orders require take_profit or stop_loss');
    if (orderClass !== 'simple' && orderClass !== 'bracket' && orderClass !== 'oto')
      return fail(res, 422, `order_class ${orderClass} is not supported here`);
    const reference = limitPrice ?? prices.get(symbol) ?? 0;
    if (side === 'buy' && qty * reference > cash) return fail(res, 403, 'insufficient buying power');

    const order = newOrder(
      { symbol, side, qty, type, limitPrice, timeInForce: tif, clientOrderId, orderClass: orderClass === 'simple' ? '' : orderClass },
      null,
    );
    const exit = side === 'buy' ? 'sell' : 'buy';
    if (takeProfit > 0)
      order.legs.push(
        newOrder({ symbol, side: exit, qty, type: 'limit', limitPrice: takeProfit, status: 'held', orderClass: order.orderClass }, order),
      );
    if (stopLoss > 0)
      order.legs.push(
        newOrder({ symbol, side: exit, qty, type: 'stop', stopPrice: stopLoss, status: 'held', orderClass: order.orderClass }, order),
      );
    orders.push(order);
    send(res, 200, orderJson(order));
    // The venue acknowledges first, then the order goes live and may fill, as Alpaca's stream reports it.
    setImmediate(() => {
      if (order.status !== 'accepted') return;
      touch(order, 'new');
      emit('new', order);
      match();
    });
  };

  const findOrder = (id: string) => {
    for (const o of orders) {
      if (o.id === id) return o;
      const leg = o.legs.find((l) => l.id === id);
      if (leg) return leg;
    }
    return undefined;
  };

  const list = (url: URL, res: ServerResponse) => {
    const status = url.searchParams.get('status') ?? 'open';
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 500);
    const after = url.searchParams.get('after');
    const until = url.searchParams.get('until');
    const direction = url.searchParams.get('direction') ?? 'desc';
    const nested = url.searchParams.get('nested') === 'true';
    if (!['open', 'closed', 'all'].includes(status) || !(limit > 0)) return fail(res, 422, 'invalid query');
    const afterUs = after ? toMicros(after) : -Infinity;
    const untilUs = until ? toMicros(until) : Infinity;
    if (Number.isNaN(afterUs) || Number.isNaN(untilUs)) return fail(res, 422, 'invalid after/until');
    const groups = nested ? orders : orders.flatMap((o) => [o, ...o.legs]);
    const isOpen = (o: Order) => !FINAL.has(o.status) || (nested && o.legs.some((l) => !FINAL.has(l.status)));
    const picked = groups
      .filter((o) => (status === 'all' ? true : status === 'open' ? isOpen(o) : !isOpen(o)))
      .filter((o) => o.submittedUs > afterUs && o.submittedUs < untilUs)
      .sort((a, b) => (direction === 'asc' ? a.submittedUs - b.submittedUs : b.submittedUs - a.submittedUs))
      .slice(0, limit);
    send(
      res,
      200,
      picked.map((o) => (nested ? orderJson(o) : { ...orderJson(o), legs: null })),
    );
  };

  const account = () => {
    let longValue = 0;
    let shortValue = 0;
    for (const [symbol, p] of positions) {
      const v = p.qty * (prices.get(symbol) ?? p.avgEntryPrice);
      if (v >= 0) longValue += v;
      else shortValue += v;
    }
    const equity = cash + longValue + shortValue;
    return {
      id: accountId,
      account_number: 'PA3FAKE00001',
      status: 'ACTIVE',
      crypto_status: 'INACTIVE',
      currency: 'USD',
      buying_power: money(Math.max(cash, 0)),
      regt_buying_power: money(Math.max(cash, 0)),
      daytrading_buying_power: '0',
      non_marginable_buying_power: money(Math.max(cash, 0)),
      cash: money(cash),
      accrued_fees: '0',
      pending_transfer_in: '0',
      portfolio_value: money(equity),
      pattern_day_trader: false,
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      created_at: '2024-01-02T15:00:00.000000Z',
      trade_suspended_by_user: false,
      multiplier: '1',
      shorting_enabled: true,
      equity: money(equity),
      last_equity: money(equity),
      long_market_value: money(longValue),
      short_market_value: money(shortValue),
      initial_margin: '0',
      maintenance_margin: '0',
      last_maintenance_margin: '0',
      sma: '0',
      daytrade_count: 0,
    };
  };

  const positionJson = (symbol: string, p: Position) => {
    const price = prices.get(symbol) ?? p.avgEntryPrice;
    const value = p.qty * price;
    const cost = p.qty * p.avgEntryPrice;
    return {
      asset_id: '904837e3-3b76-47ec-b432-046db621571b',
      symbol,
      exchange: 'NASDAQ',
      asset_class: 'us_equity',
      asset_marginable: true,
      qty: String(p.qty),
      qty_available: String(p.qty),
      avg_entry_price: money(p.avgEntryPrice),
      side: p.qty > 0 ? 'long' : 'short',
      market_value: money(value),
      cost_basis: money(cost),
      unrealized_pl: money(value - cost),
      unrealized_plpc: money(cost === 0 ? 0 : (value - cost) / Math.abs(cost)),
      unrealized_intraday_pl: money(value - cost),
      unrealized_intraday_plpc: money(cost === 0 ? 0 : (value - cost) / Math.abs(cost)),
      current_price: money(price),
      lastday_price: money(price),
      change_today: '0',
    };
  };

  const clock = () => {
    const ms = Date.now();
    return {
      timestamp: newYorkTime(ms),
      is_open: marketOpen,
      next_open: newYorkTime(ms + (marketOpen ? 86_400_000 : 3_600_000)),
      next_close: newYorkTime(ms + (marketOpen ? 3_600_000 : 90_000_000)),
    };
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const line = `${method} ${url.pathname}`;
    requests.push(`${line}${url.search}`);

    const fault = faults.find((f) => f.left > 0 && (!f.match || f.match.test(line)));
    if (fault) {
      fault.left--;
      if (fault.status === 'drop') return req.socket.destroy();
      if (fault.status === 'cut-body') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
        res.write('{"id":"');
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      if (fault.status === 'lose-response') {
        res.writeHead = () => res;
        res.end = () => {
          req.socket.destroy();
          return res;
        };
      } else if (fault.body !== undefined) return send(res, fault.status, fault.body, fault.headers);
      else return fail(res, fault.status, fault.message, fault.headers);
    }
    if (req.headers['apca-api-key-id'] !== keyId || req.headers['apca-api-secret-key'] !== secretKey) return fail(res, 401);

    const orderPath = /^\/v2\/orders\/([^/]+)$/.exec(url.pathname);
    if (method === 'POST' && url.pathname === '/v2/orders') return submit(req, res);
    if (method === 'GET' && url.pathname === '/v2/orders') return list(url, res);
    if (method === 'GET' && url.pathname === '/v2/orders:by_client_order_id') {
      const id = url.searchParams.get('client_order_id');
      const o = orders.flatMap((x) => [x, ...x.legs]).find((x) => x.clientOrderId === id);
      return o ? send(res, 200, orderJson(o)) : fail(res, 404, 'order not found');
    }
    if (orderPath && method === 'GET') {
      const o = findOrder(decodeURIComponent(orderPath[1]));
      return o ? send(res, 200, orderJson(o)) : fail(res, 404, 'order not found');
    }
    if (orderPath && method === 'DELETE') {
      const o = findOrder(decodeURIComponent(orderPath[1]));
      if (!o) return fail(res, 404, 'order not found');
      if (FINAL.has(o.status)) return fail(res, 422, `order is already in "${o.status}" state`);
      cancel(o);
      res.writeHead(204).end();
      return;
    }
    if (method === 'GET' && url.pathname === '/v2/account') return send(res, 200, account());
    if (method === 'GET' && url.pathname === '/v2/positions')
      return send(
        res,
        200,
        [...positions].map(([s, p]) => positionJson(s, p)),
      );
    if (method === 'GET' && url.pathname === '/v2/clock') return send(res, 200, clock());
    return fail(res, 404, 'endpoint not found');
  };

  const http = createServer((req, res) => {
    route(req, res).catch((err: unknown) => fail(res, 500, String(err)));
  });

  // ---- the trade_updates stream --------------------------------------------

  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/stream' || Date.now() < refuseStreamUntil) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      rawSockets.set(ws, socket);
      let authorized = false;
      const reply = (msg: unknown) => {
        const frame = JSON.stringify(msg);
        streamLog.push(`> ${frame}`);
        ws.send(Buffer.from(frame), { binary: true });
      };
      ws.on('message', (raw) => {
        const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
        streamLog.push(`< ${text}`);
        let msg: { action?: string; key?: string; secret?: string; data?: { key_id?: string; secret_key?: string; streams?: string[] } };
        try {
          msg = JSON.parse(text) as typeof msg;
        } catch {
          return reply({ stream: 'error', data: { error_message: 'invalid message' } });
        }
        if (msg.action === 'auth' || msg.action === 'authenticate') {
          // The reference documents both forms: {action:'auth',key,secret} and {action:'authenticate',data:{key_id,secret_key}}.
          const key = msg.key ?? msg.data?.key_id;
          const secret = msg.secret ?? msg.data?.secret_key;
          authorized = key === keyId && secret === secretKey;
          reply({ stream: 'authorization', data: { action: 'authenticate', status: authorized ? 'authorized' : 'unauthorized' } });
          if (!authorized) ws.close();
          return;
        }
        if (msg.action === 'listen') {
          if (!authorized) return reply({ stream: 'authorization', data: { action: 'listen', status: 'unauthorized' } });
          const streams = (msg.data?.streams ?? []).filter((s) => s === 'trade_updates');
          if (streams.length > 0) listening.add(ws);
          else listening.delete(ws);
          return reply({ stream: 'listening', data: { streams } });
        }
        reply({ stream: 'error', data: { error_message: `unknown action ${msg.action}` } });
      });
      ws.on('close', () => {
        listening.delete(ws);
        rawSockets.delete(ws);
      });
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    streamUrl: `ws://127.0.0.1:${port}/stream`,
    keyId,
    secretKey,
    requests,
    streamLog,
    setPrice(symbol, price) {
      prices.set(symbol, price);
      match();
    },
    setMarketOpen(open) {
      marketOpen = open;
      match();
    },
    failNext(count, fault) {
      faults.push({ ...fault, left: count });
    },
    dropStream(refuseMs = 0) {
      refuseStreamUntil = Date.now() + refuseMs;
      for (const ws of wss.clients) ws.terminate();
      listening.clear();
    },
    freezeStream(refuseMs = 0) {
      refuseStreamUntil = Date.now() + refuseMs;
      for (const ws of wss.clients) {
        listening.delete(ws);
        // Reading stops, so pings go unanswered; nothing is sent to it either.
        rawSockets.get(ws)?.pause();
      }
    },
    listeners: () => listening.size,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
