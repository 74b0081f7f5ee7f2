/**
 * `aggregatePortfolio`: portfolio P&L, Sharpe, win rate, equity curve and a
 * contract comparison over a finished fan-out run, with a markdown report.
 */
import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AggregateResult } from '../activities/fanout';
import { PIPELINE_FANOUT, SEARCH_ATTRIBUTES } from './names';

const { aggregateRun } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumAttempts: 5 },
});

export interface AggregatePortfolioInput {
  runKey: string;
  outputPrefix?: string;
}

export async function aggregatePortfolio(input: AggregatePortfolioInput): Promise<AggregateResult> {
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.Pipeline, value: PIPELINE_FANOUT },
    { key: SEARCH_ATTRIBUTES.RunDate, value: workflowInfo().startTime },
  ]);
  return aggregateRun({ runKey: input.runKey, outputPrefix: input.outputPrefix ?? 'fanout' });
}
