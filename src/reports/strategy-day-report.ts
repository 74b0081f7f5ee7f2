/**
 * The end-of-day report of the strategies' book: the day's P&L per strategy
 * and in total, the trade summary, success rate, Sharpe and attribution, the
 * risk checks of the day, and a chart (the book's equity with its drawdown
 * panel, and each strategy's equity contribution on the same axis).
 */
import type { DaySummary } from '../domain/strategy-book/day-summary';
import { fmt, mdTable, money, pct } from './markdown';
import { renderEquityChart } from './svg-chart';

export interface StrategyDayReportInput {
  date: string;
  book: string;
  summary: DaySummary;
  startEquity: number;
  riskChecks: { at: string; critical: boolean; violations: number; halted: boolean }[];
  retention: { cutoff: string; deleted: number };
  chartFile: string;
}

const pctOrDash = (x: number) => (Number.isFinite(x) ? pct(x) : '-');
const numOrDash = (x: number) => (Number.isFinite(x) ? fmt(x) : '-');

/** New York HH:MM of an epoch ms (the chart's x labels). */
function nyTime(at: number): string {
  return new Date(at).toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false });
}

export function renderStrategyDayReport(r: StrategyDayReportInput): string {
  const s = r.summary;
  return [
    `# End of day ${r.date}: ${r.book}`,
    '',
    `Day P&L **${money(s.total.pnl)}** on ${s.total.orders} orders (${s.total.filledOrders} filled, ${s.total.rejectedOrders} rejected),` +
      ` ${s.total.roundTrips} round trips closed, success rate ${pctOrDash(s.total.successRate)}, Sharpe ${numOrDash(s.total.sharpe)}.`,
    '',
    '## By strategy',
    '',
    mdTable(
      ['strategy', 'P&L', 'attribution', 'orders', 'filled', 'rejected', 'buys', 'sells', 'notional', 'round trips', 'success', 'Sharpe'],
      s.strategies.map((x) => [
        x.strategy,
        money(x.pnl),
        pctOrDash(x.attribution),
        x.orders,
        x.filledOrders,
        x.rejectedOrders,
        x.buys,
        x.sells,
        money(x.notional),
        x.roundTrips,
        pctOrDash(x.successRate),
        numOrDash(x.sharpe),
      ]),
    ),
    '',
    'P&L: realized + unrealized, marked at bar closes, before fees; Sharpe of the 5-minute P&L increments, annualised (sqrt(bars x 252)), no risk-free rate.',
    '',
    '## Risk checks',
    '',
    r.riskChecks.length
      ? mdTable(
          ['at', 'violations', 'critical', 'halted'],
          r.riskChecks.map((c) => [c.at, c.violations, c.critical ? 'yes' : 'no', c.halted ? 'yes' : 'no']),
        )
      : 'No risk check ran today.',
    '',
    `Intraday bars before ${r.retention.cutoff} deleted: ${r.retention.deleted}.`,
    '',
    `![equity by strategy](${r.chartFile})`,
    '',
  ].join('\n');
}

/** The book's equity (with its drawdown panel) and each strategy's equity contribution, at each mark of the day. */
export function renderStrategyDayChart(r: Pick<StrategyDayReportInput, 'date' | 'book' | 'summary' | 'startEquity'>): string {
  const { curves } = r.summary;
  return renderEquityChart({
    title: `Equity by strategy, ${r.book} ${r.date} (New York time)`,
    dates: curves.at.map(nyTime),
    series: [
      { name: 'book', values: curves.total.map((v) => r.startEquity + v) },
      ...[...curves.byStrategy].map(([name, values]) => ({ name, values: values.map((v) => r.startEquity + v) })),
    ],
    unit: 'usd',
  });
}
