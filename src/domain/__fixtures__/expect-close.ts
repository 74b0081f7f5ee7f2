/**
 * Test-only assertions for floating-point results: relative closeness with
 * an absolute floor, and element-wise comparison of series where NaN must
 * line up with NaN (or null in pasted reference JSON).
 */
import { expect } from 'vitest';

/** |a - b| <= max(abs, rel * |b|); NaN/null expected means NaN actual. */
export function expectClose(actual: number, expected: number | null, rel = 1e-9, abs = 1e-12): void {
  if (expected === null || Number.isNaN(expected)) {
    expect(actual, `expected NaN, got ${actual}`).toBeNaN();
    return;
  }
  const tol = Math.max(abs, rel * Math.abs(expected));
  expect(Math.abs(actual - expected), `actual ${actual} vs expected ${expected}`).toBeLessThanOrEqual(tol);
}

/** Element-wise `expectClose` over two series of equal length. */
export function expectSeriesClose(actual: ArrayLike<number>, expected: ArrayLike<number | null>, rel = 1e-9, abs = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], rel, abs);
}
