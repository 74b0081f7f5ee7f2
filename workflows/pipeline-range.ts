/**
 * `pipelineRange`: the daily pipeline over a range of dates, one trading day
 * (NYSE) after another, as one parent run `pipeline-range-<from>-<to>`. Each
 * date is a child with the same ID `quant run pipeline --date D` uses
 * (`pipeline-<date>`), so building history is one command instead of a loop
 * of screen + signal runs, and the Web UI shows the dates in order.
 *
 * - In order: WF4 books rebalances in date order, so a date starts only after
 *   the one before it completed.
 * - Idempotent per date: a child is started with ALLOW_DUPLICATE_FAILED_ONLY,
 *   so a date whose `pipeline-<date>` already completed is not run again (the
 *   server refuses the start; the range counts it as skipped), while a date
 *   that failed or was terminated runs again. A date running elsewhere (a
 *   `quant run pipeline --date D` in another terminal) is waited for.
 *   "Completed" is what the server remembers: after the namespace's
 *   retention period a closed run is gone and its date runs again, which is
 *   harmless (every step writes idempotently per date; WF4 answers
 *   `already_executed` for a booked date).
 * - Small history: after `datesPerRun` dates (or when the server suggests
 *   it) the run continues as new, carrying the next date and the counts.
 * - Resumable: the ID comes from the range, so starting the same range again
 *   after a kill or a failure resumes it (completed dates are skipped).
 * - One failed date stops the range, non-retryably, naming the date and the
 *   step that failed; nothing after it runs.
 */
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  continueAsNew,
  executeChild,
  proxyActivities,
  setCurrentDetails,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { futureRunDateProblem, tradingDays } from '../src/domain/trading-calendar';
import { SHORT_ACTIVITY } from './activity-options';
import { pipelineRangeInputSchema } from './inputs';
import { PIPELINE_DAILY, workflowIds } from './names';
import { pipeline, type PipelineInput } from './pipeline';
import { runTags, tagRun } from './tag-run';
import { validateInput } from './validate-input';

/** Dates per run before continue-as-new: about six events a date keeps each run's history near 150 events. */
export const DEFAULT_DATES_PER_RUN = 25;

/** How often one date is tried when its earlier run keeps closing unsuccessfully while we wait for it. */
const MAX_ATTEMPTS_PER_DATE = 3;

export interface PipelineRangeInput {
  /** First date (YYYY-MM-DD), inclusive; need not be a trading day. */
  from: string;
  /** Last date, inclusive; not after the last completed NYSE session. */
  to: string;
  /** WF1 lookback for the FIRST trading day of the range only (later days find the history it stored). */
  lookbackDays?: number;
  /** Symbols for WF1 (default: the 49-name universe). */
  symbols?: string[];
  /** WF3 weights override. */
  signalWeights?: PipelineInput['signalWeights'];
  /** Continue as new after this many dates (default 25). */
  datesPerRun?: number;
  /** Internal (continueAsNew): the next date to run and what earlier runs did. */
  resume?: PipelineRangeProgress & { next: string };
}

/** What the range did so far: dates run here, dates skipped as already done, and how they ended. */
export interface PipelineRangeProgress {
  /** Dates whose pipeline this range ran (or waited for) to completion. */
  ran: number;
  /** Dates whose `pipeline-<date>` had already completed before: not run again. */
  skipped: number;
  /** Of `ran`, the dates that stopped with no_trading_data (e.g. a day the provider has no bars for). */
  noTradingData: number;
  /** Runs in the continue-as-new chain before this one. */
  runs: number;
}

export interface PipelineRangeResult extends PipelineRangeProgress {
  from: string;
  to: string;
  /** NYSE trading days in [from, to]: ran + skipped. */
  tradingDays: number;
  /** The last trading day of the range (its pipeline's reports are the newest). */
  lastDate: string | null;
}

const { awaitWorkflowRun } = proxyActivities<Pick<Activities, 'awaitWorkflowRun'>>({
  ...SHORT_ACTIVITY,
  // Waiting for a daily pipeline started elsewhere: as long as a pipeline may take; it heartbeats while it waits.
  startToCloseTimeout: '2 hours',
});

/** The deepest child in a failure chain (the step that failed) and the root cause's message. */
function describeFailure(err: unknown): { step?: string; cause: string } {
  let step: string | undefined;
  let e = err as { message?: string; cause?: unknown } | undefined;
  let cause = e?.message ?? String(err);
  while (e) {
    if (e instanceof ChildWorkflowFailure) step = e.execution.workflowId ?? undefined;
    if (e.message) cause = e.message;
    e = e.cause as typeof e;
  }
  return { step, cause };
}

