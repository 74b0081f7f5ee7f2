/**
 * Activities that look at other workflow runs through the worker's own
 * Temporal client (the activity context's client; no extra connection).
 * A workflow cannot wait for a run it did not start as its child, so
 * `pipelineRange`, finding a date's `pipeline-<date>` already started by
 * someone else, asks here whether it completed, and waits when it is still
 * running.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkpoint } from './support/heartbeat';

/** How often a running workflow is looked at again while we wait for it. */
const POLL_MS = 2_000;

export interface AwaitWorkflowRunInput {
  workflowId: string;
}

export interface AwaitWorkflowRunResult {
  /** How the latest run of the ID closed: COMPLETED, FAILED, TERMINATED, CANCELLED, TIMED_OUT, CONTINUED_AS_NEW. */
  status: string;
  /** True when it was still running when first looked at (so this call waited for it to close). */
  waited: boolean;
  /** The `status` field of a completed run's result, when it has one (the daily pipeline's 'completed' / 'no_trading_data'). */
  resultStatus?: string;
}

export function createWorkflowRunActivities() {
  return {
    /**
     * Wait until the latest run of `workflowId` is closed and say how it closed.
     * A workflow ID that does not exist is a non-retryable error (the caller saw it started).
     */
    async awaitWorkflowRun({ workflowId }: AwaitWorkflowRunInput): Promise<AwaitWorkflowRunResult> {
      const handle = Context.current().client.workflow.getHandle(workflowId);
      let waited = false;
      for (;;) {
        let status: string;
        try {
          status = (await handle.describe()).status.name;
        } catch (err) {
          if ((err as Error).name === 'WorkflowNotFoundError')
            throw ApplicationFailure.nonRetryable(`workflow ${workflowId} not found`, 'WorkflowNotFound');
          throw err;
        }
        if (status !== 'RUNNING') {
          if (status !== 'COMPLETED') return { status, waited };
          const result: unknown = await handle.result();
          const resultStatus = (result as { status?: unknown } | null)?.status;
          return { status, waited, ...(typeof resultStatus === 'string' ? { resultStatus } : {}) };
        }
        waited = true;
        checkpoint({ workflowId, waiting: true });
        await sleep(POLL_MS);
      }
    },
  };
}
