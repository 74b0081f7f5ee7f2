/**
 * `pipeline`: the daily pipeline for one date as one parent run, so the Web
 * UI shows WF1 -> WF2 -> WF3 as children of `pipeline-<date>`: `ingest`
 * (`ingest-<date>`), then `screen` (`screen-<date>`), then `signal`
 * (`signal-<date>`), each waiting for the one before. A date without
 * trading data stops after WF1 with `no_trading_data`.
 */
import { executeChild, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { IngestResult } from './ingest';
import type { ScreenResult } from './screen';
import type { SignalResult } from './signal';
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
  setCurrentDetails(`done: ${screen.symbols} screened, ${signal.symbols} signals`);
  return {
    date,
    status: signal.status,
    ingest: ingestLine,
    screen: screenLine,
    signal: { status: signal.status, symbols: signal.symbols, withNews: signal.withNews, distribution: signal.distribution, reportKey: signal.reportKey },
  };
}
