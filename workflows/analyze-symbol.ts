/**
 * `analyzeSymbol`: one child per contract. Three activities, visible as three
 * rows in the Web UI: load (the contract's column plus SPX and VIX into a
 * small input object) -> analyze (the kernel) -> save (result Parquet and a
 * summary row). Only object keys and a summary pass between them.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ContractSummary } from '../activities/fanout';
import { SHORT_ACTIVITY } from './activity-options';
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
const { loadContract, analyzeContract, saveContractResult } = proxyActivities<Activities>(SHORT_ACTIVITY);

/** The failure drill's load step gives up after three quick attempts, as a real failing contract would after its window. */
const DRILL_RETRY = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 };

export async function analyzeSymbol(input: AnalyzeSymbolInput): Promise<AnalyzeSymbolResult> {
  validateInput('analyzeSymbol', analyzeSymbolInputSchema, input);
  // Keeps the parent's business date (it started this child with it) instead of its own start time.
  tagRun({ pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate(), contract: input.contract });
  const common = { runKey: input.runKey, contract: input.contract, outputPrefix: input.outputPrefix };
  setCurrentDetails(`loading ${input.contract}`);
  const loaded = await loadContract.executeWithOptions(
    { ...SHORT_ACTIVITY, ...(input.fail ? { retry: DRILL_RETRY } : {}), summary: `load ${input.contract} + SPX + VIX` },
    [{ ...common, dataset: input.dataset, failureDrill: input.fail === true }],
  );
  setCurrentDetails(`analysing ${loaded.bars} bars`);
  const analysed = await analyzeContract.executeWithOptions(
    { ...SHORT_ACTIVITY, summary: `analyze ${input.contract} (${loaded.bars} bars)` },
    [{ ...common, inputKey: loaded.inputKey }],
  );
  setCurrentDetails('saving');
  const saved = await saveContractResult.executeWithOptions(
    { ...SHORT_ACTIVITY, summary: `save ${input.contract}_analysis.parquet + summary row` },
    [{ ...common, stagingKey: analysed.stagingKey, summary: analysed.summary }],
  );
  setCurrentDetails(`done: ${analysed.summary.totalTrades} trades, ${analysed.summary.successRate.toFixed(1)} % good`);
  return { ...analysed.summary, resultKey: saved.resultKey };
}
