/**
 * The end of day of the strategy book on a small worked session. P&L,
 * round trips, orders and attribution are hand arithmetic from the
 * conventions in day-summary.ts; the Sharpe ratios were computed with
 * python3 (numpy: d = np.diff(curve); d.mean() / d.std(ddof=1) *
 * np.sqrt(78 * 252)), the value named beside each.
 */
import { describe, expect, it } from 'vitest';
import type { BookFill, Mark } from './book';
import { summarizeDay, type DayOrder } from './day-summary';

const BARS = 78;

const fill = (at: number, strategy: string, symbol: string, side: 'buy' | 'sell', qty: number, price: number): BookFill => ({
  strategy,
  symbol,
  side,
  qty,
  price,
  at,
});
const mark = (at: number, prices: Record<string, number>): Mark => ({ at, prices: new Map(Object.entries(prices)) });
const order = (strategy: string, side: 'buy' | 'sell', status: string, filledQty = 0, filledAvgPrice: number | null = null): DayOrder => ({
  strategy,
  side,
  status,
  filledQty,
  filledAvgPrice,
});

// Yesterday (before the previous close at t = 0): mom wins a round trip in B (+10) and opens A long 10 @ 100.
// Today: mom closes A @ 106; rev shorts B 20 @ 50 and covers @ 52 (a loss), then opens C long 10 @ 30.
const fills: BookFill[] = [
  fill(-30, 'mom', 'B', 'buy', 5, 20),
  fill(-20, 'mom', 'B', 'sell', 5, 22),
  fill(-10, 'mom', 'A', 'buy', 10, 100),
  fill(15, 'mom', 'A', 'sell', 10, 106),
  fill(25, 'rev', 'B', 'sell', 20, 50),
  fill(35, 'rev', 'B', 'buy', 20, 52),
  fill(35, 'rev', 'C', 'buy', 10, 30),
];
const marks: Mark[] = [
  mark(0, { A: 101, B: 21, C: 30 }), // previous close
  mark(10, { A: 103, B: 50, C: 30 }),
  mark(20, { A: 104, B: 50, C: 30 }),
  mark(30, { A: 104, B: 49, C: 30 }),
  mark(40, { A: 104, B: 55, C: 31 }),
];
// Cumulative P&L at the marks (hand):
//   mom: t0 realized 10 (B trip) + (101 - 100) x 10 = 20; t10 10 + 30 = 40; t20 closed: 10 + (106 - 100) x 10 = 70; t30 70; t40 70
//   rev: 0, 0, 0, t30 (49 - 50) x -20 = 20, t40 realized (52 - 50) x -20 = -40 + C (31 - 30) x 10 = -30
//   total: 20, 40, 70, 90, 40
const orders: DayOrder[] = [
  order('mom', 'sell', 'filled', 10, 106),
  order('mom', 'buy', 'rejected'),
  order('rev', 'sell', 'filled', 20, 50),
  order('rev', 'buy', 'filled', 20, 52),
  order('rev', 'buy', 'filled', 10, 30),
  order('rev', 'sell', 'rejected'),
  order('idle', 'buy', 'rejected'),
];

