/**
 * `analyzeSymbol`: one child per contract. Three activities, visible as three
 * rows in the Web UI: load (the contract's column plus SPX and VIX into a
 * small input object) -> analyze (the kernel) -> save (result Parquet and a
 * summary row). Only object keys and a summary pass between them.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ContractSummary } from '../activities/fanout';
import { PIPELINE_FANOUT } from './names';
import { fanoutRunDate, tagRun } from './tag-run';

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

const { loadContract, analyzeContract, saveContractResult } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 },
});

export async function analyzeSymbol(input: AnalyzeSymbolInput): Promise<AnalyzeSymbolResult> {
  // Keeps the parent's business date (it started this child with it) instead of its own start time.
  tagRun({ pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate(), contract: input.contract });
  const common = { runKey: input.runKey, contract: input.contract, outputPrefix: input.outputPrefix };
  setCurrentDetails(`loading ${input.contract}`);
  const loaded = await loadContract.executeWithOptions(
    { startToCloseTimeout: '2 minutes', summary: `load ${input.contract} + SPX + VIX` },
    [{ ...common, dataset: input.dataset, failureDrill: input.fail === true }],
  );
  setCurrentDetails(`analysing ${loaded.bars} bars`);
  const analysed = await analyzeContract.executeWithOptions(
    { startToCloseTimeout: '2 minutes', summary: `analyze ${input.contract} (${loaded.bars} bars)` },
    [{ ...common, inputKey: loaded.inputKey }],
  );
  setCurrentDetails('saving');
  const saved = await saveContractResult.executeWithOptions(
    { startToCloseTimeout: '2 minutes', summary: `save ${input.contract}_analysis.parquet + summary row` },
    [{ ...common, stagingKey: analysed.stagingKey, summary: analysed.summary }],
  );
  setCurrentDetails(`done: ${analysed.summary.totalTrades} trades, ${analysed.summary.successRate.toFixed(1)} % good`);
  return { ...analysed.summary, resultKey: saved.resultKey };
}
