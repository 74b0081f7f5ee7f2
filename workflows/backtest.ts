/**
 * `backtest` (WF6): resolve the parameters (window, capital, costs) -> load
 * the historical signals and closes (one claim-check object) -> simulate
 * the signal portfolio and the equal-weight buy-and-hold benchmark IN
 * PARALLEL (two activities; the signal portfolio under WF4's rebalance
 * frequency and no-trade band) -> compare (CAGR, Sharpe, Sortino, max
 * drawdown, Calmar, turnover, costs, cost drag, excess), UPSERT `backtest_runs` on (start, end), report
 * with both curves in one SVG. ID `backtest-<date>`; `Pipeline = 'daily'`,
 * `RunDate = <date>`.
 *
 * Storage failures are not fatal (seed 003, as in WF5): a failed write of the
 * row, the report or the chart is listed in `errors` (status `degraded`) and
 * the report comes back inline; a read that is still failing when the
 * worker's outage window ends gives a `degraded` result that says so, not a
 * failed run. Bad data (a non-retryable data error) still fails the run.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { TrackingOutcome } from '../activities/tracking';
import type { BacktestMetrics } from '../src/domain/backtest';
import type { CostModel } from '../src/domain/costs';
import { PIPELINE_DAILY } from './names';
import { resolveRunDate } from './run-date';
import { tagRun } from './tag-run';
import { backtestInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY, TRACKING_ATTEMPTS, TRACKING_PATCH, TRACKING_STEP } from './activity-options';

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
  /** `degraded`: a read or write of the database or object store failed (see `errors`). */
  status: 'completed' | 'no_signals' | 'degraded';
  start: string;
  end: string;
  initialCapital: number;
  signalDates: number;
  signal: (BacktestMetrics & { finalValue: number | null; trades: number; costs: number }) | null;
  benchmark: (BacktestMetrics & { finalValue: number | null; trades: number; costs: number }) | null;
  excess: Omit<BacktestMetrics, 'periods'> | null;
  /** null when the report could not be written; then `report` holds it. */
  reportKey: string | null;
  chartKey: string | null;
  /** Whether the backtest_runs row was written (absent in results of runs before the `backtest-storage-not-fatal` patch). */
  stored?: boolean;
  /** The markdown report, inline when it could not be written to the object store. */
  report?: string | null;
  /** Storage failures that did not stop the run. */
  errors?: string[];
  /** Whether the run reached the experiment tracker (absent before the `mlflow-tracking` patch, and when nothing was compared). */
  tracking?: TrackingOutcome['status'];
}

/** The patch that made storage failures degrade the run instead of failing it (README "Changing a workflow"). */
export const BACKTEST_STORAGE_NOT_FATAL = 'backtest-storage-not-fatal';

/** An infrastructure failure the worker gave up on after its outage window (src/worker/outage-window.ts). */
const isOutage = (err: unknown) =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'OutageWindowExceeded';

// Infrastructure faults are retried through the worker's outage window; data errors fail at once.
const acts = proxyActivities<Activities>(LONG_ACTIVITY);
const tracking = proxyLocalActivities<Activities>(TRACKING_STEP);

export async function backtest(input: BacktestInput = {}): Promise<BacktestResult> {
  validateInput('backtest', backtestInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_DAILY, runDate: date });
  try {
    return await runBacktest(date, input);
  } catch (err) {
    // patched() only here, on the failure path, so histories of runs that succeeded are unchanged.
    if (!isOutage(err) || !patched(BACKTEST_STORAGE_NOT_FATAL)) throw err;
    const msg = `the backtest to ${date} could not load or store its data: ${(err as ActivityFailure).cause?.message}`;
    setCurrentDetails(`degraded: ${msg}`);
    return {
      date,
      status: 'degraded',
      start: input.start ?? '',
      end: input.end ?? date,
      initialCapital: input.initialCapital ?? 0,
      signalDates: 0,
      signal: null,
      benchmark: null,
      excess: null,
      reportKey: null,
      chartKey: null,
      stored: false,
      report: `# Backtest ${date}\n\nThe backtest could not run: ${msg}\n`,
      errors: [msg],
    };
  }
}

async function runBacktest(date: string, input: BacktestInput): Promise<BacktestResult> {
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
    const errors = fin.errors ?? [];
    setCurrentDetails(errors.length ? `degraded: ${errors.join('; ')}` : `no signals in ${p.start} .. ${p.end}`);
    return {
      ...base,
      status: errors.length ? 'degraded' : 'no_signals',
      signalDates: 0,
      signal: null,
      benchmark: null,
      excess: null,
      reportKey: fin.reportKey,
      chartKey: null,
      ...storage(fin),
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
  const errors = fin.errors ?? [];
  const tracked = patched(TRACKING_PATCH)
    ? await tracking.trackBacktest.executeWithOptions(
        { ...TRACKING_STEP, summary: `log backtest ${p.start} .. ${p.end} to the experiment tracker` },
        [
          {
            params: p,
            signalDates: data.signalDates,
            comparison: c,
            trades: { signal: sig.trades, benchmark: bench.trades },
            signalCurveKey: sig.curveKey,
            benchmarkCurveKey: bench.curveKey,
            reportKey: fin.reportKey,
            chartKey: fin.chartKey,
            attempts: TRACKING_ATTEMPTS,
          },
        ],
      )
    : undefined;
  // CAGR is NaN (withheld) on windows shorter than MIN_PERIODS_FOR_RATIOS.
  const cagrText = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a');
  const cagrs = `CAGR ${cagrText(c.signal.cagr)} vs ${cagrText(c.benchmark.cagr)}`;
  setCurrentDetails(errors.length ? `degraded (${cagrs}): ${errors.join('; ')}` : `done: ${cagrs}`);
  return {
    ...base,
    status: errors.length ? 'degraded' : 'completed',
    signalDates: data.signalDates,
    signal: { ...c.signal, finalValue: sig.finalValue, trades: sig.trades, costs: sig.costs },
    benchmark: { ...c.benchmark, finalValue: bench.finalValue, trades: bench.trades, costs: bench.costs },
    excess: c.excess,
    reportKey: fin.reportKey,
    chartKey: fin.chartKey,
    ...storage(fin),
    ...(tracked ? { tracking: tracked.status } : {}),
  };
}

/** The storage outcome of finishBacktest; its results recorded before the patch have none of these fields. */
function storage(fin: {
  stored?: boolean;
  markdown?: string | null;
  errors?: string[];
}): Pick<BacktestResult, 'stored' | 'report' | 'errors'> {
  return fin.errors === undefined ? {} : { stored: fin.stored, report: fin.markdown ?? null, errors: fin.errors };
}
