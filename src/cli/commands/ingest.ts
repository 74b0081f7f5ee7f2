/**
 * `quant run ingest`: start WF1 for one date (`--date`, default the previous weekday) or
 * a backfill (`--from A --to B`), wait, and print the result. Also the entry
 * the pipeline benchmark uses for `backfill_10y_s` (`runIngestBackfill`).
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { previousWeekday } from '../../domain/dates';
import { checkedInput, UsageError, type OutputFormat } from '../args';
import { runWorkflowCommand } from '../with-client';
import { announceRun, printResult, webUiLink } from '../output';
import { ingestBackfillInputSchema, ingestInputSchema } from '../../../workflows/inputs';
import {
  backfillKey,
  type IngestBackfillInput,
  type IngestBackfillResult,
  type IngestInput,
  type IngestResult,
} from '../../../workflows/ingest';
import { workflowIds } from '../../../workflows/names';
import { dailyStartOptions } from './daily-start';
import { refuseFutureRunDate } from '../run-date';

const USAGE =
  'quant run ingest [--date YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD] [--symbols A,B] [--lookback-days N] [--chunk-days N]';

/**
 * Run WF1 for one date and wait. Same date = same workflow ID: a running
 * ingest is joined, a finished one is run again (idempotent upserts).
 *
 * @example
 *   const r = await runIngest(client, 'quant-workflows', { date: '2026-02-06' });
 */
export async function runIngest(client: Client, taskQueue: string, input: IngestInput & { date: string }): Promise<IngestResult> {
  return client.workflow.execute('ingest', {
    ...dailyStartOptions(
      taskQueue,
      workflowIds.ingest(input.date),
      input.date,
      `Ingest EOD ${input.date} (${input.symbols?.length ?? 49} symbols)`,
    ),
    args: [input],
  });
}

/**
 * Run `ingestBackfill` over [from, to] and wait; chunks already done are
 * skipped, so a rerun resumes. The benchmark's `backfill_10y_s`:
 *
 * @example
 *   // with a worker running on `taskQueue` (MARKET_DATA_PROVIDER=synthetic):
 *   const t0 = Date.now();
 *   const r = await runIngestBackfill(client, taskQueue, { from: '2015-01-01', to: '2024-12-31' });
 *   const backfill_10y_s = (Date.now() - t0) / 1000; // r.completed chunks, r.rowsStored bars
 */
export async function runIngestBackfill(client: Client, taskQueue: string, input: IngestBackfillInput): Promise<IngestBackfillResult> {
  return client.workflow.execute('ingestBackfill', {
    taskQueue,
    workflowId: workflowIds.ingestBackfill(backfillKey(input)),
    args: [input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary: `Ingest backfill ${input.from} .. ${input.to} (${input.symbols?.length ?? 49} symbols)`,
  });
}

/**
 * The date `quant run ingest` takes without `--date`: the previous weekday,
 * as the README says - end-of-day prices of today are not final until the
 * close, so the latest complete day is the one before (a holiday ingests
 * nothing new; prices are upserted).
 *
 * @example
 *   defaultIngestDate(new Date('2026-02-09T22:00:00Z')) // '2026-02-06' (Monday ingests Friday)
 */
export function defaultIngestDate(now: Date = new Date()): string {
  return previousWeekday(now);
}

export interface IngestOptions {
  date?: string;
  from?: string;
  to?: string;
  symbols?: string[];
  lookbackDays?: number;
  /** The old spelling of --lookback-days. */
  lookback?: number;
  chunkDays?: number;
  output: OutputFormat;
  /** `--worker`: run a worker in this process for the duration. */
  worker?: boolean;
}

/** The `quant run ingest` command. */
export async function ingestCommand(o: IngestOptions, config: Config): Promise<number | undefined> {
  if ((o.from === undefined) !== (o.to === undefined)) throw new UsageError('--from and --to go together', USAGE);
  if (o.from && o.to && o.from > o.to) throw new UsageError(`--from ${o.from} is after --to ${o.to}`, USAGE);
  for (const d of [o.date, o.to]) if (d !== undefined) refuseFutureRunDate(d, USAGE);
  // The workflow checks the same schema first; checking here means a bad input never starts a run (exit 2).
  const names = {
    date: '--date',
    from: '--from',
    to: '--to',
    symbols: '--symbols',
    lookbackDays: '--lookback-days',
    chunkDays: '--chunk-days',
  };
  const backfill =
    o.from && o.to
      ? checkedInput(
          'ingestBackfill',
          ingestBackfillInputSchema,
          { from: o.from, to: o.to, symbols: o.symbols, chunkDays: o.chunkDays },
          names,
          USAGE,
        )
      : undefined;
  const single = backfill
    ? undefined
    : checkedInput(
        'ingest',
        ingestInputSchema,
        { date: o.date ?? defaultIngestDate(), symbols: o.symbols, lookbackDays: o.lookbackDays ?? o.lookback },
        names,
        USAGE,
      );
  const workflowId = backfill ? workflowIds.ingestBackfill(backfillKey(backfill)) : workflowIds.ingest(single!.date!);
  const workflowType = backfill ? 'ingestBackfill' : 'ingest';
  return runWorkflowCommand(config, { workflowId, workflowType, inProcessWorker: o.worker }, async (client, uiUrl) => {
    announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
    const result = backfill
      ? await runIngestBackfill(client, config.temporal.taskQueue, {
          from: backfill.from,
          to: backfill.to,
          symbols: backfill.symbols,
          chunkDays: backfill.chunkDays,
        })
      : await runIngest(client, config.temporal.taskQueue, { ...single, date: single!.date! });
    printResult(o.output, result);
  });
}
