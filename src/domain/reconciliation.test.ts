import { describe, expect, it } from 'vitest';
import {
  MAX_HALT_REASON_CHARS,
  deltaFillPrice,
  haltReason,
  reconcile,
  type BookedFill,
  type BookedOrder,
  type VenueOrder,
  type VenuePosition,
} from './reconciliation';

const NOW = '2026-01-05T15:00:00.000Z';
const GRACE = 120_000;

function ours(over: Partial<BookedOrder> = {}): BookedOrder {
  return {
    id: '1',
    clientOrderId: 'c-1',
    brokerOrderId: 'v-1',
    symbol: 'AAPL',
    side: 'buy',
    qty: 10,
    status: 'new',
    filledQty: 0,
    filledAvgPrice: null,
    hasBracket: false,
    submittedAt: '2026-01-05T14:00:00.000Z',
    updatedAt: '2026-01-05T14:00:00.000Z',
    ...over,
  };
}
function venue(over: Partial<VenueOrder> = {}): VenueOrder {
  return {
    id: 'v-1',
    clientOrderId: 'c-1',
    symbol: 'AAPL',
    side: 'buy',
    qty: 10,
    status: 'new',
    filledQty: 0,
    filledAvgPrice: null,
    updatedAt: '2026-01-05T14:30:00.000Z',
    legs: [],
    ...over,
  };
}
const fill = (over: Partial<BookedFill> = {}): BookedFill => ({
  orderId: '1',
  symbol: 'AAPL',
  side: 'buy',
  qty: 10,
  price: 100,
  ...over,
});
const run = (v: { orders: VenueOrder[]; positions: VenuePosition[] }, o: { orders: BookedOrder[]; fills: BookedFill[] }) =>
  reconcile({ venue: v, ours: o, now: NOW, graceMs: GRACE });

