/**
 * `orchestrator`: the fan-out analysis. Optionally ingests and validates the
 * dataset (as children), then starts one `analyzeSymbol` child per contract
 * in a bounded window, tolerating child failures, and writes a run report.
 * Above `maxChildrenPerParent` contracts it fans out through `analyzeShard`
 * sub-orchestrators so no parent has more than 1,000 children and every
 * history stays far inside Temporal's limits. The `progress` query feeds the
 * CLI's progress bar.
 */
import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  defineSignal,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  workflowInfo,
  setCurrentDetails,
  getExternalWorkflowHandle,
  condition,
  patched,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ValidationResult } from '../activities/fanout';
import { FANOUT_DEFAULTS, MAX_CHILDREN_PER_PARENT } from '../src/domain/fanout-defaults';
import { failedShare } from '../src/domain/fanout-run';
import { runChildrenWindowed, rootMessage, type ChildFailure, type FanoutProgress } from './fanout-window';
import { ingestMarketData } from './ingest-market-data';
import { validateData } from './validate-data';
import { PIPELINE_FANOUT, RUN_KEY_PATTERN, workflowIds } from './names';
import { fanoutRunDate, runTags, tagRun } from './tag-run';
import { LONG_ACTIVITY } from './activity-options';
import { analyzeShardInputSchema, orchestratorInputSchema } from './inputs';
import { validateInput } from './validate-input';

export interface OrchestratorInput {
  numContracts: number;
  runIngestion?: boolean;
  runValidation?: boolean;
  /** Dataset name in the object store (datasets/<name>/...). Default: the config schema's `fanout.defaultDataset`. */
  dataset?: string;
  /** Object-store prefix for run inputs and results. Default: the config schema's `fanout.outputPrefix`. */
  outputPrefix?: string;
  /** The failure drill: these contracts' children fail after their retries. */
  failContracts?: string[];
  /** Defaults to the workflow ID without its "orchestrator-" prefix. */
  runKey?: string;
  /** Default: the config schema's `fanout.maxConcurrentChildren`. */
  maxConcurrentChildren?: number;
  /** Default and upper bound: the config schema's `fanout.maxChildrenPerParent` default. */
  maxChildrenPerParent?: number;
  /**
   * `quant run orchestrator --retry-failed RUNKEY`: analyse only these
   * contracts (the failed ones of an earlier run under the same run key);
   * the contracts that succeeded keep their results and are counted again.
   */
  onlyContracts?: string[];
}

export interface OrchestratorResult {
  runKey: string;
  /** `partial`: some contracts failed (see `failedContracts`); `completed`: every contract has its result. */
  status: 'completed' | 'partial';
  total: number;
  succeeded: number;
  failed: number;
  failedContracts: string[];
  validation: 'PASS' | 'WARN' | 'FAIL' | 'SKIPPED';
  datasetHash: string;
  configHash: string;
  reportKey: string;
  shards: number;
  /**
   * failed / total, in [0, 1]. Present on runs started from version 2 of this
   * workflow on (patch FAILED_SHARE_PATCH); absent on runs that began before.
   */
  failedShare?: number;
}

/**
 * Version 2 of the orchestrator: the result, the memo and the run report
 * carry the failed share. Behind `patched()` so runs that started on version 1 replay
 * unchanged (tests/histories/orchestrator/v1.json) and new runs take the new
 * path (v2.json). README "Changing a workflow".
 */
export const FAILED_SHARE_PATCH = 'fanout-result-failed-share';

export const progressQuery = defineQuery<FanoutProgress>('progress');
/** Sub-orchestrators report their counts to the parent with this signal. */
export const shardProgressSignal = defineSignal<[{ shard: string; completed: number; failed: number; running: number }]>('shardProgress');

const { prepareRun, finalizeRun, markRunFailed } = proxyActivities<Activities>(LONG_ACTIVITY);

export function resolveRunKey(input: { runKey?: string }): string {
  const runKey = input.runKey ?? workflowInfo().workflowId.replace(/^orchestrator-/, '');
  if (!RUN_KEY_PATTERN.test(runKey)) {
    throw ApplicationFailure.nonRetryable(`run key "${runKey}" must match ${RUN_KEY_PATTERN} (letters, digits, _ . -)`, 'InvalidInput');
  }
  return runKey;
}

