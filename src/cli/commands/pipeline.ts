/**
 * `quant run pipeline|screen|signal --date D`: run the daily pipeline
 * (WF1 ingest -> WF2 screen -> WF3 signal -> WF4 rebalance -> WF5 monitor ->
 * WF6 backtest as children of `pipeline-<date>`) or one of WF2/WF3 for one
 * date, wait, and print the result with its report keys. Same date =
 * same workflow ID: a running one is joined, a finished one runs again (its
 * stores replace the date's rows).
 *
 * `quant run pipeline --from D1 --to D2`: the same pipeline for every NYSE
 * trading day in the range, in order, as one parent `pipeline-range-<D1>-<D2>`
 * (workflows/pipeline-range.ts). Unlike `--date`, a date whose pipeline
 * already completed is not run again, so the same command resumes a range
 * that was stopped or failed.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { checkedInput, UsageError, type OutputFormat } from '../args';
import { workflowIds } from '../../../workflows/names';
import { pipelineRangeInputSchema } from '../../../workflows/inputs';
import type { PipelineInput, PipelineResult } from '../../../workflows/pipeline';
import type { PipelineRangeInput, PipelineRangeResult } from '../../../workflows/pipeline-range';
import type { ScreenInput, ScreenResult } from '../../../workflows/screen';
import type { SignalInput, SignalResult } from '../../../workflows/signal';
import { dailyStartOptions } from './daily-start';
import { refuseFutureRunDate } from '../run-date';
import { runWorkflowCommand } from '../with-client';
import { announceRun, printResult, webUiLink } from '../output';

type Command = (o: DailyRunOptions, config: Config) => Promise<number | undefined>;

/**
 * WF1 -> ... -> WF6 for one date under `pipeline-<date>`; waits for the result.
 *
 * @example
 *   await runPipeline(client, 'quant-workflows', { date: '2026-02-06', lookbackDays: 300 })
 */
export async function runPipeline(client: Client, taskQueue: string, input: PipelineInput & { date: string }): Promise<PipelineResult> {
  return client.workflow.execute('pipeline', {
    ...dailyStartOptions(
      taskQueue,
      workflowIds.pipeline(input.date),
      input.date,
      `Daily pipeline ${input.date}: ingest -> screen -> signal -> rebalance -> monitor -> backtest`,
    ),
    args: [input],
  });
}

/**
 * The daily pipeline for every trading day in [from, to], in order, under
 * `pipeline-range-<from>-<to>`; waits for the result. A range already running
 * is joined (so a second call after a killed CLI just waits for it), and a
 * finished or failed one starts again and skips every date already completed.
 *
 * @example
 *   await runPipelineRange(client, 'quant-workflows', { from: '2026-01-02', to: '2026-02-13', lookbackDays: 300 })
 */
export async function runPipelineRange(client: Client, taskQueue: string, input: PipelineRangeInput): Promise<PipelineRangeResult> {
  return client.workflow.execute('pipelineRange', {
    ...dailyStartOptions(
      taskQueue,
      workflowIds.pipelineRange(input.from, input.to),
      input.to,
      `Daily pipeline for every trading day ${input.from} .. ${input.to}, in order`,
    ),
    args: [input],
  });
}

export async function runScreen(client: Client, taskQueue: string, input: ScreenInput & { date: string }): Promise<ScreenResult> {
  return client.workflow.execute('screen', {
    ...dailyStartOptions(taskQueue, workflowIds.screen(input.date), input.date, `WF2 screen ${input.date}`),
    args: [input],
  });
}

export async function runSignal(client: Client, taskQueue: string, input: SignalInput & { date: string }): Promise<SignalResult> {
  return client.workflow.execute('signal', {
    ...dailyStartOptions(taskQueue, workflowIds.signal(input.date), input.date, `WF3 signal ${input.date}`),
    args: [input],
  });
}

export interface DailyRunOptions {
  date: string;
  lookbackDays?: number;
  sentimentWeight?: number;
  output: OutputFormat;
  /** `--worker`: run a worker in this process for the duration. */
  worker?: boolean;
}

