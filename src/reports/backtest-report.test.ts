/**
 * The backtest report, rendered from hand-built curves: the monthly returns
 * are worked out in the comments (capital 1,000; signal ends January at
 * 1,100 and February at 1,155; benchmark at 1,050 and 1,050), the metrics
 * are literals, so every expected line is independent of the renderer.
 */
import { describe, expect, it } from 'vitest';
import { compareBacktests, type BacktestComparison, type BacktestMetrics, type SimulationResult } from '../domain/backtest';
import type { ResolvedBacktestParams } from '../domain/backtest-inputs';
import { DEFAULT_COST_MODEL } from '../domain/costs';
import { DEFAULT_REBALANCE_POLICY } from '../domain/rebalance-policy';
import { renderBacktestReport, renderNoSignalsBacktestReport } from './backtest-report';

const params: ResolvedBacktestParams = {
  date: '2024-02-29',
  start: '2024-01-30',
  end: '2024-02-29',
  initialCapital: 1000,
  costModel: DEFAULT_COST_MODEL,
  minTradeValue: 100,
  riskFreeRate: 0.05,
  rebalance: DEFAULT_REBALANCE_POLICY,
};
const sim = (equity: number[], trades: number, costs: number, notes: string[] = []): SimulationResult => ({
  dates: ['2024-01-30', '2024-01-31', '2024-02-29'],
  equity,
  returns: [],
  initialCapital: 1000,
  executionDates: ['2024-01-30'],
  trades,
  costs,
  traded: [0, 0, 0],
  dayCosts: [0, 0, 0],
  notes,
});
const signal = sim([1050, 1100, 1155], 12, 3.456, ['AAPL skipped: no price on 2024-01-30']);
const benchmark = sim([1000, 1050, 1050], 4, 1);
const m = (x: number): BacktestMetrics => ({
  periods: 3,
  totalReturn: x,
  cagr: x * 2,
  volatility: 0.1,
  sharpe: 1.234,
  sortino: 2.5,
  maxDrawdown: 0.02,
  calmar: NaN,
  turnoverAnnual: x * 10,
  costsTotal: x / 50,
  costDrag: x / 10,
});
const comparison: BacktestComparison = {
  signal: m(0.155),
  benchmark: m(0.05),
  excess: {
    totalReturn: 0.105,
    cagr: 0.21,
    volatility: 0,
    sharpe: 0,
    sortino: 0,
    maxDrawdown: 0,
    calmar: NaN,
    turnoverAnnual: 1.05,
    costsTotal: 0.0021,
    costDrag: 0.0105,
  },
};

