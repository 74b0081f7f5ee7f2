/**
 * `validateData`: missing values, price outliers, SPX/VIX availability and
 * alignment for the contracts of a run, with a PASS/WARN/FAIL verdict and a
 * report. The orchestrator stops on FAIL and shows WARN in its run report.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ValidateDatasetInput, ValidationResult } from '../activities/fanout';
import { PIPELINE_FANOUT } from './names';
import { fanoutRunDate, tagRun } from './tag-run';
import { validateDataInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY } from './activity-options';

const { validateDataset } = proxyActivities<Activities>(LONG_ACTIVITY);

export async function validateData(input: ValidateDatasetInput): Promise<ValidationResult> {
  validateInput('validateData', validateDataInputSchema, input);
  tagRun({ pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate() });
  return validateDataset(input);
}
