/**
 * The reconciler against real Postgres (this file's own migrated database)
 * and both real venues: the local paper venue (its own tables, same
 * database) and the loopback fake of Alpaca's API (written from Alpaca's
 * reference). Each test plays what the API process does (record the order in
 * trading_orders, submit it) and then what it did not get to do (book the
 * fill), and checks that reconciliation books an explainable gap exactly
 * once, and halts, writing the reason and a critical line, on an
 * unexplainable one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, Notifier } from '../notify/types';
import { testClientOrderId, waitForStatus } from '../broker/contract';
import { startFakeAlpacaServer, type FakeAlpacaServer } from '../broker/__fixtures__/alpaca-server';
import { createAlpacaBroker } from '../broker/alpaca';
import { createPaperBroker } from '../broker/paper';
import { createManualPriceFeed } from '../price-feed/manual';
import type { Broker, BrokerOrder, OrderRequest } from '../broker/types';
import { createPool, type Db } from '../postgres/pool';
import { reconcileOnce, startReconcileLoop, type ReconcileLogger, type ReconcilerDeps } from './reconciler';

interface Venue {
  broker: Broker;
  setPrice(symbol: string, price: number): void;
  close(): Promise<void>;
}

async function alpacaVenue(): Promise<Venue> {
  const fake: FakeAlpacaServer = await startFakeAlpacaServer();
  const broker = createAlpacaBroker({
    baseUrl: fake.baseUrl,
    streamUrl: fake.streamUrl,
    keyId: fake.keyId,
    secretKey: fake.secretKey,
    retryBaseMs: 5,
  });
  return {
    broker,
    setPrice: (s, p) => fake.setPrice(s, p),
    close: async () => {
      await broker.close();
      await fake.close();
    },
  };
}

/** The local paper venue on this file's database, a fresh account per test, open 24/7. */
async function paperVenue(): Promise<Venue> {
  const db = createPool(process.env.QUANT_TEST_DATABASE_URL!, 2);
  const feed = createManualPriceFeed();
  const broker = await createPaperBroker({
    db,
    feed,
    account: testClientOrderId('acct'),
    startingCash: 1_000_000,
    spreadBps: 5,
    slippageBps: 2,
    outsideHours: 'queue',
    marketHours: 'always',
  });
  return {
    broker,
    setPrice: (s, p) => void feed.set(s, p),
    close: async () => {
      await broker.close();
      await feed.close();
      await db.end();
    },
  };
}

/** A logger that keeps its lines, to check the critical alert. */
function captureLogger() {
  const lines: { level: string; msg: string; meta?: Record<string, unknown> }[] = [];
  const logger: ReconcileLogger = {
    info: (msg, meta) => lines.push({ level: 'info', msg, meta }),
    error: (msg, meta) => lines.push({ level: 'error', msg, meta }),
  };
  return { lines, logger };
}

const market = (symbol: string, qty: number, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId: testClientOrderId('rc'),
  symbol,
  side: 'buy',
  qty,
  type: 'market',
  timeInForce: 'day',
  ...extra,
});

/** What the API writes before it answers "executed": the order row, acknowledged (broker id) or not yet (null). */
async function recordOrder(db: Db, broker: string, req: OrderRequest, brokerOrderId: string | null): Promise<string> {
  const r = await db.query(
    `INSERT INTO trading_orders (client_order_id, broker, broker_order_id, strategy_id, symbol, side, qty, order_type, limit_price, stop_loss, take_profit, status)
     VALUES ($1, $2, $3, 'moving_average_crossover', $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id::text AS id`,
    [
      req.clientOrderId,
      broker,
      brokerOrderId,
      req.symbol,
      req.side,
      req.qty,
      req.type,
      req.limitPrice ?? null,
      req.stopLoss ?? null,
      req.takeProfit ?? null,
      brokerOrderId ? 'new' : 'pending_new',
    ],
  );
  return r.rows[0].id as string;
}

async function orderRow(db: Db, id: string) {
  const r = await db.query(`SELECT status, filled_qty, filled_avg_price, broker_order_id FROM trading_orders WHERE id = $1`, [id]);
  return r.rows[0] as { status: string; filled_qty: number; filled_avg_price: number | null; broker_order_id: string | null };
}

async function fillsOf(db: Db, id: string) {
  const r = await db.query(`SELECT execution_id, side, qty, price FROM order_fills WHERE order_id = $1 ORDER BY execution_id`, [id]);
  return r.rows.map((x) => ({ executionId: x.execution_id as string, side: x.side as string, qty: Number(x.qty), price: Number(x.price) }));
}

async function tradingState(db: Db) {
  const r = await db.query(`SELECT halted, halt_reason FROM trading_state`);
  return r.rows[0] as { halted: boolean; halt_reason: string | null };
}

