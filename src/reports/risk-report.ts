/**
 * The markdown report of the on-demand risk analysis: the broker positions,
 * each stress scenario's P&L (and the position that loses most), and the
 * correlations between held symbols with those above the risk manager's
 * limit flagged. Pure: the same inputs render the same bytes.
 */
import type { StressResult } from '../domain/stress';
import { fmt, mdTable, pct } from './markdown';

export interface RiskReportInput {
  asOf: string;
  broker: string;
  equity: number;
  positions: { symbol: string; qty: number; price: number }[];
  scenarios: StressResult[];
  correlations: { symbolA: string; symbolB: string; correlation: number; observations: number }[];
  /** The risk manager's max correlation between held symbols (0.7). */
  maxCorrelation: number;
  /** Returns per pair the correlations use (60). */
  window: number;
  /** Pairs refreshed in symbol_correlations by this run. */
  pairsRefreshed: number;
}

/**
 * @example
 *   renderRiskReport({ asOf: '2026-03-02', broker: 'paper', equity: 1e5, positions: [], scenarios: [], correlations: [], maxCorrelation: 0.7, window: 60, pairsRefreshed: 0 })
 */
export function renderRiskReport(r: RiskReportInput): string {
  const lines = [
    `# Risk analysis ${r.asOf}`,
    '',
    `Broker \`${r.broker}\`, equity ${fmt(r.equity)}. Correlations refreshed for ${r.pairsRefreshed} pairs over the last ${r.window} daily returns.`,
    '',
  ];
  lines.push('## Positions', '');
  if (r.positions.length === 0) lines.push('No open positions.', '');
  else {
    const rows = r.positions.map((p) => [p.symbol, p.qty, fmt(p.price), fmt(p.qty * p.price), pct((p.qty * p.price) / r.equity)]);
    lines.push(mdTable(['Symbol', 'Qty', 'Price', 'Market value', 'Of equity'], rows), '');
  }
  lines.push('## Stress scenarios', '');
  lines.push(
    mdTable(
      ['Scenario', 'What moves', 'P&L', 'Of equity', 'Worst position'],
      r.scenarios.map((s) => [
        s.name,
        s.description,
        fmt(s.pnl),
        pct(s.pnlPctOfEquity),
        s.worst ? `${s.worst.symbol} ${fmt(s.worst.pnl)}` : '-',
      ]),
    ),
    '',
  );
  lines.push('## Correlations between held symbols', '');
  if (r.correlations.length === 0) lines.push('Fewer than two held symbols with correlations.', '');
  else {
    const over = r.correlations.filter((c) => Math.abs(c.correlation) > r.maxCorrelation);
    lines.push(
      mdTable(
        ['Pair', 'Correlation', 'Returns', `Above ${fmt(r.maxCorrelation)}`],
        r.correlations.map((c) => [
          `${c.symbolA} / ${c.symbolB}`,
          fmt(c.correlation, 3),
          c.observations,
          Math.abs(c.correlation) > r.maxCorrelation ? 'yes' : '',
        ]),
      ),
      '',
      over.length
        ? `${over.length} pair(s) above the limit: a new order adding to either side would be rejected by the correlation rule.`
        : 'No pair above the limit.',
      '',
    );
  }
  return lines.join('\n');
}