export async function orchestrator(input: OrchestratorInput): Promise<OrchestratorResult> {
  validateInput('orchestrator', orchestratorInputSchema, input);
  const runKey = resolveRunKey(input);
  try {
    return await runOrchestrator(input, runKey);
  } catch (err) {
    // Whatever stopped the run (a failed child workflow, an activity out of its outage window, a
    // cancellation), its row ends `failed` with the reason and its staging files are removed. The
    // row may not exist yet (prepareRun never ran): then there is nothing to close.
    const reason = isCancellation(err) ? 'cancelled' : rootMessage(err);
    await CancellationScope.nonCancellable(() =>
      markRunFailed({ runKey, reason, outputPrefix: input.outputPrefix ?? FANOUT_DEFAULTS.outputPrefix }),
    );
    throw err;
  }
}

async function runOrchestrator(input: OrchestratorInput, runKey: string): Promise<OrchestratorResult> {
  const dataset = input.dataset ?? FANOUT_DEFAULTS.defaultDataset;
  const outputPrefix = input.outputPrefix ?? FANOUT_DEFAULTS.outputPrefix;
  const failContracts = input.failContracts ?? [];
  const window = input.maxConcurrentChildren ?? FANOUT_DEFAULTS.maxConcurrentChildren;
  const perParent = Math.min(MAX_CHILDREN_PER_PARENT, input.maxChildrenPerParent ?? FANOUT_DEFAULTS.maxChildrenPerParent);
  const progress: FanoutProgress = { total: 0, completed: 0, failed: 0, running: 0 };
  const shardCounts = new Map<string, { completed: number; failed: number; running: number }>();
  setHandler(progressQuery, () => progress);
  setHandler(shardProgressSignal, (s) => {
    shardCounts.set(s.shard, s);
    progress.completed = sum(shardCounts, 'completed');
    progress.failed = sum(shardCounts, 'failed');
    progress.running = sum(shardCounts, 'running');
  });
  // The run's business date, handed to every child so the whole run answers one RunDate query.
  const tag = { pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate() };
  tagRun(tag);
  const tags = runTags(tag);

  if (input.runIngestion) {
    setCurrentDetails('ingesting the dataset');
    await executeChild(ingestMarketData, {
      workflowId: workflowIds.ingestMarketData(runKey),
      args: [{ dataset, provider: 'synthetic' }],
      staticSummary: `Ingest dataset ${dataset} for run ${runKey}`,
      typedSearchAttributes: tags,
    });
  }

  setCurrentDetails('preparing the run');
  const prepared = await prepareRun({
    runKey,
    workflowId: workflowInfo().workflowId,
    dataset,
    numContracts: input.numContracts,
    outputPrefix,
    failContracts,
    ...(input.onlyContracts ? { onlyContracts: input.onlyContracts } : {}),
  });
  upsertMemo({ datasetHash: prepared.datasetHash, configHash: prepared.configHash, dataset, runKey });
  progress.total = prepared.contracts.length;

  let validation: ValidationResult | null = null;
  if (input.runValidation) {
    setCurrentDetails('validating the data');
    validation = await executeChild(validateData, {
      workflowId: workflowIds.validateData(runKey),
      args: [{ runKey, dataset, numContracts: input.numContracts }],
      staticSummary: `Validate ${dataset} (${input.numContracts} contracts) for run ${runKey}`,
      typedSearchAttributes: tags,
    });
    if (validation.status === 'FAIL') {
      const fails = validation.problems.filter((p) => p.startsWith('FAIL'));
      throw ApplicationFailure.nonRetryable(
        `data validation FAILED for dataset "${dataset}": ${fails.slice(0, 5).join('; ')} (report ${validation.reportKey})`,
        'ValidationFailed',
      );
    }
  }

  setCurrentDetails(`analysing ${prepared.contracts.length} contracts`);
  let failures: ChildFailure[];
  let shards = 0;
  if (prepared.contracts.length <= perParent) {
    failures = await runChildrenWindowed(
      { runKey, dataset, outputPrefix, contracts: prepared.contracts, failContracts, maxConcurrentChildren: window },
      progress,
    );
  } else {
    const groups: string[][] = [];
    for (let i = 0; i < prepared.contracts.length; i += perParent) groups.push(prepared.contracts.slice(i, i + perParent));
    shards = groups.length;
    const handles = [];
    for (const [i, contracts] of groups.entries()) {
      const shard = String(i).padStart(3, '0');
      handles.push(
        await startChild(analyzeShard, {
          workflowId: workflowIds.subOrchestrator(runKey, shard),
          args: [
            {
              runKey,
              shard,
              dataset,
              outputPrefix,
              contracts,
              failContracts: failContracts.filter((c) => contracts.includes(c)),
              maxConcurrentChildren: Math.max(1, Math.floor(window / groups.length)),
              parentWorkflowId: workflowInfo().workflowId,
            },
          ],
          staticSummary: `Shard ${shard} of run ${runKey}: ${contracts.length} contracts (${contracts[0]}..${contracts[contracts.length - 1]})`,
          typedSearchAttributes: tags,
        }),
      );
    }
    failures = [];
    for (const h of handles) failures.push(...(await h.result()).failures);
  }

  setCurrentDetails('writing the run report');
  const total = prepared.contracts.length;
  // patched() records a marker in new histories; replaying a version-1 history (no marker) takes the old path.
  const v2 = patched(FAILED_SHARE_PATCH);
  const share = v2 ? { failedShare: failedShare(failures.length, total) } : {};
  const final = await finalizeRun({
    runKey,
    dataset,
    datasetHash: prepared.datasetHash,
    configHash: prepared.configHash,
    requested: total,
    validation: validation ? { status: validation.status, problems: validation.problems, reportKey: validation.reportKey } : null,
    failures,
    startedAt: workflowInfo().startTime.toISOString(),
    outputPrefix,
    ...share,
  });
  // The Web UI shows the memo: a new command, so this line alone would break the replay of a v1 run without patched().
  if (v2) upsertMemo(share);
  // Results recorded by older workers carry no status: derive it from the counts.
  const status = final.failed > 0 ? 'partial' : 'completed';
  setCurrentDetails(`${status}: ${final.succeeded} succeeded, ${final.failed} failed`);
  return {
    runKey,
    status,
    total: final.total ?? total,
    succeeded: final.succeeded,
    failed: final.failed,
    failedContracts: (final.failedContracts ?? failures.map((f) => f.contract)).slice(0, 1000),
    validation: validation?.status ?? 'SKIPPED',
    datasetHash: prepared.datasetHash,
    configHash: prepared.configHash,
    reportKey: final.reportKey,
    shards,
    ...share,
  };
}

