/**
 * The report of the `monitor` workflow (WF5): summary, P&L, winners and
 * losers, risk, sectors, alerts and every position, with the equity-curve
 * chart linked next to it. A pure function of the computation, so the same
 * run renders the same bytes.
 */
import type { MonitorComputation } from '../domain/monitoring';
import { fmt, mdTable, money, pct } from './markdown';

/**
 * The Markdown monitor report. `chartFile` is the SVG's file name (it sits
 * next to the report); `notes` are listed in the summary.
 *
 * @example
 *   renderMonitorReport(computation, 'monitor-2024-05-15-equity.svg')
 */
export function renderMonitorReport(c: MonitorComputation, chartFile: string, notes: readonly string[] = []): string {
  if (c.status === 'no_portfolio') {
    return [
      `# Portfolio monitor ${c.date}`,
      '',
      'No portfolio snapshot on or before this date: run `rebalance` (WF4) first.',
      ...notes.map((n) => `- ${n}`),
      '',
    ].join('\n');
  }
  const s = c.summary;
  // Labels come from the domain (`outcome`): a position at $0.00 is neither a winner nor a loser.
  const winners = s.positions
    .filter((p) => p.outcome === 'winner')
    .sort((a, b) => b.unrealizedPct - a.unrealizedPct || a.symbol.localeCompare(b.symbol))
    .slice(0, 5);
  const losers = s.positions
    .filter((p) => p.outcome === 'loser')
    .sort((a, b) => a.unrealizedPct - b.unrealizedPct || a.symbol.localeCompare(b.symbol))
    .slice(0, 5);
  const flat = s.positions.filter((p) => p.outcome === 'flat').length;
  const withheld = (value: string, reason: string | null) => (reason === null ? value : `n/a (${reason})`);
  const posLine = (p: (typeof s.positions)[number]) => [
    p.symbol,
    p.sector,
    fmt(p.shares, 0),
    fmt(p.avgCost, 2),
    fmt(p.price, 2),
    money(p.marketValue),
    pct(p.weight),
    money(p.unrealizedPnl),
    pct(p.unrealizedPct),
    Number.isFinite(p.dayPnl) ? money(p.dayPnl) : 'new',
    p.stale ? 'stale price' : '',
  ];
  const head = ['symbol', 'sector', 'shares', 'avg cost', 'price', 'value', 'weight', 'unrealized', 'unrealized %', 'day P&L', ''];
  const th = c.thresholds;
  return [
    `# Portfolio monitor ${c.date}`,
    '',
    '## Summary',
    '',
    `- Snapshot: ${s.snapshotDate}${s.snapshotDate !== c.date ? ` (the latest on or before ${c.date})` : ''}; previous: ${s.previousDate ?? 'none'}`,
    `- Total value ${money(s.totalValue)} = cash ${money(s.cash)} + positions ${money(s.positionsValue)} (${s.positions.length} positions)`,
    `- Day ${money(s.dailyPnl)} (${pct(s.dailyReturn)}), MTD ${money(s.mtdPnl)} (${pct(s.mtdReturn)}), YTD ${money(s.ytdPnl)} (${pct(s.ytdReturn)})`,
    `- Alerts: ${s.alerts.length === 0 ? 'none' : s.alerts.length}`,
    ...notes.map((n) => `- Note: ${n}`),
    '',
    `![Equity curve](${chartFile})`,
    '',
    c.benchmark
      ? `Chart: portfolio value against the equal-weight buy and hold of the ${c.benchmark.symbols.length} names held on ${c.curve.dates[c.benchmark.values.findIndex((v) => Number.isFinite(v))]} (no trades, no costs), and each one's drawdown from its peak below.`
      : 'Chart: portfolio value and its drawdown from its peak below (no benchmark: no snapshot on the chart holds a name with a close).',
    '',
    '## P&L',
    '',
    mdTable(
      ['period', 'P&L', 'return'],
      [
        ['day (last two snapshots)', money(s.dailyPnl), pct(s.dailyReturn)],
        ['month to date', money(s.mtdPnl), pct(s.mtdReturn)],
        ['year to date', money(s.ytdPnl), pct(s.ytdReturn)],
        ['unrealized (open positions)', money(s.unrealizedPnl), ''],
      ],
    ),
    '',
    '## Winners and losers',
    '',
    winners.length + losers.length > 0
      ? mdTable(['', ...head], [...winners.map((p) => ['winner', ...posLine(p)]), ...losers.map((p) => ['loser', ...posLine(p)])])
      : s.positions.length > 0
        ? '_no position has a nonzero unrealized P&L yet_'
        : '_no positions_',
    '',
    ...(flat > 0 ? [`${flat} position${flat === 1 ? '' : 's'} flat (unrealized P&L $0.00): neither winner nor loser.`, ''] : []),
    '## Risk',
    '',
    `Window: the last ${s.risk.returns} snapshot returns (configured ${c.windowDays}); rf ${pct(c.riskFreeRate)} a year, (1 + rf)^(1/252) - 1 per day.`,
    '',
    mdTable(
      ['metric', 'value'],
      [
        ['Sharpe (annualised)', withheld(fmt(s.risk.sharpe, 2), s.risk.ratiosUnavailable)],
        ['Sortino (annualised)', withheld(fmt(s.risk.sortino, 2), s.risk.ratiosUnavailable)],
        ['max drawdown', pct(s.risk.maxDrawdown)],
        ['VaR 95 (historical, one day)', withheld(`${pct(-s.risk.var95)} = ${money(s.risk.var95Value)}`, s.risk.var95Unavailable)],
      ],
    ),
    '',
    '## Sectors',
    '',
    s.sectors.length
      ? mdTable(
          ['sector', 'positions', 'value', 'weight'],
          s.sectors.map((x) => [x.sector, x.positions, money(x.value), pct(x.weight)]),
        )
      : '_no positions_',
    '',
    '## Alerts',
    '',
    `Thresholds: drawdown > ${pct(th.maxDrawdown)}, position > ${pct(th.maxPositionWeight)}, VaR 95 > ${pct(th.maxVar95)}, unrealized loss > ${pct(th.maxUnrealizedLoss)}.`,
    '',
    s.alerts.length ? s.alerts.map((a) => `- **${a.kind}**${a.symbol ? ` ${a.symbol}` : ''}: ${a.message}`).join('\n') : '_none_',
    '',
    '## All positions',
    '',
    s.positions.length ? mdTable(head, s.positions.map(posLine)) : '_none_',
    '',
  ].join('\n');
}
