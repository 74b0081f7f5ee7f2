/**
 * Start options shared by every command that runs a workflow for one date
 * (the daily pipeline's, the model pipeline's): the date's deterministic
 * workflow ID, a re-run of a closed date allowed, a start while one is
 * running attaches to it, and the Pipeline/RunDate/RunDay search attributes.
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { PIPELINE_DAILY, SEARCH_ATTRIBUTES } from '../../../workflows/names';

export function dailyStartOptions(taskQueue: string, workflowId: string, date: string, staticSummary: string, pipeline = PIPELINE_DAILY) {
  return {
    taskQueue,
    workflowId,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary,
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.Pipeline, value: pipeline },
      { key: SEARCH_ATTRIBUTES.RunDate, value: new Date(`${date}T00:00:00Z`) },
      { key: SEARCH_ATTRIBUTES.RunDay, value: date },
    ],
  };
}
