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
import { intOption, parseCommandArgs, UsageError } from '../args';
import { workflowIds } from '../../../workflows/names';
import type { PipelineInput, PipelineResult } from '../../../workflows/pipeline';
import type { ScreenInput, ScreenResult } from '../../../workflows/screen';
import type { SignalInput, SignalResult } from '../../../workflows/signal';
import { dailyStartOptions } from './daily-start';
import { refuseFutureRunDate } from '../run-date';
import { runWorkflowCommand } from '../with-client';

type Command = (argv: string[], config: Config) => Promise<void | number>;
const out = (s: string) => process.stdout.write(`${s}\n`);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

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

function dateArg(v: string | undefined, usage: string): string {
  if (!v) throw new UsageError('--date is required', usage);
  if (!ISO_DATE.test(v) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
    throw new UsageError(`--date must be a date YYYY-MM-DD, got "${v}"`, usage);
  return refuseFutureRunDate(v, usage);
}

function weightArg(v: string | undefined, name: string, usage: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new UsageError(`--${name} must be a number in [0, 1], got "${v}"`, usage);
  return n;
}

const link = (uiUrl: string | undefined, ns: string, id: string) => (uiUrl ? `Web UI: ${uiUrl}/namespaces/${ns}/workflows/${id}` : '');

export const dailyRunCommands: Record<string, Command> = {
  pipeline: async (argv, config) => {
    const usage = 'quant run pipeline --date YYYY-MM-DD [--lookback-days N] [--sentiment-weight W] [--worker]';
    const o = parseCommandArgs(
      argv,
      {
        date: { type: 'string' },
        'lookback-days': { type: 'string' },
        'sentiment-weight': { type: 'string' },
        worker: { type: 'boolean' },
      },
      usage,
    );
    const date = dateArg(o.date, usage);
    const sentiment = weightArg(o['sentiment-weight'], 'sentiment-weight', usage);
    const lookbackDays = o['lookback-days'] === undefined ? undefined : intOption('lookback-days', o['lookback-days'], 0, 0);
    const workflowId = workflowIds.pipeline(date);
    return runWorkflowCommand(config, { workflowId, workflowType: 'pipeline', inProcessWorker: o.worker }, async (client, ui) => {
      out(link(ui, config.temporal.namespace, workflowId));
      const r = await runPipeline(client, config.temporal.taskQueue, {
        date,
        lookbackDays,
        signalWeights: sentiment === undefined ? undefined : { sentiment },
      });
      out(JSON.stringify(r, null, 2));
    });
  },
  screen: async (argv, config) => {
    const usage = 'quant run screen --date YYYY-MM-DD [--worker]';
    const o = parseCommandArgs(argv, { date: { type: 'string' }, worker: { type: 'boolean' } }, usage);
    const date = dateArg(o.date, usage);
    const workflowId = workflowIds.screen(date);
    return runWorkflowCommand(config, { workflowId, workflowType: 'screen', inProcessWorker: o.worker }, async (client, ui) => {
      out(link(ui, config.temporal.namespace, workflowId));
      out(JSON.stringify(await runScreen(client, config.temporal.taskQueue, { date }), null, 2));
    });
  },
  signal: async (argv, config) => {
    const usage = 'quant run signal --date YYYY-MM-DD [--sentiment-weight W] [--worker]';
    const o = parseCommandArgs(
      argv,
      { date: { type: 'string' }, 'sentiment-weight': { type: 'string' }, worker: { type: 'boolean' } },
      usage,
    );
    const date = dateArg(o.date, usage);
    const sentiment = weightArg(o['sentiment-weight'], 'sentiment-weight', usage);
    const workflowId = workflowIds.signal(date);
    return runWorkflowCommand(config, { workflowId, workflowType: 'signal', inProcessWorker: o.worker }, async (client, ui) => {
      out(link(ui, config.temporal.namespace, workflowId));
      out(
        JSON.stringify(
          await runSignal(client, config.temporal.taskQueue, { date, weights: sentiment === undefined ? undefined : { sentiment } }),
          null,
          2,
        ),
      );
    });
  },
};