describe('reconcile: explainable gaps are booked', () => {
  it('nothing to do when both books agree', () => {
    const d = run(
      { orders: [venue({ status: 'filled', filledQty: 10, filledAvgPrice: 100 })], positions: [{ symbol: 'AAPL', qty: 10 }] },
      { orders: [ours({ status: 'filled', filledQty: 10, filledAvgPrice: 100 })], fills: [fill()] },
    );
    expect(d).toMatchObject({
      outcome: 'in_sync',
      orderUpdates: [],
      fills: [],
      problems: [],
      haltReason: null,
      positions: [{ symbol: 'AAPL', qty: 10 }],
    });
  });

  it('a fill that arrived while we were down becomes a fill row and an order update; the position then matches', () => {
    const d = run(
      {
        orders: [venue({ status: 'filled', filledQty: 10, filledAvgPrice: 101, updatedAt: '2026-01-05T14:31:00.000Z' })],
        positions: [{ symbol: 'AAPL', qty: 10 }],
      },
      { orders: [ours()], fills: [] },
    );
    expect(d.outcome).toBe('book');
    expect(d.fills).toEqual([
      {
        executionId: 'recon-v-1-10',
        orderId: '1',
        symbol: 'AAPL',
        side: 'buy',
        qty: 10,
        price: 101,
        filledAt: '2026-01-05T14:31:00.000Z',
        previousBookedQty: 0,
      },
    ]);
    expect(d.orderUpdates).toEqual([
      {
        orderId: '1',
        clientOrderId: 'c-1',
        symbol: 'AAPL',
        brokerOrderId: 'v-1',
        status: 'filled',
        filledQty: 10,
        filledAvgPrice: 101,
        previousFilledQty: 0,
        previousStatus: 'new',
      },
    ]);
    expect(d.problems).toEqual([]);
  });

  it('the rest of a partial fill is booked at the price the two averages imply', () => {
    // venue: 10 @ 101 = 1010; ours 4 @ 100 = 400 -> the missing 6 cost 610, 101.666... each
    const d = run(
      { orders: [venue({ status: 'filled', filledQty: 10, filledAvgPrice: 101 })], positions: [{ symbol: 'AAPL', qty: 10 }] },
      { orders: [ours({ status: 'partially_filled', filledQty: 4, filledAvgPrice: 100 })], fills: [fill({ qty: 4 })] },
    );
    expect(d.outcome).toBe('book');
    expect(d.fills).toHaveLength(1);
    expect(d.fills[0].qty).toBe(6);
    expect(d.fills[0].price).toBeCloseTo(610 / 6, 12);
    expect(d.fills[0].executionId).toBe('recon-v-1-10');
    expect(d.fills[0].previousBookedQty).toBe(4);
  });

  it('a lost acknowledgement is found by client order id and the venue id stored; a cancel is a status change only', () => {
    const d = run({ orders: [venue({ status: 'canceled' })], positions: [] }, { orders: [ours({ brokerOrderId: null })], fills: [] });
    expect(d.outcome).toBe('book');
    expect(d.fills).toEqual([]);
    expect(d.orderUpdates[0]).toMatchObject({ brokerOrderId: 'v-1', status: 'canceled', filledQty: 0 });
  });

  it('a bracket leg that filled while we were down is booked on the opposite side, and the leg is not an unknown order', () => {
    const leg = venue({
      id: 'v-1-sl',
      clientOrderId: 'venue-made',
      side: 'sell',
      status: 'filled',
      filledQty: 10,
      filledAvgPrice: 95,
      updatedAt: '2026-01-05T14:50:00.000Z',
    });
    const d = run(
      { orders: [venue({ status: 'filled', filledQty: 10, filledAvgPrice: 100, legs: [leg] }), leg], positions: [] },
      { orders: [ours({ status: 'filled', filledQty: 10, filledAvgPrice: 100, hasBracket: true })], fills: [fill()] },
    );
    expect(d.problems).toEqual([]);
    expect(d.outcome).toBe('book');
    expect(d.fills).toEqual([
      {
        executionId: 'recon-v-1-legs-10',
        orderId: '1',
        symbol: 'AAPL',
        side: 'sell',
        qty: 10,
        price: 95,
        filledAt: '2026-01-05T14:50:00.000Z',
        previousBookedQty: 0,
      },
    ]);
    expect(d.orderUpdates).toEqual([]);
    expect(d.positions).toEqual([]);
  });

  it('an order of ours the venue does not know yet is fine inside the grace period, and an old final order is just old', () => {
    const d = run(
      { orders: [], positions: [{ symbol: 'MSFT', qty: 3 }] },
      {
        orders: [
          ours({ brokerOrderId: null, submittedAt: '2026-01-05T14:59:00.000Z' }),
          ours({
            id: '2',
            clientOrderId: 'c-2',
            brokerOrderId: 'v-2',
            symbol: 'MSFT',
            qty: 3,
            status: 'filled',
            filledQty: 3,
            filledAvgPrice: 400,
          }),
        ],
        fills: [fill({ orderId: '2', symbol: 'MSFT', qty: 3, price: 400 })],
      },
    );
    expect(d.outcome).toBe('in_sync');
  });
});

