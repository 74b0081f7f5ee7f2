/**
 * The execution service reconciles with its venue on start and every
 * API_RECONCILE_SECONDS, over real HTTP and WebSocket, on the local paper
 * venue and this file's own Postgres database. One venue account for the
 * whole file (tests run in order): what the first test leaves at the venue
 * is in sync with our book when the second starts.
 *
 * - Explainable: an order we recorded (as the executor does, before
 *   submitting) filled at the venue while no service was listening; the
 *   service books it on start, before it answers any request.
 * - Unexplainable: an order placed at the venue that we never recorded; the
 *   next reconciliation halts trading, publishes a `halt` event, and the next
 *   signal is rejected `trading_halted`.
 * Expected quantities and prices are the ones the test submits (spread and
 * slippage 0, price 100 from the manual feed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaperBroker, type PaperBroker } from '../src/adapters/broker/paper';
import type { BrokerOrder } from '../src/adapters/broker/types';
import type { Db } from '../src/adapters/postgres/pool';
import { createManualPriceFeed, type ManualPriceFeed } from '../src/adapters/price-feed/manual';
import { createFeedQuoteSource } from '../src/api/quotes';
import { startApiService, type ApiService } from '../src/api/service';
import { call, createKey, eventually, openEvents, signal } from './api-support';
import { testConfig, testDb, uniqueName } from './helpers';

let db: Db;
let feed: ManualPriceFeed;
let broker: PaperBroker;
let service: ApiService | undefined;
let trade: string;

beforeAll(async () => {
  db = testDb();
  feed = createManualPriceFeed({ initial: { AAPL: 100, MSFT: 100, XOM: 100 } });
  broker = await createPaperBroker({
    db,
    feed,
    account: uniqueName('reconcile'),
    startingCash: 1_000_000,
    spreadBps: 0,
    slippageBps: 0,
    outsideHours: 'queue',
    marketHours: 'always',
  });
  trade = await createKey(db, 'trade');
});
afterAll(async () => {
  await service?.close();
  await broker?.close();
  await feed?.close();
  await db?.end();
});

function start(): Promise<ApiService> {
  const config = testConfig({
    API_MARKET_HOURS: 'always',
    PAPER_MARKET_HOURS: 'always',
    API_REFRESH_SECONDS: '60', // the cache's own reload must not be what makes the halt visible
    API_RECONCILE_SECONDS: '0.5',
  });
  return startApiService({
    config,
    db,
    broker,
    quotes: createFeedQuoteSource(feed),
    port: 0,
    log: () => undefined,
    reconcile: { confirmDelayMs: 50 },
  });
}

async function filledAtVenue(order: BrokerOrder): Promise<BrokerOrder> {
  return eventually(`order ${order.clientOrderId} filled at the venue`, async () => {
    const o = await broker.getOrder(order.id);
    return o?.status === 'filled' ? o : undefined;
  });
}

describe('reconciliation in the execution service', () => {
  it('books on start a fill it missed while no service was listening', async () => {
    const clientOrderId = uniqueName('missed');
    // What the executor writes before it submits: the order row, not yet acknowledged.
    const row = await db.query(
      `INSERT INTO trading_orders (client_order_id, broker, broker_order_id, strategy_id, symbol, side, qty, order_type, status)
       VALUES ($1, 'paper', NULL, 'moving_average_crossover', 'MSFT', 'buy', 7, 'market', 'pending_new') RETURNING id`,
      [clientOrderId],
    );
    const id = Number(row.rows[0].id);
    await filledAtVenue(
      await broker.submitOrder({ clientOrderId, symbol: 'MSFT', side: 'buy', qty: 7, type: 'market', timeInForce: 'day' }),
    );

    service = await start();
    // Straight after start, before any loop run could have happened: the start reconciliation booked it.
    const read = await call(service.url, trade, 'GET', `/orders/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ client_order_id: clientOrderId, status: 'filled', filled_qty: 7 });
    const listed = await call(service.url, trade, 'GET', '/orders?symbol=MSFT&status=filled');
    expect(listed.body.map((o: { id: number }) => o.id)).toEqual([id]);
    const fills = await db.query(`SELECT qty, price FROM order_fills WHERE order_id = $1`, [id]);
    expect(fills.rows.map((f) => Number(f.qty))).toEqual([7]);
    expect(Number(fills.rows[0].price)).toBeCloseTo(100, 2); // the venue's fill price, to its float rounding
    // Explained, so trading goes on.
    expect(service.cache.halt().halted).toBe(false);
    const ok = await call(service.url, trade, 'POST', '/signals/execute', signal({ symbol: 'AAPL', quantity: 1 }));
    expect(ok.body.status).toBe('executed');
  });

  it('halts trading on an order at the venue it never recorded: halt event, next signal rejected trading_halted', async () => {
    const svc = service!;
    const ws = await openEvents(svc.url, trade);
    try {
      // Still in sync after a few loop runs (the previous test's orders are all explained).
      await new Promise((r) => setTimeout(r, 1200));
      expect(svc.cache.halt().halted).toBe(false);

      const stranger = await broker.submitOrder({
        clientOrderId: uniqueName('stranger'),
        symbol: 'XOM',
        side: 'buy',
        qty: 3,
        type: 'market',
        timeInForce: 'day',
      });
      await filledAtVenue(stranger);

      const halt = await eventually('a halt event', () => ws.events.find((e) => e.event.type === 'halt')?.event, 10_000);
      expect(halt.data).toMatchObject({ halted: true, source: 'reconciliation', broker: 'paper' });
      expect(String(halt.data.reason)).toContain(stranger.clientOrderId);

      const r = await call(svc.url, trade, 'POST', '/signals/execute', signal({ symbol: 'AAPL', quantity: 1 }));
      expect(r.body).toMatchObject({ status: 'rejected', rule: 'trading_halted' });
      const state = await db.query(`SELECT halted, halt_reason FROM trading_state`);
      expect(state.rows[0].halted).toBe(true);
      expect(String(state.rows[0].halt_reason)).toContain(stranger.clientOrderId);
    } finally {
      ws.close();
    }
  });
});
