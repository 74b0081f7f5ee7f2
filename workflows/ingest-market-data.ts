/**
 * `ingestMarketData`: load a dataset from a provider (the seeded synthetic
 * market, or Parquet files on disk) into the object store. Idempotent: an
 * identical dataset already in the store is kept as is.
 */
import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DatasetSummary, IngestDatasetInput } from '../activities/fanout';
import { PIPELINE_FANOUT, SEARCH_ATTRIBUTES } from './names';

const { ingestDataset } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2s', maximumAttempts: 5 },
});

export async function ingestMarketData(input: IngestDatasetInput): Promise<DatasetSummary> {
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.Pipeline, value: PIPELINE_FANOUT },
    { key: SEARCH_ATTRIBUTES.RunDate, value: workflowInfo().startTime },
  ]);
  return ingestDataset(input);
}
