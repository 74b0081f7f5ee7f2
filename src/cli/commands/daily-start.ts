/**
 * Start options shared by every daily-pipeline command: the date's
 * deterministic workflow ID, a re-run of a closed date allowed, a start while
 * one is running attaches to it, and the Pipeline/RunDate/RunDay search attributes.
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { PIPELINE_DAILY, SEARCH_ATTRIBUTES } from '../../../workflows/names';

export function dailyStartOptions(taskQueue: string, workflowId: string, date: string, staticSummary: string) {
  return {
    taskQueue,
    workflowId,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary,
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.Pipeline, value: PIPELINE_DAILY },
      { key: SEARCH_ATTRIBUTES.RunDate, value: new Date(`${date}T00:00:00Z`) },
      { key: SEARCH_ATTRIBUTES.RunDay, value: date },
    ],
  };
}