/**
 * One date's pipeline: 'ran' (completed here or by a run we waited for),
 * 'no_trading_data', or 'skipped' (completed before this range reached it).
 */
async function runDate(date: string, input: PipelineRangeInput, first: boolean): Promise<'ran' | 'no_trading_data' | 'skipped'> {
  const workflowId = workflowIds.pipeline(date);
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await executeChild(pipeline, {
        workflowId,
        args: [
          {
            date,
            lookbackDays: first ? input.lookbackDays : undefined,
            symbols: input.symbols,
            signalWeights: input.signalWeights,
          },
        ],
        // A completed date is done; a failed or terminated one may run again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        staticSummary: `Daily pipeline ${date} (range ${input.from} .. ${input.to})`,
        // Each date is its own business date (the pipeline tags itself with it too).
        typedSearchAttributes: runTags({ pipeline: PIPELINE_DAILY, runDate: date }),
      });
      return r.status === 'no_trading_data' ? 'no_trading_data' : 'ran';
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        const { step, cause } = describeFailure(err);
        throw ApplicationFailure.create({
          type: 'PipelineDateFailed',
          message: `daily pipeline for ${date} failed${step ? ` in ${step}` : ''}: ${cause}; dates after it were not run (start the same range again to resume at ${date})`,
          nonRetryable: true,
          details: [{ date, workflowId, step: step ?? null }],
        });
      }
      // Completed earlier, or running now (started by someone else): the activity tells which, waiting for a running one.
      const seen = await awaitWorkflowRun({ workflowId });
      if (seen.status === 'COMPLETED') {
        if (!seen.waited) return 'skipped';
        return seen.resultStatus === 'no_trading_data' ? 'no_trading_data' : 'ran';
      }
      // It closed unsuccessfully while we waited: the reuse policy now lets this range run the date itself.
      if (attempt >= MAX_ATTEMPTS_PER_DATE)
        throw ApplicationFailure.create({
          type: 'PipelineDateFailed',
          message: `daily pipeline for ${date} (${workflowId}) ended ${seen.status} ${attempt} times, started outside this range; dates after it were not run`,
          nonRetryable: true,
          details: [{ date, workflowId, step: null }],
        });
    }
  }
}

/**
 * Run the daily pipeline for every NYSE trading day in [from, to], in order.
 *
 * @example
 *   await client.workflow.execute(pipelineRange, { workflowId: 'pipeline-range-2026-01-02-2026-02-13', taskQueue, args: [{ from: '2026-01-02', to: '2026-02-13' }] });
 */
export async function pipelineRange(input: PipelineRangeInput): Promise<PipelineRangeResult> {
  validateInput('pipelineRange', pipelineRangeInputSchema, input);
  // The range is for its last date, as a backfill is (workflows/tag-run.ts).
  tagRun({ pipeline: PIPELINE_DAILY, runDate: input.to });
  // Refuse a future `to` before any date runs, rather than failing partway at the first future date.
  const future = futureRunDateProblem(input.to, workflowInfo().runStartTime.getTime());
  if (future) throw ApplicationFailure.nonRetryable(`to: ${future}`, 'FutureRunDate');

  const days = tradingDays(input.from, input.to);
  const progress: PipelineRangeProgress = input.resume
    ? { ran: input.resume.ran, skipped: input.resume.skipped, noTradingData: input.resume.noTradingData, runs: input.resume.runs }
    : { ran: 0, skipped: 0, noTradingData: 0, runs: 0 };
  const start = input.resume ? days.findIndex((d) => d >= input.resume!.next) : 0;
  const perRun = input.datesPerRun ?? DEFAULT_DATES_PER_RUN;
  let done = 0;
  for (let i = start < 0 ? days.length : start; i < days.length; i++) {
    if (done >= perRun || workflowInfo().continueAsNewSuggested) {
      // Keep the history small: the next run starts at this date with the counts so far.
      await continueAsNew<typeof pipelineRange>({ ...input, resume: { ...progress, runs: progress.runs + 1, next: days[i] } });
    }
    const date = days[i];
    setCurrentDetails(`date ${i + 1}/${days.length}: ${date}`);
    const outcome = await runDate(date, input, i === 0);
    if (outcome === 'skipped') progress.skipped++;
    else {
      progress.ran++;
      if (outcome === 'no_trading_data') progress.noTradingData++;
    }
    done++;
  }
  setCurrentDetails(`done: ${progress.ran} dates run, ${progress.skipped} already done`);
  return { from: input.from, to: input.to, tradingDays: days.length, lastDate: days.at(-1) ?? null, ...progress };
}
