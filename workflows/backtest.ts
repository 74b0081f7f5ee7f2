/**
 * `backtest` (WF6): resolve the parameters (window, capital, costs) -> load
 * the historical signals and closes (one claim-check object) -> simulate
 * the signal portfolio and the equal-weight buy-and-hold benchmark IN
 * PARALLEL (two activities) -> compare (CAGR, Sharpe, Sortino, max
 * drawdown, Calmar, excess), UPSERT `backtest_runs` on (start, end), report
 * with both curves in one SVG. ID `backtest-<date>`; `Pipeline = 'daily'`,
 * `RunDate = <date>`.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BacktestMetrics } from '../src/domain/backtest';
import type { CostModel } from '../src/domain/costs';
import { PIPELINE_DAILY } from './names';
import { resolveRunDate } from './run-date';
import { tagRun } from './tag-run';
import { backtestInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY } from './activity-options';

export interface BacktestInput {
  /** The run date, YYYY-MM-DD (default end); omitted on scheduled runs. */
  date?: string;
  /** Default: the first signal date within config.backtest.lookbackDays before the end. */
  start?: string;
  /** Default: the run date. */
  end?: string;
  /** Default: config.portfolio.initialCapital. */
  initialCapital?: number;
  /** Overrides of the default cost model. */
  costModel?: Partial<CostModel>;
}

export interface BacktestResult {
  date: string;
  status: 'completed' | 'no_signals';
  start: string;
  end: string;
  initialCapital: number;
  signalDates: number;
  signal: (BacktestMetrics & { finalValue: number | null; trades: number; costs: number }) | null;
  benchmark: (BacktestMetrics & { finalValue: number | null; trades: number; costs: number }) | null;
  excess: Omit<BacktestMetrics, 'periods'> | null;
  reportKey: string;
  chartKey: string | null;
}

// Infrastructure faults are retried through the worker's outage window; data errors fail at once.
const acts = proxyActivities<Activities>(LONG_ACTIVITY);

export async function backtest(input: BacktestInput = {}): Promise<BacktestResult> {
  validateInput('backtest', backtestInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_DAILY, runDate: date });
  setCurrentDetails('resolving the window');
  const resolved = await acts.resolveBacktestParams.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `window, capital and costs (run date ${date})` },
    [{ date, start: input.start, end: input.end, initialCapital: input.initialCapital, costModel: input.costModel }],
  );
  const p = resolved.params;
  const base = { date, start: p.start, end: p.end, initialCapital: p.initialCapital };
  if (resolved.status === 'no_signals') {
    const fin = await acts.finishBacktest.executeWithOptions({ summary: `no signals in ${p.start} .. ${p.end}` }, [
      { params: p, signalDates: 0, signalCurveKey: null, benchmarkCurveKey: null },
    ]);
    setCurrentDetails(`no signals in ${p.start} .. ${p.end}`);
    return {
      ...base,
      status: 'no_signals',
      signalDates: 0,
      signal: null,
      benchmark: null,
      excess: null,
      reportKey: fin.reportKey,
      chartKey: null,
    };
  }
  setCurrentDetails(`loading ${resolved.signalDates} signal dates`);
  const data = await acts.loadBacktestData.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `signals + closes ${p.start} .. ${p.end} (${resolved.signalDates} signal dates)` },
    [{ params: p }],
  );
  setCurrentDetails(`simulating 2 portfolios over ${data.days} days x ${data.symbols} symbols`);
  const [sig, bench] = await Promise.all([
    acts.simulateBacktest.executeWithOptions(
      { startToCloseTimeout: '10 minutes', summary: `signal portfolio: allocation + caps + costs, ${data.signalDates} rebalances` },
      [{ kind: 'signal', params: p, dataKey: data.dataKey }],
    ),
    acts.simulateBacktest.executeWithOptions(
      { startToCloseTimeout: '10 minutes', summary: 'benchmark: equal-weight buy and hold of the first buys' },
      [{ kind: 'benchmark', params: p, dataKey: data.dataKey }],
    ),
  ]);
  const fin = await acts.finishBacktest.executeWithOptions(
    { startToCloseTimeout: '2 minutes', summary: `compare, store, report backtest ${p.start}_${p.end}` },
    [{ params: p, signalDates: data.signalDates, signalCurveKey: sig.curveKey, benchmarkCurveKey: bench.curveKey }],
  );
  const c = fin.comparison!;
  // CAGR is NaN (withheld) on windows shorter than MIN_PERIODS_FOR_RATIOS.
  const cagrText = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a');
  setCurrentDetails(`done: CAGR ${cagrText(c.signal.cagr)} vs ${cagrText(c.benchmark.cagr)}`);
  return {
    ...base,
    status: 'completed',
    signalDates: data.signalDates,
    signal: { ...c.signal, finalValue: sig.finalValue, trades: sig.trades, costs: sig.costs },
    benchmark: { ...c.benchmark, finalValue: bench.finalValue, trades: bench.trades, costs: bench.costs },
    excess: c.excess,
    reportKey: fin.reportKey,
    chartKey: fin.chartKey,
  };
}
