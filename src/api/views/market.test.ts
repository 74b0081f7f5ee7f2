/** placeMarkers: each signal or fill on the bar it falls in, or left out when no bar holds it. */
import { describe, expect, it } from 'vitest';
import type { EventRow } from './market-data';
import { placeMarkers } from './market';

const event = (time: string | number, kind: EventRow['kind'] = 'fill'): EventRow => ({
  kind,
  time,
  at: String(time),
  side: 'buy',
  source: 'test',
  label: 'buy 1 @ 1.00',
  qty: 1,
  price: 1,
  status: null,
});

describe('placeMarkers, daily bars', () => {
  // Friday 2025-03-07, Monday 03-10, Tuesday 03-11
  const bars = [{ time: '2025-03-07' }, { time: '2025-03-10' }, { time: '2025-03-11' }];

  it('puts an event of a bar day on that bar, keeping when it happened', () => {
    expect(placeMarkers(bars, [event('2025-03-10')], null)).toEqual([{ ...event('2025-03-10'), time: '2025-03-10' }]);
  });
  it('puts a weekend event on the last session before it', () => {
    expect(placeMarkers(bars, [event('2025-03-08')], null).map((m) => m.time)).toEqual(['2025-03-07']);
  });
  it('leaves out events before the first bar and after the last day', () => {
    expect(placeMarkers(bars, [event('2025-03-06'), event('2025-03-12')], null)).toEqual([]);
  });
  it('keeps every event of one bar (a signal and a fill on the same day)', () => {
    expect(placeMarkers(bars, [event('2025-03-11', 'signal'), event('2025-03-11')], null).map((m) => m.kind)).toEqual(['signal', 'fill']);
  });
  it('has nothing to place on no bars', () => {
    expect(placeMarkers([], [event('2025-03-10')], null)).toEqual([]);
  });
});

describe('placeMarkers, 5-minute bars (wall-clock seconds)', () => {
  const open = Date.UTC(2025, 2, 14, 9, 30) / 1000; // 09:30 on the exchange's clock
  const bars = [0, 1, 2].map((i) => ({ time: open + i * 300 }));

  it('puts an instant inside a bar on the bar that started before it', () => {
    expect(placeMarkers(bars, [event(open + 299), event(open + 300), event(open + 601)], 300).map((m) => m.time)).toEqual([
      open,
      open + 300,
      open + 600,
    ]);
  });
  it('leaves out an instant at or after the last bar’s end, and one before the first bar', () => {
    expect(placeMarkers(bars, [event(open + 900), event(open - 1)], 300)).toEqual([]);
  });
});
