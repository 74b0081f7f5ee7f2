/**
 * Tag the current run for the Web UI's filters: Pipeline, RunDate (the run's
 * start) and, for per-contract children, Contract. One place, so every
 * workflow of a family is found by the same query.
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES } from './names';

export function tagRun(pipeline: string, contract?: string): void {
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.Pipeline, value: pipeline },
    { key: SEARCH_ATTRIBUTES.RunDate, value: workflowInfo().startTime },
    ...(contract === undefined ? [] : [{ key: SEARCH_ATTRIBUTES.Contract, value: contract }]),
  ]);
}
