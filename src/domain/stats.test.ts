import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, expectSeriesClose } from './__fixtures__/expect-close';
import { twoPassWindows } from './__fixtures__/rolling-reference';
import { median, quantile, rollingMoments } from './stats';

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

describe('rollingMoments', () => {
  it('hand-worked: windows [1,2,3], [2,3,3], [3,3,3]', () => {
    const r = rollingMoments([1, 2, 3, 3, 3], 3);
    expectSeriesClose(r.mean, [null, null, 2, 8 / 3, 3], 1e-15);
    // m2 of [2,3,3] about 8/3: 4/9 + 1/9 + 1/9 = 2/3
    expectSeriesClose(r.m2, [null, null, 2, 2 / 3, 0], 1e-15);
    expect(r.m2[4]).toBe(0);
  });
  it('a NaN blanks every window holding it; the state is rebuilt after', () => {
    const r = rollingMoments([1, 3, NaN, 1, 3, 5], 2);
    expectSeriesClose(r.mean, [null, 2, null, null, 2, 4]);
    expectSeriesClose(r.m2, [null, 2, null, null, 2, 2]);
  });
  it('property: matches a fresh two-pass computation of every window to 1e-12, bursts and flat spells included', () => {
    // values below 1e-100 become 0: their squares underflow in the reference itself
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (Math.abs(v) < 1e-100 ? 0 : v)),
            fc.constant(7.25),
            fc.double({ min: 7, max: 7.5, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 200,
          },
        ),
        fc.integer({ min: 2, max: 12 }),
        (x, window) => {
          const r = rollingMoments(x, window);
          const ref = twoPassWindows(x, window, 0);
          for (let t = window - 1; t < x.length; t++) {
            // the reference's own mean is rounded to an ulp of itself, which shifts every deviation by as
            // much: for windows whose spread is a few ulps (fast-check found [7.4999999999999964,
            // 7.499999999999987]) only that much agreement can be asked for
            const refUlps = 4 * Number.EPSILON * Math.abs(ref.mean[t]);
            expectClose(r.mean[t], ref.mean[t], 1e-12, Math.max(1e-12 * ref.sd[t], refUlps));
            expectClose(Math.sqrt(r.m2[t] / window), ref.sd[t], 1e-12, refUlps);
          }
        },
      ),
    );
  });
});
