/**
 * The bounded window of running `analyzeSymbol` children, shared by the
 * orchestrator (up to 1,000 contracts) and its sub-orchestrators (shards of a
 * larger run). Child IDs derive from the run key and the contract, so a
 * repeated run is the same set of IDs. A failed child is recorded, not fatal.
 */
import { executeChild, condition, ParentClosePolicy } from '@temporalio/workflow';
import { analyzeSymbol } from './analyze-symbol';
import { PIPELINE_FANOUT, workflowIds } from './names';
import { fanoutRunDate, runTags } from './tag-run';

export interface FanoutProgress {
  total: number;
  completed: number;
  failed: number;
  running: number;
}

export interface ChildFailure {
  contract: string;
  error: string;
}

export interface WindowInput {
  runKey: string;
  dataset: string;
  outputPrefix: string;
  contracts: string[];
  failContracts: string[];
  maxConcurrentChildren: number;
}

/** Innermost message of a chain of failures (child -> activity -> application error). */
export function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let msg = String(e?.message ?? err);
  while (e && e.cause) {
    e = e.cause as { message?: string; cause?: unknown };
    if (e?.message) msg = e.message;
  }
  return msg;
}

/**
 * Run one child per contract with at most `maxConcurrentChildren` at once,
 * updating `progress` in place (the caller's query reads it). Resolves when
 * every child has finished, with the failures.
 */
export async function runChildrenWindowed(input: WindowInput, progress: FanoutProgress, onSettled?: () => void): Promise<ChildFailure[]> {
  const failures: ChildFailure[] = [];
  const drill = new Set(input.failContracts);
  // Children carry this run's business date (the orchestrator's, inherited by a shard).
  const runDate = fanoutRunDate();
  for (const contract of input.contracts) {
    await condition(() => progress.running < input.maxConcurrentChildren);
    progress.running++;
    void executeChild(analyzeSymbol, {
      workflowId: workflowIds.analyzeSymbol(contract, input.runKey),
      args: [{ runKey: input.runKey, contract, dataset: input.dataset, outputPrefix: input.outputPrefix, fail: drill.has(contract) }],
      staticSummary: `Analyze ${contract} for run ${input.runKey}`,
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      typedSearchAttributes: runTags({ pipeline: PIPELINE_FANOUT, runDate, contract }),
    })
      .then(
        () => {
          progress.completed++;
        },
        (err) => {
          progress.failed++;
          failures.push({ contract, error: rootMessage(err) });
        },
      )
      .finally(() => {
        progress.running--;
        onSettled?.();
      });
  }
  await condition(() => progress.running === 0);
  return failures;
}