/** `run pipeline` takes either `--date` or a range (`--from` with `--to`). */
export interface PipelineRunOptions extends Omit<DailyRunOptions, 'date'> {
  date?: string;
  from?: string;
  to?: string;
  datesPerRun?: number;
}

const PIPELINE_USAGE =
  'quant run pipeline --date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD [--dates-per-run N] [--lookback-days N] [--sentiment-weight W]';

/** `quant run pipeline --from D1 --to D2`: checked as the workflow checks it, then started (or joined) and waited for. */
async function runRange(config: Config, o: PipelineRunOptions): Promise<number | undefined> {
  if (o.from === undefined || o.to === undefined) throw new UsageError('--from and --to go together', PIPELINE_USAGE);
  if (o.date !== undefined) throw new UsageError('give either --date or --from/--to, not both', PIPELINE_USAGE);
  refuseFutureRunDate(o.to, PIPELINE_USAGE);
  const input = checkedInput(
    'pipelineRange',
    pipelineRangeInputSchema,
    {
      from: o.from,
      to: o.to,
      lookbackDays: o.lookbackDays,
      signalWeights: o.sentimentWeight === undefined ? undefined : { sentiment: o.sentimentWeight },
      datesPerRun: o.datesPerRun,
    },
    { from: '--from', to: '--to', datesPerRun: '--dates-per-run', lookbackDays: '--lookback-days' },
    PIPELINE_USAGE,
  );
  const workflowId = workflowIds.pipelineRange(input.from, input.to);
  return runWorkflowCommand(config, { workflowId, workflowType: 'pipelineRange', inProcessWorker: o.worker }, async (client, ui) => {
    announceRun(o.output, workflowId, webUiLink(ui, config.temporal.namespace, workflowId));
    printResult(o.output, await runPipelineRange(client, config.temporal.taskQueue, input));
  });
}

/**
 * Announce the run, wait for it and print its result (the date is checked
 * against the calendar first); no worker polling -> say so and wait, a
 * failed run -> its cause, step and link (exit 1).
 */
async function runDaily<T>(
  config: Config,
  o: DailyRunOptions,
  workflowId: string,
  workflowType: string,
  execute: (client: Client, date: string) => Promise<T>,
): Promise<number | undefined> {
  const date = refuseFutureRunDate(o.date);
  return runWorkflowCommand(config, { workflowId, workflowType, inProcessWorker: o.worker }, async (client, ui) => {
    announceRun(o.output, workflowId, webUiLink(ui, config.temporal.namespace, workflowId));
    printResult(o.output, await execute(client, date));
  });
}

export const dailyRunCommands: Record<'pipeline', (o: PipelineRunOptions, config: Config) => Promise<number | undefined>> &
  Record<'screen' | 'signal', Command> = {
  pipeline: (o, config) => {
    if (o.from !== undefined || o.to !== undefined || o.datesPerRun !== undefined) return runRange(config, o);
    if (o.date === undefined) throw new UsageError('--date (or --from with --to) is required', PIPELINE_USAGE);
    return runDaily(config, { ...o, date: o.date }, workflowIds.pipeline(o.date), 'pipeline', (client, date) =>
      runPipeline(client, config.temporal.taskQueue, {
        date,
        lookbackDays: o.lookbackDays,
        signalWeights: o.sentimentWeight === undefined ? undefined : { sentiment: o.sentimentWeight },
      }),
    );
  },
  screen: (o, config) =>
    runDaily(config, o, workflowIds.screen(o.date), 'screen', (client, date) => runScreen(client, config.temporal.taskQueue, { date })),
  signal: (o, config) =>
    runDaily(config, o, workflowIds.signal(o.date), 'signal', (client, date) =>
      runSignal(client, config.temporal.taskQueue, {
        date,
        weights: o.sentimentWeight === undefined ? undefined : { sentiment: o.sentimentWeight },
      }),
    ),
};
