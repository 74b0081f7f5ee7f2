/**
 * `aggregatePortfolio`: portfolio P&L, Sharpe, win rate, equity curve and a
 * contract comparison over a finished fan-out run, with a markdown report.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AggregateResult } from '../activities/fanout';
import { FANOUT_DEFAULTS } from '../src/domain/fanout-defaults';
import { PIPELINE_FANOUT } from './names';
import { fanoutRunDate, tagRun } from './tag-run';
import { aggregatePortfolioInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY } from './activity-options';

const { aggregateRun } = proxyActivities<Activities>(LONG_ACTIVITY);

export interface AggregatePortfolioInput {
  runKey: string;
  /** Default: the config schema's `fanout.outputPrefix`. */
  outputPrefix?: string;
}

export async function aggregatePortfolio(input: AggregatePortfolioInput): Promise<AggregateResult> {
  validateInput('aggregatePortfolio', aggregatePortfolioInputSchema, input);
  tagRun({ pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate() });
  return aggregateRun({ runKey: input.runKey, outputPrefix: input.outputPrefix ?? FANOUT_DEFAULTS.outputPrefix });
}
