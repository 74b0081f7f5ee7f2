/**
 * The one rule for withholding statistics: the period minimum, VaR's
 * definedness (count and variation) and the flat P&L band, each at its edge.
 */
import { describe, expect, it } from 'vitest';
import { FLAT_PNL_DOLLARS, MIN_PERIODS_FOR_RATIOS, pnlOutcome, ratioAvailability, varAvailability } from './metric-availability';

describe('ratioAvailability', () => {
  it('withholds below MIN_PERIODS_FOR_RATIOS and shows from it on', () => {
    expect(MIN_PERIODS_FOR_RATIOS).toBe(20);
    expect(ratioAvailability(0)).toEqual({ available: false, reason: '0 periods; needs at least 20' });
    expect(ratioAvailability(1)).toEqual({ available: false, reason: '1 period; needs at least 20' });
    expect(ratioAvailability(19).available).toBe(false);
    expect(ratioAvailability(20)).toEqual({ available: true });
  });
});

describe('varAvailability', () => {
  const varied = (n: number) => Array.from({ length: n }, (_, i) => (i % 3) * 0.01 - 0.01);
  it('needs 20 non-NaN returns that vary', () => {
    expect(varAvailability(varied(19))).toEqual({ available: false, reason: '19 returns; needs at least 20' });
    expect(varAvailability([...varied(19), NaN])).toEqual({ available: false, reason: '19 returns; needs at least 20' });
    expect(varAvailability(varied(20))).toEqual({ available: true });
    expect(varAvailability(Array<number>(30).fill(0.001))).toEqual({ available: false, reason: 'the 30 returns do not vary' });
    expect(varAvailability([])).toEqual({ available: false, reason: '0 returns; needs at least 20' });
  });
});

describe('pnlOutcome', () => {
  it('is flat on zero, NaN and anything that prints as $0.00', () => {
    expect(pnlOutcome(0)).toBe('flat');
    expect(pnlOutcome(NaN)).toBe('flat');
    expect(pnlOutcome(FLAT_PNL_DOLLARS)).toBe('flat');
    expect(pnlOutcome(-0.004)).toBe('flat');
    expect(pnlOutcome(0.01)).toBe('winner');
    expect(pnlOutcome(-0.01)).toBe('loser');
  });
});
