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

const { aggregateRun } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumAttempts: 5 },
});

export interface AggregatePortfolioInput {
  runKey: string;
  /** Default: the config schema's `fanout.outputPrefix`. */
  outputPrefix?: string;
}

export async function aggregatePortfolio(input: AggregatePortfolioInput): Promise<AggregateResult> {
  tagRun({ pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate() });
  return aggregateRun({ runKey: input.runKey, outputPrefix: input.outputPrefix ?? FANOUT_DEFAULTS.outputPrefix });
}
