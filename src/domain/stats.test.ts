import { describe, expect, it } from 'vitest';
import { median, quantile } from './stats';

// Expected values: numpy 1.26 `np.nanmedian` / `np.quantile(..., method='linear')`.
describe('median', () => {
  it('is the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('skips NaN and is NaN for empty or all-NaN input', () => {
    expect(median([3, NaN, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
    expect(median([NaN, NaN])).toBeNaN();
  });
  it('agrees with the 0.5 quantile', () => {
    const x = [0.3, -1.2, 5.5, 2.25, 0];
    expect(median(x)).toBe(quantile(x, 0.5));
    expect(median(x)).toBe(0.3);
  });
});
