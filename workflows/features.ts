/**
 * `features`: the model pipeline's first step for one date. Refreshes the
 * point-in-time universe and writes the daily feature set of every universe
 * symbol to the feature store (activities/features.ts), from the bars that
 * `ingest` stored in `market_data`. A date without bars ends as
 * `no_trading_data`, not as a failure. ID `features-<date>`;
 * `Pipeline = 'models'`, `RunDate = <date>`.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ComputeFeaturesResult } from '../activities/features';
import { LONG_ACTIVITY } from './activity-options';
import { featuresInputSchema } from './inputs';
import { PIPELINE_MODELS } from './names';
import { resolveRunDate } from './run-date';
import { tagRun } from './tag-run';
import { validateInput } from './validate-input';

export interface FeaturesInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
}

export type FeaturesResult = ComputeFeaturesResult;

// Infrastructure faults are retried through the worker's outage window; data errors fail at once.
const acts = proxyActivities<Activities>(LONG_ACTIVITY);

export async function features(input: FeaturesInput = {}): Promise<FeaturesResult> {
  validateInput('features', featuresInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_MODELS, runDate: date });
  setCurrentDetails(`features of ${date}`);
  const result = await acts.computeDailyFeatures.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `universe and daily features of ${date} -> feature_store` },
    [{ date }],
  );
  setCurrentDetails(
    result.status === 'completed'
      ? `${result.written} symbols under ${result.featureSet} v${result.featureSetVersion}`
      : `no trading data on ${date}`,
  );
  return result;
}
