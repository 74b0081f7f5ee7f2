/** Benchmark percentiles in ms, rounded to hundredths: src/domain/stats.ts `quantile` (numpy's linear method); null for no samples. */
import { quantile } from '../src/domain/stats';

export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  return Math.round(quantile(values, q) * 100) / 100;
}
