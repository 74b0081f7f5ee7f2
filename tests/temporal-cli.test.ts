/**
 * The stock Temporal CLI can start our workflows (the README shows this
 * command): the JSON input is the workflow's input object, the run key
 * defaults from the workflow ID, and the run completes normally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { useTestStack, testConfig, smallDataset, testEnv, uniqueName } from './helpers';
import { resolveTemporalCli } from '../src/stack/temporal-cli';
import { createFanoutRepo } from '../src/adapters/postgres/fanout-repo';
import type { Db } from '../src/adapters/postgres/pool';
import type { OrchestratorResult } from '../workflows/orchestrator';

const config = testConfig();
const stack = useTestStack(config);

describe('temporal workflow start --type orchestrator', () => {
  it('starts a fan-out run that completes, with the run key taken from the workflow ID', async () => {
    const ds = await smallDataset(config, { contracts: 5, bars: 120, seed: 5 });
    const runKey = uniqueName('cli');
    const workflowId = `orchestrator-${runKey}`;
    const temporal = resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH });
    const input = JSON.stringify({
      numContracts: 3,
      runIngestion: false,
      runValidation: true,
      dataset: ds.dataset,
      outputPrefix: 'fanout',
    });
    const printed = execFileSync(temporal, [
      'workflow',
      'start',
      '--address',
      testEnv().temporalAddress,
      '--task-queue',
      config.temporal.taskQueue,
      '--type',
      'orchestrator',
      '--workflow-id',
      workflowId,
      '--input',
      input,
    ]).toString();
    expect(printed).toContain(workflowId);
    const result = (await stack.client.workflow.getHandle(workflowId).result()) as OrchestratorResult;
    expect(result).toMatchObject({ runKey, total: 3, succeeded: 3, failed: 0, validation: 'PASS' });
    expect(await createFanoutRepo(stack.db).countResults(runKey)).toBe(3);
  });
});
