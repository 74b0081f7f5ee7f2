/**
 * `ingestMarketData`: load a dataset from a provider (the seeded synthetic
 * market, or Parquet files on disk) into the object store. Idempotent: an
 * identical dataset already in the store is kept as is.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DatasetSummary, IngestDatasetInput } from '../activities/fanout';
import { PIPELINE_FANOUT } from './names';
import { fanoutRunDate, tagRun } from './tag-run';
import { ingestMarketDataInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY } from './activity-options';

const { ingestDataset } = proxyActivities<Activities>(LONG_ACTIVITY);

export async function ingestMarketData(input: IngestDatasetInput): Promise<DatasetSummary> {
  validateInput('ingestMarketData', ingestMarketDataInputSchema, input);
  tagRun({ pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate() });
  return ingestDataset(input);
}
