/**
 * The local paper venue on embedded Postgres: the shared broker contract,
 * then what only a simulated venue has: exact fill prices from the cost
 * model, brackets, market hours (queue or reject), day expiry, buying power,
 * a restart that keeps the account, and trading on replayed bars.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDb, uniqueName } from '../../../tests/helpers';
import type { Db } from '../postgres/pool';
import { createManualPriceFeed, type ManualPriceFeed } from '../price-feed/manual';
import { barsFromProvider, createReplayPriceFeed } from '../price-feed/replay';
import { createSyntheticProvider } from '../market-data/synthetic';
import { describeBrokerContract, testClientOrderId, waitForStatus, waitUntil } from './contract';
import { createPaperBroker, type PaperBroker, type PaperBrokerOptions } from './paper';
import { BrokerError, type OrderRequest, type TradeUpdate } from './types';

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.end();
});

const settings = { startingCash: 100_000, spreadBps: 10, slippageBps: 2, outsideHours: 'queue' as const, marketHours: 'always' as const };

/** The broker contract on a fresh paper account with `extra` options. */
function describePaperContract(name: string, extra: Partial<PaperBrokerOptions> = {}) {
  describeBrokerContract(name, async () => {
    const feed = createManualPriceFeed();
    const broker = await createPaperBroker({ db, feed, account: uniqueName('contract'), ...settings, ...extra });
    return {
      broker,
      async setPrice(symbol, price) {
        feed.set(symbol, price);
      },
      async close() {
        await broker.close();
        await feed.close();
      },
    };
  });
}

describePaperContract('paper (embedded Postgres, 24/7)');
// The same contract when every settled bracket leaves memory at once (keepSettledOrders 0): what the venue
// answers about settled orders then comes from the database alone.
describePaperContract('paper, settled orders read back from the database', { keepSettledOrders: 0 });

