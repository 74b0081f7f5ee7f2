/**
 * Client-side helpers for the fan-out: derive a run key, start the
 * orchestrator (or attach to the run already going under that key), follow
 * its `progress` query, and fetch the aggregate. Used by the CLI, the demo
 * and the benchmark so they all start runs the same way.
 */
import { createHash } from 'node:crypto';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import type { OrchestratorInput, OrchestratorResult } from '../../workflows/orchestrator';
import type { FanoutProgress } from '../../workflows/fanout-window';
import type { aggregatePortfolio } from '../../workflows/aggregate-portfolio';
import { FANOUT_DEFAULTS } from '../config/schema';
import { PIPELINE_FANOUT, SEARCH_ATTRIBUTES, workflowIds } from '../../workflows/names';

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}

/**
 * A run key from the inputs and the UTC date: the same request on the same
 * day is the same run (an idempotent repeat), a different one is a new run.
 *
 * @example
 *   defaultRunKey({ numContracts: 10, dataset: 'synthetic' }, new Date('2026-11-26')) // 'synthetic-10c-20261126-3f2a9c'
 */
export function defaultRunKey(input: OrchestratorInput, now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const dataset = input.dataset ?? FANOUT_DEFAULTS.defaultDataset;
  const outputPrefix = input.outputPrefix ?? FANOUT_DEFAULTS.outputPrefix;
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        dataset,
        input.numContracts,
        !!input.runIngestion,
        !!input.runValidation,
        [...(input.failContracts ?? [])].sort(),
        outputPrefix,
      ]),
    )
    .digest('hex')
    .slice(0, 6);
  return `${dataset}-${input.numContracts}c-${day}-${digest}`;
}

/** `RunDate` (the start instant; the workflow tags its midnight) and `RunDay`, the same UTC date as a Keyword. */
function runDayTags(now: Date) {
  return [
    { key: SEARCH_ATTRIBUTES.RunDate, value: now },
    { key: SEARCH_ATTRIBUTES.RunDay, value: now.toISOString().slice(0, 10) },
  ];
}

/** What `aggregatePortfolio` returns. */
export type AggregateResult = Awaited<ReturnType<typeof aggregatePortfolio>>;

export interface StartedRun {
  runKey: string;
  workflowId: string;
  attached: boolean;
}

export async function startOrchestrator(
  client: Client,
  taskQueue: string,
  input: OrchestratorInput & { runKey: string },
): Promise<StartedRun> {
  const workflowId = workflowIds.orchestrator(input.runKey);
  try {
    await client.workflow.start('orchestrator', {
      taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      staticSummary: `Fan-out analysis of ${input.numContracts} contracts from ${input.dataset ?? FANOUT_DEFAULTS.defaultDataset}${input.runValidation ? ' with validation' : ''}`,
      staticDetails: `run key ${input.runKey}; results under ${input.outputPrefix ?? FANOUT_DEFAULTS.outputPrefix}/${input.runKey}/results/`,
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.Pipeline, value: PIPELINE_FANOUT }, ...runDayTags(new Date())],
    });
    return { runKey: input.runKey, workflowId, attached: false };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { runKey: input.runKey, workflowId, attached: true };
    throw err;
  }
}

/** Poll the `progress` query until the run closes; returns its result (throws its failure). */
export async function followOrchestrator(
  client: Client,
  workflowId: string,
  onProgress?: (p: FanoutProgress) => void,
  pollMs = 500,
): Promise<OrchestratorResult> {
  const handle = client.workflow.getHandle(workflowId);
  const result = handle.result() as Promise<OrchestratorResult>;
  let done = false;
  void result.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done && onProgress) {
    try {
      onProgress(await handle.query<FanoutProgress>('progress'));
    } catch {
      /* not started yet, or closed between checks */
    }
    await Promise.race([new Promise((r) => setTimeout(r, pollMs)), result.catch(() => undefined)]);
  }
  const final = await result;
  onProgress?.({ total: final.total, completed: final.succeeded, failed: final.failed, running: 0 });
  return final;
}

export async function runAggregate(
  client: Client,
  taskQueue: string,
  runKey: string,
  outputPrefix = FANOUT_DEFAULTS.outputPrefix,
): Promise<AggregateResult> {
  return client.workflow.execute<typeof aggregatePortfolio>('aggregatePortfolio', {
    taskQueue,
    workflowId: workflowIds.aggregatePortfolio(runKey),
    args: [{ runKey, outputPrefix }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    staticSummary: `Portfolio aggregate of fan-out run ${runKey}`,
    typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.Pipeline, value: PIPELINE_FANOUT }, ...runDayTags(new Date())],
  });
}
