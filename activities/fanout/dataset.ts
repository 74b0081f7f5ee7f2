/** `ingestDataset`: the activity face of the hourly dataset ingest adapter (heartbeats while it writes). */
import { ingestHourlyDataset, type DatasetSummary, type IngestDatasetInput } from '../../src/adapters/hourly-dataset/ingest';
import { asActivityFailure } from '../support/failures';
import { heartbeat } from '../support/heartbeat';
import type { FanoutDeps } from './deps';

export type { DatasetSummary, IngestDatasetInput };

export function createDatasetActivities({ store }: FanoutDeps) {
  return {
    /** Load a dataset into the object store from a provider; a no-op when the same dataset is already there. */
    async ingestDataset(input: IngestDatasetInput): Promise<DatasetSummary> {
      return asActivityFailure(() => ingestHourlyDataset(store, input, () => heartbeat('writing')));
    },
  };
}
