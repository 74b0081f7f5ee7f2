/**
 * The paper venue's matching rules at their boundaries. Expected prices are
 * worked by hand from the formulas in paper-matching.ts (shown beside each);
 * session instants as in market-session.test.ts (2026-03-02 is a Monday, EST).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_MODEL } from './costs';
import { marketSession } from './market-session';
import {
  admitOrder,
  applyFillToPosition,
  buyingPower,
  cancelInBook,
  cashAfterFill,
  estimatedBuyCost,
  executionPrice,
  fillFees,
  orderRequestProblem,
  stepBook,
  takerPrice,
  type PaperCosts,
  type PaperOrder,
  type PaperOrderRequest,
} from './paper-matching';

/** 10 bps quoted spread, 2 bps slippage, no impact: a taker pays 5 + 2 = 7 bps. */
const costs: PaperCosts = { spreadBps: 10, slippageBps: 2, costModel: { ...DEFAULT_COST_MODEL, impactBpsPer1000: 0 } };
const free: PaperCosts = {
  spreadBps: 0,
  slippageBps: 0,
  costModel: { commissionPerShare: 0, spreadBps: 0, exchangeFeeBps: 0, impactBpsPer1000: 0 },
};

const OPEN = Date.parse('2026-03-02T15:00:00Z'); // 10:00 New York
const BEFORE_OPEN = Date.parse('2026-03-02T13:00:00Z'); // 08:00 New York
const ids = { entry: 'e1', stopLoss: 'sl1', takeProfit: 'tp1' };

const req = (over: Partial<PaperOrderRequest> = {}): PaperOrderRequest => ({
  clientOrderId: 'c1',
  symbol: 'AAPL',
  side: 'buy',
  qty: 10,
  type: 'market',
  timeInForce: 'day',
  ...over,
});
const admit = (r: PaperOrderRequest, at = OPEN, outsideHours: 'queue' | 'reject' = 'queue') =>
  admitOrder(r, { at, hours: 'nyse', outsideHours, ids });
const step = (orders: PaperOrder[], price: number | null, at = OPEN, c = costs) =>
  stepBook(orders, price === null ? null : { symbol: 'AAPL', price, at }, { at, session: marketSession(at, 'nyse'), costs: c });
/** Apply a step's changes to a book. */
const apply = (orders: PaperOrder[], changed: PaperOrder[]) => orders.map((o) => changed.find((c) => c.id === o.id) ?? o);

describe('takerPrice and fees', () => {
  it('adds half the spread plus slippage for a buy and subtracts it for a sell', () => {
    expect(takerPrice('buy', 100, 10, costs)).toBeCloseTo(100.07, 10); // 100 x (1 + 7/10^4)
    expect(takerPrice('sell', 100, 10, costs)).toBeCloseTo(99.93, 10);
    expect(takerPrice('buy', 100, 10, free)).toBe(100);
  });

  it("adds the cost model's market impact, growing with notional", () => {
    // Default impact 0.1 bp per $1,000: 100 shares at $100 = $10,000 -> 1 bp; total 5 + 2 + 1 = 8 bps.
    const withImpact = { ...costs, costModel: DEFAULT_COST_MODEL };
    expect(takerPrice('buy', 100, 100, withImpact)).toBeCloseTo(100.08, 10);
  });

  it('charges commission and exchange fee from the cost model', () => {
    // 10 shares x $0.005 = 0.05; $1,000 x 3 bps = 0.30.
    expect(fillFees(10, 100, costs)).toBeCloseTo(0.35, 10);
  });
});

