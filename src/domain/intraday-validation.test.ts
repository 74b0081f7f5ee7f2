/** Intraday validation against hand-built sessions: drops with reasons, gaps, spikes, halts, empty symbols. */
import { describe, expect, it } from 'vitest';
import { sessionBarStarts, validateIntradayBars } from './intraday-validation';
import type { IntradayBar } from './strategies/types';

const DATE = '2024-03-08'; // EST: 09:30 ET = 14:30Z
const starts = sessionBarStarts(DATE, '5m');

/** A flat, clean bar at expected start k. */
const bar = (symbol: string, k: number, over: Partial<IntradayBar> = {}): IntradayBar => ({
  symbol,
  ts: starts[k],
  open: 100,
  high: 100.5,
  low: 99.5,
  close: 100,
  volume: 1000,
  ...over,
});
const session = (symbol: string, ks: Iterable<number>) => Array.from(ks, (k) => bar(symbol, k));
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('validateIntradayBars', () => {
  it('keeps a full clean session with nothing to report', () => {
    const r = validateIntradayBars(session('A', range(0, 78)), ['A'], starts);
    expect(r.kept).toHaveLength(78);
    expect(r).toMatchObject({ rejected: [], gaps: [], spikes: [], halted: [], noBars: [], completeness: 1 });
  });

  it('drops impossible bars with a reason, first matching rule wins', () => {
    const bad = [
      bar('A', 0, { close: NaN }),
      bar('A', 1, { volume: Infinity }),
      bar('A', 2, { low: 0 }),
      bar('A', 3, { volume: -1 }),
      bar('A', 4, { high: 99, low: 100 }),
      bar('A', 5, { close: 101 }), // above high 100.5
      bar('A', 6, { high: 111, low: 99 }), // 1200 bps
      { ...bar('A', 7), ts: starts[7] + 60_000 }, // not on the 5m clock
      bar('A', 8, { volume: 0 }), // quiet, kept
      bar('A', 8, { close: 100.2 }), // same start again
    ];
    const r = validateIntradayBars(bad, ['A'], starts);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      'non_finite',
      'non_finite',
      'non_positive_price',
      'non_positive_price',
      'inconsistent_range',
      'inconsistent_range',
      'spread_too_wide',
      'off_schedule',
      'duplicate',
    ]);
    expect(r.rejected[6].detail).toBe('spread 1200 bps > 1000 bps'); // 10,000 x (111 - 99) / 100
    expect(r.kept).toEqual([bar('A', 8, { volume: 0 })]);
  });

  it('reports interior holes as one gap per symbol: first missing start and count', () => {
    const ks = range(0, 78).filter((k) => k !== 10 && k !== 11 && k !== 40);
    const r = validateIntradayBars([...session('A', ks), ...session('B', range(2, 78))], ['A', 'B'], starts);
    expect(r.gaps).toEqual([
      { symbol: 'A', firstMissing: starts[10], missing: 3 },
      { symbol: 'B', firstMissing: starts[0], missing: 2 }, // a late first bar is a gap
    ]);
    expect(r.halted).toEqual([]);
    expect(r.completeness).toBeCloseTo((75 + 76) / 156, 12);
  });

  it('reports a symbol whose bars stop as halted since the New York time of the first missing bar', () => {
    // Last bar 14:00 ET (k = 54) -> halted since 14:05 ET, 23 bars (14:05 .. 15:55) missing.
    const r = validateIntradayBars(session('H', range(0, 55)), ['H'], starts);
    expect(r.halted).toEqual([{ symbol: 'H', since: starts[55], lastBarTs: starts[54], missing: 23, message: 'halted since 14:05 ET' }]);
    expect(new Date(starts[55]).toISOString()).toBe('2024-03-08T19:05:00.000Z');
    expect(r.gaps).toEqual([]);
  });

  it('counts a short trailing run (fewer than minHaltBars) as a gap, not a halt', () => {
    const r = validateIntradayBars(session('L', range(0, 76)), ['L'], starts);
    expect(r.halted).toEqual([]);
    expect(r.gaps).toEqual([{ symbol: 'L', firstMissing: starts[76], missing: 2 }]);
    expect(validateIntradayBars(session('L', range(0, 76)), ['L'], starts, { minHaltBars: 2 }).halted).toHaveLength(1);
  });

  it('judges halts against the expected starts given (a session cut at the last closed bar)', () => {
    const soFar = starts.slice(0, 20); // the cycle at 11:10 ET
    const r = validateIntradayBars([...session('A', range(0, 20)), ...session('B', range(0, 15))], ['A', 'B'], soFar);
    expect(r.halted.map((h) => [h.symbol, h.message])).toEqual([['B', 'halted since 10:45 ET']]);
  });

  it('reports a spike beyond 10 % and keeps the bar; 10 % exactly is not a spike', () => {
    const closes = [100, 100, 110, 100, 89.5, 89.5]; // +0 %, +10 % exactly, -9.09 %, -10.5 %, 0
    const bars = closes.map((c, k) => bar('S', k, { open: c, high: c, low: c, close: c }));
    const r = validateIntradayBars(bars, ['S'], starts);
    expect(r.kept).toHaveLength(6);
    expect(r.spikes).toEqual([{ symbol: 'S', ts: starts[4], prevClose: 100, close: 89.5, change: expect.closeTo(-0.105, 12) }]);
    // a tighter threshold catches the +10 % and -9.09 % bars too
    expect(validateIntradayBars(bars, ['S'], starts, { maxSpikePct: 0.05 }).spikes.map((s) => s.ts)).toEqual([
      starts[2],
      starts[3],
      starts[4],
    ]);
  });

  it('measures a spike against the previous kept bar (a dropped bar in between is skipped)', () => {
    const bars = [bar('S', 0), bar('S', 1, { close: NaN }), bar('S', 2, { open: 100, high: 120, low: 100, close: 120 })];
    const r = validateIntradayBars(bars, ['S'], starts, { maxSpreadBps: 5000 });
    expect(r.spikes).toEqual([{ symbol: 'S', ts: starts[2], prevClose: 100, close: 120, change: expect.closeTo(0.2, 12) }]);
  });

  it('lists symbols with no kept bar, whether none came or all were dropped, and no gaps or halts for them', () => {
    const r = validateIntradayBars([bar('Z', 0, { open: -1 }), ...session('A', range(0, 78))], ['A', 'Z', 'Q'], starts);
    expect(r.noBars).toEqual(['Q', 'Z']);
    expect(r.gaps).toEqual([]);
    expect(r.halted).toEqual([]);
    expect(r.completeness).toBeCloseTo(1 / 3, 12);
  });

  it('keeps clean bars of symbols it was not asked about, without judging their completeness', () => {
    const r = validateIntradayBars(session('X', [0, 1]), ['A'], starts);
    expect(r.kept).toHaveLength(2);
    expect(r.noBars).toEqual(['A']);
    expect(r.gaps).toEqual([]);
  });

  it('with nothing expected: completeness 1, no gaps, and every bar is off schedule', () => {
    const r = validateIntradayBars(session('A', [0]), ['A'], []);
    expect(r.completeness).toBe(1);
    expect(r.rejected.map((x) => x.reason)).toEqual(['off_schedule']);
    expect(validateIntradayBars([], [], starts)).toMatchObject({ kept: [], completeness: 1, noBars: [] });
  });
});
