/**
 * The Alpaca adapter against the loopback fake of Alpaca's Trading API
 * (__fixtures__/alpaca-server.ts, written from Alpaca's API reference): the
 * shared broker contract, then the failures a real venue has: 401/403/422
 * refused at once, 429/5xx/network retried with bounded backoff, a POST whose
 * answer was lost returning the one order it placed, a malformed body, a
 * dropped trade_updates stream that reconnects and still delivers the fill it
 * missed (once), bracket orders, and the keys never appearing in an error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { describeBrokerContract, testClientOrderId, waitForStatus, waitUntil } from './contract';
import { startFakeAlpacaServer, type FakeAlpacaServer } from './__fixtures__/alpaca-server';
import { createAlpacaBroker, toUtcIso, type AlpacaBrokerOptions } from './alpaca';
import { BrokerError, type Broker, type OrderRequest, type TradeUpdate } from './types';
import { freePort } from '../../stack/free-port';

/** Fast retries and reconnects so the failure tests take milliseconds, not seconds. */
const FAST: Partial<AlpacaBrokerOptions> = { retryBaseMs: 5, retryMaxMs: 50, reconnectBaseMs: 20, reconnectMaxMs: 200 };

function brokerFor(fake: FakeAlpacaServer, extra: Partial<AlpacaBrokerOptions> = {}): Broker {
  return createAlpacaBroker({
    baseUrl: fake.baseUrl,
    streamUrl: fake.streamUrl,
    keyId: fake.keyId,
    secretKey: fake.secretKey,
    ...FAST,
    ...extra,
  });
}

describeBrokerContract('alpaca (loopback fake)', async () => {
  const fake = await startFakeAlpacaServer();
  const broker = brokerFor(fake);
  return {
    broker,
    setPrice: async (symbol, price) => fake.setPrice(symbol, price),
    close: async () => {
      await broker.close();
      await fake.close();
    },
  };
});

const market = (qty: number, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId: testClientOrderId('t'),
  symbol: 'AAPL',
  side: 'buy',
  qty,
  type: 'market',
  timeInForce: 'day',
  ...extra,
});

async function failure(p: Promise<unknown>): Promise<BrokerError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BrokerError);
  return err as BrokerError;
}

