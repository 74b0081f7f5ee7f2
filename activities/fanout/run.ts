/**
 * The run's bookends: `prepareRun` checks the request against the dataset,
 * records the run and its hashes; `finalizeRun` reconciles the two stores
 * (a contract counts only with its row AND its file), writes the run report
 * and closes the run row `completed` or `partial`; `markRunFailed` closes a
 * run that stopped as `failed` with its reason. Both remove the run's
 * staging files, whatever the outcome. The rules (which contracts, what is hashed, who succeeded)
 * live in src/domain/fanout-run.ts.
 */
import { layout } from '../../src/adapters/layout';
import { readDatasetManifest } from '../../src/adapters/hourly-dataset/store';
import { stableHash } from '../../src/config/load';
import { contractsToAnalyze, fanoutRunConfig, reconcileRun, selectRunContracts, type RunRequest } from '../../src/domain/fanout-run';
import type { ObjectStore } from '../../src/adapters/object-store/types';
import { ANALYSIS_PARAMETERS } from '../../src/domain/symbol-analysis';
import type { ValidationStatus } from '../../src/domain/data-validation';
import { renderRunReport } from '../../src/reports/fanout-report';
import { asActivityFailure } from '../support/failures';
import type { FanoutDeps } from './deps';

export interface PrepareRunInput extends RunRequest {
  runKey: string;
  workflowId: string;
  failContracts: string[];
  /** `--retry-failed`: analyse only these contracts of the run (they must be among its `numContracts`). */
  onlyContracts?: string[];
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
  /** Where the run's files live (default "fanout"): finalizeRun checks results/ and clears staging/. */
  outputPrefix?: string;
}

export interface FinalizedRun {
  reportKey: string;
  status: 'completed' | 'partial';
  /** Every contract of the run (not only those of a `--retry-failed` pass). */
  total: number;
  succeeded: number;
  failed: number;
  failedContracts: string[];
}

export function createRunActivities({ store, repo, analysis = ANALYSIS_PARAMETERS }: FanoutDeps) {
  return {
    /** Check the request against the dataset, record the run, and return its contracts and hashes. */
    async prepareRun(input: PrepareRunInput): Promise<PreparedRun> {
      return asActivityFailure(async () => {
        const { contracts: available, datasetHash, bars } = await readDatasetManifest(store, input.dataset);
        const contracts = selectRunContracts(
          available.map((c) => c.symbol),
          input,
        );
        const configHash = stableHash(fanoutRunConfig(input, analysis));
        await repo.startRun({ ...input, datasetHash, configHash });
        const runManifest = { runKey: input.runKey, dataset: input.dataset, datasetHash, configHash, contracts };
        await store.put(layout.fanoutManifest(input.outputPrefix, input.runKey), JSON.stringify(runManifest, null, 2), {
          contentType: 'application/json',
        });
        return { contracts: contractsToAnalyze(contracts, input.onlyContracts), datasetHash, configHash, bars };
      });
    },

    /**
     * Reconcile, report and close the run. The counts cover every contract
     * of the run (its manifest), so a `--retry-failed` pass ends with the
     * whole run's picture. A result file without its row (a save that gave
     * up between its two writes) is removed so the stores agree.
     */
    async finalizeRun(input: FinalizeRunInput): Promise<FinalizedRun> {
      const prefix = input.outputPrefix ?? 'fanout';
      const manifest = JSON.parse(new TextDecoder().decode(await store.get(layout.fanoutManifest(prefix, input.runKey)))) as {
        contracts: string[];
      };
      const files = new Set(await store.list(`${prefix}/${input.runKey}/results/`));
      const outcome = reconcileRun(manifest.contracts, await repo.listResults(input.runKey), files, input.failures, (c) =>
        layout.fanoutResult(prefix, input.runKey, c),
      );
      for (const key of outcome.orphanFiles) await store.delete(key);
      await clearStaging(store, prefix, input.runKey);
      const status = outcome.failures.length > 0 ? 'partial' : 'completed';
      const reportKey = layout.report('orchestrator', new Date(input.startedAt), input.runKey);
      await store.put(
        reportKey,
        renderRunReport({ ...input, requested: manifest.contracts.length, status, results: outcome.succeeded, failures: outcome.failures }),
        { contentType: 'text/markdown' },
      );
      const failedContracts = outcome.failures.map((f) => f.contract);
      await repo.finishRun(input.runKey, {
        status,
        succeeded: outcome.succeeded.length,
        failed: failedContracts.length,
        failedContracts,
        reportKey,
      });
      return {
        reportKey,
        status,
        total: manifest.contracts.length,
        succeeded: outcome.succeeded.length,
        failed: failedContracts.length,
        failedContracts,
      };
    },

    /**
     * Close a run that stopped (validation FAIL, a child or an activity that
     * gave up, a cancellation) as `failed` with its reason, so `quant runs
     * list` tells the truth, and remove its staging files. Results already
     * saved stay (they count in a later `--retry-failed`).
     */
    async markRunFailed(input: { runKey: string; reason: string; outputPrefix?: string }): Promise<void> {
      await clearStaging(store, input.outputPrefix ?? 'fanout', input.runKey);
      const run = await repo.getRun(input.runKey);
      if (!run) return;
      await repo.finishRun(input.runKey, {
        status: 'failed',
        succeeded: await repo.countResults(input.runKey),
        failed: run.failed,
        failedContracts: run.failedContracts,
        reportKey: run.reportKey,
        failureReason: input.reason.slice(0, 2000),
      });
    },
  };
}

/** Remove a run's staging copies and per-contract inputs (its manifest stays: it lists the run's contracts). */
async function clearStaging(store: ObjectStore, prefix: string, runKey: string): Promise<void> {
  const keys = [...(await store.list(`${prefix}/${runKey}/staging/`)), ...(await store.list(`${prefix}/${runKey}/input/`))];
  const manifestKey = layout.fanoutManifest(prefix, runKey);
  for (const key of keys) if (key !== manifestKey) await store.delete(key);
}
