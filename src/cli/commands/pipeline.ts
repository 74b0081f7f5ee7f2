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
import { checkedInput, intOption, parseCommandArgs, UsageError } from '../args';
import { workflowIds } from '../../../workflows/names';
import { pipelineRangeInputSchema } from '../../../workflows/inputs';
import type { PipelineInput, PipelineResult } from '../../../workflows/pipeline';
import type { PipelineRangeInput, PipelineRangeResult } from '../../../workflows/pipeline-range';
import type { ScreenInput, ScreenResult } from '../../../workflows/screen';
import type { SignalInput, SignalResult } from '../../../workflows/signal';
import { dailyStartOptions } from './daily-start';
import { refuseFutureRunDate } from '../run-date';
import { withClient } from '../with-client';

type Command = (argv: string[], config: Config) => Promise<void>;
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

function dateArg(v: string | undefined, usage: string, name = 'date'): string {
  if (!v) throw new UsageError(`--${name} is required`, usage);
  if (!ISO_DATE.test(v) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
    throw new UsageError(`--${name} must be a date YYYY-MM-DD, got "${v}"`, usage);
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
    const usage =
      'quant run pipeline --date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD [--dates-per-run N] [--lookback-days N] [--sentiment-weight W]';
    const o = parseCommandArgs(
      argv,
      {
        date: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'dates-per-run': { type: 'string' },
        'lookback-days': { type: 'string' },
        'sentiment-weight': { type: 'string' },
      },
      usage,
    );
    const sentiment = weightArg(o['sentiment-weight'], 'sentiment-weight', usage);
    const lookbackDays = o['lookback-days'] === undefined ? undefined : intOption('lookback-days', o['lookback-days'], 0, 0);
    if (o.from !== undefined || o.to !== undefined) {
      if (o.date !== undefined) throw new UsageError('give either --date or --from/--to, not both', usage);
      const input = checkedInput(
        'pipelineRange',
        pipelineRangeInputSchema,
        {
          from: dateArg(o.from, usage, 'from'),
          to: dateArg(o.to, usage, 'to'),
          lookbackDays,
          signalWeights: sentiment === undefined ? undefined : { sentiment },
          datesPerRun: o['dates-per-run'] === undefined ? undefined : intOption('dates-per-run', o['dates-per-run'], 25),
        },
        { from: '--from', to: '--to', datesPerRun: '--dates-per-run', lookbackDays: '--lookback-days' },
        usage,
      );
      await withClient(config, async (client, ui) => {
        out(link(ui, config.temporal.namespace, workflowIds.pipelineRange(input.from, input.to)));
        out(JSON.stringify(await runPipelineRange(client, config.temporal.taskQueue, input), null, 2));
      });
      return;
    }
    if (o['dates-per-run'] !== undefined) throw new UsageError('--dates-per-run goes with --from/--to', usage);
    const date = dateArg(o.date, usage);
    await withClient(config, async (client, ui) => {
      out(link(ui, config.temporal.namespace, workflowIds.pipeline(date)));
      const r = await runPipeline(client, config.temporal.taskQueue, {
        date,
        lookbackDays,
        signalWeights: sentiment === undefined ? undefined : { sentiment },
      });
      out(JSON.stringify(r, null, 2));
    });
  },
  screen: async (argv, config) => {
    const usage = 'quant run screen --date YYYY-MM-DD';
    const o = parseCommandArgs(argv, { date: { type: 'string' } }, usage);
    const date = dateArg(o.date, usage);
    await withClient(config, async (client, ui) => {
      out(link(ui, config.temporal.namespace, workflowIds.screen(date)));
      out(JSON.stringify(await runScreen(client, config.temporal.taskQueue, { date }), null, 2));
    });
  },
  signal: async (argv, config) => {
    const usage = 'quant run signal --date YYYY-MM-DD [--sentiment-weight W]';
    const o = parseCommandArgs(argv, { date: { type: 'string' }, 'sentiment-weight': { type: 'string' } }, usage);
    const date = dateArg(o.date, usage);
    const sentiment = weightArg(o['sentiment-weight'], 'sentiment-weight', usage);
    await withClient(config, async (client, ui) => {
      out(link(ui, config.temporal.namespace, workflowIds.signal(date)));
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
