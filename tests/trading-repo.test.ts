/**
 * Booking a batch of trade updates (`applyTradeUpdates`, one statement per
 * batch, as the execution service does off the hot path) against the test
 * Postgres: per update, the order as stored after the batch and whether its
 * fill was new; a repeated execution id is booked once; an update for an
 * order that is not ours answers null. Expected values are the updates the
 * test itself sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerOrder, TradeUpdate } from '../src/adapters/broker/types';
import type { Db } from '../src/adapters/postgres/pool';
import { createTradingRepo } from '../src/adapters/postgres/trading-repo';
import { testDb, uniqueName } from './helpers';

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.end();
});

async function recordOrder(repo: ReturnType<typeof createTradingRepo>, clientOrderId: string, symbol: string) {
  const [r] = await repo.recordExecutedSignals([
    {
      signal: {
        idempotencyKey: uniqueName('key'),
        strategyId: 'moving_average_crossover',
        symbol,
        action: 'BUY',
        quantity: 2,
        priceTarget: null,
        stopLoss: null,
        takeProfit: null,
        confidence: 0.9,
        signalTs: new Date().toISOString(),
        metadata: {},
      },
      order: {
        clientOrderId,
        broker: 'paper',
        side: 'buy',
        qty: 2,
        orderType: 'market',
        limitPrice: null,
        stopLoss: null,
        takeProfit: null,
      },
    },
  ]);
  return r!.order;
}

function update(clientOrderId: string, symbol: string, event: TradeUpdate['event'], fill?: { id: string; price: number }): TradeUpdate {
  const order: BrokerOrder = {
    id: `venue-${clientOrderId}`,
    clientOrderId,
    symbol,
    side: 'buy',
    qty: 2,
    type: 'market',
    limitPrice: null,
    stopPrice: null,
    status: fill ? 'filled' : 'new',
    filledQty: fill ? 2 : 0,
    filledAvgPrice: fill?.price ?? null,
    submittedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    legs: [],
  };
  return { event, order, timestamp: new Date().toISOString(), ...(fill ? { executionId: fill.id, qty: 2, price: fill.price } : {}) };
}

describe('trading repository: booking trade updates', () => {
  it('books a batch of several orders in one statement: each update gets its order and whether its own fill was new', async () => {
    const repo = createTradingRepo(db);
    const a = await recordOrder(repo, uniqueName('qa'), 'AAPL');
    const b = await recordOrder(repo, uniqueName('qb'), 'MSFT');
    const fillA = uniqueName('exec-a');
    const fillB = uniqueName('exec-b');
    const first = await repo.applyTradeUpdates([
      update(a.clientOrderId, 'AAPL', 'new'),
      update(b.clientOrderId, 'MSFT', 'new'),
      update(a.clientOrderId, 'AAPL', 'fill', { id: fillA, price: 101 }),
      update(b.clientOrderId, 'MSFT', 'fill', { id: fillB, price: 302 }),
      update(uniqueName('not-ours'), 'IBM', 'new'),
    ]);
    expect(first.map((x) => x && [x.order.clientOrderId, x.order.status, x.newFill])).toEqual([
      [a.clientOrderId, 'filled', false],
      [b.clientOrderId, 'filled', false],
      [a.clientOrderId, 'filled', true],
      [b.clientOrderId, 'filled', true],
      null,
    ]);
    expect(first[0]!.order.filledAvgPrice).toBe(101);
    expect(first[1]!.order.filledAvgPrice).toBe(302);

    // The venue repeats a fill (e.g. after a reconnect): the same execution id is not booked again.
    const again = await repo.applyTradeUpdates([update(a.clientOrderId, 'AAPL', 'fill', { id: fillA, price: 101 })]);
    expect(again[0]!.newFill).toBe(false);
    const fills = await db.query<{ execution_id: string; price: number }>(
      'SELECT execution_id, price FROM order_fills WHERE execution_id = ANY($1::text[]) ORDER BY execution_id',
      [[fillA, fillB]],
    );
    expect(fills.rows.map((r) => [r.execution_id, Number(r.price)])).toEqual(
      [
        [fillA, 101],
        [fillB, 302],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });
});
