/**
 * The intraday bar clock and aggregation. Expected instants are Python's
 * zoneinfo (America/New_York) of 09:30 and 15:55 on each date:
 *   datetime(y, m, d, 9, 30, tzinfo=ZoneInfo('America/New_York')).timestamp() * 1000
 * Aggregates are worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { aggregateBars, barsPerSession, newYorkClock, sessionBarStarts } from './intraday-bars';
import type { IntradayBar } from './strategies/types';

describe('sessionBarStarts', () => {
  it('gives 78 five-minute starts from 09:30 to 15:55 New York time, across the March DST switch', () => {
    const zoneinfo = {
      '2024-03-08': [1709908200000, 1709931300000], // EST, UTC-5
      '2024-03-11': [1710163800000, 1710186900000], // EDT from 2024-03-10, UTC-4
      '2024-07-01': [1719840600000, 1719863700000],
      '2024-11-04': [1730730600000, 1730753700000], // EST again from 2024-11-03
    };
    for (const [date, [first, last]] of Object.entries(zoneinfo)) {
      const s = sessionBarStarts(date, '5m');
      expect(s).toHaveLength(78);
      expect([s[0], s[77]], date).toEqual([first, last]);
      expect(s.every((t, i) => i === 0 || t - s[i - 1] === 300_000)).toBe(true);
    }
  });

  it('gives 390 one-minute and 26 fifteen-minute starts, each a multiple of its interval since the epoch', () => {
    expect(sessionBarStarts('2024-03-08', '1m')).toHaveLength(390);
    const q = sessionBarStarts('2024-03-08', '15m');
    expect(q).toHaveLength(26);
    expect(q[25]).toBe(1709908200000 + 25 * 900_000); // 15:45
    expect(q.every((t) => t % 900_000 === 0)).toBe(true);
    expect(barsPerSession('1m')).toBe(390);
    expect(barsPerSession('5m')).toBe(78);
  });
});

describe('newYorkClock', () => {
  it('reads wall-clock time in EST and EDT, and the New York date late in the UTC day', () => {
    expect(newYorkClock(Date.parse('2024-03-08T19:05:00Z'))).toEqual({ date: '2024-03-08', hhmm: '14:05' });
    expect(newYorkClock(Date.parse('2024-07-01T18:05:00Z'))).toEqual({ date: '2024-07-01', hhmm: '14:05' });
    expect(newYorkClock(Date.parse('2024-07-02T02:30:00Z'))).toEqual({ date: '2024-07-01', hhmm: '22:30' });
  });
});

describe('aggregateBars', () => {
  const t0 = 1709908200000; // 2024-03-08 09:30 ET
  const m = (symbol: string, k: number, o: number, h: number, l: number, c: number, v: number): IntradayBar => ({
    symbol,
    ts: t0 + k * 60_000,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
  });

  it('takes first open, highest high, lowest low, last close and summed volume per 5-minute bucket', () => {
    const bars = [
      m('A', 0, 10, 10.5, 9.9, 10.2, 100),
      m('A', 1, 10.2, 10.8, 10.1, 10.7, 200),
      m('A', 2, 10.7, 10.7, 9.5, 9.6, 300),
      m('A', 3, 9.6, 9.8, 9.6, 9.7, 0),
      m('A', 4, 9.7, 9.9, 9.7, 9.8, 50),
      m('A', 5, 9.8, 9.9, 9.8, 9.85, 10),
    ];
    expect(aggregateBars(bars, '5m')).toEqual([
      { symbol: 'A', ts: t0, open: 10, high: 10.8, low: 9.5, close: 9.8, volume: 650 },
      { symbol: 'A', ts: t0 + 300_000, open: 9.8, high: 9.9, low: 9.8, close: 9.85, volume: 10 },
    ]);
  });

  it('sorts each symbol by time first, keeps symbols apart, and makes a bar from a partial bucket', () => {
    const bars = [m('B', 7, 5, 5, 5, 5, 1), m('A', 1, 2, 3, 1, 2.5, 1), m('B', 6, 4, 6, 4, 4.5, 2), m('A', 16, 3, 3, 3, 3, 1)];
    expect(aggregateBars(bars, '15m')).toEqual([
      { symbol: 'B', ts: t0, open: 4, high: 6, low: 4, close: 5, volume: 3 },
      { symbol: 'A', ts: t0, open: 2, high: 3, low: 1, close: 2.5, volume: 1 },
      { symbol: 'A', ts: t0 + 900_000, open: 3, high: 3, low: 3, close: 3, volume: 1 },
    ]);
    expect(aggregateBars([], '5m')).toEqual([]);
  });

  it('does not change its input', () => {
    const bars = [m('A', 0, 1, 2, 0.5, 1.5, 1), m('A', 1, 1.5, 3, 1, 2, 1)];
    const copy = structuredClone(bars);
    aggregateBars(bars, '5m');
    expect(bars).toEqual(copy);
  });
});
