/**
 * The strategy book rebuilt from fills: average-cost lots, realized P&L and
 * round trips through one symbol's whole life (long, add, partial reduce,
 * close, flip to short, cover), the as-of cut, and the marked P&L curves.
 * Every expected value is hand arithmetic from the conventions in book.ts,
 * worked in the comment beside it.
 */
import { describe, expect, it } from 'vitest';
import { applyFill, grossExposure, ledgersAsOf, pnlCurves, unrealized, type BookFill, type StrategyLedger } from './book';

const fill = (at: number, side: 'buy' | 'sell', qty: number, price: number, symbol = 'A', strategy = 's'): BookFill => ({
  strategy,
  symbol,
  side,
  qty,
  price,
  at,
});

/** One symbol's life, one fill per instant 1..7. */
const life: BookFill[] = [
  fill(1, 'buy', 100, 10), // open long 100 @ 10
  fill(2, 'buy', 50, 13), // add
  fill(3, 'sell', 60, 12), // partial reduce
  fill(4, 'sell', 90, 10), // close
  fill(5, 'buy', 20, 8), // reopen long
  fill(6, 'sell', 50, 9), // flip through zero to short 30
  fill(7, 'buy', 30, 7), // cover the short
];

const ledgerAt = (at: number): StrategyLedger => ledgersAsOf(life, at).get('s')!;

describe('ledgersAsOf: average-cost lots and realized P&L', () => {
  it('opens a long at the fill price', () => {
    const l = ledgerAt(1);
    // hand: qty 100, avg 10, nothing reduced yet
    expect(l.positions.get('A')).toEqual({ symbol: 'A', qty: 100, avgEntryPrice: 10 });
    expect(l.realized).toBe(0);
    expect(l.roundTrips).toBe(0);
  });

  it('an add averages the entry and realizes nothing', () => {
    const l = ledgerAt(2);
    // hand: avg = (100 x 10 + 50 x 13) / 150 = 1650 / 150 = 11
    expect(l.positions.get('A')!.qty).toBe(150);
    expect(l.positions.get('A')!.avgEntryPrice).toBeCloseTo(11, 12);
    expect(l.realized).toBe(0);
  });

  it('a partial reduce realizes on the reduced shares and keeps the average', () => {
    const l = ledgerAt(3);
    // hand: realized = (12 - 11) x 60 x sign(+150) = 60; 90 left at avg 11
    expect(l.realized).toBeCloseTo(60, 10);
    expect(l.positions.get('A')!.qty).toBe(90);
    expect(l.positions.get('A')!.avgEntryPrice).toBeCloseTo(11, 12);
    expect(l.roundTrips).toBe(0);
  });

  it('a close removes the lot and counts a losing round trip', () => {
    const l = ledgerAt(4);
    // hand: realized = 60 + (10 - 11) x 90 = 60 - 90 = -30; the trip (opened at realized 0) lost 30
    expect(l.realized).toBeCloseTo(-30, 10);
    expect(l.positions.has('A')).toBe(false);
    expect(l.roundTrips).toBe(1);
    expect(l.winningRoundTrips).toBe(0);
  });

  it('reopening starts a new lot at the new price', () => {
    const l = ledgerAt(5);
    // hand: flat before, so qty 20 at avg 8; realized unchanged at -30
    expect(l.positions.get('A')).toEqual({ symbol: 'A', qty: 20, avgEntryPrice: 8 });
    expect(l.realized).toBeCloseTo(-30, 10);
  });

  it('a flip through zero realizes on the long part, counts a trip and opens the short at the fill price', () => {
    const l = ledgerAt(6);
    // hand: realized = -30 + (9 - 8) x 20 x sign(+20) = -10; the trip opened at -30 made +20: a win;
    // the remaining 30 shares sold open a short of -30 at 9
    expect(l.realized).toBeCloseTo(-10, 10);
    expect(l.positions.get('A')).toEqual({ symbol: 'A', qty: -30, avgEntryPrice: 9 });
    expect(l.roundTrips).toBe(2);
    expect(l.winningRoundTrips).toBe(1);
  });

  it('covering the short realizes with the short sign and counts the flip-opened trip from the flip', () => {
    const l = ledgerAt(7);
    // hand: realized = -10 + (7 - 9) x 30 x sign(-30) = -10 + 60 = 50; the short opened at realized -10 made +60: a win
    expect(l.realized).toBeCloseTo(50, 10);
    expect(l.positions.size).toBe(0);
    expect(l.roundTrips).toBe(3);
    expect(l.winningRoundTrips).toBe(2);
  });

  it('ignores fills after asOf and returns no ledger before the first fill', () => {
    expect(ledgersAsOf(life, 0).size).toBe(0);
    // at 3.5 only fills 1..3 count, whatever follows: same as at 3 (hand: realized 60, qty 90)
    const l = ledgersAsOf(life, 3.5).get('s')!;
    expect(l.realized).toBeCloseTo(60, 10);
    expect(l.positions.get('A')!.qty).toBe(90);
    // and the full replay is unaffected by the earlier cuts (no shared state)
    expect(ledgersAsOf(life, 100).get('s')!.realized).toBeCloseTo(50, 10);
  });

  it('a losing short round trip realizes a negative P&L', () => {
    const l = ledgersAsOf([fill(1, 'sell', 10, 50), fill(2, 'buy', 10, 55)], 2).get('s')!;
    // hand: (55 - 50) x 10 x sign(-10) = -50, one trip, not a win
    expect(l.realized).toBeCloseTo(-50, 10);
    expect(l.roundTrips).toBe(1);
    expect(l.winningRoundTrips).toBe(0);
  });

  it('keeps strategies and symbols apart', () => {
    const fills = [
      fill(1, 'buy', 10, 100, 'A', 'x'),
      fill(2, 'sell', 5, 20, 'B', 'y'),
      fill(3, 'sell', 10, 110, 'A', 'x'),
      fill(4, 'buy', 4, 30, 'A', 'y'),
    ];
    const ls = ledgersAsOf(fills, 4);
    // hand: x realized (110 - 100) x 10 = 100, flat; y holds B -5 @ 20 and A +4 @ 30, nothing realized
    expect([...ls.keys()]).toEqual(['x', 'y']);
    expect(ls.get('x')!.realized).toBeCloseTo(100, 10);
    expect(ls.get('x')!.positions.size).toBe(0);
    expect(ls.get('x')!.winningRoundTrips).toBe(1);
    expect(ls.get('y')!.realized).toBe(0);
    expect(ls.get('y')!.positions.get('B')).toEqual({ symbol: 'B', qty: -5, avgEntryPrice: 20 });
    expect(ls.get('y')!.positions.get('A')).toEqual({ symbol: 'A', qty: 4, avgEntryPrice: 30 });
  });
});

