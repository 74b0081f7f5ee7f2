/** Data-quality rules: findings name the column and first row; the verdict is the worst finding. */
import { describe, expect, it } from 'vitest';
import { checkPriceColumn, judgeColumns, worst } from './data-validation';

describe('checkPriceColumn', () => {
  it('passes a clean series', () => {
    const c = checkPriceColumn('AAPL', [100, 101, 100.5, 102, 101.7]);
    expect(c).toMatchObject({ missing: 0, nonPositive: 0, outliers: 0 });
    expect(judgeColumns([c])).toEqual({ status: 'PASS', problems: [] });
  });
  it('counts missing values and names the first row; a few missing WARN, many FAIL', () => {
    const few = checkPriceColumn('MSFT', Array.from({ length: 100 }, (_, i) => (i === 42 ? NaN : 100 + (i % 3))));
    expect(few).toMatchObject({ missing: 1, firstMissingRow: 42 });
    expect(judgeColumns([few]).status).toBe('WARN');
    expect(judgeColumns([few]).problems[0]).toMatch(/WARN MSFT: 1 missing value\(s\) \(1\.00 %\), first at row 42/);
    const many = checkPriceColumn('IBM', Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? null : 50)));
    expect(judgeColumns([many]).status).toBe('FAIL');
  });
  it('fails zero and negative prices, naming the first row', () => {
    const c = checkPriceColumn('XOM', [10, 11, 0, 12, -1]);
    expect(c).toMatchObject({ nonPositive: 2, firstNonPositiveRow: 2 });
    expect(judgeColumns([c]).problems[0]).toBe('FAIL XOM: 2 zero or negative price(s), first at row 2');
  });
  it('flags a return outlier beyond the z threshold', () => {
    // 200 bars alternating +-0.1 %, then one +50 % jump at row 150: |z| of that return is far above 8.
    const prices: number[] = [100];
    for (let i = 1; i < 200; i++) prices.push(prices[i - 1] * (i === 150 ? 1.5 : i % 2 ? 1.001 : 0.999));
    const c = checkPriceColumn('TSLA', prices);
    expect(c.outliers).toBe(1);
    expect(c.firstOutlierRow).toBe(150);
    expect(judgeColumns([c]).status).toBe('WARN');
  });
  it('has no findings for an empty or constant column', () => {
    expect(checkPriceColumn('E', [])).toMatchObject({ rows: 0, missing: 0, outliers: 0 });
    expect(checkPriceColumn('C', [5, 5, 5, 5]).outliers).toBe(0);
  });
  it('combines verdicts worst-first', () => {
    expect(worst('PASS', 'WARN')).toBe('WARN');
    expect(worst('WARN', 'FAIL', 'PASS')).toBe('FAIL');
    expect(worst()).toBe('PASS');
  });
});