describe('executionPrice', () => {
  const limitBuy = { side: 'buy' as const, type: 'limit' as const, qty: 10, limitPrice: 95, stopPrice: null };
  const limitSell = { side: 'sell' as const, type: 'limit' as const, qty: 10, limitPrice: 105, stopPrice: null };
  const stopSell = { side: 'sell' as const, type: 'stop' as const, qty: 10, limitPrice: null, stopPrice: 90 };
  const stopBuy = { side: 'buy' as const, type: 'stop' as const, qty: 10, limitPrice: null, stopPrice: 110 };

  it('fills a buy limit on a touch, never above the limit', () => {
    expect(executionPrice(limitBuy, 95.01, costs)).toBeNull();
    expect(executionPrice(limitBuy, 95, costs)).toBe(95); // taker 95.0665 capped at the limit
    expect(executionPrice(limitBuy, 90, costs)).toBeCloseTo(90.063, 10); // gap through: 90 x 1.0007
  });

  it('fills a sell limit on a touch, never below the limit', () => {
    expect(executionPrice(limitSell, 104.99, costs)).toBeNull();
    expect(executionPrice(limitSell, 105, costs)).toBe(105);
    expect(executionPrice(limitSell, 110, costs)).toBeCloseTo(109.923, 10); // 110 x 0.9993
  });

  it('triggers stops on a touch and fills them as market orders', () => {
    expect(executionPrice(stopSell, 90.01, costs)).toBeNull();
    expect(executionPrice(stopSell, 90, costs)).toBeCloseTo(89.937, 10);
    expect(executionPrice(stopBuy, 109.99, costs)).toBeNull();
    expect(executionPrice(stopBuy, 110, costs)).toBeCloseTo(110.077, 10);
  });
});

describe('orderRequestProblem', () => {
  it('accepts a plain order and a bracket on the right sides', () => {
    expect(orderRequestProblem(req(), 100)).toBeNull();
    expect(orderRequestProblem(req({ stopLoss: 98, takeProfit: 104 }), 100)).toBeNull();
    expect(orderRequestProblem(req({ side: 'sell', stopLoss: 104, takeProfit: 98 }), 100)).toBeNull();
    expect(orderRequestProblem(req({ stopLoss: 98 }), undefined)).toBeNull();
  });

  it('names the field that is wrong', () => {
    expect(orderRequestProblem(req({ qty: 0 }), 100)).toMatch(/qty/);
    expect(orderRequestProblem(req({ qty: 1.5 }), 100)).toMatch(/qty/);
    expect(orderRequestProblem(req({ type: 'limit' }), 100)).toMatch(/limitPrice/);
    expect(orderRequestProblem(req({ type: 'limit', limitPrice: NaN }), 100)).toMatch(/limitPrice/);
    expect(orderRequestProblem(req({ limitPrice: 90 }), 100)).toMatch(/limitPrice/);
    expect(orderRequestProblem(req({ clientOrderId: 'x'.repeat(49) }), 100)).toMatch(/clientOrderId/);
    expect(orderRequestProblem(req({ stopLoss: -1 }), 100)).toMatch(/stopLoss/);
  });

  it('refuses a stop loss at or above the reference price of a buy (the boundary itself included)', () => {
    expect(orderRequestProblem(req({ stopLoss: 100 }), 100)).toMatch(/stopLoss 100 must be below the last price 100/);
    expect(orderRequestProblem(req({ stopLoss: 99.99 }), 100)).toBeNull();
    expect(orderRequestProblem(req({ type: 'limit', limitPrice: 95, stopLoss: 96 }), 100)).toMatch(/below the limit price 95/);
    expect(orderRequestProblem(req({ takeProfit: 100 }), 100)).toMatch(/takeProfit/);
    expect(orderRequestProblem(req({ side: 'sell', stopLoss: 100 }), 100)).toMatch(/stopLoss 100 must be above/);
    expect(orderRequestProblem(req({ stopLoss: 104, takeProfit: 98 }), undefined)).toMatch(/stopLoss 104 must be below takeProfit 98/);
  });
});

