/**
 * The Overview's shaping against numbers worked out by hand (each test says
 * how): drawdown from the running peak, exposure by sector, P&L of the day,
 * month and year, book names, and an execution book's marks, curve, cash and
 * holdings rebuilt from its fills.
 */
import { describe, expect, it } from 'vitest';
import type { BookFill } from '../../domain/strategy-book/book';
import type { IntradayBar } from '../../domain/strategies/types';
import {
  bookHoldings,
  describeBook,
  executionCurve,
  fillMarks,
  periodPnl,
  replayDateOf,
  sectorExposure,
  sessionMarks,
  withDrawdown,
} from './overview-shape';

const at = (iso: string) => Date.parse(iso);
const bar = (symbol: string, iso: string, close: number): IntradayBar => ({
  symbol,
  ts: at(iso),
  open: close,
  high: close,
  low: close,
  close,
  volume: 100,
});

describe('withDrawdown', () => {
  it('is 0 at each new high and v / peak - 1 below it', () => {
    // peaks 100, 120, 120, 130, 130: 90 / 120 - 1 = -0.25, 117 / 130 - 1 = -0.1
    const points = [100, 120, 90, 130, 117].map((value, i) => ({ time: `2025-03-0${i + 3}`, value }));
    const dd = withDrawdown(points).map((p) => p.drawdown);
    expect(dd.slice(0, 2)).toEqual([0, 0]);
    expect(dd[2]).toBeCloseTo(-0.25, 12);
    expect(dd[3]).toBe(0);
    expect(dd[4]).toBeCloseTo(-0.1, 12);
    expect(withDrawdown(points).map((p) => p.equity)).toEqual([100, 120, 90, 130, 117]);
  });
  it('is empty for no points', () => {
    expect(withDrawdown([])).toEqual([]);
  });
});

describe('sectorExposure', () => {
  it('sums market value per sector as a share of the total value, largest first, a missing sector as Unclassified', () => {
    // Technology 3,000 + 2,000 = 5,000 of 10,000 = 50 %; Healthcare 1,500 = 15 %; no sector 500 = 5 %
    const rows = sectorExposure(
      [
        { sector: 'Technology', value: 3000 },
        { sector: 'Healthcare', value: 1500 },
        { sector: null, value: 500 },
        { sector: 'Technology', value: 2000 },
      ],
      10_000,
    );
    expect(rows).toEqual([
      { sector: 'Technology', value: 5000, weight: 0.5, positions: 2 },
      { sector: 'Healthcare', value: 1500, weight: 0.15, positions: 1 },
      { sector: 'Unclassified', value: 500, weight: 0.05, positions: 1 },
    ]);
  });
  it('ranks a short by its size and keeps its sign', () => {
    const rows = sectorExposure(
      [
        { sector: 'Healthcare', value: 1500 },
        { sector: 'Energy', value: -2000 },
      ],
      10_000,
    );
    expect(rows.map((r) => [r.sector, r.weight])).toEqual([
      ['Energy', -0.2],
      ['Healthcare', 0.15],
    ]);
  });
  it('gives weight 0 when there is no positive total', () => {
    expect(sectorExposure([{ sector: 'X', value: 10 }], 0)[0]!.weight).toBe(0);
  });
});

describe('periodPnl', () => {
  it('takes the latest day, and sums its month and its year', () => {
    // latest 2025-02-04: day -0.5; February 2 - 0.5 = 1.5; 2025: 1 + 2 - 0.5 = 2.5 (2024-12-31 is last year)
    expect(
      periodPnl([
        { date: '2024-12-31', pnl: 5 },
        { date: '2025-01-02', pnl: 1 },
        { date: '2025-02-04', pnl: -0.5 },
        { date: '2025-02-03', pnl: 2 },
      ]),
    ).toEqual({ date: '2025-02-04', day: -0.5, mtd: 1.5, ytd: 2.5 });
  });
  it('says nothing before the first day', () => {
    expect(periodPnl([])).toEqual({ date: null, day: null, mtd: null, ytd: null });
  });
});

describe('describeBook and replayDateOf', () => {
  it('names each kind of book', () => {
    expect(describeBook('pipeline', 'strategies')).toEqual({ label: 'Daily pipeline', kind: 'pipeline' });
    expect(describeBook('paper:strategies', 'strategies')).toEqual({ label: 'Live paper (strategies)', kind: 'live' });
    expect(describeBook('replay:2025-03-14', 'strategies')).toEqual({ label: 'Replay 2025-03-14', kind: 'replay' });
    expect(describeBook('replay:2025-03-14:a', 'strategies')).toEqual({ label: 'Replay 2025-03-14 (a)', kind: 'replay' });
    expect(describeBook('paper', 'strategies')).toEqual({ label: 'Service paper account', kind: 'service' });
    expect(describeBook('paper:other', 'strategies')).toEqual({ label: 'paper:other', kind: 'service' });
  });
  it('reads the replayed date from the name only', () => {
    expect(replayDateOf('replay:2025-03-14:tag')).toBe('2025-03-14');
    expect(replayDateOf('paper:replay:2025-03-14')).toBeNull();
  });
});

