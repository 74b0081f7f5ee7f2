/**
 * The report of the `backtest` workflow (WF6): the setup (allocation, costs,
 * execution rule, rf), the two-curve chart, the comparison of the signal
 * portfolio with the equal-weight buy-and-hold benchmark, calendar-month
 * returns and the engine's notes; and the short report of a window without
 * signals. Pure functions of the run's numbers.
 */
import { monthlyReturns, type BacktestComparison, type SimulationResult } from '../domain/backtest';
import type { ResolvedBacktestParams } from '../domain/backtest-inputs';
import { ratioAvailability } from '../domain/metric-availability';
import { fmt, mdTable, money, pct } from './markdown';

/** What the backtest report shows. */
export interface BacktestReportInput {
  params: ResolvedBacktestParams;
  signalDates: number;
  signal: SimulationResult;
  benchmark: SimulationResult;
  comparison: BacktestComparison;
  /** The SVG's file name (it sits next to the report). */
  chartFile: string;
}

/**
 * The Markdown backtest report.
 *
 * @example
 *   await store.put(reportKey, renderBacktestReport({ params, signalDates, signal, benchmark, comparison, chartFile }));
 */
export function renderBacktestReport(r: BacktestReportInput): string {
  const { params: p, signal: sig, benchmark: bench, comparison: c } = r;
  const rows: [string, keyof BacktestComparison['excess'], (x: number) => string][] = [
    ['total return', 'totalReturn', pct],
    ['CAGR', 'cagr', pct],
    ['volatility', 'volatility', pct],
    ['Sharpe', 'sharpe', (x) => fmt(x, 2)],
    ['Sortino', 'sortino', (x) => fmt(x, 2)],
    ['max drawdown', 'maxDrawdown', pct],
    ['Calmar', 'calmar', (x) => fmt(x, 2)],
    ['turnover a year (one-sided)', 'turnoverAnnual', pct],
    ['costs (of initial capital)', 'costsTotal', pct],
    ['cost drag (gross - net CAGR)', 'costDrag', pct],
  ];
  const withheld = [
    ['signal portfolio', ratioAvailability(c.signal.periods)],
    ['buy and hold', ratioAvailability(c.benchmark.periods)],
  ] as const;
  const withheldNotes = withheld.flatMap(([who, a]) => (a.available ? [] : [`${who}: n/a (${a.reason})`]));
  const ms = monthlyReturns(sig);
  const mb = new Map(monthlyReturns(bench).map((m) => [m.month, m.return]));
  return [
    `# Backtest ${p.start} .. ${p.end}`,
    '',
    `Signal portfolio (pension allocation: strong buy 3x, buy 2x, caps 5% per stock, 25% per sector, 5% cash; ${p.rebalance.frequency} rebalance on the first trading day of each period that has a signal (${sig.executionDates.length} of ${r.signalDates} signal dates),`,
    `no-trade band max(${fmt(p.rebalance.bandAbsolute * 100, 2)} pp, ${fmt(p.rebalance.bandRelative * 100, 0)}% of the target), the same rule as the paper account)`,
    `against the equal-weight buy-and-hold of the first signal date's buy and strong-buy names. Initial capital $${p.initialCapital.toFixed(2)};`,
    `costs: commission $${p.costModel.commissionPerShare}/share, spread ${p.costModel.spreadBps} bp, exchange fee ${p.costModel.exchangeFeeBps} bp, impact ${p.costModel.impactBpsPer1000} bp per $1,000;`,
    `minimum trade $${p.minTradeValue}. Adjusted closes (dividends reinvested). A signal of day t trades at day t's close (or the next trading close), never earlier.`,
    `Sharpe and Sortino use rf ${pct(p.riskFreeRate)} a year, (1 + rf)^(1/252) - 1 per day.`,
    `Turnover: half of the notional bought + sold each day over that day's equity, averaged and x 252. Cost drag: CAGR of the same trades without costs minus CAGR.`,
    '',
    `![Equity curves](${r.chartFile})`,
    '',
    '## Comparison',
    '',
    mdTable(
      ['metric', 'signal portfolio', 'buy and hold', 'excess'],
      rows.map(([label, k, f]) => [label, f(c.signal[k]), f(c.benchmark[k]), f(c.excess[k])]),
    ),
    '',
    ...(withheldNotes.length > 0
      ? [
          `CAGR, volatility, Sharpe, Sortino, Calmar, annual turnover and cost drag are annualised and withheld on short windows: ${withheldNotes.join('; ')}.`,
          '',
        ]
      : []),
    mdTable(
      ['', 'signal portfolio', 'buy and hold'],
      [
        ['final value', money(sig.equity.at(-1)), money(bench.equity.at(-1))],
        ['trades', sig.trades, bench.trades],
        ['costs paid', money(sig.costs), money(bench.costs)],
        ['days', sig.equity.length, bench.equity.length],
      ],
    ),
    '',
    '## Per-period returns (calendar months)',
    '',
    mdTable(
      ['month', 'signal portfolio', 'buy and hold', 'difference'],
      ms.map((m) => [m.month, pct(m.return), pct(mb.get(m.month) ?? NaN), pct(m.return - (mb.get(m.month) ?? NaN))]),
    ),
    '',
    ...(sig.notes.length + bench.notes.length > 0
      ? ['## Notes', '', ...[...sig.notes, ...bench.notes].slice(0, 30).map((n) => `- ${n}`), '']
      : []),
  ].join('\n');
}

/**
 * The report of a window without signals: nothing to replay.
 *
 * @example
 *   renderNoSignalsBacktestReport({ start: '2024-01-02', end: '2024-03-29' })
 */
export function renderNoSignalsBacktestReport(p: Pick<ResolvedBacktestParams, 'start' | 'end'>): string {
  return `# Backtest ${p.start} .. ${p.end}\n\nNo signals in this window: nothing to replay. Run \`signal\` (WF3) for these dates first.\n`;
}
