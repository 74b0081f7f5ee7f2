/**
 * The report of the `signal` workflow (WF3): the weights, how many
 * candidates had news, the distribution of recommendations, the top buys
 * and sells, and every candidate. A pure function of the combined rows.
 */
import { RECOMMENDATIONS, type CombinedWeights, type Recommendation } from '../domain/scoring';
import { SIGNAL_MAX_QUINTILE, SIGNAL_NEWS_DAYS, type CombinedSignal } from '../domain/signal-day';
import { fmt, mdTable } from './markdown';

/** What the signal report shows. */
export interface SignalReportInput {
  date: string;
  /** Best combined score first. */
  rows: CombinedSignal[];
  weights: CombinedWeights;
  distribution: Record<Recommendation, number>;
  parquetKey: string;
  /** Degradations the reader must see first (a news outage). */
  warnings?: string[];
}

const label = (s: Recommendation) => s.replace('_', ' ');

/**
 * The Markdown signal report.
 *
 * @example
 *   await store.put(reportKey, renderSignalReport({ date, rows, weights, distribution, parquetKey }));
 */
export function renderSignalReport(x: SignalReportInput): string {
  const { rows } = x;
  const w = x.weights;
  const line = (r: CombinedSignal) => [
    r.symbol,
    r.sector ?? '-',
    `Q${r.quintile}`,
    fmt(r.technicalScore, 1),
    fmt(r.fundamentalScore, 1),
    r.hasSentiment ? `${fmt(r.sentimentScore, 1)} (${r.newsCount} news)` : 'n/a (no news, 50)',
    fmt(r.combinedScore, 1),
    label(r.signal),
  ];
  const head = ['symbol', 'sector', 'quintile', 'technical', 'fundamental', 'sentiment', 'combined', 'signal'];
  const buys = rows.filter((r) => r.signal === 'strong_buy' || r.signal === 'buy').slice(0, 10);
  const sells = rows
    .filter((r) => r.signal === 'sell' || r.signal === 'strong_sell')
    .reverse()
    .slice(0, 10);
  const sentimentOff = w.sentiment === 0 ? ' (sentiment off: technical + fundamental renormalised)' : '';
  return [
    `# Signals ${x.date}`,
    '',
    ...(x.warnings?.length ? [...x.warnings.map((w) => `> **Warning:** ${w}`), ''] : []),
    `${rows.length} candidates (screen quintiles 1-${SIGNAL_MAX_QUINTILE}). Weights: technical ${fmt(w.technical, 2)}, fundamental ${fmt(w.fundamental, 2)}, sentiment ${fmt(w.sentiment, 2)}${sentimentOff}.`,
    `${rows.filter((r) => r.hasSentiment).length} of ${rows.length} have news in the last ${SIGNAL_NEWS_DAYS} days. Results: \`${x.parquetKey}\`.`,
    '',
    '## Distribution',
    '',
    mdTable(
      ['signal', 'count'],
      RECOMMENDATIONS.map((s) => [label(s), x.distribution[s] ?? 0]),
    ),
    '',
    '## Top buys',
    '',
    buys.length ? mdTable(head, buys.map(line)) : '_none_',
    '',
    '## Top sells',
    '',
    sells.length ? mdTable(head, sells.map(line)) : '_none_',
    '',
    '## All candidates',
    '',
    mdTable(head, rows.map(line)),
    '',
  ].join('\n');
}