describe('admitOrder', () => {
  it('routes an order while open, with a day expiry at that close', () => {
    const { orders, events } = admit(req());
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ id: 'e1', status: 'new', expiresAt: Date.parse('2026-03-02T21:00:00Z'), parentId: null });
    expect(events).toEqual([{ event: 'new', orderId: 'e1' }]);
  });

  it('queues an order outside hours (no event yet), expiring at the close of the session it will work in', () => {
    const { orders, events } = admit(req(), BEFORE_OPEN);
    expect(orders[0]).toMatchObject({ status: 'accepted', expiresAt: Date.parse('2026-03-02T21:00:00Z') });
    expect(events).toEqual([]);
  });

  it('rejects an order outside hours when configured to, with its reason', () => {
    const { orders, events } = admit(req({ stopLoss: 90 }), BEFORE_OPEN, 'reject');
    expect(orders.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(orders[0].rejectReason).toMatch(/market is closed/);
    expect(events).toEqual([{ event: 'rejected', orderId: 'e1' }]);
  });

  it('attaches held, opposite-side, gtc legs: a take-profit limit and a stop-loss stop', () => {
    const { orders } = admit(req({ stopLoss: 95, takeProfit: 110 }));
    expect(orders.slice(1)).toEqual([
      expect.objectContaining({
        id: 'tp1',
        side: 'sell',
        type: 'limit',
        limitPrice: 110,
        status: 'held',
        legRole: 'take_profit',
        parentId: 'e1',
        timeInForce: 'gtc',
      }),
      expect.objectContaining({
        id: 'sl1',
        side: 'sell',
        type: 'stop',
        stopPrice: 95,
        status: 'held',
        legRole: 'stop_loss',
        parentId: 'e1',
        clientOrderId: 'c1:sl',
      }),
    ]);
  });

  it('gives gtc orders and 24/7 venues no expiry', () => {
    expect(admit(req({ timeInForce: 'gtc' })).orders[0].expiresAt).toBeNull();
    expect(admitOrder(req(), { at: OPEN, hours: 'always', outsideHours: 'queue', ids }).orders[0].expiresAt).toBeNull();
  });
});