describe('reconcile: unexplainable gaps halt, naming symbol and order', () => {
  it('a venue order we never sent', () => {
    const d = run(
      { orders: [venue({ id: 'v-9', clientOrderId: 'someone-else', symbol: 'TSLA', side: 'sell', qty: 2 })], positions: [] },
      { orders: [], fills: [] },
    );
    expect(d.outcome).toBe('halt');
    expect(d.problems).toEqual([
      { kind: 'unknown_venue_order', symbol: 'TSLA', order: 'v-9', message: expect.stringContaining('broker order v-9 (TSLA sell 2') },
    ]);
    expect(d.haltReason).toMatch(/^reconciliation: 1 unexplained difference: broker order v-9 \(TSLA/);
  });

  it('an open order of ours the venue does not know after the grace period', () => {
    const d = run(
      { orders: [], positions: [] },
      { orders: [ours({ brokerOrderId: null, submittedAt: '2026-01-05T14:57:00.000Z' })], fills: [] },
    );
    expect(d.problems.map((p) => [p.kind, p.symbol, p.order])).toEqual([['missing_at_venue', 'AAPL', 'c-1']]);
  });

  it('a filled order with its bracket still open that the venue no longer knows', () => {
    const d = run(
      { orders: [], positions: [{ symbol: 'AAPL', qty: 10 }] },
      { orders: [ours({ status: 'filled', filledQty: 10, filledAvgPrice: 100, hasBracket: true })], fills: [fill()] },
    );
    expect(d.problems.map((p) => p.kind)).toEqual(['missing_at_venue']);
    expect(d.problems[0].message).toContain('bracket open');
  });

  it('a position our fills do not add up to, even after booking', () => {
    const d = run(
      { orders: [venue({ status: 'filled', filledQty: 10, filledAvgPrice: 101 })], positions: [{ symbol: 'AAPL', qty: 15 }] },
      { orders: [ours()], fills: [] },
    );
    expect(d.outcome).toBe('halt');
    expect(d.fills).toHaveLength(1);
    expect(d.problems).toEqual([
      {
        kind: 'position_mismatch',
        symbol: 'AAPL',
        order: null,
        message: 'position AAPL: the broker holds 15, our fills with the bookings add up to 10',
      },
    ]);
  });

  it('a position we think we hold that the venue does not have', () => {
    const d = run(
      { orders: [], positions: [] },
      { orders: [ours({ status: 'filled', filledQty: 10, filledAvgPrice: 100 })], fills: [fill()] },
    );
    expect(d.problems.map((p) => [p.kind, p.symbol])).toEqual([['position_mismatch', 'AAPL']]);
  });

  it('a venue that filled less than we booked, an order that differs, and a final order the venue still has open', () => {
    const d = run(
      {
        orders: [
          venue({ filledQty: 2, filledAvgPrice: 100, status: 'partially_filled' }),
          venue({ id: 'v-2', clientOrderId: 'c-2', symbol: 'MSFT', qty: 7 }),
          venue({ id: 'v-3', clientOrderId: 'c-3', symbol: 'NVDA', status: 'new' }),
        ],
        positions: [{ symbol: 'AAPL', qty: 2 }],
      },
      {
        orders: [
          ours({ status: 'partially_filled', filledQty: 5, filledAvgPrice: 100 }),
          ours({ id: '2', clientOrderId: 'c-2', brokerOrderId: 'v-2', symbol: 'MSFT', qty: 5 }),
          ours({ id: '3', clientOrderId: 'c-3', brokerOrderId: 'v-3', symbol: 'NVDA', status: 'canceled' }),
        ],
        fills: [fill({ qty: 2 })],
      },
    );
    expect(d.problems.map((p) => [p.kind, p.symbol, p.order])).toEqual([
      ['venue_filled_less', 'AAPL', 'c-1'],
      ['order_mismatch', 'MSFT', 'c-2'],
      ['final_status_conflict', 'NVDA', 'c-3'],
    ]);
    expect(d.orderUpdates).toEqual([]);
  });

  it('a fill without a price cannot be booked', () => {
    const d = run(
      { orders: [venue({ status: 'filled', filledQty: 10, filledAvgPrice: null })], positions: [{ symbol: 'AAPL', qty: 10 }] },
      { orders: [ours()], fills: [] },
    );
    expect(d.problems.map((p) => p.kind)).toContain('fill_without_price');
  });

  it('the halt reason is cut to its limit', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      kind: 'position_mismatch' as const,
      symbol: `S${i}`,
      order: null,
      message: `position S${i}: the broker holds 1, our fills add up to 0`,
    }));
    const r = haltReason(many);
    expect(r.length).toBe(MAX_HALT_REASON_CHARS);
    expect(r.startsWith('reconciliation: 200 unexplained differences: position S0')).toBe(true);
  });
});

describe('deltaFillPrice', () => {
  it('falls back to the venue average when nothing was booked or the averages disagree', () => {
    expect(deltaFillPrice(10, 101, 0, null, 10)).toBe(101);
    expect(deltaFillPrice(10, 100, 5, 300, 5)).toBe(100);
  });
});