describe('renderBacktestReport', () => {
  const md = renderBacktestReport({
    params,
    signalDates: 9,
    signal,
    benchmark,
    comparison,
    chartFile: 'backtest-2024-01-30_2024-02-29-equity.svg',
  });
  const lines = md.split('\n');

  it('states the setup: window, allocation, capital, the default cost model, rf and the chart', () => {
    expect(lines[0]).toBe('# Backtest 2024-01-30 .. 2024-02-29');
    // the policy replaced "rebalanced on each signal date": 1 execution date of 9 signal dates, monthly, band 0.5 pp / 25 %
    expect(md).toContain('monthly rebalance on the first trading day of each period that has a signal (1 of 9 signal dates),');
    expect(md).toContain('no-trade band max(0.50 pp, 25% of the target)');
    expect(md).toContain('Initial capital $1000.00;');
    expect(md).toContain('costs: commission $0.005/share, spread 5 bp, exchange fee 3 bp, impact 0.1 bp per $1,000;');
    expect(md).toContain('minimum trade $100.');
    expect(md).toContain('Sharpe and Sortino use rf 5.00% a year');
    expect(md).toContain('![Equity curves](backtest-2024-01-30_2024-02-29-equity.svg)');
  });

  it('compares the metrics side by side with the excess, and the totals', () => {
    expect(lines).toContain('| total return | 15.50% | 5.00% | 10.50% |');
    expect(lines).toContain('| CAGR | 31.00% | 10.00% | 21.00% |');
    expect(lines).toContain('| Sharpe | 1.23 | 1.23 | 0.00 |');
    expect(lines).toContain('| Calmar | n/a | n/a | n/a |');
    // turnover 10 x 0.155 = 155%, costs 0.155 / 50 = 0.31%, drag 0.155 / 10 = 1.55%; the benchmark's from 0.05
    expect(lines).toContain('| turnover a year (one-sided) | 155.00% | 50.00% | 105.00% |');
    expect(lines).toContain('| costs (of initial capital) | 0.31% | 0.10% | 0.21% |');
    expect(lines).toContain('| cost drag (gross - net CAGR) | 1.55% | 0.50% | 1.05% |');
    expect(lines).toContain('| final value | $1,155.00 | $1,050.00 |');
    expect(lines).toContain('| trades | 12 | 4 |');
    expect(lines).toContain('| costs paid | $3.46 | $1.00 |');
  });

  it('lists calendar-month returns and the notes', () => {
    // January: 1100 / 1000 - 1 = 10% vs 5%; February: 1155 / 1100 - 1 = 5% vs 0%
    expect(lines).toContain('| 2024-01 | 10.00% | 5.00% | 5.00% |');
    expect(lines).toContain('| 2024-02 | 5.00% | 0.00% | 5.00% |');
    expect(md).toContain('## Notes\n\n- AAPL skipped: no price on 2024-01-30');
  });

  it('a one-day backtest shows its annualised figures as n/a with the reason, not a Calmar of -245.78', () => {
    // One day: 25,000 -> 24,995 after the first day's costs, r = -0.0002. Annualised by hand it would read
    // CAGR 0.9998^252 - 1 = -4.92 %, Calmar -0.0492 / 0.0002 = -245.78, Sharpe and Sortino undefined or huge.
    const oneDay = (equity: number): SimulationResult => ({
      dates: ['2024-02-29'],
      equity: [equity],
      returns: [equity / 25_000 - 1],
      initialCapital: 25_000,
      executionDates: ['2024-02-29'],
      trades: 30,
      costs: 25_000 - equity,
      traded: [23_750],
      dayCosts: [25_000 - equity],
      notes: [],
    });
    const sig = oneDay(24_995);
    const bench = oneDay(24_990);
    const raw = (Math.pow(0.9998, 252) - 1) / 0.0002;
    expect(raw).toBeCloseTo(-245.78, 2);
    const md1 = renderBacktestReport({
      params: { ...params, start: '2024-02-29', initialCapital: 25_000 },
      signalDates: 1,
      signal: sig,
      benchmark: bench,
      comparison: compareBacktests(sig, bench, 0.05),
      chartFile: 'x.svg',
    });
    const l1 = md1.split('\n');
    for (const metric of [
      'CAGR',
      'volatility',
      'Sharpe',
      'Sortino',
      'Calmar',
      'turnover a year (one-sided)',
      'cost drag (gross - net CAGR)',
    ])
      expect(l1).toContain(`| ${metric} | n/a | n/a | n/a |`);
    // total costs are not annualised: 5 / 25,000 = 0.02 % and 10 / 25,000 = 0.04 %
    expect(l1).toContain('| costs (of initial capital) | 0.02% | 0.04% | -0.02% |');
    expect(l1).toContain('| total return | -0.02% | -0.04% | 0.02% |');
    expect(md1).not.toMatch(/-24\d\.\d\d/);
    expect(md1).toContain(
      'CAGR, volatility, Sharpe, Sortino, Calmar, annual turnover and cost drag are annualised and withheld on short windows: signal portfolio: n/a (1 period; needs at least 20); buy and hold: n/a (1 period; needs at least 20).',
    );
  });

  it('a window without signals gets the short report', () => {
    expect(renderNoSignalsBacktestReport(params)).toBe(
      '# Backtest 2024-01-30 .. 2024-02-29\n\nNo signals in this window: nothing to replay. Run `signal` (WF3) for these dates first.\n',
    );
  });
});
