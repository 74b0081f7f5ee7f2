/**
 * The run's bookends: `prepareRun` checks the request against the dataset,
 * records the run and its hashes; `finalizeRun` writes the run report from
 * the stored rows and closes the run row; `markRunFailed` closes a run that
 * stopped early. The rules (which contracts, what is hashed, who succeeded)
 * live in src/domain/fanout-run.ts.
 */
import { layout } from '../../src/adapters/layout';
import { readDatasetManifest } from '../../src/adapters/hourly-dataset/store';
import { stableHash } from '../../src/config/load';
import { fanoutRunConfig, selectRunContracts, succeededResults, type RunRequest } from '../../src/domain/fanout-run';
import type { ValidationStatus } from '../../src/domain/data-validation';
import { renderRunReport } from '../../src/reports/fanout-report';
import { asActivityFailure } from '../support/failures';
import type { FanoutDeps } from './deps';

export interface PrepareRunInput extends RunRequest {
  runKey: string;
  workflowId: string;
  failContracts: string[];
}

export interface PreparedRun {
  contracts: string[];
  datasetHash: string;
  configHash: string;
  bars: number;
}

export interface FinalizeRunInput {
  runKey: string;
  dataset: string;
  datasetHash: string;
  configHash: string;
  requested: number;
  validation: { status: ValidationStatus; problems: string[]; reportKey?: string } | null;
  failures: { contract: string; error: string }[];
  startedAt: string;
  /** Failed / requested; sent by orchestrators from version 2 on (patch `fanout-result-failed-share`). */
  failedShare?: number;
}

export function createRunActivities({ store, repo }: FanoutDeps) {
  return {
    /** Check the request against the dataset, record the run, and return its contracts and hashes. */
    async prepareRun(input: PrepareRunInput): Promise<PreparedRun> {
      return asActivityFailure(async () => {
        const { contracts: available, datasetHash, bars } = await readDatasetManifest(store, input.dataset);
        const contracts = selectRunContracts(
          available.map((c) => c.symbol),
          input,
        );
        const configHash = stableHash(fanoutRunConfig(input));
        await repo.startRun({ ...input, datasetHash, configHash });
        const runManifest = { runKey: input.runKey, dataset: input.dataset, datasetHash, configHash, contracts };
        await store.put(layout.fanoutManifest(input.outputPrefix, input.runKey), JSON.stringify(runManifest, null, 2), {
          contentType: 'application/json',
        });
        return { contracts, datasetHash, configHash, bars };
      });
    },

    /** Write the run report from the stored rows and close the run row. */
    async finalizeRun(input: FinalizeRunInput): Promise<{ reportKey: string; succeeded: number; failed: number }> {
      const succeeded = succeededResults(await repo.listResults(input.runKey), input.failures);
      const reportKey = layout.report('orchestrator', new Date(input.startedAt), input.runKey);
      await store.put(reportKey, renderRunReport({ ...input, results: succeeded }), { contentType: 'text/markdown' });
      await repo.finishRun(input.runKey, {
        status: 'completed',
        succeeded: succeeded.length,
        failed: input.failures.length,
        failedContracts: input.failures.map((f) => f.contract),
        reportKey,
      });
      return { reportKey, succeeded: succeeded.length, failed: input.failures.length };
    },

    /** Record a run that stopped early (validation FAIL, bad input) so `quant runs list` tells the truth. */
    async markRunFailed(input: { runKey: string; reason: string }): Promise<void> {
      const run = await repo.getRun(input.runKey);
      if (!run) return;
      await repo.finishRun(input.runKey, { status: 'failed', succeeded: 0, failed: 0, failedContracts: [], reportKey: run.reportKey });
    },
  };
}
