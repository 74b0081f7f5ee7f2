/**
 * `modelPipeline`: the model pipeline over a range of dates, one NYSE
 * trading day after another, as one parent run
 * `model-pipeline-<from>-<to>`: for each date `features`, then `models`,
 * then `performance`, each a child under the same ID its own command uses
 * (`features-<date>`, ...), so a user builds a history of model runs and
 * rankings in one command and the Web UI shows every step.
 *
 * - In order: a date's models read its features, and its performance reads
 *   the runs of the dates before it.
 * - Re-runs: every step writes idempotently per date (UPSERTs, runs replaced
 *   in one transaction), so a child is started with ALLOW_DUPLICATE and a
 *   resumed range simply runs the date it stopped at again.
 * - Small history: after `datesPerRun` dates (or when the server suggests
 *   it) the run continues as new, carrying the next date and the counts.
 * - A failed step (not a model failing: `models` tolerates that and reports
 *   it) stops the range, naming the date and the step.
 */
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  continueAsNew,
  executeChild,
  setCurrentDetails,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { futureRunDateProblem, tradingDays } from '../src/domain/trading-calendar';
import { features } from './features';
import { modelPipelineInputSchema } from './inputs';
import { models, performance, type PerformanceResult } from './models';
import { PIPELINE_MODELS, workflowIds } from './names';
import { runTags, tagRun } from './tag-run';
import { validateInput } from './validate-input';

/** Dates per run before continue-as-new: three children a date keep each run's history near 300 events. */
export const MODEL_PIPELINE_DATES_PER_RUN = 25;

export interface ModelPipelineProgress {
  /** Dates whose three steps completed. */
  dates: number;
  /** Of those, dates without bars (features found no trading data). */
  noTradingData: number;
  /** Model runs that completed / failed, over all dates. */
  modelRunsCompleted: number;
  modelRunsFailed: number;
  /** Runs in the continue-as-new chain before this one. */
  runs: number;
}

export interface ModelPipelineInput {
  /** First date (YYYY-MM-DD), inclusive; need not be a trading day. */
  from: string;
  /** Last date, inclusive; not after the last completed NYSE session. */
  to: string;
  /** Continue as new after this many dates (default 25). */
  datesPerRun?: number;
  /** Internal (continueAsNew): the next date and what earlier runs did. */
  resume?: ModelPipelineProgress & { next: string };
}

export interface ModelPipelineResult extends ModelPipelineProgress {
  from: string;
  to: string;
  tradingDays: number;
  /** The ranking of the last date (null when the range had no trading day). */
  lastRankings: PerformanceResult['rankings'] | null;
}

function failedStep(date: string, step: string, err: unknown): ApplicationFailure {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let cause = e?.message ?? String(err);
  while (e) {
    if (e.message) cause = e.message;
    e = e.cause as typeof e;
  }
  return ApplicationFailure.nonRetryable(`${step} of ${date} failed: ${cause}; the range stopped there`, 'ModelPipelineStepFailed');
}

export async function modelPipeline(input: ModelPipelineInput): Promise<ModelPipelineResult> {
  validateInput('modelPipeline', modelPipelineInputSchema, input);
  tagRun({ pipeline: PIPELINE_MODELS, runDate: input.to });
  const future = futureRunDateProblem(input.to, workflowInfo().runStartTime.getTime());
  if (future) throw ApplicationFailure.nonRetryable(`to: ${future}`, 'FutureRunDate');

  const days = tradingDays(input.from, input.to);
  const progress: ModelPipelineProgress = input.resume
    ? {
        dates: input.resume.dates,
        noTradingData: input.resume.noTradingData,
        modelRunsCompleted: input.resume.modelRunsCompleted,
        modelRunsFailed: input.resume.modelRunsFailed,
        runs: input.resume.runs,
      }
    : { dates: 0, noTradingData: 0, modelRunsCompleted: 0, modelRunsFailed: 0, runs: 0 };
  const start = input.resume ? days.findIndex((d) => d >= input.resume!.next) : 0;
  const perRun = input.datesPerRun ?? MODEL_PIPELINE_DATES_PER_RUN;
  let lastRankings: PerformanceResult['rankings'] | null = null;
  let done = 0;
  for (let i = start < 0 ? days.length : start; i < days.length; i++) {
    if (done >= perRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof modelPipeline>({ ...input, resume: { ...progress, runs: progress.runs + 1, next: days[i] } });
    }
    const date = days[i];
    const child = (id: string) => ({
      workflowId: id,
      args: [{ date }] as [{ date: string }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: runTags({ pipeline: PIPELINE_MODELS, runDate: date }),
    });
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      setCurrentDetails(`date ${i + 1}/${days.length}: ${date}, ${name}`);
      try {
        return await run();
      } catch (err) {
        if (err instanceof ChildWorkflowFailure) throw failedStep(date, name, err);
        throw err;
      }
    };
    const f = await step('features', () => executeChild(features, child(workflowIds.features(date))));
    if (f.status === 'no_trading_data') progress.noTradingData++;
    const m = await step('models', () => executeChild(models, child(workflowIds.models(date))));
    progress.modelRunsCompleted += m.completed;
    progress.modelRunsFailed += m.failed;
    const p = await step('performance', () => executeChild(performance, child(workflowIds.performance(date))));
    lastRankings = p.rankings;
    progress.dates++;
    done++;
  }
  setCurrentDetails(`done: ${progress.dates} dates`);
  return { from: input.from, to: input.to, tradingDays: days.length, lastRankings, ...progress };
}