describe('applyFill', () => {
  it('mutates the ledger it is given', () => {
    const ledger: StrategyLedger = { positions: new Map(), realized: 0, roundTrips: 0, winningRoundTrips: 0 };
    const opened = new Map<string, number>();
    applyFill(ledger, fill(1, 'sell', 8, 25), opened);
    applyFill(ledger, fill(2, 'buy', 3, 20), opened);
    // hand: short -8 @ 25; cover 3 @ 20 realizes (20 - 25) x 3 x -1 = 15; -5 left at 25
    expect(ledger.realized).toBeCloseTo(15, 10);
    expect(ledger.positions.get('A')).toEqual({ symbol: 'A', qty: -5, avgEntryPrice: 25 });
    expect(ledger.roundTrips).toBe(0);
  });
});

describe('unrealized and grossExposure', () => {
  const ledger = ledgersAsOf([fill(1, 'buy', 10, 100, 'A'), fill(2, 'sell', 5, 50, 'B')], 2).get('s')!;

  it('marks each lot at its price', () => {
    // hand: A (110 - 100) x 10 = 100; B (54 - 50) x -5 = -20; total 80
    expect(
      unrealized(
        ledger,
        new Map([
          ['A', 110],
          ['B', 54],
        ]),
      ),
    ).toBeCloseTo(80, 10);
    // hand: gross = 10 x 110 + 5 x 54 = 1100 + 270 = 1370
    expect(
      grossExposure(
        ledger,
        new Map([
          ['A', 110],
          ['B', 54],
        ]),
      ),
    ).toBeCloseTo(1370, 10);
  });

  it('marks a symbol without a price at its entry', () => {
    // hand: A +100 as above, B unpriced -> 0; gross 1100 + 5 x 50 = 1350
    expect(unrealized(ledger, new Map([['A', 110]]))).toBeCloseTo(100, 10);
    expect(grossExposure(ledger, new Map([['A', 110]]))).toBeCloseTo(1350, 10);
  });
});

describe('pnlCurves', () => {
  const fills = [
    fill(100, 'buy', 10, 100, 'A', 'mom'),
    fill(200, 'sell', 5, 50, 'B', 'rev'),
    fill(300, 'sell', 10, 104, 'A', 'mom'),
    fill(500, 'buy', 5, 40, 'B', 'rev'), // after the last mark: never applied
  ];
  const marks = [
    {
      at: 50,
      prices: new Map([
        ['A', 99],
        ['B', 51],
      ]),
    },
    {
      at: 100,
      prices: new Map([
        ['A', 101],
        ['B', 50],
      ]),
    },
    {
      at: 250,
      prices: new Map([
        ['A', 102],
        ['B', 48],
      ]),
    },
    {
      at: 300,
      prices: new Map([
        ['A', 110],
        ['B', 53],
      ]),
    },
    { at: 400, prices: new Map([['A', 111]]) },
  ];

  it('gives each strategy realized + unrealized at every mark, and the total', () => {
    const { curves, total } = pnlCurves(fills, marks);
    expect([...curves.keys()]).toEqual(['mom', 'rev']);
    // hand, mom: t50 no fill 0; t100 the fill at the mark counts: (101 - 100) x 10 = 10; t250 (102 - 100) x 10 = 20;
    // t300 closed at 104: realized (104 - 100) x 10 = 40; t400 still 40
    const mom = curves.get('mom')!;
    [0, 10, 20, 40, 40].forEach((v, i) => expect(mom[i]).toBeCloseTo(v, 10));
    // hand, rev: 0 until its fill at 200; t250 (48 - 50) x -5 = 10; t300 (53 - 50) x -5 = -15;
    // t400 B unpriced -> marked at entry 0 (the cover at 500 is after the last mark)
    const rev = curves.get('rev')!;
    [0, 0, 10, -15, 0].forEach((v, i) => expect(rev[i]).toBeCloseTo(v, 10));
    // hand, total = mom + rev: 0, 10, 30, 25, 40
    [0, 10, 30, 25, 40].forEach((v, i) => expect(total[i]).toBeCloseTo(v, 10));
    expect(total).toHaveLength(marks.length);
  });

  it('gives empty curves for no marks and zero curves for no fills', () => {
    expect(pnlCurves(fills, []).total).toEqual([]);
    expect(pnlCurves(fills, []).curves.get('mom')).toEqual([]);
    const none = pnlCurves([], marks);
    expect(none.curves.size).toBe(0);
    expect(none.total).toEqual([0, 0, 0, 0, 0]);
  });
});
