/**
 * `pipeline`: the daily pipeline for one date as one parent run, so the Web
 * UI shows WF1 -> WF2 -> WF3 as children of `pipeline-<date>`: `ingest`
 * (`ingest-<date>`), then `screen` (`screen-<date>`), then `signal`
 * (`signal-<date>`), then `rebalance` (`rebalance-<date>`, WF4), then
 * `monitor` (`monitor-<date>`, WF5) and `backtest` (`backtest-<date>`, WF6), each waiting
 * for the one before. A date without trading data stops after WF1 with
 * `no_trading_data`.
 */
import { executeChild, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { IngestResult } from './ingest';
import type { ScreenResult } from './screen';
import type { SignalResult } from './signal';
import type { RebalanceInput, RebalanceResult } from './rebalance';
import type { MonitorInput, MonitorResult } from './monitor';
import type { BacktestInput, BacktestResult } from './backtest';
import { PIPELINE_DAILY, SEARCH_ATTRIBUTES, workflowIds } from './names';
import { resolveRunDate, runDateTime } from './run-date';
import type { CombinedWeights } from '../src/domain/scoring';

export interface PipelineInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
  /** WF1 also fetches this many trading days before the date (a first run needs ~300 for the 252-day metrics). */
  lookbackDays?: number;
  /** Symbols for WF1 (default: the 49-name universe). */
  symbols?: string[];
  /** WF3 weights override (default config.signals). */
  signalWeights?: Partial<CombinedWeights>;
}

export interface PipelineResult {
  date: string;
  status: 'completed' | 'no_trading_data';
  ingest: Pick<IngestResult, 'status' | 'symbols' | 'rowsWritten' | 'qualityScore' | 'reportKey'> & { failures: number };
  screen: Pick<ScreenResult, 'status' | 'symbols' | 'clusters' | 'quintileCounts' | 'reportKey'> | null;
  signal: Pick<SignalResult, 'status' | 'symbols' | 'withNews' | 'distribution' | 'reportKey'> | null;
  /** WF4; absent when the pipeline stopped before it. */
  rebalance?: Pick<RebalanceResult, 'status' | 'outcome' | 'trades' | 'snapshot' | 'reportKey'>;
  /** WF5; absent when the pipeline stopped before it. */
  monitor?: Pick<MonitorResult, 'status' | 'totalValue' | 'dailyPnl' | 'errors' | 'reportKey'> & { alerts: number };
  /** WF6; absent when the pipeline stopped before it. */
  backtest?: Pick<BacktestResult, 'status' | 'start' | 'end' | 'excess' | 'reportKey'>;
}

const daily = (date: string) => [
  { key: SEARCH_ATTRIBUTES.Pipeline, value: PIPELINE_DAILY },
  { key: SEARCH_ATTRIBUTES.RunDate, value: runDateTime(date) },
];

export async function pipeline(input: PipelineInput = {}): Promise<PipelineResult> {
  const date = resolveRunDate(input.date);
  upsertSearchAttributes(daily(date));

  setCurrentDetails(`WF1 ingest ${date}`);
  const ingest = await executeChild<(i: { date: string; lookbackDays?: number; symbols?: string[] }) => Promise<IngestResult>>('ingest', {
    workflowId: workflowIds.ingest(date),
    args: [{ date, lookbackDays: input.lookbackDays, symbols: input.symbols }],
    staticSummary: `WF1 ingest ${date}${input.lookbackDays ? ` (+${input.lookbackDays} trading days)` : ''}`,
    typedSearchAttributes: daily(date),
  });
  const ingestLine = {
    status: ingest.status, symbols: ingest.symbols, rowsWritten: ingest.rowsWritten, qualityScore: ingest.qualityScore,
    reportKey: ingest.reportKey, failures: ingest.failures.length,
  };
  if (ingest.status === 'no_trading_data') {
    setCurrentDetails(`no trading data on ${date}`);
    return { date, status: 'no_trading_data', ingest: ingestLine, screen: null, signal: null };
  }

  setCurrentDetails(`WF2 screen ${date}`);
  const screen = await executeChild<(i: { date: string }) => Promise<ScreenResult>>('screen', {
    workflowId: workflowIds.screen(date),
    args: [{ date }],
    staticSummary: `WF2 screen ${date}`,
    typedSearchAttributes: daily(date),
  });
  const screenLine = { status: screen.status, symbols: screen.symbols, clusters: screen.clusters, quintileCounts: screen.quintileCounts, reportKey: screen.reportKey };
  if (screen.status === 'no_trading_data') return { date, status: 'no_trading_data', ingest: ingestLine, screen: screenLine, signal: null };

  setCurrentDetails(`WF3 signal ${date}`);
  const signal = await executeChild<(i: { date: string; weights?: Partial<CombinedWeights> }) => Promise<SignalResult>>('signal', {
    workflowId: workflowIds.signal(date),
    args: [{ date, weights: input.signalWeights }],
    staticSummary: `WF3 signal ${date}`,
    typedSearchAttributes: daily(date),
  });
  let rebalance: PipelineResult['rebalance'];
  if (signal.status === 'completed') {
    setCurrentDetails(`WF4 rebalance ${date}`);
    const r = await executeChild<(i: RebalanceInput) => Promise<RebalanceResult>>('rebalance', {
      workflowId: workflowIds.rebalance(date),
      args: [{ date }],
      staticSummary: `WF4 rebalance ${date} (paper)`,
      typedSearchAttributes: daily(date),
    });
    rebalance = { status: r.status, outcome: r.outcome, trades: r.trades, snapshot: r.snapshot, reportKey: r.reportKey };
  }
  // WF5 and WF6 read what WF4 stored (snapshots) and WF3 stored (signals); they run after them, in order.
  let monitor: PipelineResult['monitor'];
  let backtest: PipelineResult['backtest'];
  if (signal.status === 'completed') {
    setCurrentDetails(`WF5 monitor ${date}`);
    const m = await executeChild<(i: MonitorInput) => Promise<MonitorResult>>('monitor', {
      workflowId: workflowIds.monitor(date),
      args: [{ date }],
      staticSummary: `WF5 monitor ${date}`,
      typedSearchAttributes: daily(date),
    });
    monitor = { status: m.status, totalValue: m.totalValue, dailyPnl: m.dailyPnl, alerts: m.alerts.length, errors: m.errors, reportKey: m.reportKey };
    setCurrentDetails(`WF6 backtest ${date}`);
    const b = await executeChild<(i: BacktestInput) => Promise<BacktestResult>>('backtest', {
      workflowId: workflowIds.backtest(date),
      args: [{ date }],
      staticSummary: `WF6 backtest to ${date}`,
      typedSearchAttributes: daily(date),
    });
    backtest = { status: b.status, start: b.start, end: b.end, excess: b.excess, reportKey: b.reportKey };
  }
  setCurrentDetails(`done: ${screen.symbols} screened, ${signal.symbols} signals${rebalance ? `, ${rebalance.trades} trades` : ''}`);
  return {
    date,
    status: signal.status,
    ingest: ingestLine,
    screen: screenLine,
    signal: { status: signal.status, symbols: signal.symbols, withNews: signal.withNews, distribution: signal.distribution, reportKey: signal.reportKey },
    ...(rebalance ? { rebalance } : {}),
    ...(monitor ? { monitor } : {}),
    ...(backtest ? { backtest } : {}),
  };
}