describe('summarizeDay', () => {
  const s = summarizeDay(fills, marks, orders, BARS);
  const by = (name: string) => s.strategies.find((r) => r.strategy === name)!;

  it('lists every strategy with fills or orders, sorted', () => {
    expect(s.strategies.map((r) => r.strategy)).toEqual(['idle', 'mom', 'rev']);
  });

  it("measures the day's P&L from the previous close mark", () => {
    expect(by('mom').pnl).toBeCloseTo(50, 10); // hand: 70 - 20 (yesterday's 20 is not today's)
    expect(by('rev').pnl).toBeCloseTo(-30, 10); // hand: -30 - 0
    expect(by('idle').pnl).toBe(0); // no fills
    expect(s.total.pnl).toBeCloseTo(20, 10); // hand: 40 - 20 = 50 - 30
  });

  it('counts orders, fills, rejections, sides and notional', () => {
    // hand: mom 2 orders (1 filled sell 10 x 106 = 1 060, 1 rejected buy)
    expect(by('mom')).toMatchObject({ orders: 2, filledOrders: 1, rejectedOrders: 1, buys: 1, sells: 1, notional: 1_060 });
    // hand: rev 4 orders, 3 filled: 20 x 50 + 20 x 52 + 10 x 30 = 1 000 + 1 040 + 300 = 2 340
    expect(by('rev')).toMatchObject({ orders: 4, filledOrders: 3, rejectedOrders: 1, buys: 2, sells: 2, notional: 2_340 });
    expect(by('idle')).toMatchObject({ orders: 1, filledOrders: 0, rejectedOrders: 1, buys: 1, sells: 0, notional: 0 });
    // hand: sums: 7 orders, 4 filled, 3 rejected, 4 buys, 3 sells, 3 400 notional
    expect(s.total).toMatchObject({ orders: 7, filledOrders: 4, rejectedOrders: 3, buys: 4, sells: 3, notional: 3_400 });
  });

  it('counts only round trips closed today in the success rate', () => {
    // hand: mom closed A today (+60 since it opened: a win); yesterday's B trip is not counted
    expect(by('mom').roundTrips).toBe(1);
    expect(by('mom').successRate).toBe(1);
    // hand: rev covered B at a loss of 40; C still open
    expect(by('rev').roundTrips).toBe(1);
    expect(by('rev').successRate).toBe(0);
    expect(by('idle').roundTrips).toBe(0);
    expect(by('idle').successRate).toBeNaN();
    // hand: 1 win of 2
    expect(s.total.roundTrips).toBe(2);
    expect(s.total.successRate).toBe(0.5);
  });

  it('gives the Sharpe of the per-bar P&L increments', () => {
    expect(by('mom').sharpe).toBeCloseTo(116.83321445547924, 9); // python3 numpy on [20, 40, 70, 70, 70]
    expect(by('rev').sharpe).toBeCloseTo(-35.21336831959157, 9); // python3 numpy on [0, 0, 0, 20, -30]
    expect(s.total.sharpe).toBeCloseTo(18.96209312311687, 9); // python3 numpy on [20, 40, 70, 90, 40]
    expect(by('idle').sharpe).toBeNaN(); // all increments 0
  });

  it("attributes the day's P&L as a share of the total", () => {
    expect(by('mom').attribution).toBeCloseTo(2.5, 12); // hand: 50 / 20
    expect(by('rev').attribution).toBeCloseTo(-1.5, 12); // hand: -30 / 20
    expect(by('idle').attribution).toBe(0); // hand: 0 / 20
  });

  it('gives curves of the day that start at 0', () => {
    expect(s.curves.at).toEqual([0, 10, 20, 30, 40]);
    // hand: each cumulative curve minus its value at the previous close
    const expected: Record<string, number[]> = { idle: [0, 0, 0, 0, 0], mom: [0, 20, 50, 50, 50], rev: [0, 0, 0, 20, -30] };
    expect([...s.curves.byStrategy.keys()]).toEqual(['idle', 'mom', 'rev']);
    for (const [name, want] of Object.entries(expected))
      want.forEach((v, i) => expect(s.curves.byStrategy.get(name)![i]).toBeCloseTo(v, 10));
    [0, 20, 50, 70, 20].forEach((v, i) => expect(s.curves.total[i]).toBeCloseTo(v, 10));
  });
});

describe('summarizeDay: edge cases', () => {
  const held = [fill(-10, 'mom', 'A', 'buy', 10, 100)];

  it('needs the previous close mark', () => {
    expect(() => summarizeDay(held, [], [], BARS)).toThrow(/at least one mark/);
  });

  it('has no Sharpe with fewer than two increments', () => {
    const one = summarizeDay(held, [mark(0, { A: 101 })], [], BARS);
    expect(one.strategies[0]!.pnl).toBe(0);
    expect(one.strategies[0]!.sharpe).toBeNaN();
    expect(one.total.sharpe).toBeNaN();
    expect(one.curves.total).toEqual([0]);
    const two = summarizeDay(held, [mark(0, { A: 101 }), mark(10, { A: 105 })], [], BARS);
    expect(two.strategies[0]!.pnl).toBeCloseTo(40, 10); // hand: (105 - 101) x 10
    expect(two.strategies[0]!.sharpe).toBeNaN(); // one increment
  });

  it('has no Sharpe when every increment is the same', () => {
    // hand: P&L 0, 10, 20, 30: increments 10, 10, 10, sample std 0
    const flat = summarizeDay(held, [mark(0, { A: 100 }), mark(10, { A: 101 }), mark(20, { A: 102 }), mark(30, { A: 103 })], [], BARS);
    expect(flat.strategies[0]!.pnl).toBeCloseTo(30, 10);
    expect(flat.strategies[0]!.sharpe).toBeNaN();
    expect(flat.total.sharpe).toBeNaN();
    expect(flat.strategies[0]!.attribution).toBe(1); // hand: 30 / 30
  });

  it('has no attribution and no success rate when nothing was made or closed', () => {
    const still = summarizeDay(held, [mark(0, { A: 100 }), mark(10, { A: 100 })], [order('mom', 'buy', 'canceled')], BARS);
    expect(still.total.pnl).toBe(0);
    expect(still.strategies[0]!.attribution).toBeNaN();
    expect(still.strategies[0]!.successRate).toBeNaN();
    expect(still.total.successRate).toBeNaN();
    expect(still.total).toMatchObject({ orders: 1, filledOrders: 0, rejectedOrders: 0 });
  });
});
