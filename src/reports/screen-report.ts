/**
 * The report of the `screen` workflow (WF2): what was screened and skipped,
 * the weights, the quintiles, the clusters with the elbow's inertia curve,
 * the top 10 and every symbol. A pure function of the merged rows.
 */
import { SCREEN_LOOKBACK_BARS, type ScreenedSymbol, type SkippedSymbol } from '../domain/screen-day';
import type { FactorWeights } from '../domain/screening';
import { fmt, mdTable } from './markdown';

/** What the screen report shows. */
export interface ScreenReportInput {
  date: string;
  /** Best rank first. */
  rows: ScreenedSymbol[];
  k: number;
  inertias: number[];
  weights: FactorWeights;
  skipped: SkippedSymbol[];
  parquetKey: string;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${fmt(v * 100, 1)} %`);

/** Mean of the finite values, null when there are none. */
const avg = (a: (number | null)[]) => {
  const f = a.filter((v): v is number => v !== null && Number.isFinite(v));
  return f.length ? f.reduce((s, v) => s + v, 0) / f.length : null;
};

/**
 * The Markdown screen report.
 *
 * @example
 *   await store.put(reportKey, renderScreenReport({ date, rows, k, inertias, weights, skipped, parquetKey }));
 */
export function renderScreenReport(x: ScreenReportInput): string {
  const { rows } = x;
  const line = (r: ScreenedSymbol) => [
    r.rank,
    r.symbol,
    r.sector ?? '-',
    fmt(r.composite, 3),
    `Q${r.quintile}`,
    r.clusterLabel ?? '-',
    pct(r.metrics.momentum_252),
    pct(r.metrics.volatility),
    fmt(r.metrics.rsi, 1),
    fmt(r.metrics.sharpe, 2),
    r.bars,
  ];
  const head = ['rank', 'symbol', 'sector', 'composite', 'quintile', 'cluster', '252d return', 'volatility', 'RSI', 'Sharpe', 'bars'];
  const byCluster = new Map<string, ScreenedSymbol[]>();
  for (const r of rows) byCluster.set(r.clusterLabel ?? '-', [...(byCluster.get(r.clusterLabel ?? '-') ?? []), r]);
  const skipped = x.skipped.length
    ? `, ${x.skipped.length} skipped for short history (${x.skipped.map((s) => `${s.symbol}: ${s.bars} bars`).join(', ')})`
    : '';
  return [
    `# Screen ${x.date}`,
    '',
    `${rows.length} symbols screened${skipped}.`,
    `Weights: momentum ${x.weights.momentum}, low volatility ${x.weights.lowVolatility}, RSI ${x.weights.rsi}, Sharpe ${x.weights.sharpe}. Window ${SCREEN_LOOKBACK_BARS} bars.`,
    `Results: \`${x.parquetKey}\`.`,
    '',
    '## Quintiles',
    '',
    mdTable(
      ['quintile', 'symbols', 'mean composite'],
      [1, 2, 3, 4, 5].map((q) => {
        const g = rows.filter((r) => r.quintile === q);
        return [`Q${q}`, g.length, fmt(avg(g.map((r) => r.composite)), 3)];
      }),
    ),
    '',
    `## Clusters (K = ${x.k} by the elbow; inertia k=1..${x.inertias.length}: ${x.inertias.map((v) => fmt(v, 1)).join(', ')})`,
    '',
    mdTable(
      ['cluster', 'symbols', 'mean 252d return', 'mean volatility', 'members'],
      [...byCluster].map(([label, g]) => [
        label,
        g.length,
        pct(avg(g.map((r) => r.metrics.momentum_252))),
        pct(avg(g.map((r) => r.metrics.volatility))),
        g.map((r) => r.symbol).join(' '),
      ]),
    ),
    '',
    '## Top 10',
    '',
    mdTable(head, rows.slice(0, 10).map(line)),
    '',
    '## All symbols',
    '',
    mdTable(head, rows.map(line)),
    '',
  ].join('\n');
}
