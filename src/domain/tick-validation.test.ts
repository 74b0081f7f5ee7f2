/** Tick validation, quality score and staleness against hand-worked values. */
import { describe, expect, it } from 'vitest';
import { qualityScore, spreadBps, staleSymbols, validateTicks, type TickBar } from './tick-validation';

const bar = (over: Partial<TickBar> = {}): TickBar => ({
  symbol: 'A',
  date: '2024-01-02',
  open: 100,
  high: 102,
  low: 99,
  close: 101,
  adjClose: 101,
  volume: 1000,
  ...over,
});

describe('spreadBps', () => {
  it('is 10,000 x (high - low) / close', () => {
    expect(spreadBps({ high: 105, low: 95, close: 100 })).toBe(1000);
    expect(spreadBps({ high: 102, low: 99, close: 101 })).toBeCloseTo(297.0297, 3); // 3 / 101
  });
  it('is NaN for a non-positive close or NaN input', () => {
    expect(spreadBps({ high: 1, low: 0.5, close: 0 })).toBeNaN();
    expect(spreadBps({ high: NaN, low: 0.5, close: 1 })).toBeNaN();
  });
});

describe('validateTicks', () => {
  it('keeps a clean bar and a zero-volume bar', () => {
    const r = validateTicks([bar(), bar({ volume: 0, date: '2024-01-03' })]);
    expect(r.kept).toHaveLength(2);
    expect(r.rejected).toEqual([]);
  });

  it('drops zero, negative and NaN prices with a reason', () => {
    const r = validateTicks([bar({ close: 0, low: 0 }), bar({ open: -1 }), bar({ adjClose: NaN }), bar({ volume: Infinity })]);
    expect(r.kept).toEqual([]);
    expect(r.rejected.map((x) => x.reason)).toEqual(['non_positive_price', 'non_positive_price', 'non_finite', 'non_finite']);
  });

  it('drops a spread over the limit, keeps one exactly at it', () => {
    // (110 - 100) / 100 = 1000 bps: kept at the 1000 default; 1001 bps: dropped.
    const atLimit = bar({ open: 100, high: 110, low: 100, close: 100 });
    const over = bar({ open: 100, high: 110.01, low: 100, close: 100, date: '2024-01-03' });
    const r = validateTicks([atLimit, over]);
    expect(r.kept).toEqual([atLimit]);
    expect(r.rejected).toEqual([{ symbol: 'A', date: '2024-01-03', reason: 'spread_too_wide', detail: 'spread 1001 bps > 1000 bps' }]);
    // A tighter limit drops both.
    expect(validateTicks([atLimit, over], { maxSpreadBps: 500 }).kept).toEqual([]);
  });

  it('drops a bar whose open or close lies outside low..high', () => {
    const r = validateTicks([bar({ close: 103 }), bar({ high: 98, low: 99 })]);
    expect(r.rejected.map((x) => x.reason)).toEqual(['inconsistent_range', 'inconsistent_range']);
  });

  it('handles empty input', () => {
    expect(validateTicks([])).toEqual({ kept: [], rejected: [] });
  });
});

describe('qualityScore', () => {
  it('is present / expected per symbol and their mean overall', () => {
    const q = qualityScore(
      ['A', 'B', 'C'],
      ['d1', 'd2', 'd3', 'd4'],
      [
        { symbol: 'A', date: 'd1' },
        { symbol: 'A', date: 'd2' },
        { symbol: 'A', date: 'd3' },
        { symbol: 'A', date: 'd4' },
        { symbol: 'B', date: 'd1' },
        { symbol: 'B', date: 'd1' }, // duplicates count once
        { symbol: 'B', date: 'x9' }, // not an expected day: ignored
      ],
    );
    expect(q.perSymbol).toEqual([
      { symbol: 'A', expected: 4, present: 4, score: 1 },
      { symbol: 'B', expected: 4, present: 1, score: 0.25 },
      { symbol: 'C', expected: 4, present: 0, score: 0 },
    ]);
    expect(q.overall).toBeCloseTo((1 + 0.25 + 0) / 3, 12);
  });
  it('is 1 when nothing is expected or there are no symbols', () => {
    expect(qualityScore(['A'], [], []).overall).toBe(1);
    expect(qualityScore([], ['d1'], []).overall).toBe(1);
  });
});

describe('staleSymbols', () => {
  const days = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
  it('flags a symbol whose last bar is more than N trading days old', () => {
    // A: last 01-03 -> 3 days after it (04, 05, 08) > 2: stale. B: last 01-04 -> 2: not stale. C: today -> 0.
    const s = staleSymbols({ A: '2024-01-03', B: '2024-01-04', C: '2024-01-08', D: null }, days, 2);
    expect(s).toEqual([
      { symbol: 'A', lastDate: '2024-01-03', tradingDaysBehind: 3 },
      { symbol: 'D', lastDate: null, tradingDaysBehind: 5 },
    ]);
  });
  it('nothing stale with an empty map', () => {
    expect(staleSymbols({}, days, 1)).toEqual([]);
  });
});