// 2025-03-14 is in US daylight time (from 03-09): the session opens 13:30Z, its 5-minute bars close 13:35Z, 13:40Z, ...
const day = [
  bar('A', '2025-03-13T19:55:00Z', 9), // the previous session's last bar: the price at the open
  bar('A', '2025-03-14T13:30:00Z', 10),
  bar('A', '2025-03-14T13:35:00Z', 12),
  bar('A', '2025-03-14T13:40:00Z', 9),
];
const until = at('2025-03-14T13:45:00Z'); // the latest bar (13:40) closes at 13:45
const buy: BookFill = { strategy: 's', symbol: 'A', side: 'buy', qty: 10, price: 10, at: at('2025-03-14T13:35:00Z') };

describe('sessionMarks', () => {
  it('marks the open at the previous close, then each bar close up to the latest, skipping a session without bars', () => {
    const marks = sessionMarks(['2025-03-14', '2025-03-17'], day, '5m', until);
    expect(marks.map((m) => new Date(m.at).toISOString())).toEqual([
      '2025-03-14T13:30:00.000Z',
      '2025-03-14T13:35:00.000Z',
      '2025-03-14T13:40:00.000Z',
      '2025-03-14T13:45:00.000Z',
    ]);
    expect(marks.map((m) => m.prices.get('A'))).toEqual([9, 10, 12, 9]);
  });
});

describe('executionCurve', () => {
  const marks = sessionMarks(['2025-03-14'], day, '5m', until);
  it('is starting cash + P&L at each mark, with its drawdown', () => {
    // 10 shares bought at 10 at 13:35: P&L 0, 0, 10 x (12 - 10) = 20, 10 x (9 - 10) = -10
    // equity 1,000 + that: 1,000, 1,000, 1,020, 990; drawdown at the end 990 / 1,020 - 1 = -1/34
    const curve = executionCurve([buy], marks, 1000);
    expect(curve.map((p) => p.equity)).toEqual([1000, 1000, 1020, 990]);
    expect(curve.slice(0, 3).map((p) => p.drawdown)).toEqual([0, 0, 0]);
    expect(curve[3]!.drawdown).toBeCloseTo(-1 / 34, 12);
  });
  it('is the P&L alone, without drawdown, when the starting cash is unknown', () => {
    const curve = executionCurve([buy], marks, null);
    expect(curve.map((p) => [p.equity, p.drawdown])).toEqual([
      [0, null],
      [0, null],
      [20, null],
      [-10, null],
    ]);
  });
});

describe('fillMarks', () => {
  it('marks each fill instant at the latest fill price of every symbol', () => {
    const fills: BookFill[] = [
      { strategy: 's', symbol: 'A', side: 'buy', qty: 1, price: 10, at: 1 },
      { strategy: 's', symbol: 'B', side: 'buy', qty: 1, price: 20, at: 1 },
      { strategy: 's', symbol: 'A', side: 'sell', qty: 1, price: 11, at: 2 },
    ];
    expect(fillMarks(fills).map((m) => [m.at, Object.fromEntries(m.prices)])).toEqual([
      [1, { A: 10, B: 20 }],
      [2, { A: 11, B: 20 }],
    ]);
  });
});

describe('bookHoldings', () => {
  it('nets the strategies per symbol, values them, and leaves cash = start - buys + sells (before fees)', () => {
    // s1 buys 10 A at 100, s2 sells 5 A at 110 (a short of its own), s1 buys 4 B at 50.
    // Net A = 5 at 120 = 600; B has no price: at its entry, 4 x 50 = 200.
    // Cash 10,000 - 1,000 + 550 - 200 = 9,350; total 10,150 = 10,000 + P&L (s1: 10 x 20 = 200; s2: -5 x 10 = -50).
    const fills: BookFill[] = [
      { strategy: 's1', symbol: 'A', side: 'buy', qty: 10, price: 100, at: 1 },
      { strategy: 's2', symbol: 'A', side: 'sell', qty: 5, price: 110, at: 2 },
      { strategy: 's1', symbol: 'B', side: 'buy', qty: 4, price: 50, at: 3 },
    ];
    const { cash, holdings } = bookHoldings(fills, 3, new Map([['A', 120]]), 10_000);
    expect(holdings).toEqual([
      { symbol: 'A', qty: 5, price: 120, value: 600 },
      { symbol: 'B', qty: 4, price: 50, value: 200 },
    ]);
    expect(cash).toBe(9350);
    expect(cash! + holdings.reduce((s, h) => s + h.value, 0)).toBe(10_150);
    // Before the last fill, B is not held yet and its cost not paid.
    expect(bookHoldings(fills, 2, new Map([['A', 120]]), 10_000)).toEqual({
      cash: 9550,
      holdings: [{ symbol: 'A', qty: 5, price: 120, value: 600 }],
    });
    expect(bookHoldings(fills, 3, new Map(), null).cash).toBeNull();
  });
});
