/**
 * Test-only references for rolling-window statistics: a deterministic
 * CPI-like monthly series that makes a sliding variance drift, and the
 * straightforward per-window two-pass mean and deviation to compare with.
 */
import { mulberry32, normalSampler } from '../random';

/**
 * A CPI-like monthly index: starts at 10, alternates 60-month calm spells
 * (+0.05 % a month, 0.2 % noise) with inflation bursts (+1.2 % a month,
 * 1 % noise), and is published to one decimal as early CPI was, so calm
 * windows hold only a few distinct values right after a burst. With seed 10
 * and 600 points, a plain sliding update of the 12-month variance is off by
 * more than 1e-9 relative (measured: 1.8e-9 on sigma, 1.6e-9 on the z-score).
 */
export function cpiLikeSeries(n: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const z = normalSampler(rng);
  const x = new Float64Array(n);
  let level = 10;
  for (let t = 0; t < n; t++) {
    const burst = Math.floor(t / 60) % 3 === 1;
    level *= burst ? 1.012 + 0.01 * z() : 1.0005 + 0.002 * z();
    x[t] = Math.round(level * 10) / 10;
  }
  return x;
}

/**
 * Per-window reference, computed afresh for every window: mean = sum / N,
 * sd = sqrt(sum((x - mean)^2) / (N - ddof)); a window of equal values has
 * mean = that value and sd = 0 exactly. NaN before the first full window.
 */
export function twoPassWindows(x: ArrayLike<number>, window: number, ddof: number): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(x.length).fill(NaN);
  const sd = new Float64Array(x.length).fill(NaN);
  for (let t = window - 1; t < x.length; t++) {
    let flat = true;
    let s = 0;
    for (let i = t - window + 1; i <= t; i++) {
      s += x[i];
      if (x[i] !== x[t]) flat = false;
    }
    if (flat) {
      mean[t] = x[t];
      sd[t] = 0;
      continue;
    }
    const m = s / window;
    let q = 0;
    for (let i = t - window + 1; i <= t; i++) q += (x[i] - m) * (x[i] - m);
    mean[t] = m;
    sd[t] = Math.sqrt(q / (window - ddof));
  }
  return { mean, sd };
}

/**
 * Prices that swing by +-15 around 100 for 24 bars and then stay at 101.3:
 * a sliding update leaves about 1e-7 of sigma behind in the flat windows.
 */
export function flatAfterMovement(flatBars: number): number[] {
  const moves = [
    104.7, 98.2, 111.9, 87.3, 120.4, 95.1, 101.6, 89.9, 117.2, 99.8, 106.3, 92.4, 114.1, 97.7, 103.5, 90.6, 109.8, 94.2, 112.6, 100.9,
    118.3, 88.4, 105.5, 96.1,
  ];
  return [...moves, ...new Array<number>(flatBars).fill(101.3)];
}