describe('alpaca adapter', () => {
  let fake: FakeAlpacaServer;
  let broker: Broker;
  /** Every error a test saw, checked for the keys afterwards. */
  let errors: BrokerError[];
  const count = (prefix: string) => fake.requests.filter((r) => r.startsWith(prefix)).length;

  beforeEach(async () => {
    fake = await startFakeAlpacaServer();
    fake.setPrice('AAPL', 100);
    broker = brokerFor(fake);
    errors = [];
  });
  afterEach(async () => {
    for (const e of errors) {
      expect(e.message).not.toContain(fake.keyId);
      expect(e.message).not.toContain(fake.secretKey);
    }
    await broker.close();
    await fake.close();
  });
  const seen = async (p: Promise<unknown>) => {
    const e = await failure(p);
    errors.push(e);
    return e;
  };

  it('sends the key headers and reads the documented shapes (string numbers, New York clock times)', async () => {
    const account = await broker.getAccount();
    expect(account).toEqual({ cash: 100_000, equity: 100_000, buyingPower: 100_000, currency: 'USD', tradingBlocked: false });
    const clock = await broker.getClock();
    // The fake answers in New York time with an offset; the port speaks UTC.
    expect(clock.timestamp).toMatch(/Z$/);
    expect(Math.abs(Date.parse(clock.timestamp) - Date.now())).toBeLessThan(5_000);
  });

  it('keeps sub-millisecond digits when normalising times to UTC', () => {
    expect(toUtcIso('2021-03-16T18:38:01.942282Z')).toBe('2021-03-16T18:38:01.942282Z');
    expect(toUtcIso('2024-01-02T10:15:00.123456789-05:00')).toBe('2024-01-02T15:15:00.123456789Z');
    expect(toUtcIso('2024-07-01T09:30:00-04:00')).toBe('2024-07-01T13:30:00.000Z');
  });

  it('refuses a 403 at once: not retryable, names the endpoint, the status and the venue message', async () => {
    const e = await seen(broker.submitOrder(market(10_000)));
    expect(e).toMatchObject({ type: 'BrokerForbidden', retryable: false, status: 403 });
    expect(e.message).toBe('Alpaca POST /v2/orders: HTTP 403 (insufficient buying power)');
    expect(count('POST /v2/orders')).toBe(1);
  });

  it('refuses a 422 that is not a duplicate (after checking the client order id is unknown)', async () => {
    fake.failNext(1, { status: 422, match: /^POST \/v2\/orders$/, message: 'qty must be > 0' });
    const req = market(1);
    const e = await seen(broker.submitOrder(req));
    expect(e).toMatchObject({ type: 'BrokerRejected', retryable: false, status: 422 });
    expect(e.message).toMatch(/^Alpaca POST \/v2\/orders: HTTP 422 \(qty must be > 0\)$/);
    expect(count('POST /v2/orders')).toBe(1);
    expect(count('GET /v2/orders:by_client_order_id')).toBe(1);
  });

  it('answers a duplicate client_order_id (422) with the existing order', async () => {
    const req = market(2);
    const first = await broker.submitOrder(req);
    const again = await broker.submitOrder(req);
    expect(again.id).toBe(first.id);
    expect(count('POST /v2/orders')).toBe(2);
    expect(count('GET /v2/orders:by_client_order_id')).toBe(1);
  });

  it('retries a POST whose answer was lost and returns the one order it placed', async () => {
    fake.failNext(1, { status: 'lose-response', match: /^POST \/v2\/orders$/ });
    const req = market(3);
    const order = await broker.submitOrder(req);
    expect(order.clientOrderId).toBe(req.clientOrderId);
    expect(count('POST /v2/orders')).toBe(2);
    const all = await broker.listOrders({ status: 'all' });
    expect(all.filter((o) => o.clientOrderId === req.clientOrderId)).toHaveLength(1);
    expect((await waitForStatus(broker, order.id, 'filled')).filledQty).toBe(3);
  });

  it('retries 429 and 5xx and then succeeds', async () => {
    fake.failNext(2, { status: 429, match: /^GET \/v2\/account$/ });
    fake.failNext(1, { status: 500, match: /^GET \/v2\/account$/ });
    expect((await broker.getAccount()).cash).toBe(100_000);
    expect(count('GET /v2/account')).toBe(4);

    fake.failNext(1, { status: 503, match: /^POST \/v2\/orders$/ });
    const o = await broker.submitOrder(market(1));
    expect(count('POST /v2/orders')).toBe(2);
    expect((await broker.listOrders({ status: 'all' })).map((x) => x.id)).toEqual([o.id]);
  });

  it('gives up after bounded retries with a retryable error naming endpoint, status and attempts', async () => {
    fake.failNext(10, { status: 429, match: /^GET \/v2\/positions$/ });
    const rate = await seen(broker.listPositions());
    expect(rate).toMatchObject({ type: 'BrokerRateLimited', retryable: true, status: 429 });
    expect(rate.message).toBe('Alpaca GET /v2/positions: HTTP 429 (rate limit exceeded) after 4 attempts');
    expect(count('GET /v2/positions')).toBe(4);

    fake.failNext(10, { status: 502, match: /^GET \/v2\/clock$/ });
    const down = await seen(broker.getClock());
    expect(down).toMatchObject({ type: 'BrokerUnavailable', retryable: true, status: 502 });
    expect(down.message).toMatch(/^Alpaca GET \/v2\/clock: HTTP 502 .* after 4 attempts$/);
  });

  it('honours Retry-After on a 429 (capped by retryMaxMs)', async () => {
    const slow = brokerFor(fake, { retryBaseMs: 1, retryMaxMs: 400 });
    fake.failNext(1, { status: 429, match: /^GET \/v2\/account$/, headers: { 'retry-after': '1' } });
    const t0 = Date.now();
    await slow.getAccount();
    // Retry-After says 1 s, the cap says 0.4 s; the 1 ms backoff alone would be far quicker.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    await slow.close();
  });

  it('treats a network failure as retryable, bounded, and a dropped connection as a retry', async () => {
    fake.failNext(1, { status: 'drop', match: /^GET \/v2\/account$/ });
    expect((await broker.getAccount()).currency).toBe('USD');
    expect(count('GET /v2/account')).toBe(2);

    // A connection cut halfway through the body is a network fault too (retried), not a malformed answer.
    fake.failNext(1, { status: 'cut-body', match: /^GET \/v2\/positions$/ });
    expect(await broker.listPositions()).toEqual([]);
    expect(count('GET /v2/positions')).toBe(2);

    const nowhere = createAlpacaBroker({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      streamUrl: fake.streamUrl,
      keyId: fake.keyId,
      secretKey: fake.secretKey,
      ...FAST,
      maxRetries: 2,
    });
    const e = await seen(nowhere.getAccount());
    expect(e).toMatchObject({ type: 'BrokerNetwork', retryable: true });
    expect(e.message).toMatch(/^Alpaca GET \/v2\/account: network error \(ECONNREFUSED\) after 3 attempts$/);
    await nowhere.close();
  });

  it('refuses wrong keys (401) without retrying and without echoing them', async () => {
    const wrong = createAlpacaBroker({
      baseUrl: fake.baseUrl,
      streamUrl: fake.streamUrl,
      keyId: fake.keyId,
      secretKey: 'not-the-secret-at-all',
      ...FAST,
    });
    const e = await failure(wrong.getAccount());
    expect(e).toMatchObject({ type: 'BrokerUnauthorized', retryable: false, status: 401 });
    expect(e.message).toContain('ALPACA_API_KEY');
    expect(e.message).not.toContain('not-the-secret-at-all');
    expect(e.message).not.toContain(fake.keyId);
    await wrong.close();

    // The stream refuses them too, and says so without printing them.
    const logs: string[] = [];
    const deaf = createAlpacaBroker({
      baseUrl: fake.baseUrl,
      streamUrl: fake.streamUrl,
      keyId: fake.keyId,
      secretKey: 'not-the-secret-at-all',
      ...FAST,
      log: (_l, m) => logs.push(m),
    });
    deaf.onTradeUpdate(() => undefined);
    await waitUntil('the refusal to be logged', () => (logs.some((m) => /refused the keys/.test(m)) ? true : undefined));
    expect(fake.listeners()).toBe(0);
    expect(logs.join('\n')).not.toContain('not-the-secret-at-all');
    expect(logs.join('\n')).not.toContain(fake.keyId);
    await deaf.close();
  });

  it('masks the keys even when the venue echoes them back in an error', async () => {
    fake.failNext(1, {
      status: 403,
      match: /^GET \/v2\/account$/,
      message: `key ${fake.keyId} with secret ${fake.secretKey} may not trade`,
    });
    const e = await seen(broker.getAccount());
    expect(e.message).toBe('Alpaca GET /v2/account: HTTP 403 (key *** with secret *** may not trade)');
  });

  it('reports a malformed response as non-retryable, naming the endpoint and the field', async () => {
    fake.failNext(1, {
      status: 200,
      match: /^GET \/v2\/account$/,
      body: {
        currency: 'USD',
        cash: 'lots',
        equity: '1',
        buying_power: '1',
        status: 'ACTIVE',
        trading_blocked: false,
        account_blocked: false,
      },
    });
    const e = await seen(broker.getAccount());
    expect(e).toMatchObject({ type: 'MalformedBrokerResponse', retryable: false });
    expect(e.message).toMatch(/^Alpaca GET \/v2\/account: unexpected response shape \(cash: /);
  });

  it('reports a missing order as null (GET) and OrderNotFound (DELETE), not retryable', async () => {
    expect(await broker.getOrder(randomUUID())).toBeNull();
    const e = await seen(broker.cancelOrder(randomUUID()));
    expect(e).toMatchObject({ type: 'OrderNotFound', retryable: false, status: 404 });
    expect(e.message).toMatch(/^Alpaca DELETE \/v2\/orders\/\{id\}: HTTP 404/);
  });

  it('places a bracket (both legs) that exits at the take-profit and cancels the stop', async () => {
    const o = await broker.submitOrder(market(10, { takeProfit: 110, stopLoss: 95 }));
    expect(o.legs.map((l) => [l.type, l.side, l.limitPrice, l.stopPrice])).toEqual([
      ['limit', 'sell', 110, null],
      ['stop', 'sell', null, 95],
    ]);
    await waitForStatus(broker, o.id, 'filled');
    fake.setPrice('AAPL', 111);
    const done = await waitUntil('the take-profit leg to fill', async () => {
      const x = await broker.getOrder(o.id);
      return x?.legs[0].status === 'filled' ? x : undefined;
    });
    expect(done.legs[0].filledAvgPrice).toBe(111);
    expect(done.legs[1].status).toBe('canceled');
    expect(await broker.listPositions()).toEqual([]);
  });

  it('sends a single leg as an oto order whose stop triggers', async () => {
    const o = await broker.submitOrder(market(4, { stopLoss: 97 }));
    expect(o.legs).toHaveLength(1);
    await waitForStatus(broker, o.id, 'filled');
    fake.setPrice('AAPL', 96);
    await waitUntil('the stop leg to fill', async () => ((await broker.getOrder(o.id))?.legs[0].status === 'filled' ? true : undefined));
    expect(await broker.listPositions()).toEqual([]);
  });

  it('reconnects a dropped trade_updates stream and delivers the fill it missed, once', async () => {
    const updates: TradeUpdate[] = [];
    const logs: string[] = [];
    const watched = brokerFor(fake, { log: (_level, m) => logs.push(m) });
    watched.onTradeUpdate((u) => updates.push(u));
    const o = await watched.submitOrder({
      clientOrderId: testClientOrderId('drop'),
      symbol: 'AAPL',
      side: 'buy',
      qty: 5,
      type: 'limit',
      limitPrice: 95,
      timeInForce: 'gtc',
    });
    await waitUntil('the new event', () => updates.find((u) => u.order.id === o.id && u.event === 'new'));

    // Drop the stream and refuse reconnects for a while; the fill happens while nobody listens.
    fake.dropStream(300);
    await waitUntil('the drop to be noticed', () => (logs.some((m) => /reconnecting/.test(m)) ? true : undefined));
    expect(fake.listeners()).toBe(0);
    fake.setPrice('AAPL', 94);
    expect((await watched.getOrder(o.id))?.status).toBe('filled');

    const fill = await waitUntil('the missed fill after the reconnect', () =>
      updates.find((u) => u.order.id === o.id && u.event === 'fill'),
    );
    expect(fill).toMatchObject({ qty: 5, price: 94, order: { status: 'filled', filledQty: 5 } });
    expect(fill.executionId).toEqual(expect.any(String));
    expect(fake.listeners()).toBe(1);

    // Later events still flow on the new connection, and the missed fill is not delivered twice.
    const next = await watched.submitOrder(market(1));
    await waitUntil('a fill on the new connection', () => updates.find((u) => u.order.id === next.id && u.event === 'fill'));
    expect(updates.filter((u) => u.order.id === o.id).map((u) => u.event)).toEqual(['new', 'fill']);
    expect(fake.streamLog.filter((l) => l.includes(fake.secretKey)).every((l) => l.startsWith('< {"action":"auth"'))).toBe(true);
    await watched.close();
  });

  it('after a reconnect, also reports orders placed and filled elsewhere during the drop', async () => {
    const updates: TradeUpdate[] = [];
    // Pages of 2 orders, so five missed orders take three pages of the catch-up.
    const watched = brokerFor(fake, { catchUpPageSize: 2 });
    watched.onTradeUpdate((u) => updates.push(u));
    await waitUntil('the stream to listen', () => (fake.listeners() === 1 ? true : undefined));
    fake.dropStream(300);
    await new Promise((r) => setTimeout(r, 50));
    // Another client (a second process, the web UI) trades while this one is deaf.
    const elsewhere = [];
    for (let i = 1; i <= 5; i++) elsewhere.push(await broker.submitOrder(market(i)));
    for (const o of elsewhere) await waitForStatus(broker, o.id, 'filled');
    const fills = await waitUntil('the five fills placed elsewhere', () => {
      const f = updates.filter((u) => u.event === 'fill');
      return f.length === 5 ? f : undefined;
    });
    expect(fills.map((f) => [f.order.id, f.qty, f.price])).toEqual(elsewhere.map((o, i) => [o.id, i + 1, 100]));
    expect(updates.map((u) => u.event)).toEqual(['fill', 'fill', 'fill', 'fill', 'fill']);
    expect(fake.requests.filter((r) => r.startsWith('GET /v2/orders?') && r.includes('direction=asc'))).toHaveLength(3);
    await watched.close();
  });

  it('notices a silent (half-open) stream by its ping timeout, reconnects and catches up', async () => {
    const updates: TradeUpdate[] = [];
    const watched = brokerFor(fake, { pingIntervalMs: 50 });
    watched.onTradeUpdate((u) => updates.push(u));
    const o = await watched.submitOrder({
      clientOrderId: testClientOrderId('frz'),
      symbol: 'AAPL',
      side: 'buy',
      qty: 2,
      type: 'limit',
      limitPrice: 99,
      timeInForce: 'gtc',
    });
    await waitUntil('the new event', () => updates.find((u) => u.order.id === o.id && u.event === 'new'));
    const connections = fake.requests.length;
    fake.freezeStream(150);
    fake.setPrice('AAPL', 98);
    const fill = await waitUntil('the fill after the ping timeout', () => updates.find((u) => u.order.id === o.id && u.event === 'fill'));
    expect(fill).toMatchObject({ qty: 2, price: 98 });
    // The catch-up asked the venue (the frozen connection delivered nothing).
    expect(fake.requests.slice(connections).some((r) => r.startsWith('GET /v2/orders?'))).toBe(true);
    await watched.close();
  });

  it('does not hold orders while the stream is down once it has listened; the catch-up reports them', async () => {
    const updates: TradeUpdate[] = [];
    const watched = brokerFor(fake, { streamReadyTimeoutMs: 5_000 });
    watched.onTradeUpdate((u) => updates.push(u));
    await waitUntil('the stream to listen', () => (fake.listeners() === 1 ? true : undefined));
    fake.dropStream(400);
    await new Promise((r) => setTimeout(r, 30));
    const t0 = Date.now();
    const o = await watched.submitOrder(market(2));
    // Submitted without waiting for the stream (the refusal window alone is 400 ms).
    expect(Date.now() - t0).toBeLessThan(350);
    const fill = await waitUntil('the fill of the order placed while deaf', () =>
      updates.find((u) => u.order.id === o.id && u.event === 'fill'),
    );
    expect(fill).toMatchObject({ qty: 2, price: 100 });
    await watched.close();
  });
});