describe('stepBook', () => {
  it('fills a market order at the taker price with fees', () => {
    const { orders } = admit(req());
    const r = step(orders, 100);
    expect(r.fills).toEqual([
      { orderId: 'e1', symbol: 'AAPL', side: 'buy', qty: 10, price: 100 * 1.0007, fees: fillFees(10, 100 * 1.0007, costs), at: OPEN },
    ]);
    expect(r.changed[0]).toMatchObject({ status: 'filled', filledQty: 10, filledAvgPrice: 100 * 1.0007 });
    expect(r.events.map((e) => e.event)).toEqual(['fill']);
  });

  it('leaves orders of other symbols alone', () => {
    const { orders } = admit(req({ symbol: 'MSFT' }));
    expect(step(orders, 100).fills).toEqual([]);
  });

  it('rests a limit until a later price crosses it', () => {
    let book = admit(req({ type: 'limit', limitPrice: 95, timeInForce: 'gtc' })).orders;
    const above = step(book, 95.5);
    expect(above.fills).toEqual([]);
    expect(above.changed).toEqual([]);
    const crossed = step(book, 94);
    expect(crossed.fills[0].price).toBeCloseTo(94 * 1.0007, 10);
    book = apply(book, crossed.changed);
    expect(book[0].status).toBe('filled');
  });

  it('does not match while closed, routes a queued order at the open and fills it on that price', () => {
    const book = admit(req(), BEFORE_OPEN).orders;
    const closed = step(book, 100, BEFORE_OPEN);
    expect(closed.changed).toEqual([]);
    const atOpen = Date.parse('2026-03-02T14:30:00Z');
    const open = step(book, 101, atOpen);
    expect(open.events.map((e) => e.event)).toEqual(['new', 'fill']);
    expect(open.fills[0].price).toBeCloseTo(101 * 1.0007, 10);
  });

  it('routes queued orders on a clock tick without a price, and fills nothing', () => {
    const book = admit(req(), BEFORE_OPEN).orders;
    const r = step(book, null, Date.parse('2026-03-02T14:30:00Z'));
    expect(r.changed.map((o) => o.status)).toEqual(['new']);
    expect(r.fills).toEqual([]);
  });

  it('expires a day order at the close exactly (and cancels its legs), not a millisecond before', () => {
    const book = admit(req({ type: 'limit', limitPrice: 50, stopLoss: 40 })).orders;
    const close = Date.parse('2026-03-02T21:00:00Z');
    expect(step(book, null, close - 1).changed).toEqual([]);
    const r = step(book, null, close);
    expect(r.events).toEqual([
      { event: 'expired', orderId: 'e1' },
      { event: 'canceled', orderId: 'sl1' },
    ]);
  });

  describe('brackets', () => {
    const bracket = () => admit(req({ stopLoss: 95, takeProfit: 110 })).orders;

    it('activates the legs on the entry fill but never exits on that same price', () => {
      // Free costs so the entry price is exactly the last price.
      const r = step(bracket(), 100, OPEN, free);
      expect(r.fills.map((f) => f.orderId)).toEqual(['e1']);
      const book = apply(bracket(), r.changed);
      expect(book.map((o) => o.status)).toEqual(['filled', 'new', 'new']);
      // Even a price that would trigger the stop, arriving with the entry (a queued entry at a gap-down open), waits.
      const queued = admit(req({ stopLoss: 95, takeProfit: 110 }), BEFORE_OPEN).orders;
      const gap = step(queued, 94, Date.parse('2026-03-02T14:30:00Z'), free);
      expect(gap.fills.map((f) => f.orderId)).toEqual(['e1']);
    });

    it('take-profit fills on a later price at or above it and cancels the stop (OCO)', () => {
      let book = apply(bracket(), step(bracket(), 100, OPEN, free).changed);
      expect(step(book, 109.99, OPEN, free).fills).toEqual([]);
      const r = step(book, 110, OPEN, free);
      expect(r.fills.map((f) => [f.orderId, f.side, f.price])).toEqual([['tp1', 'sell', 110]]);
      expect(r.events.map((e) => [e.event, e.orderId])).toEqual([
        ['fill', 'tp1'],
        ['canceled', 'sl1'],
      ]);
      book = apply(book, r.changed);
      expect(book.map((o) => o.status)).toEqual(['filled', 'filled', 'canceled']);
    });

    it('stop-loss fills on a later price at or below it (through a gap) and cancels the take-profit', () => {
      const book = apply(bracket(), step(bracket(), 100, OPEN, free).changed);
      const r = step(book, 93, OPEN, free);
      expect(r.fills.map((f) => [f.orderId, f.price])).toEqual([['sl1', 93]]);
      expect(r.events.map((e) => [e.event, e.orderId])).toEqual([
        ['fill', 'sl1'],
        ['canceled', 'tp1'],
      ]);
    });

    it('a short entry gets a buy stop above and a buy take-profit below', () => {
      const short = admit(req({ side: 'sell', stopLoss: 105, takeProfit: 90 })).orders;
      const book = apply(short, step(short, 100, OPEN, free).changed);
      expect(step(book, 104.99, OPEN, free).fills).toEqual([]);
      expect(step(book, 105, OPEN, free).fills.map((f) => [f.orderId, f.side])).toEqual([['sl1', 'buy']]);
      expect(step(book, 90, OPEN, free).fills.map((f) => [f.orderId, f.side])).toEqual([['tp1', 'buy']]);
    });
  });
});

