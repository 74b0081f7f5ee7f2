/**
 * The shared contract every Broker adapter passes (the unstorage pattern, as
 * the market-data contract): one vitest suite, run by `paper.test.ts` against
 * the local paper venue on embedded Postgres and by `alpaca.test.ts` against
 * the loopback fake of Alpaca. Not a test file itself; call
 * `describeBrokerContract` from one.
 *
 * What a factory must give (`BrokerTestControl`):
 * - a fresh venue per test (no orders, no positions, the same starting cash
 *   every time), open for trading right now (a 24/7 test venue);
 * - `setPrice(symbol, price)`: move the venue's last price; resting orders
 *   that the new price crosses fill (now or shortly after: the suite polls);
 * - `close()`: stop the broker and whatever the factory started.
 *
 * Venue-neutral on purpose: fill prices are checked as "at the price or worse
 * by less than 1 %" (the paper venue adds half-spread and slippage, Alpaca's
 * fake fills at the price), cash as "down by the notional plus at most 1 %".
 * Conventions every adapter follows (Alpaca's):
 * - `listOrders()` without a status lists open orders; results are newest
 *   first; `after` is exclusive;
 * - an unknown order id is `null` from `getOrder` and a non-retryable
 *   BrokerError of type 'OrderNotFound' from `cancelOrder`;
 * - a fully closed position is no longer listed.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerError, FINAL_ORDER_STATUSES, type Broker, type BrokerOrder, type OrderRequest, type TradeUpdate } from './types';

export interface BrokerTestControl {
  broker: Broker;
  /** Move the venue's last price for `symbol`; orders this price crosses fill. */
  setPrice(symbol: string, price: number): Promise<void>;
  /** Stop the broker and everything the factory started. */
  close(): Promise<void>;
}

/** Starts a fresh, open venue (see the top of this file). */
export type BrokerTestFactory = () => Promise<BrokerTestControl>;

/** How long the suite waits for an asynchronous venue (fills, stream events). */
const WAIT_MS = 5_000;

/** A client order id unique to this run (at most 48 characters, Alpaca's limit). */
export function testClientOrderId(tag: string): string {
  return `${tag}-${randomUUID()}`.slice(0, 48);
}

/** Poll `probe` until it returns a value (not undefined), or fail after WAIT_MS naming `what`. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Wait until the order reaches `status`. */
export async function waitForStatus(broker: Broker, orderId: string, status: BrokerOrder['status']): Promise<BrokerOrder> {
  return waitUntil(`order ${orderId} to be ${status}`, async () => {
    const o = await broker.getOrder(orderId);
    return o?.status === status ? o : undefined;
  });
}

const isOpen = (o: BrokerOrder) => !FINAL_ORDER_STATUSES.has(o.status);

