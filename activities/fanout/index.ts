/**
 * Activities of the fan-out analysis, one file per concern: ingest a dataset
 * (dataset.ts), prepare and finalise a run (run.ts), validate the data
 * (validate.ts), the three steps of `analyzeSymbol` (load.ts -> analyze.ts ->
 * save.ts) and the portfolio aggregation (aggregate.ts). They pass object
 * keys and small summaries, never price arrays (claim check), and every write
 * is idempotent: keys come from the inputs and rows are upserts. Activity
 * names and signatures are what recorded histories replay against: rename
 * none of them.
 */
import type { FanoutDeps } from './deps';
import { createDatasetActivities } from './dataset';
import { createRunActivities } from './run';
import { createValidateActivities } from './validate';
import { createLoadActivities } from './load';
import { createAnalyzeActivities } from './analyze';
import { createSaveActivities } from './save';
import { createAggregateActivities } from './aggregate';

export type { FanoutDeps } from './deps';
export type { DatasetSummary, IngestDatasetInput } from './dataset';
export type { PrepareRunInput, PreparedRun, FinalizeRunInput } from './run';
export type { ValidateDatasetInput, ValidationResult } from './validate';
export type { LoadContractInput } from './load';
export type { AnalyzeContractInput, ContractSummary } from './analyze';
export type { SaveContractInput } from './save';
export type { AggregateRunInput, AggregateResult } from './aggregate';

export function createFanoutActivities(deps: FanoutDeps) {
  return {
    ...createDatasetActivities(deps),
    ...createRunActivities(deps),
    ...createValidateActivities(deps),
    ...createLoadActivities(deps),
    ...createAnalyzeActivities(deps),
    ...createSaveActivities(deps),
    ...createAggregateActivities(deps),
  };
}

export type FanoutActivities = ReturnType<typeof createFanoutActivities>;
