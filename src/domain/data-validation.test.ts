/** Data-quality rules: findings name the column and first row; the verdict is the worst finding. */
import { describe, expect, it } from 'vitest';
import { checkPriceColumn, judgeColumns, judgeDataset, marketSeriesProblem, qualityScore, worst } from './data-validation';

describe('checkPriceColumn', () => {
  it('passes a clean series', () => {
    const c = checkPriceColumn('AAPL', [100, 101, 100.5, 102, 101.7]);
    expect(c).toMatchObject({ missing: 0, nonPositive: 0, outliers: 0 });
    expect(judgeColumns([c])).toEqual({ status: 'PASS', problems: [] });
  });
  it('counts missing values and names the first row; a few missing WARN, many FAIL', () => {
    const few = checkPriceColumn(
      'MSFT',
      Array.from({ length: 100 }, (_, i) => (i === 42 ? NaN : 100 + (i % 3))),
    );
    expect(few).toMatchObject({ missing: 1, firstMissingRow: 42 });
    expect(judgeColumns([few]).status).toBe('WARN');
    expect(judgeColumns([few]).problems[0]).toMatch(/WARN MSFT: 1 missing value\(s\) \(1\.00 %\), first at row 42/);
    const many = checkPriceColumn(
      'IBM',
      Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? null : 50)),
    );
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

describe('qualityScore', () => {
  it('is the share of clean columns; 0 when nothing was checked', () => {
    const clean = checkPriceColumn('A', [1, 2, 3]);
    const missing = checkPriceColumn('B', [1, NaN, 3]);
    const negative = checkPriceColumn('C', [1, -2, 3]);
    expect(qualityScore([clean, clean, missing, negative])).toBe(0.5);
    expect(qualityScore([clean])).toBe(1);
    expect(qualityScore([])).toBe(0);
  });
});

describe('marketSeriesProblem', () => {
  const ts = [1000, 2000, 3000];
  it('accepts a series on the same bars', () => {
    expect(marketSeriesProblem('SPX', { kind: 'read', key: 'k', timestamps: [1000, 2000, 3000], close: [1, 2, 3] }, ts)).toBeNull();
  });
  it('names a missing file, a missing column, a different length and the first differing row', () => {
    expect(marketSeriesProblem('VIX', { kind: 'missing', key: 'datasets/d/vix_hourly.parquet' }, ts)).toBe(
      'FAIL VIX: market data file datasets/d/vix_hourly.parquet is missing',
    );
    expect(marketSeriesProblem('SPX', { kind: 'lacksColumn', key: 'spx.parquet', column: 'close' }, ts)).toBe(
      'FAIL SPX: spx.parquet lacks a close column',
    );
    expect(marketSeriesProblem('SPX', { kind: 'read', key: 'k', timestamps: [1000, 2000], close: [1, 2] }, ts)).toBe(
      'FAIL SPX: 2 bars, the holdings have 3',
    );
    expect(marketSeriesProblem('SPX', { kind: 'read', key: 'k', timestamps: [1000, 2500, 3500], close: [1, 2, 3] }, ts)).toBe(
      "FAIL SPX: timestamp at row 1 differs from the holdings'",
    );
  });
});

describe('judgeDataset', () => {
  it('passes clean data with a quality score of 1', () => {
    expect(judgeDataset({ seriesProblems: [], missingContracts: [], checks: [checkPriceColumn('A', [1, 2, 3])] })).toEqual({
      status: 'PASS',
      problems: [],
      qualityScore: 1,
    });
  });
  it('lists series and missing-column FAILs first, then column findings; the worst verdict wins', () => {
    const few = checkPriceColumn(
      'MSFT',
      Array.from({ length: 100 }, (_, i) => (i === 42 ? NaN : 100)),
    );
    const v = judgeDataset({ seriesProblems: ['FAIL VIX: x'], missingContracts: ['ZZZ'], checks: [few] });
    expect(v.status).toBe('FAIL');
    expect(v.problems).toEqual([
      'FAIL VIX: x',
      'FAIL holdings: no column for contract(s) ZZZ',
      expect.stringMatching(/^WARN MSFT: 1 missing/),
    ]);
    expect(v.qualityScore).toBe(0);
    expect(judgeDataset({ seriesProblems: [], missingContracts: [], checks: [few] }).status).toBe('WARN');
  });
  it('names at most 20 missing contracts', () => {
    const missing = Array.from({ length: 22 }, (_, i) => `C${i}`);
    const v = judgeDataset({ seriesProblems: [], missingContracts: missing, checks: [] });
    expect(v.problems[0]).toBe(`FAIL holdings: no column for contract(s) ${missing.slice(0, 20).join(', ')}, ...`);
  });
});