describe('cancelInBook', () => {
  it('cancels an open entry with its held legs', () => {
    const book = admit(req({ type: 'limit', limitPrice: 90, stopLoss: 80 })).orders;
    const r = cancelInBook(book, 'e1', OPEN + 5);
    expect(r).not.toBe('not_found');
    const change = r as Exclude<typeof r, string>;
    expect(change.changed.map((o) => [o.id, o.status, o.updatedAt])).toEqual([
      ['e1', 'canceled', OPEN + 5],
      ['sl1', 'canceled', OPEN + 5],
    ]);
  });

  it('refuses a final order and reports an unknown one', () => {
    const filled = apply(admit(req()).orders, step(admit(req()).orders, 100).changed);
    expect(cancelInBook(filled, 'e1', OPEN)).toBe('not_cancelable');
    expect(cancelInBook(filled, 'nope', OPEN)).toBe('not_found');
  });
});

describe('positions and cash', () => {
  const fill = (side: 'buy' | 'sell', qty: number, price: number) => ({ symbol: 'A', side, qty, price });

  it('averages entries by shares, keeps the average on a reduction, and drops a flat position', () => {
    let p = applyFillToPosition(null, fill('buy', 10, 100));
    expect(p).toEqual({ symbol: 'A', qty: 10, avgEntryPrice: 100 });
    p = applyFillToPosition(p, fill('buy', 30, 120)); // (10 x 100 + 30 x 120) / 40 = 115
    expect(p).toEqual({ symbol: 'A', qty: 40, avgEntryPrice: 115 });
    p = applyFillToPosition(p, fill('sell', 15, 200));
    expect(p).toEqual({ symbol: 'A', qty: 25, avgEntryPrice: 115 });
    expect(applyFillToPosition(p, fill('sell', 25, 90))).toBeNull();
  });

  it('opens the remainder at the fill price when a sale goes through zero (a short)', () => {
    const p = applyFillToPosition({ symbol: 'A', qty: 10, avgEntryPrice: 100 }, fill('sell', 15, 90));
    expect(p).toEqual({ symbol: 'A', qty: -5, avgEntryPrice: 90 });
    expect(applyFillToPosition(p, fill('sell', 5, 80))).toEqual({ symbol: 'A', qty: -10, avgEntryPrice: 85 });
  });

  it('moves cash by notional and fees', () => {
    expect(cashAfterFill(10_000, { side: 'buy', qty: 10, price: 100, fees: 0.35 })).toBeCloseTo(8999.65, 10);
    expect(cashAfterFill(10_000, { side: 'sell', qty: 10, price: 100, fees: 0.35 })).toBeCloseTo(10999.65, 10);
  });

  it('reserves buying power for open buy entries (at the limit, else the last price), not for legs or sells', () => {
    const limit = admit(req({ type: 'limit', limitPrice: 90, timeInForce: 'gtc', stopLoss: 80 })).orders; // reserves 10 x 90
    const sell = admitOrder(req({ side: 'sell', qty: 5 }), {
      at: OPEN,
      hours: 'nyse',
      outsideHours: 'queue',
      ids: { entry: 's', stopLoss: 'x', takeProfit: 'y' },
    }).orders;
    const queuedMarket = admitOrder(req({ qty: 2 }), {
      at: BEFORE_OPEN,
      hours: 'nyse',
      outsideHours: 'queue',
      ids: { entry: 'q', stopLoss: 'x', takeProfit: 'y' },
    }).orders; // 2 x 100
    expect(buyingPower(10_000, [...limit, ...sell, ...queuedMarket], () => 100)).toBe(10_000 - 900 - 200);
    expect(buyingPower(500, limit, () => 100)).toBe(0);
  });

  it('estimates a buy at its limit, else the taker price, plus fees', () => {
    expect(estimatedBuyCost({ qty: 10, limitPrice: 90 }, 100, costs)).toBeCloseTo(900 + fillFees(10, 90, costs), 10);
    expect(estimatedBuyCost({ qty: 10 }, 100, costs)).toBeCloseTo(1000.7 + fillFees(10, 100.07, costs), 10);
    expect(estimatedBuyCost({ qty: 10 }, undefined, costs)).toBeUndefined();
  });
});
