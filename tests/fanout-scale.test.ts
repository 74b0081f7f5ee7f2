/**
 * Past one parent: 2,500 contracts fan out through sub-orchestrators, so no
 * workflow has more than 1,000 children and every history stays far inside
 * Temporal's limits (51,200 events, 50 MB). Slow by nature; it runs in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { useTestStack, testConfig, smallDataset, uniqueName } from './helpers';
import { followOrchestrator, startOrchestrator } from '../src/cli/fanout-client';
import { createFanoutRepo } from '../src/adapters/postgres/fanout-repo';
import { workflowIds } from '../workflows/names';
import type { Db } from '../src/adapters/postgres/pool';

const config = testConfig({
  WORKER_MAX_CONCURRENT_ACTIVITIES: '48',
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '24',
  WORKER_MAX_CACHED_WORKFLOWS: '600',
});
const stack = useTestStack(config);

describe('fan-out of 2,500 contracts', () => {
  it('runs through a tree of sub-orchestrators with <= 1,000 children each', async () => {
    const ds = await smallDataset(config, { contracts: 2500, bars: 200, seed: 3 });
    expect(ds.contracts).toBe(2500);
    const runKey = uniqueName('scale');
    const started = await startOrchestrator(stack.client, config.temporal.taskQueue, {
      numContracts: 2500,
      dataset: ds.dataset,
      runKey,
      maxConcurrentChildren: 150,
      runValidation: false,
    });
    const result = await followOrchestrator(stack.client, started.workflowId);
    expect(result).toMatchObject({ total: 2500, succeeded: 2500, failed: 0, shards: 3 });
    expect(await createFanoutRepo(stack.db).countResults(runKey)).toBe(2500);

    const parentHistory = await stack.client.workflow.getHandle(started.workflowId).fetchHistory();
    const parentChildren = parentHistory.events!.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length;
    expect(parentChildren).toBe(3);
    for (const shard of ['000', '001', '002']) {
      const h = await stack.client.workflow.getHandle(workflowIds.subOrchestrator(runKey, shard)).fetchHistory();
      const children = h.events!.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length;
      expect(children).toBeLessThanOrEqual(1000);
      expect(children).toBeGreaterThan(0);
      expect(h.events!.length).toBeLessThan(51_200 / 5);
    }
  });
});
