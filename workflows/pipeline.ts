/**
 * `pipeline`: the daily pipeline for one date as one parent run, so the Web
 * UI shows WF1 -> WF2 -> WF3 as children of `pipeline-<date>`: `ingest`
 * (`ingest-<date>`), then `screen` (`screen-<date>`), then `signal`
 * (`signal-<date>`), then `rebalance` (`rebalance-<date>`, WF4), then
 * `monitor` (`monitor-<date>`, WF5) and `backtest` (`backtest-<date>`, WF6), each waiting
 * for the one before. A date without trading data stops after WF1 with
 * `no_trading_data`.
 */
import { executeChild, setCurrentDetails } from '@temporalio/workflow';
import { ingest, type IngestResult } from './ingest';
import { screen, type ScreenResult } from './screen';
import { signal, type SignalResult } from './signal';
import { rebalance, type RebalanceResult } from './rebalance';
import { monitor, type MonitorResult } from './monitor';
import { backtest, type BacktestResult } from './backtest';
import { PIPELINE_DAILY, workflowIds } from './names';
import { resolveRunDate } from './run-date';
import { runTags, tagRun } from './tag-run';
import type { CombinedWeights } from '../src/domain/scoring';
import { pipelineInputSchema } from './inputs';
import { validateInput } from './validate-input';

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
  signal: Pick<SignalResult, 'status' | 'symbols' | 'withNews' | 'distribution' | 'reportKey' | 'warnings'> | null;
  /** WF4; absent when the pipeline stopped before it. */
  rebalance?: Pick<RebalanceResult, 'status' | 'outcome' | 'trades' | 'snapshot' | 'reportKey'>;
  /** WF5; absent when the pipeline stopped before it. */
  monitor?: Pick<MonitorResult, 'status' | 'totalValue' | 'dailyPnl' | 'errors' | 'reportKey'> & { alerts: number };
  /** WF6; absent when the pipeline stopped before it. */
  backtest?: Pick<BacktestResult, 'status' | 'start' | 'end' | 'excess' | 'reportKey'> & { errors: string[] };
}

/**
 * The children are started by reference (`executeChild(ingest, ...)`): the
 * workflow type is the function's name (`ingest`, `screen`, ... as the
 * recorded histories have them) and the arguments are checked against each
 * child's own input type.
 */
export async function pipeline(input: PipelineInput = {}): Promise<PipelineResult> {
  validateInput('pipeline', pipelineInputSchema, input);
  const date = resolveRunDate(input.date);
  const tag = { pipeline: PIPELINE_DAILY, runDate: date };
  tagRun(tag);
  // Each child starts with the pipeline's tags, and tags itself with the same run date.
  const tags = runTags(tag);

  setCurrentDetails(`WF1 ingest ${date}`);
  const ingested = await executeChild(ingest, {
    workflowId: workflowIds.ingest(date),
    args: [{ date, lookbackDays: input.lookbackDays, symbols: input.symbols }],
    staticSummary: `WF1 ingest ${date}${input.lookbackDays ? ` (+${input.lookbackDays} trading days)` : ''}`,
    typedSearchAttributes: tags,
  });
  const ingestLine = {
    status: ingested.status,
    symbols: ingested.symbols,
    rowsWritten: ingested.rowsWritten,
    qualityScore: ingested.qualityScore,
    reportKey: ingested.reportKey,
    failures: ingested.failures.length,
  };
  if (ingested.status === 'no_trading_data') {
    setCurrentDetails(`no trading data on ${date}`);
    return { date, status: 'no_trading_data', ingest: ingestLine, screen: null, signal: null };
  }

  setCurrentDetails(`WF2 screen ${date}`);
  const screened = await executeChild(screen, {
    workflowId: workflowIds.screen(date),
    args: [{ date }],
    staticSummary: `WF2 screen ${date}`,
    typedSearchAttributes: tags,
  });
  const screenLine = {
    status: screened.status,
    symbols: screened.symbols,
    clusters: screened.clusters,
    quintileCounts: screened.quintileCounts,
    reportKey: screened.reportKey,
  };
  if (screened.status === 'no_trading_data')
    return { date, status: 'no_trading_data', ingest: ingestLine, screen: screenLine, signal: null };

  setCurrentDetails(`WF3 signal ${date}`);
  const signalled = await executeChild(signal, {
    workflowId: workflowIds.signal(date),
    args: [{ date, weights: input.signalWeights }],
    staticSummary: `WF3 signal ${date}`,
    typedSearchAttributes: tags,
  });
  let rebalanced: PipelineResult['rebalance'];
  if (signalled.status === 'completed') {
    setCurrentDetails(`WF4 rebalance ${date}`);
    const r = await executeChild(rebalance, {
      workflowId: workflowIds.rebalance(date),
      args: [{ date }],
      staticSummary: `WF4 rebalance ${date} (paper)`,
      typedSearchAttributes: tags,
    });
    rebalanced = { status: r.status, outcome: r.outcome, trades: r.trades, snapshot: r.snapshot, reportKey: r.reportKey };
  }
  // WF5 and WF6 read what WF4 stored (snapshots) and WF3 stored (signals); they run after them, in order.
  let monitored: PipelineResult['monitor'];
  let backtested: PipelineResult['backtest'];
  if (signalled.status === 'completed') {
    setCurrentDetails(`WF5 monitor ${date}`);
    const m = await executeChild(monitor, {
      workflowId: workflowIds.monitor(date),
      args: [{ date }],
      staticSummary: `WF5 monitor ${date}`,
      typedSearchAttributes: tags,
    });
    monitored = {
      status: m.status,
      totalValue: m.totalValue,
      dailyPnl: m.dailyPnl,
      alerts: m.alerts.length,
      errors: m.errors,
      reportKey: m.reportKey,
    };
    setCurrentDetails(`WF6 backtest ${date}`);
    const b = await executeChild(backtest, {
      workflowId: workflowIds.backtest(date),
      args: [{ date }],
      staticSummary: `WF6 backtest to ${date}`,
      typedSearchAttributes: tags,
    });
    backtested = { status: b.status, start: b.start, end: b.end, excess: b.excess, reportKey: b.reportKey, errors: b.errors ?? [] };
  }
  setCurrentDetails(`done: ${screened.symbols} screened, ${signalled.symbols} signals${rebalanced ? `, ${rebalanced.trades} trades` : ''}`);
  return {
    date,
    status: signalled.status,
    ingest: ingestLine,
    screen: screenLine,
    signal: {
      status: signalled.status,
      symbols: signalled.symbols,
      withNews: signalled.withNews,
      distribution: signalled.distribution,
      reportKey: signalled.reportKey,
      // A degraded WF3 (news outage) says so in the pipeline's result too.
      ...(signalled.warnings?.length ? { warnings: signalled.warnings } : {}),
    },
    ...(rebalanced ? { rebalance: rebalanced } : {}),
    ...(monitored ? { monitor: monitored } : {}),
    ...(backtested ? { backtest: backtested } : {}),
  };
}
