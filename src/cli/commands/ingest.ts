/**
 * `quant run ingest`: start WF1 for one date (`--date`, default the last completed NYSE session) or
 * a backfill (`--from A --to B`), wait, and print the result. Also the entry
 * the pipeline benchmark uses for `backfill_10y_s` (`runIngestBackfill`).
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { runWorkflowCommand } from '../with-client';
import { checkedInput, intOption, parseCommandArgs, UsageError } from '../args';
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
import { defaultRunDate, refuseFutureRunDate } from '../run-date';

const USAGE =
  'quant run ingest [--date YYYY-MM-DD] [--from YYYY-MM-DD --to YYYY-MM-DD] [--symbols A,B] [--lookback N] [--chunk-days N] [--worker]';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

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

/** The `quant run ingest` command. */
export async function ingestCommand(argv: string[], config: Config): Promise<number | undefined> {
  const o = parseCommandArgs(
    argv,
    {
      date: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      symbols: { type: 'string' },
      lookback: { type: 'string' },
      'chunk-days': { type: 'string' },
      worker: { type: 'boolean' },
    },
    USAGE,
  );
  for (const k of ['date', 'from', 'to'] as const) {
    const v = o[k];
    if (v !== undefined && !ISO_DATE.test(v)) throw new UsageError(`--${k} must be YYYY-MM-DD, got "${v}"`, USAGE);
  }
  if ((o.from === undefined) !== (o.to === undefined)) throw new UsageError('--from and --to go together', USAGE);
  if (o.from && o.date) throw new UsageError('use either --date or --from/--to', USAGE);
  if (o.from && o.to && o.from > o.to) throw new UsageError(`--from ${o.from} is after --to ${o.to}`, USAGE);
  for (const d of [o.date, o.to]) if (d !== undefined) refuseFutureRunDate(d, USAGE);
  const symbols = o.symbols
    ? o.symbols
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  // The workflow checks the same schema first; checking here means a bad date never starts a run (exit 2).
  const names = { date: '--date', from: '--from', to: '--to', symbols: '--symbols', lookbackDays: '--lookback', chunkDays: '--chunk-days' };
  const backfill =
    o.from && o.to
      ? checkedInput(
          'ingestBackfill',
          ingestBackfillInputSchema,
          {
            from: o.from,
            to: o.to,
            symbols,
            chunkDays: o['chunk-days'] === undefined ? undefined : intOption('chunk-days', o['chunk-days'], 63),
          },
          names,
          USAGE,
        )
      : undefined;
  const single = backfill
    ? undefined
    : checkedInput(
        'ingest',
        ingestInputSchema,
        {
          date: o.date ?? defaultRunDate(),
          symbols,
          lookbackDays: o.lookback === undefined ? undefined : intOption('lookback', o.lookback, 0, 0),
        },
        names,
        USAGE,
      );
  const workflowId = backfill
    ? workflowIds.ingestBackfill(backfillKey({ from: backfill.from, to: backfill.to, symbols: backfill.symbols }))
    : workflowIds.ingest(single!.date!);
  return runWorkflowCommand(
    config,
    { workflowId, workflowType: backfill ? 'ingestBackfill' : 'ingest', inProcessWorker: o.worker },
    async (client) => {
      const result = backfill
        ? await runIngestBackfill(client, config.temporal.taskQueue, {
            from: backfill.from,
            to: backfill.to,
            symbols: backfill.symbols,
            chunkDays: backfill.chunkDays,
          })
        : await runIngest(client, config.temporal.taskQueue, { ...single, date: single!.date! });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    },
  );
}
