/**
 * `quant run pipeline|screen|signal --date D`: run the daily pipeline
 * (WF1 ingest -> WF2 screen -> WF3 signal -> WF4 rebalance -> WF5 monitor ->
 * WF6 backtest as children of `pipeline-<date>`) or one of WF2/WF3 for one
 * date, wait, and print the result with its report keys. Same date =
 * same workflow ID: a running one is joined, a finished one runs again (its
 * stores replace the date's rows).
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import type { OutputFormat } from '../args';
import { workflowIds } from '../../../workflows/names';
import type { PipelineInput, PipelineResult } from '../../../workflows/pipeline';
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

export const dailyRunCommands: Record<'pipeline' | 'screen' | 'signal', Command> = {
  pipeline: (o, config) =>
    runDaily(config, o, workflowIds.pipeline(o.date), 'pipeline', (client, date) =>
      runPipeline(client, config.temporal.taskQueue, {
        date,
        lookbackDays: o.lookbackDays,
        signalWeights: o.sentimentWeight === undefined ? undefined : { sentiment: o.sentimentWeight },
      }),
    ),
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
