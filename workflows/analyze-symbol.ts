/**
 * `analyzeSymbol`: one child per contract. Three steps, each an activity
 * with its own row in the Web UI's history: load (the contract's column plus
 * SPX and VIX into a small input object) -> analyze (the kernel) -> save
 * (result Parquet and a summary row). Only object keys and a summary pass
 * between them.
 *
 * Version 2 (`fanout-local-steps`) runs the three as local activities: one
 * workflow task and three markers instead of four workflow tasks and three
 * activity tasks per contract, which was most of the Temporal server's CPU
 * per contract. Histories of version 1 (no marker) replay the old path.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  type ActivityOptions,
} from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import type { Activities } from '../activities';
import type { ContractSummary } from '../activities/fanout';
import { LOCAL_STEP, SHORT_ACTIVITY } from './activity-options';
import { PIPELINE_FANOUT } from './names';
import { fanoutRunDate, tagRun } from './tag-run';
import { analyzeSymbolInputSchema } from './inputs';
import { validateInput } from './validate-input';

export interface AnalyzeSymbolInput {
  runKey: string;
  contract: string;
  dataset: string;
  outputPrefix: string;
  /** The failure drill: this child's load step fails on every attempt. */
  fail?: boolean;
}

export interface AnalyzeSymbolResult extends ContractSummary {
  resultKey: string;
}

// Infrastructure faults (Postgres restarting, the object store's 5xx) are retried through the worker's outage window.
const remoteSteps = proxyActivities<Activities>(SHORT_ACTIVITY);
const localSteps = proxyLocalActivities<Activities>(LOCAL_STEP);

/** The patch that made the three steps local activities (see the module comment). */
export const LOCAL_STEPS_PATCH = 'fanout-local-steps';

/** The failure drill's load step gives up after three quick attempts, as a real failing contract would after its window. */
const DRILL_RETRY = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 };

/**
 * Run one step, naming it in its failure. A failed activity task reaches the
 * workflow as an ActivityFailure that names its type; a failed local activity
 * arrives as its bare cause, so without this the parent's failed-contract
 * list and `quant`'s "step:" line could not say which step failed.
 */
async function step<T>(activityType: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ActivityFailure || err instanceof CancelledFailure || !(err instanceof Error)) throw err;
    const retryState =
      err instanceof ApplicationFailure && err.nonRetryable ? RetryState.NON_RETRYABLE_FAILURE : RetryState.MAXIMUM_ATTEMPTS_REACHED;
    throw new ActivityFailure('Local activity failed', activityType, undefined, retryState, undefined, err);
  }
}

export async function analyzeSymbol(input: AnalyzeSymbolInput): Promise<AnalyzeSymbolResult> {
  validateInput('analyzeSymbol', analyzeSymbolInputSchema, input);
  // Keeps the parent's business date (it started this child with it) instead of its own start time.
  tagRun({ pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate(), contract: input.contract });
  const common = { runKey: input.runKey, contract: input.contract, outputPrefix: input.outputPrefix };
  // One marker decides the path for the whole child, before its first step.
  const local = patched(LOCAL_STEPS_PATCH);
  const steps = local ? localSteps : remoteSteps;
  const base: ActivityOptions = local ? LOCAL_STEP : SHORT_ACTIVITY;
  setCurrentDetails(`loading ${input.contract}`);
  const loaded = await step('loadContract', () =>
    steps.loadContract.executeWithOptions(
      { ...base, ...(input.fail ? { retry: DRILL_RETRY } : {}), summary: `load ${input.contract} + SPX + VIX` },
      [{ ...common, dataset: input.dataset, failureDrill: input.fail === true }],
    ),
  );
  setCurrentDetails(`analysing ${loaded.bars} bars`);
  const analysed = await step('analyzeContract', () =>
    steps.analyzeContract.executeWithOptions({ ...base, summary: `analyze ${input.contract} (${loaded.bars} bars)` }, [
      { ...common, inputKey: loaded.inputKey },
    ]),
  );
  setCurrentDetails('saving');
  const saved = await step('saveContractResult', () =>
    steps.saveContractResult.executeWithOptions({ ...base, summary: `save ${input.contract}_analysis.parquet + summary row` }, [
      { ...common, stagingKey: analysed.stagingKey, summary: analysed.summary },
    ]),
  );
  setCurrentDetails(`done: ${analysed.summary.totalTrades} trades, ${analysed.summary.successRate.toFixed(1)} % good`);
  return { ...analysed.summary, resultKey: saved.resultKey };
}
