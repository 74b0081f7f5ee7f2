/**
 * The monitor report, rendered from a small account whose numbers are worked
 * out by hand in the comments (total 10,000 = cash 1,000 + A 600 + B 1,900 +
 * C 6,500; previous total 9,900; MTD base 9,500; YTD base 8,000).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_THRESHOLDS, monitorSummary, type MonitorComputation } from '../domain/monitoring';
import { renderMonitorReport } from './monitor-report';

const summary = monitorSummary({
  latest: {
    date: '2025-03-14',
    cash: 1000,
    totalValue: 10_000,
    positions: [
      { symbol: 'A', shares: 10, avgCost: 50, price: 60, sector: 'Tech' },
      { symbol: 'B', shares: 20, avgCost: 100, price: 95, sector: 'Health' },
      { symbol: 'C', shares: 65, avgCost: 100, price: 100, sector: 'Tech', stale: true },
    ],
  },
  previous: { date: '2025-03-13', cash: 1000, totalValue: 9_900, positions: [{ symbol: 'A', shares: 10, avgCost: 50, price: 58 }] },
  window: [10_000, 10_000, 10_000],
  mtdBase: 9_500,
  ytdBase: 8_000,
  riskFreeRate: 0.05,
  thresholds: DEFAULT_MONITOR_THRESHOLDS,
});
const completed: MonitorComputation = {
  status: 'completed',
  date: '2025-03-15',
  summary,
  curve: { dates: ['2025-03-13', '2025-03-14'], values: [9_900, 10_000] },
  windowDays: 30,
  riskFreeRate: 0.05,
  thresholds: DEFAULT_MONITOR_THRESHOLDS,
};

describe('renderMonitorReport', () => {
  const md = renderMonitorReport(completed, 'monitor-2025-03-15-equity.svg', ['monitoring_runs upsert failed']);
  const lines = md.split('\n');

  it('summarises the account: snapshot, value split, P&L by period, notes, the chart', () => {
    expect(lines[0]).toBe('# Portfolio monitor 2025-03-15');
    expect(md).toContain('- Snapshot: 2025-03-14 (the latest on or before 2025-03-15); previous: 2025-03-13');
    expect(md).toContain('- Total value $10,000.00 = cash $1,000.00 + positions $9,000.00 (3 positions)');
    // day 100 / 9,900 = 1.01%; MTD 500 / 9,500 = 5.26%; YTD 2,000 / 8,000 = 25.00%
    expect(md).toContain('- Day $100.00 (1.01%), MTD $500.00 (5.26%), YTD $2,000.00 (25.00%)');
    expect(md).toContain('- Note: monitoring_runs upsert failed');
    expect(md).toContain('![Equity curve](monitor-2025-03-15-equity.svg)');
    // unrealised: A +100, B -100, C 0
    expect(lines).toContain('| unrealized (open positions) | $0.00 |  |');
  });

  it('labels winners and losers only on a nonzero unrealized P&L; a $0.00 position is flat', () => {
    // A: 600 / 10,000 = 6.00%, +20% unrealised, day 10 x (60 - 58) = 20; B is new since yesterday, -5%; C is at cost.
    expect(lines).toContain('| winner | A | Tech | 10 | 50.00 | 60.00 | $600.00 | 6.00% | $100.00 | 20.00% | $20.00 |  |');
    expect(lines).toContain('| loser | B | Health | 20 | 100.00 | 95.00 | $1,900.00 | 19.00% | -$100.00 | -5.00% | new |  |');
    expect(md).not.toMatch(/\| (winner|loser) \| C \|/);
    expect(md).toContain('1 position flat (unrealized P&L $0.00): neither winner nor loser.');
  });

  it('a first day with every position at cost lists no winner', () => {
    const atCost = monitorSummary({
      latest: {
        date: '2025-03-14',
        cash: 500,
        totalValue: 10_000,
        positions: [
          { symbol: 'A', shares: 50, avgCost: 100, price: 100 },
          { symbol: 'B', shares: 95, avgCost: 47.37, price: 47.37 },
        ],
      },
      previous: null,
      window: [10_000],
      mtdBase: 10_000,
      ytdBase: 10_000,
      riskFreeRate: 0.05,
      thresholds: DEFAULT_MONITOR_THRESHOLDS,
    });
    const first = renderMonitorReport({ ...completed, summary: atCost }, 'x.svg');
    expect(first).not.toContain('| winner |');
    expect(first).toContain('_no position has a nonzero unrealized P&L yet_');
    expect(first).toContain('2 positions flat (unrealized P&L $0.00): neither winner nor loser.');
  });

  it('shows ratios and VaR as n/a with the reason on a short window', () => {
    // the window has 3 totals = 2 returns, below MIN_PERIODS_FOR_RATIOS (20)
    expect(lines).toContain('| Sharpe (annualised) | n/a (2 periods; needs at least 20) |');
    expect(lines).toContain('| Sortino (annualised) | n/a (2 periods; needs at least 20) |');
    expect(lines).toContain('| VaR 95 (historical, one day) | n/a (2 returns; needs at least 20) |');
    expect(md).not.toContain('0.00% = n/a');
  });

  it('says what the chart compares against', () => {
    expect(md).toContain('Chart: portfolio value and its drawdown from its peak below (no benchmark');
    const withBench = renderMonitorReport(
      {
        ...completed,
        benchmark: { name: 'equal-weight buy and hold of the first holdings', values: [9_900, 10_050], symbols: ['A', 'B'] },
      },
      'x.svg',
    );
    expect(withBench).toContain('against the equal-weight buy and hold of the 2 names held on 2025-03-13 (no trades, no costs)');
  });

  it('states the risk window and the alert thresholds, and lists the alerts', () => {
    expect(md).toContain('Window: the last 2 snapshot returns (configured 30); rf 5.00% a year, (1 + rf)^(1/252) - 1 per day.');
    expect(md).toContain('Thresholds: drawdown > 5.00%, position > 7.00%, VaR 95 > 3.00%, unrealized loss > 10.00%.');
    // C (65%) and B (19%) are above the 7% position cap
    expect(md).toMatch(/- \*\*position_weight\*\* C: /);
    expect(md).toMatch(/- \*\*position_weight\*\* B: /);
    expect(lines).toContain('| Tech | 2 | $7,100.00 | 71.00% |');
  });

  it('without a portfolio says to run the rebalance first', () => {
    expect(renderMonitorReport({ status: 'no_portfolio', date: '2025-03-15' }, 'x.svg')).toBe(
      '# Portfolio monitor 2025-03-15\n\nNo portfolio snapshot on or before this date: run `rebalance` (WF4) first.\n',
    );
  });
});