export function describeBrokerContract(name: string, makeBroker: BrokerTestFactory): void {
  describe(`Broker contract: ${name}`, () => {
    let ctl: BrokerTestControl;
    let broker: Broker;
    beforeEach(async () => {
      ctl = await makeBroker();
      broker = ctl.broker;
      await ctl.setPrice('AAPL', 100);
      await ctl.setPrice('MSFT', 200);
    });
    afterEach(async () => {
      await ctl?.close();
    });

    const market = (side: 'buy' | 'sell', qty: number, symbol = 'AAPL', extra: Partial<OrderRequest> = {}): OrderRequest => ({
      clientOrderId: testClientOrderId(`c-${side}`),
      symbol,
      side,
      qty,
      type: 'market',
      timeInForce: 'day',
      ...extra,
    });
    const limit = (side: 'buy' | 'sell', qty: number, limitPrice: number, symbol = 'AAPL'): OrderRequest => ({
      clientOrderId: testClientOrderId(`l-${side}`),
      symbol,
      side,
      qty,
      type: 'limit',
      limitPrice,
      timeInForce: 'gtc',
    });
    const buyAndFill = async (qty: number, symbol = 'AAPL') => {
      const o = await broker.submitOrder(market('buy', qty, symbol));
      return waitForStatus(broker, o.id, 'filled');
    };

    it('fills a market buy near the last price and keeps the request on the order', async () => {
      const req = market('buy', 10);
      const submitted = await broker.submitOrder(req);
      expect(submitted).toMatchObject({ clientOrderId: req.clientOrderId, symbol: 'AAPL', side: 'buy', qty: 10, type: 'market' });
      expect(submitted.id).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(submitted.submittedAt))).toBe(false);
      const filled = await waitForStatus(broker, submitted.id, 'filled');
      expect(filled.filledQty).toBe(10);
      // A buy pays the price or a little more (spread, slippage), never less.
      expect(filled.filledAvgPrice).toBeGreaterThanOrEqual(100);
      expect(filled.filledAvgPrice).toBeLessThan(101);
    });

    it('fills a market sell at the price or a little less', async () => {
      await buyAndFill(10);
      const o = await broker.submitOrder(market('sell', 10));
      const filled = await waitForStatus(broker, o.id, 'filled');
      expect(filled.filledAvgPrice).toBeLessThanOrEqual(100);
      expect(filled.filledAvgPrice).toBeGreaterThan(99);
    });

    it('is idempotent on clientOrderId: a repeat, even concurrent, returns the same order', async () => {
      const req = market('buy', 5);
      const first = await broker.submitOrder(req);
      const again = await broker.submitOrder(req);
      expect(again.id).toBe(first.id);
      const concurrent = await Promise.all(Array.from({ length: 5 }, () => broker.submitOrder(req)));
      for (const o of concurrent) expect(o.id).toBe(first.id);
      const req2 = limit('buy', 3, 50);
      const racing = await Promise.all(Array.from({ length: 5 }, () => broker.submitOrder(req2)));
      expect(new Set(racing.map((o) => o.id)).size).toBe(1);
      const all = await broker.listOrders({ status: 'all' });
      expect(all.filter((o) => o.clientOrderId === req.clientOrderId)).toHaveLength(1);
      expect(all.filter((o) => o.clientOrderId === req2.clientOrderId)).toHaveLength(1);
      await waitForStatus(broker, first.id, 'filled');
      const pos = await broker.listPositions();
      expect(pos.find((p) => p.symbol === 'AAPL')?.qty).toBe(5);
    });

    it('rests a limit buy below the price and fills it when the price crosses, at the limit or better', async () => {
      const o = await broker.submitOrder(limit('buy', 4, 95));
      expect(o.type).toBe('limit');
      expect(o.limitPrice).toBe(95);
      // A price above the limit does not fill it.
      await ctl.setPrice('AAPL', 97);
      const resting = await broker.getOrder(o.id);
      expect(resting && isOpen(resting)).toBe(true);
      expect(resting?.filledQty).toBe(0);
      await ctl.setPrice('AAPL', 94);
      const filled = await waitForStatus(broker, o.id, 'filled');
      expect(filled.filledQty).toBe(4);
      expect(filled.filledAvgPrice).toBeLessThanOrEqual(95);
    });

    it('rests a limit sell above the price and fills it when the price crosses, at the limit or better', async () => {
      await buyAndFill(4);
      const o = await broker.submitOrder(limit('sell', 4, 105));
      await ctl.setPrice('AAPL', 103);
      expect(isOpen((await broker.getOrder(o.id))!)).toBe(true);
      await ctl.setPrice('AAPL', 106);
      const filled = await waitForStatus(broker, o.id, 'filled');
      expect(filled.filledAvgPrice).toBeGreaterThanOrEqual(105);
    });

    it('cancels an open order, which then never fills', async () => {
      const o = await broker.submitOrder(limit('buy', 2, 90));
      await broker.cancelOrder(o.id);
      const canceled = await waitForStatus(broker, o.id, 'canceled');
      expect(canceled.filledQty).toBe(0);
      await ctl.setPrice('AAPL', 80);
      await new Promise((r) => setTimeout(r, 100));
      expect((await broker.getOrder(o.id))?.status).toBe('canceled');
      expect(await broker.listPositions()).toEqual([]);
    });

    it('refuses to cancel a final order (OrderNotCancelable) or an unknown one (OrderNotFound), not retryable', async () => {
      const filled = await buyAndFill(1);
      const err = await broker.cancelOrder(filled.id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BrokerError);
      expect(err).toMatchObject({ type: 'OrderNotCancelable', retryable: false });
      const missing = await broker.cancelOrder(randomUUID()).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(BrokerError);
      expect(missing).toMatchObject({ type: 'OrderNotFound', retryable: false });
    });

    it('rejects a malformed request with a non-retryable BrokerError', async () => {
      for (const bad of [market('buy', 0), market('buy', 1.5), { ...limit('buy', 1, 90), limitPrice: undefined }]) {
        const err = await broker.submitOrder(bad).catch((e: unknown) => e);
        expect(err, JSON.stringify(bad)).toBeInstanceOf(BrokerError);
        expect((err as BrokerError).retryable).toBe(false);
      }
    });

    it('finds orders by id and client id, and lists them with status, after and limit filters (newest first)', async () => {
      expect(await broker.getOrder(randomUUID())).toBeNull();
      expect(await broker.getOrderByClientId(testClientOrderId('none'))).toBeNull();

      const done = await buyAndFill(1);
      await new Promise((r) => setTimeout(r, 10));
      const restingReq = limit('buy', 1, 50, 'MSFT');
      const resting = await broker.submitOrder(restingReq);

      expect((await broker.getOrder(resting.id))?.clientOrderId).toBe(restingReq.clientOrderId);
      expect((await broker.getOrderByClientId(restingReq.clientOrderId))?.id).toBe(resting.id);
      expect((await broker.getOrderByClientId(done.clientOrderId))?.id).toBe(done.id);

      const ids = (os: BrokerOrder[]) => os.map((o) => o.id);
      expect(ids(await broker.listOrders())).toEqual([resting.id]);
      expect(ids(await broker.listOrders({ status: 'open' }))).toEqual([resting.id]);
      expect(ids(await broker.listOrders({ status: 'closed' }))).toEqual([done.id]);
      expect(ids(await broker.listOrders({ status: 'all' }))).toEqual([resting.id, done.id]);
      expect(ids(await broker.listOrders({ status: 'all', limit: 1 }))).toEqual([resting.id]);
      expect(ids(await broker.listOrders({ status: 'all', after: done.submittedAt }))).toEqual([resting.id]);
    });

    it('moves cash and equity by a fill: cash down by the notional (plus small costs), equity = cash + positions', async () => {
      const before = await broker.getAccount();
      expect(before.cash).toBeGreaterThan(10_000);
      expect(before.equity).toBeCloseTo(before.cash, 6);
      expect(before.tradingBlocked).toBe(false);
      expect(before.currency).toMatch(/^[A-Z]{3}$/);

      const filled = await buyAndFill(10);
      const notional = 10 * filled.filledAvgPrice!;
      const after = await waitUntil('cash to move', async () => {
        const a = await broker.getAccount();
        return a.cash < before.cash ? a : undefined;
      });
      expect(before.cash - after.cash).toBeGreaterThanOrEqual(notional - 1e-6);
      expect(before.cash - after.cash).toBeLessThan(notional * 1.01);
      const positions = await broker.listPositions();
      const held = positions.reduce((s, p) => s + p.marketValue, 0);
      expect(after.equity).toBeCloseTo(after.cash + held, 4);
      // Equity only lost the costs of the trade.
      expect(after.equity).toBeLessThanOrEqual(before.equity + 1e-6);
      expect(after.equity).toBeGreaterThan(before.equity - notional * 0.01);

      // A price move changes equity, not cash.
      await ctl.setPrice('AAPL', 110);
      const moved = await waitUntil('equity to follow the price', async () => {
        const a = await broker.getAccount();
        return a.equity > after.equity + 90 ? a : undefined;
      });
      expect(moved.cash).toBeCloseTo(after.cash, 6);
      expect(moved.equity - after.equity).toBeCloseTo(100, 4);
    });

    it('keeps positions through buys and sells, and drops a closed one', async () => {
      expect(await broker.listPositions()).toEqual([]);
      const b1 = await buyAndFill(10);
      let pos = await broker.listPositions();
      expect(pos).toHaveLength(1);
      expect(pos[0]).toMatchObject({ symbol: 'AAPL', qty: 10 });
      expect(pos[0].avgEntryPrice).toBeCloseTo(b1.filledAvgPrice!, 6);
      expect(pos[0].currentPrice).toBe(100);
      expect(pos[0].marketValue).toBeCloseTo(1000, 6);

      await ctl.setPrice('AAPL', 120);
      const b2 = await buyAndFill(10);
      pos = await broker.listPositions();
      expect(pos[0].qty).toBe(20);
      // Average entry weighs both buys by their shares.
      expect(pos[0].avgEntryPrice).toBeCloseTo((b1.filledAvgPrice! + b2.filledAvgPrice!) / 2, 6);
      expect(pos[0].marketValue).toBeCloseTo(2400, 6);

      const s1 = await broker.submitOrder(market('sell', 15));
      await waitForStatus(broker, s1.id, 'filled');
      pos = await broker.listPositions();
      expect(pos[0].qty).toBe(5);
      // A sale does not change the average entry of what is left.
      expect(pos[0].avgEntryPrice).toBeCloseTo((b1.filledAvgPrice! + b2.filledAvgPrice!) / 2, 6);

      const s2 = await broker.submitOrder(market('sell', 5));
      await waitForStatus(broker, s2.id, 'filled');
      expect(await broker.listPositions()).toEqual([]);
    });

    it('reports a clock: an open test venue with ISO times', async () => {
      const clock = await broker.getClock();
      expect(clock.isOpen).toBe(true);
      for (const t of [clock.timestamp, clock.nextOpen, clock.nextClose]) expect(Number.isNaN(Date.parse(t)), t).toBe(false);
      expect(Math.abs(Date.parse(clock.timestamp) - Date.now())).toBeLessThan(60_000);
    });

    it('streams trade updates in order (new, then fill with price, qty and execution id) until unsubscribed', async () => {
      const seen: TradeUpdate[] = [];
      const stop = broker.onTradeUpdate((u) => seen.push(u));
      const o = await broker.submitOrder(market('buy', 3));
      const fill = await waitUntil('a fill event', () => seen.find((u) => u.order.id === o.id && u.event === 'fill'));
      const mine = seen.filter((u) => u.order.id === o.id);
      expect(mine.map((u) => u.event)).toEqual(['new', 'fill']);
      expect(mine[0].order.clientOrderId).toBe(o.clientOrderId);
      expect(fill.qty).toBe(3);
      expect(fill.price).toBeGreaterThanOrEqual(100);
      expect(fill.executionId).toEqual(expect.any(String));
      expect(fill.order.status).toBe('filled');
      expect(Number.isNaN(Date.parse(fill.timestamp))).toBe(false);

      // A resting order that is cancelled reports 'new' then 'canceled'.
      const r = await broker.submitOrder(limit('buy', 1, 50));
      await broker.cancelOrder(r.id);
      await waitUntil('a canceled event', () => seen.find((u) => u.order.id === r.id && u.event === 'canceled'));
      expect(seen.filter((u) => u.order.id === r.id).map((u) => u.event)).toEqual(['new', 'canceled']);

      stop();
      const count = seen.length;
      await buyAndFill(1);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen.length).toBe(count);
    });
  });
}
