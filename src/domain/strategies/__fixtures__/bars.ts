/**
 * Test-only builders for the strategy tests: 5-minute bars from written-down
 * closes, positions and the inputs object.
 */
import type { IntradayBar, StrategyInputs, StrategyPosition } from '../types';

/** 2025-01-02 14:30 UTC, the NYSE open that day. */
export const T0 = Date.UTC(2025, 0, 2, 14, 30);
export const FIVE_MINUTES = 300_000;

/** Bars of `symbol` with these closes, one every 5 minutes from `start` (open = high = low = close). */
export function barsOf(symbol: string, closes: readonly number[], start = T0): IntradayBar[] {
  return closes.map((close, i) => ({ symbol, ts: start + i * FIVE_MINUTES, open: close, high: close, low: close, close, volume: 1000 }));
}

/** Positions by symbol from [symbol, qty] pairs. */
export function positionsOf(...held: [string, number][]): Map<string, StrategyPosition> {
  return new Map(held.map(([symbol, qty]) => [symbol, { symbol, qty, avgEntryPrice: 1 }]));
}

/** Inputs at the close of the latest bar. */
export function inputsOf<C>(
  config: C,
  bars: Record<string, readonly IntradayBar[]>,
  positions: Map<string, StrategyPosition> = new Map(),
): StrategyInputs<C> {
  const all = Object.values(bars).flat();
  const at = all.length > 0 ? Math.max(...all.map((b) => b.ts)) + FIVE_MINUTES : T0;
  return { at, bars: new Map(Object.entries(bars)), positions, config };
}