export interface AnalyzeShardInput {
  runKey: string;
  shard: string;
  dataset: string;
  outputPrefix: string;
  contracts: string[];
  failContracts: string[];
  maxConcurrentChildren: number;
  parentWorkflowId: string;
}

/** A sub-orchestrator: one shard (<= 1,000 contracts) of a large run. Reports progress to its parent. */
export async function analyzeShard(input: AnalyzeShardInput): Promise<{ shard: string; succeeded: number; failures: ChildFailure[] }> {
  validateInput('analyzeShard', analyzeShardInputSchema, input);
  const progress: FanoutProgress = { total: input.contracts.length, completed: 0, failed: 0, running: 0 };
  setHandler(progressQuery, () => progress);
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  let dirty = 0;
  let reporting = false;
  // Batched signals: at most one in flight, so the parent's history grows by ~contracts/25 events, not one per child.
  const report = async () => {
    if (reporting) return;
    reporting = true;
    dirty = 0;
    try {
      await parent.signal(shardProgressSignal, {
        shard: input.shard,
        completed: progress.completed,
        failed: progress.failed,
        running: progress.running,
      });
    } catch (err) {
      setCurrentDetails(`progress signal failed: ${rootMessage(err)}`);
    } finally {
      reporting = false;
    }
  };
  const failures = await runChildrenWindowed(input, progress, () => {
    if (++dirty >= 25) void report();
  });
  await condition(() => !reporting);
  await report();
  return { shard: input.shard, succeeded: progress.completed, failures };
}

function sum(m: Map<string, { completed: number; failed: number; running: number }>, k: 'completed' | 'failed' | 'running'): number {
  let s = 0;
  for (const v of m.values()) s += v[k];
  return s;
}
