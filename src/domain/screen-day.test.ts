import { describe, expect, it } from 'vitest';
import {
  closesBySymbol,
  clusterRecords,
  flatMetrics,
  mergeScreenRows,
  metricsRecords,
  reviveMetricsRecords,
  scoreRecords,
  selectScreenable,
  type SymbolMetricsRecord,
} from './screen-day';
import { symbolMetrics } from './screening';

const row = (symbol: string, adjClose: number) => ({ symbol, date: '2024-01-02', adjClose });

describe('selectScreenable', () => {
  it('skips symbols with fewer bars than the minimum and drops non-positive or non-finite closes', () => {
    const rows = [row('A', 1), row('A', 2), row('A', -1), row('B', 5), row('A', NaN)];
    const r = selectScreenable(rows, 3);
    expect(r.skipped).toEqual([{ symbol: 'B', bars: 1 }]);
    expect(r.kept.map((x) => x.adjClose)).toEqual([1, 2]);
    expect(r.symbols).toBe(1);
    expect(selectScreenable([], 20)).toEqual({ kept: [], skipped: [], symbols: 0 });
  });
});

describe('closesBySymbol and metricsRecords', () => {
  it('groups long-format rows per symbol and dates the last bar', () => {
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
    const g = closesBySymbol(['A', 'A', 'B'], [day('2024-01-02'), day('2024-01-03'), day('2024-01-02')], [10, 11, 7]);
    expect([...g.keys()]).toEqual(['A', 'B']);
    expect(g.get('A')!.closes).toEqual([10, 11]);
    const [a] = metricsRecords(g, 252);
    expect(a).toMatchObject({ symbol: 'A', bars: 2, lastDate: '2024-01-03', lastClose: 11 });
    expect(a.metrics.momentum[10]).toBeNaN();
  });

  it('takes the Sharpe net of the annual risk-free rate: mean(r - rf_d) / std(r - rf_d, ddof 1) * sqrt(252), rf_d = 1.05^(1/252) - 1', () => {
    const closes = [100, 101, 100.5, 102, 101.2, 103];
    const day = (i: number) => Date.UTC(2024, 0, 2 + i);
    const g = closesBySymbol(
      closes.map(() => 'A'),
      closes.map((_, i) => day(i)),
      closes,
    );
    // Independent: the formula of seed 003's compute_sharpe (empyrical's sharpe_ratio) written out here.
    const rfDaily = Math.pow(1.05, 1 / 252) - 1;
    const ex = closes.slice(1).map((p, i) => p / closes[i] - 1 - rfDaily);
    const mean = ex.reduce((x, y) => x + y, 0) / ex.length;
    const sd = Math.sqrt(ex.reduce((x, y) => x + (y - mean) ** 2, 0) / (ex.length - 1));
    const [net] = metricsRecords(g, 252, 0.05);
    expect(net.metrics.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 12);
    const [gross] = metricsRecords(g, 252);
    expect(gross.metrics.sharpe).toBeGreaterThan(net.metrics.sharpe);
  });
});

describe('JSON round trip of metric records', () => {
  it('flatMetrics writes NaN as null; reviveMetricsRecords reads null back as NaN', () => {
    const m = symbolMetrics([10, 11, 12]);
    const flat = flatMetrics(m);
    expect(flat.momentum_252).toBeNull();
    expect(flat.momentum_10).toBeNull();
    expect(Object.keys(flat)).toEqual([
      'momentum_10',
      'momentum_21',
      'momentum_63',
      'momentum_126',
      'momentum_252',
      'volatility',
      'rsi',
      'sharpe',
      'max_drawdown',
    ]);
    const rec: SymbolMetricsRecord = { symbol: 'A', bars: 3, lastDate: '2024-01-03', lastClose: 12, metrics: m };
    const json = JSON.parse(
      JSON.stringify([rec], (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
    ) as SymbolMetricsRecord[];
    expect(json[0].metrics.momentum[252]).toBeNull();
    const [back] = reviveMetricsRecords(json);
    expect(back.metrics.momentum[252]).toBeNaN();
    expect(back.metrics.rsi).toBeNaN();
  });
});

describe('mergeScreenRows', () => {
  const closes = (drift: number) => Array.from({ length: 40 }, (_, i) => 100 * (1 + drift) ** i * (1 + 0.01 * Math.sin(i)));
  const records: SymbolMetricsRecord[] = ['A', 'B', 'C', 'D', 'E', 'F'].map((symbol, i) => ({
    symbol,
    bars: 40,
    lastDate: '2024-02-27',
    lastClose: 1,
    metrics: symbolMetrics(closes(0.002 * i - 0.004)),
  }));
  it('joins score and cluster per symbol, best rank first, with the quintile counts', () => {
    const { scores } = scoreRecords(records);
    const { clusters } = clusterRecords(records, { maxK: 3 });
    const { rows, quintileCounts } = mergeScreenRows(records, scores, clusters, (s) => (s === 'A' ? 'Tech' : null));
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(quintileCounts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(quintileCounts).toEqual([2, 1, 1, 1, 1]); // floor((rank - 1) * 5 / 6) + 1
    const a = rows.find((r) => r.symbol === 'A')!;
    expect(a.sector).toBe('Tech');
    expect(rows.find((r) => r.symbol === 'B')!.sector).toBeNull();
    expect(a.clusterLabel).toBe(clusters.find((c) => c.symbol === 'A')!.label);
    expect(a.composite).toBe(scores.find((s) => s.symbol === 'A')!.composite);
  });
  it('a symbol without a score or a cluster is an error naming it', () => {
    const { scores } = scoreRecords(records);
    expect(() => mergeScreenRows(records, scores.slice(1), [], () => null)).toThrow(/merge: A has no score/);
    expect(() => mergeScreenRows(records, scores, [], () => null)).toThrow(/merge: A has no cluster/);
  });
});