describe('paper venue', () => {
  const opened: { broker: PaperBroker; feed: { close(): Promise<void> } }[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) {
      await o.broker.close();
      await o.feed.close();
    }
  });
  async function venue(over: Partial<PaperBrokerOptions> & { feed?: ManualPriceFeed } = {}) {
    const feed = over.feed ?? createManualPriceFeed();
    const broker = await createPaperBroker({ db, account: uniqueName('paper'), ...settings, ...over, feed });
    opened.push({ broker, feed });
    return { broker, feed };
  }
  const market = (side: 'buy' | 'sell', qty: number, extra: Partial<OrderRequest> = {}): OrderRequest => ({
    clientOrderId: testClientOrderId(side),
    symbol: 'AAPL',
    side,
    qty,
    type: 'market',
    timeInForce: 'day',
    ...extra,
  });

  it('fills a market buy at last x (1 + half-spread + slippage + impact) and charges commission and exchange fee', async () => {
    const { broker, feed } = await venue();
    feed.set('AAPL', 100);
    const o = await broker.submitOrder(market('buy', 10));
    // Worked by hand: 10 bps spread -> 5, slippage 2, impact 0.1 bp per $1,000 on $1,000 -> 0.1: 7.1 bps.
    const price = 100 * (1 + 7.1e-4); // 100.071
    expect(o.status).toBe('filled');
    expect(o.filledAvgPrice).toBeCloseTo(price, 9);
    // Fees: 10 x $0.005 commission + 3 bps exchange fee on $1,000.71.
    const fees = 0.05 + 1000.71 * 3e-4;
    const acct = await broker.getAccount();
    expect(acct.cash).toBeCloseTo(100_000 - 1000.71 - fees, 6);
    expect(acct.equity).toBeCloseTo(acct.cash + 1000, 6);
  });

  it('keeps only the most recent settled brackets in memory; older ones read back the same from the database', async () => {
    const { broker, feed } = await venue({ keepSettledOrders: 1 });
    feed.set('AAPL', 100);
    const firstReq = market('buy', 3, { stopLoss: 90, takeProfit: 120 });
    const first = await broker.submitOrder(firstReq);
    const inMemory = await broker.getOrder(first.id);
    // The venue keeps milliseconds: orders submitted within one have no order between them (CI once listed 3 before 2).
    const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));
    await nextMillisecond();
    await broker.submitOrder(market('buy', 2)); // settles a second bracket: the first leaves memory
    await nextMillisecond();
    await broker.submitOrder(market('buy', 1));
    const stored = await broker.getOrder(first.id);
    expect(stored).toEqual(inMemory); // entry, status, fill price and both legs as they were
    expect(await broker.getOrderByClientId(firstReq.clientOrderId)).toEqual(inMemory);
    expect((await broker.submitOrder(firstReq)).id).toBe(first.id); // a resubmission is still the same order
    await expect(broker.cancelOrder(first.id)).rejects.toMatchObject({ type: 'OrderNotCancelable', status: 422 });
    const all = await broker.listOrders({ status: 'all' });
    expect(all.map((o) => o.qty)).toEqual([1, 2, 3]); // newest first, the retired one included
    expect(all[2]).toEqual(inMemory);
    expect((await broker.listPositions())[0].qty).toBe(6);
  });

  it('lets a filled entry leave memory while its legs rest: the stop still triggers, and the entry reads back with its legs as they are', async () => {
    const { broker, feed } = await venue({ keepSettledOrders: 0 });
    feed.set('AAPL', 100);
    feed.set('MSFT', 300);
    const bracket = await broker.submitOrder(market('buy', 4, { stopLoss: 95, takeProfit: 110 }));
    expect(bracket.status).toBe('filled');
    // Mark the stored entry: only a read from the database can show the mark, so seeing it proves the entry left memory.
    const marked = '2001-02-03T04:05:06.000Z';
    await db.query('UPDATE paper_venue_orders SET updated_at = $2 WHERE id = $1', [bracket.id, marked]);
    const resting = await broker.getOrder(bracket.id);
    expect(resting?.updatedAt).toBe(marked);
    expect(resting?.legs.map((l) => [l.type, l.status])).toEqual([
      ['limit', 'new'],
      ['stop', 'new'],
    ]);
    const updates: string[] = [];
    broker.onTradeUpdate((u) => updates.push(`${u.event}:${u.order.type}`));
    feed.set('MSFT', 250); // another symbol's tick leaves the AAPL legs alone
    feed.set('AAPL', 94); // crosses the stop: it fills, its sibling take-profit is canceled
    await expect.poll(() => updates).toEqual(['fill:stop', 'canceled:limit']);
    const after = await broker.getOrder(bracket.id);
    expect(after?.status).toBe('filled');
    expect(after?.legs.map((l) => [l.type, l.status])).toEqual([
      ['limit', 'canceled'],
      ['stop', 'filled'],
    ]);
    expect(await broker.listPositions()).toEqual([]);
  });

  it('keeps the account across a restart: orders, positions, cash, resting orders, idempotency', async () => {
    const account = uniqueName('restart');
    const first = await venue({ account });
    first.feed.set('AAPL', 100);
    const bought = await first.broker.submitOrder(market('buy', 10));
    const restingReq: OrderRequest = { ...market('buy', 5), type: 'limit', limitPrice: 90, timeInForce: 'gtc' };
    const resting = await first.broker.submitOrder(restingReq);
    const before = await first.broker.getAccount();
    await first.broker.close();

    const feed = createManualPriceFeed({ initial: { AAPL: 100 } });
    const second = await venue({ account, feed, startingCash: 1 }); // an existing account keeps its own starting cash
    expect((await second.broker.getOrder(bought.id))?.status).toBe('filled');
    expect((await second.broker.getOrderByClientId(restingReq.clientOrderId))?.status).toBe('new');
    expect(await second.broker.listPositions()).toEqual([
      expect.objectContaining({ symbol: 'AAPL', qty: 10, avgEntryPrice: bought.filledAvgPrice }),
    ]);
    const after = await second.broker.getAccount();
    expect(after.cash).toBeCloseTo(before.cash, 9);
    // The same client order id after the restart is the same order, not a second one.
    expect((await second.broker.submitOrder(restingReq)).id).toBe(resting.id);
    feed.set('AAPL', 89);
    await waitForStatus(second.broker, resting.id, 'filled');
    expect((await second.broker.listPositions())[0].qty).toBe(15);
  });

  it('opens a read-only view that sees what the trading instance stored and refuses to trade', async () => {
    const account = uniqueName('view');
    const nobody = await venue({ account: uniqueName('untraded'), readOnly: true });
    expect((await nobody.broker.getAccount()).cash).toBe(100_000);
    const trader = await venue({ account });
    trader.feed.set('AAPL', 100);
    const view = await venue({ account, readOnly: true });
    const o = await trader.broker.submitOrder(market('buy', 10));
    expect((await view.broker.getOrder(o.id))?.status).toBe('filled'); // an order it does not hold is read from the database
    await view.broker.reload();
    expect((await view.broker.getOrder(o.id))?.status).toBe('filled');
    expect((await view.broker.listPositions()).map((p) => p.qty)).toEqual([10]);
    expect((await view.broker.getAccount()).cash).toBeCloseTo((await trader.broker.getAccount()).cash, 9);
    await expect(view.broker.submitOrder(market('buy', 1))).rejects.toMatchObject({ type: 'ReadOnlyVenue', retryable: false });
    await expect(view.broker.cancelOrder(o.id)).rejects.toMatchObject({ type: 'ReadOnlyVenue' });
    // A price that crosses a resting order moves nothing in a view: it does not trade.
    const resting = await trader.broker.submitOrder({ ...market('buy', 1), type: 'limit', limitPrice: 60, timeInForce: 'gtc' });
    await view.broker.reload();
    view.feed.set('AAPL', 50);
    await new Promise((r) => setTimeout(r, 50));
    expect((await view.broker.getOrder(resting.id))?.status).toBe('new');
  });

  it('runs a bracket: legs wait for the entry, the take-profit fills on a later price and cancels the stop', async () => {
    const { broker, feed } = await venue({ spreadBps: 0, slippageBps: 0 });
    feed.set('AAPL', 100);
    const updates: TradeUpdate[] = [];
    broker.onTradeUpdate((u) => updates.push(u));
    const entry = await broker.submitOrder(market('buy', 10, { stopLoss: 95, takeProfit: 110 }));
    expect(entry.status).toBe('filled');
    const tp = entry.legs.find((l) => l.type === 'limit')!;
    const sl = entry.legs.find((l) => l.type === 'stop')!;
    expect(tp).toMatchObject({ side: 'sell', limitPrice: 110, status: 'new', qty: 10 });
    expect(sl).toMatchObject({ side: 'sell', stopPrice: 95, status: 'new', qty: 10 });

    feed.set('AAPL', 109.99);
    expect((await broker.getOrder(tp.id))?.status).toBe('new');
    feed.set('AAPL', 111);
    const filled = await waitForStatus(broker, tp.id, 'filled');
    expect(filled.filledAvgPrice).toBeGreaterThanOrEqual(110);
    expect((await broker.getOrder(sl.id))?.status).toBe('canceled');
    expect(await broker.listPositions()).toEqual([]);
    await waitUntil('the canceled stop event', () => updates.find((u) => u.order.id === sl.id && u.event === 'canceled'));
    expect(updates.map((u) => [u.event, u.order.id])).toEqual([
      ['new', entry.id],
      ['fill', entry.id],
      ['fill', tp.id],
      ['canceled', sl.id],
    ]);
  });

  it('refuses a bracket on the wrong side of the price, naming the field', async () => {
    const { broker, feed } = await venue();
    feed.set('AAPL', 100);
    const err = await broker.submitOrder(market('buy', 1, { stopLoss: 101 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect(err).toMatchObject({ type: 'InvalidOrder', retryable: false, status: 422 });
    expect((err as Error).message).toMatch(/stopLoss 101 must be below the last price 100/);
    expect(await broker.listOrders({ status: 'all' })).toEqual([]);
  });

  it('refuses a buy beyond buying power (open buy orders reserve theirs), not retryable', async () => {
    const { broker, feed } = await venue({ startingCash: 10_000 });
    feed.set('AAPL', 100);
    await broker.submitOrder({ ...market('buy', 60), type: 'limit', limitPrice: 90, timeInForce: 'gtc' }); // reserves 5,400
    expect((await broker.getAccount()).buyingPower).toBeCloseTo(4_600, 9);
    const err = await broker.submitOrder(market('buy', 46)).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'InsufficientBuyingPower', retryable: false, status: 403 });
    expect((await broker.submitOrder(market('buy', 45))).status).toBe('filled');
  });

  it('fails a call whose write fails (retryable) and keeps nothing the database does not hold', async () => {
    // The real pool, with one injected failure: the next statement (the order's write) fails.
    let failNext = false;
    const flaky = new Proxy(db, {
      get(target, prop) {
        if (prop === 'query' && failNext) {
          failNext = false;
          return async () => {
            throw new Error('connection refused (injected)');
          };
        }
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const { broker, feed } = await venue({ db: flaky });
    feed.set('AAPL', 100);
    const updates: TradeUpdate[] = [];
    broker.onTradeUpdate((u) => updates.push(u));
    const req = market('buy', 10);
    failNext = true;
    const err = await broker.submitOrder(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect(err).toMatchObject({ type: 'VenueUnavailable', retryable: true });
    expect(await broker.getOrderByClientId(req.clientOrderId)).toBeNull();
    expect(await broker.listPositions()).toEqual([]);
    expect((await broker.getAccount()).cash).toBe(100_000);
    expect(updates).toEqual([]);
    // The retry goes through, once.
    expect((await broker.submitOrder(req)).status).toBe('filled');
    expect(await broker.listOrders({ status: 'all' })).toHaveLength(1);
  });

  describe('market hours (NYSE, a clock we move)', () => {
    // Monday 2026-03-02, EST: 08:00 New York = 13:00 UTC, the open 14:30 UTC, the close 21:00 UTC.
    const clock = { t: Date.parse('2026-03-02T13:00:00Z') };
    const nyse = { marketHours: 'nyse' as const, now: () => clock.t, clockIntervalMs: 20 };

    it('queues an order before the open and fills it at the first price of the session', async () => {
      clock.t = Date.parse('2026-03-02T13:00:00Z');
      const { broker, feed } = await venue(nyse);
      feed.set('AAPL', 100);
      expect(await broker.getClock()).toEqual({
        timestamp: '2026-03-02T13:00:00.000Z',
        isOpen: false,
        nextOpen: '2026-03-02T14:30:00.000Z',
        nextClose: '2026-03-02T21:00:00.000Z',
      });
      const o = await broker.submitOrder(market('buy', 10));
      expect(o.status).toBe('accepted');
      feed.set('AAPL', 99); // still closed: nothing trades
      expect((await broker.getOrder(o.id))?.status).toBe('accepted');
      clock.t = Date.parse('2026-03-02T14:30:00Z');
      feed.set('AAPL', 102);
      const filled = await waitForStatus(broker, o.id, 'filled');
      expect(filled.filledAvgPrice).toBeCloseTo(102 * (1 + (5 + 2 + 0.102) / 1e4), 9);
    });

    it('routes a queued order at the open on the clock alone, trading on the last price', async () => {
      clock.t = Date.parse('2026-03-02T13:00:00Z');
      const { broker, feed } = await venue(nyse);
      feed.set('AAPL', 100);
      const o = await broker.submitOrder(market('buy', 1));
      clock.t = Date.parse('2026-03-02T14:30:00Z');
      await waitForStatus(broker, o.id, 'filled');
    });

    it('expires a day order at the close', async () => {
      clock.t = Date.parse('2026-03-02T15:00:00Z');
      const { broker, feed } = await venue(nyse);
      feed.set('AAPL', 100);
      const o = await broker.submitOrder({ ...market('buy', 1), type: 'limit', limitPrice: 50 });
      expect(o.status).toBe('new');
      clock.t = Date.parse('2026-03-02T21:00:00Z');
      await waitForStatus(broker, o.id, 'expired');
    });

    it('rejects an order outside hours when configured to, and records it', async () => {
      clock.t = Date.parse('2026-03-02T13:00:00Z');
      const { broker, feed } = await venue({ ...nyse, outsideHours: 'reject' });
      feed.set('AAPL', 100);
      const updates: TradeUpdate[] = [];
      broker.onTradeUpdate((u) => updates.push(u));
      const req = market('buy', 1);
      const o = await broker.submitOrder(req);
      expect(o.status).toBe('rejected');
      expect((await broker.submitOrder(req)).id).toBe(o.id);
      expect(updates.map((u) => u.event)).toEqual(['rejected']);
    });
  });

  it('trades on replayed synthetic bars with the replay clock', async () => {
    const provider = createSyntheticProvider({ seed: 11 });
    const bars = await barsFromProvider(provider, ['AAPL'], '2026-01-05', '2026-01-30');
    const feed = createReplayPriceFeed(bars);
    const broker = await createPaperBroker({
      db,
      feed,
      account: uniqueName('replay'),
      ...settings,
      marketHours: 'nyse',
      now: feed.now,
      clockIntervalMs: 0,
    });
    opened.push({ broker, feed });
    feed.step(); // the first open
    const first = bars[0];
    const o = await broker.submitOrder(market('buy', 10));
    expect(o.status).toBe('filled');
    expect(o.submittedAt).toBe('2026-01-05T14:30:00.000Z');
    expect(o.filledAvgPrice).toBeGreaterThan(first.open);
    // A limit 1 % under the lowest close of the month never fills; one at the highest close fills at the first crossing.
    const lowest = Math.min(...bars.map((b) => Math.min(b.open, b.close)));
    const highest = Math.max(...bars.map((b) => Math.max(b.open, b.close)));
    const never = await broker.submitOrder({ ...market('buy', 1), type: 'limit', limitPrice: lowest * 0.99, timeInForce: 'gtc' });
    const soon = await broker.submitOrder({ ...market('buy', 1), type: 'limit', limitPrice: highest, timeInForce: 'gtc' });
    while (feed.step().length > 0);
    expect((await broker.getOrder(never.id))?.status).toBe('new');
    const s = await waitForStatus(broker, soon.id, 'filled');
    expect(s.filledAvgPrice).toBeLessThanOrEqual(highest);
    const last = bars[bars.length - 1];
    const pos = await broker.listPositions();
    expect(pos[0]).toMatchObject({ symbol: 'AAPL', qty: 11, currentPrice: last.close });
  });
});