describe.each([
  { name: 'the local paper venue', start: paperVenue },
  { name: 'alpaca (loopback fake)', start: alpacaVenue },
])('reconciler with $name', ({ start }) => {
  let db: Db;
  let venue: Venue;
  let deps: ReconcilerDeps;
  let log: ReturnType<typeof captureLogger>;

  beforeEach(async () => {
    // This file's own migrated database (tests/per-file-database.mts).
    db = createPool(process.env.QUANT_TEST_DATABASE_URL!, 4);
    await db.query(`TRUNCATE order_fills, trading_orders, broker_positions CASCADE`);
    await db.query(`UPDATE trading_state SET halted = false, halt_reason = NULL`);
    venue = await start();
    log = captureLogger();
    deps = { db, broker: venue.broker, logger: log.logger, confirmDelayMs: 10 };
  });

  afterEach(async () => {
    await venue.close();
    await db.end();
  });

  it('books a fill that happened while we were not listening, once, and mirrors the position', async () => {
    venue.setPrice('AAPL', 100);
    const req = market('AAPL', 10);
    const placed = await venue.broker.submitOrder(req);
    const id = await recordOrder(db, venue.broker.name, req, placed.id);
    const filled: BrokerOrder = await waitForStatus(venue.broker, placed.id, 'filled');

    const r = await reconcileOnce(deps);
    expect(r).toMatchObject({ outcome: 'booked', fillsBooked: 1, ordersUpdated: 1, problems: [], haltReason: null });
    // Expected values from the venue itself: its order's filled quantity and average price.
    expect(await fillsOf(db, id)).toEqual([{ executionId: `recon-${placed.id}-10`, side: 'buy', qty: 10, price: filled.filledAvgPrice }]);
    expect(await orderRow(db, id)).toMatchObject({ status: 'filled', filled_qty: 10, filled_avg_price: filled.filledAvgPrice });
    const pos = await db.query(`SELECT symbol, qty FROM broker_positions WHERE broker = $1`, [venue.broker.name]);
    expect(pos.rows).toEqual([{ symbol: 'AAPL', qty: 10 }]);
    expect(await tradingState(db)).toEqual({ halted: false, halt_reason: null });

    // A second pass finds nothing to do and writes nothing.
    expect((await reconcileOnce(deps)).outcome).toBe('in_sync');
    expect(await fillsOf(db, id)).toHaveLength(1);
  });

  it('stores the venue id of an order whose acknowledgement was lost, and books its fill', async () => {
    venue.setPrice('MSFT', 400);
    const req = market('MSFT', 3);
    const id = await recordOrder(db, venue.broker.name, req, null);
    const placed = await venue.broker.submitOrder(req);
    await waitForStatus(venue.broker, placed.id, 'filled');

    const r = await reconcileOnce(deps);
    expect(r.outcome).toBe('booked');
    expect(await orderRow(db, id)).toMatchObject({ broker_order_id: placed.id, status: 'filled', filled_qty: 3 });
    expect((await fillsOf(db, id)).map((f) => f.qty)).toEqual([3]);
  });

  it('books a bracket stop-loss that triggered while we were down on the opposite side; the position closes', async () => {
    venue.setPrice('AMD', 100);
    const req = market('AMD', 10, { stopLoss: 95, takeProfit: 120, timeInForce: 'gtc' });
    const placed = await venue.broker.submitOrder(req);
    const id = await recordOrder(db, venue.broker.name, req, placed.id);
    await waitForStatus(venue.broker, placed.id, 'filled');
    venue.setPrice('AMD', 90);
    const deadline = Date.now() + 5_000;
    let legs: BrokerOrder[] = [];
    while (Date.now() < deadline) {
      legs = (await venue.broker.getOrder(placed.id))?.legs ?? [];
      if (legs.some((l) => l.status === 'filled')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const stop = legs.find((l) => l.status === 'filled')!;
    expect(stop).toBeDefined();

    const r = await reconcileOnce(deps);
    expect(r).toMatchObject({ outcome: 'booked', problems: [] });
    const fills = await fillsOf(db, id);
    expect(fills.map((f) => [f.side, f.qty])).toEqual([
      ['buy', 10],
      ['sell', 10],
    ]);
    // The leg's fill price is the venue's own average for that leg.
    expect(fills[1].price).toBe(stop.filledAvgPrice);
    expect((await db.query(`SELECT count(*)::int AS n FROM broker_positions`)).rows[0].n).toBe(0);
    expect((await reconcileOnce(deps)).outcome).toBe('in_sync');
  });

  it('halts on a venue order we never sent, naming symbol and order, still booking what it can explain', async () => {
    venue.setPrice('AAPL', 100);
    venue.setPrice('TSLA', 250);
    const ours = market('AAPL', 5);
    const placed = await venue.broker.submitOrder(ours);
    const id = await recordOrder(db, venue.broker.name, ours, placed.id);
    const stranger = await venue.broker.submitOrder(market('TSLA', 2, { clientOrderId: testClientOrderId('manual') }));
    await waitForStatus(venue.broker, placed.id, 'filled');
    await waitForStatus(venue.broker, stranger.id, 'filled');

    const sent: Alert[] = [];
    const alerts: Notifier = { kind: 'webhook', notify: async (a) => (sent.push(...a), true) };
    const r = await reconcileOnce({ ...deps, alerts });
    // The halt goes to the webhook once: the next reconciliation, still halted, does not page again.
    expect((await reconcileOnce({ ...deps, alerts })).outcome).toBe('halted');
    expect(sent).toEqual([
      expect.objectContaining({
        severity: 'critical',
        source: 'reconciliation',
        message: expect.stringContaining(`broker order ${stranger.id}`),
      }),
    ]);
    expect(r.outcome).toBe('halted');
    expect(r.problems.map((p) => [p.kind, p.symbol, p.order])).toEqual([
      ['unknown_venue_order', 'TSLA', stranger.id],
      ['position_mismatch', 'TSLA', null],
    ]);
    const state = await tradingState(db);
    expect(state.halted).toBe(true);
    expect(state.halt_reason).toContain(`broker order ${stranger.id} (TSLA buy 2`);
    expect(state.halt_reason).toContain('position TSLA: the broker holds 2, our fills with the bookings add up to 0');
    const critical = log.lines.filter((l) => l.meta?.severity === 'critical');
    expect(critical).toHaveLength(2); // one line per halting run, for log-based alerting
    expect(critical[0].msg).toMatch(/^CRITICAL: trading halted by reconciliation/);
    // Our own order's fill is a fact the venue reports: booked even though trading halts.
    expect((await fillsOf(db, id)).map((f) => f.qty)).toEqual([5]);
    // Fail closed: the positions mirror is not rewritten while something is unexplained.
    expect((await db.query(`SELECT count(*)::int AS n FROM broker_positions`)).rows[0].n).toBe(0);
  });

  it("with haltScope 'caller' reports the halt and books the explainable part, but leaves the service's halt flag alone", async () => {
    venue.setPrice('AAPL', 100);
    venue.setPrice('MSFT', 300);
    const ours = market('AAPL', 3);
    const placed = await venue.broker.submitOrder(ours);
    const id = await recordOrder(db, venue.broker.name, ours, placed.id);
    const stranger = await venue.broker.submitOrder(market('MSFT', 1, { clientOrderId: testClientOrderId('manual') }));
    await waitForStatus(venue.broker, placed.id, 'filled');
    await waitForStatus(venue.broker, stranger.id, 'filled');

    const r = await reconcileOnce({ ...deps, haltScope: 'caller' });
    expect(r.outcome).toBe('halted');
    expect(r.haltReason).toContain(`broker order ${stranger.id}`);
    expect(await tradingState(db)).toEqual({ halted: false, halt_reason: null });
    expect((await fillsOf(db, id)).map((f) => f.qty)).toEqual([3]);
  });

  it('halts on an order of ours the venue never received, once the grace period is over', async () => {
    const req = market('NVDA', 4);
    await recordOrder(db, venue.broker.name, req, null);
    expect((await reconcileOnce({ ...deps, graceMs: 60_000 })).outcome).toBe('in_sync');
    expect(await tradingState(db)).toMatchObject({ halted: false });

    const later = () => new Date(Date.now() + 5 * 60_000);
    const r = await reconcileOnce({ ...deps, graceMs: 60_000, now: later });
    expect(r.outcome).toBe('halted');
    expect(r.problems).toEqual([
      {
        kind: 'missing_at_venue',
        symbol: 'NVDA',
        order: req.clientOrderId,
        message: expect.stringContaining(`order ${req.clientOrderId} (NVDA buy 4`),
      },
    ]);
    expect((await tradingState(db)).halt_reason).toContain(req.clientOrderId);
  });

  it('never lifts a halt, and the loop keeps reconciling until stopped', async () => {
    await db.query(`UPDATE trading_state SET halted = true, halt_reason = 'set by hand'`);
    venue.setPrice('AAPL', 100);
    const req = market('AAPL', 1);
    const placed = await venue.broker.submitOrder(req);
    await recordOrder(db, venue.broker.name, req, placed.id);
    await waitForStatus(venue.broker, placed.id, 'filled');

    const results: string[] = [];
    const loop = startReconcileLoop(deps, 20, (r) => results.push(r.outcome));
    const deadline = Date.now() + 10_000;
    while (results.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await loop.stop();
    expect(results.slice(0, 3)).toEqual(['booked', 'in_sync', 'in_sync']);
    expect(loop.last()?.wasHalted).toBe(true);
    expect(await tradingState(db)).toEqual({ halted: true, halt_reason: 'set by hand' });
  });
});
