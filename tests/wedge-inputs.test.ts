/**
 * Inputs that used to wedge a workflow, and run rows that used to stay
 * `running`, on the real stack. Each bad input fails at once,
 * non-retryably, naming the field (the workflow checks its zod schema
 * first), and the CLI refuses it before starting anything (exit 2, never
 * "started"). A fan-out run always ends in a final state: `partial` when
 * contracts failed (and `--retry-failed` reruns only those), `failed` with
 * its reason when the run itself stopped, with its staging removed.
 */
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { smallDataset, testConfig, uniqueName, runQuant, useTestStack, historySteps } from './helpers';
import { followOrchestrator, startOrchestrator } from '../src/cli/fanout-client';
import { createFanoutRepo } from '../src/adapters/postgres/fanout-repo';
import { createObjectStore } from '../src/adapters/object-store';
import { datasetKeys } from '../src/adapters/hourly-dataset/store';
import { workflowIds } from '../workflows/names';

const config = testConfig();
const stack = useTestStack(config);
const store = createObjectStore(config);

/** The innermost ApplicationFailure of a failed workflow. */
async function failureOf(run: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause: unknown = err;
  while ((cause as { cause?: unknown }).cause) cause = (cause as { cause?: unknown }).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const quant = (args: string[]) => runQuant(args, config.temporal.taskQueue);

describe('inputs that wedged a workflow fail at once, naming the field', () => {
  it.each([
    ['orchestrator', null, '(input)'],
    ['orchestrator', { numContracts: 3, maxConcurrentChildren: 0 }, 'maxConcurrentChildren'],
    ['ingest', { date: '2025-13-01' }, 'date'],
    ['analyzeSymbol', { runKey: 'r1', contract: 'AAPL', dataset: 'synthetic' }, 'outputPrefix'],
    ['screen', { date: '2025-02-30' }, 'date'],
  ])('%s with %j names %s', async (workflow, input, field) => {
    const workflowId = uniqueName(`wedge-${workflow}`);
    const f = await failureOf(stack.client.workflow.execute(workflow, { taskQueue: config.temporal.taskQueue, workflowId, args: [input] }));
    expect(f.type).toBe('InvalidInput');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toContain(`invalid ${workflow} input: ${field}`);
    // Failed on its first workflow task: nothing was scheduled, no run row was written.
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    expect(historySteps(history)).toEqual([]);
    expect(history.events!.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
    expect(await createFanoutRepo(stack.db).getRun(workflowId.replace(/^orchestrator-/, ''))).toBeUndefined();
  });

  it.each([
    [['run', 'ingest', '--date', '2025-13-01'], /--date <YYYY-MM-DD>' argument '2025-13-01' is invalid\. must be a calendar date/],
    [['run', 'orchestrator', '--contracts', '1e9'], /--contracts <n>' argument '1e9' is invalid\. must be an integer/],
    [['run', 'orchestrator', '--contracts', '1000000000'], /--contracts \(numContracts\)/],
    [['run', 'orchestrator', '--run-key', 'bad key'], /--run-key \(runKey\)/],
    [['run', 'orchestrator', '--retry-failed', '../x'], /--retry-failed \(runKey\)/],
  ])('the CLI refuses %j before starting (exit 2)', async (args, message) => {
    const r = await quant(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/started/);
  });
});

describe('every run row reaches a final state', () => {
  it('a run whose validation fails is `failed` with its reason, and no staging is left', async () => {
    const ds = await smallDataset(config, { contracts: 4, bars: 60, seed: 31, name: uniqueName('novix') });
    await store.delete(datasetKeys(ds.dataset).vix);
    const runKey = uniqueName('valfail');
    const started = await startOrchestrator(stack.client, config.temporal.taskQueue, {
      numContracts: 4,
      dataset: ds.dataset,
      runKey,
      runValidation: true,
    });
    const f = await failureOf(followOrchestrator(stack.client, started.workflowId));
    expect(f.type).toBe('ValidationFailed');
    const row = await createFanoutRepo(stack.db).getRun(runKey);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.failureReason).toMatch(/data validation FAILED .*VIX/);
    expect(row!.finishedAt).not.toBeNull();
    expect(await store.list(`fanout/${runKey}/staging/`)).toEqual([]);
  });

  it('a cancelled run is `failed` with reason "cancelled"', async () => {
    const ds = await smallDataset(config, { contracts: 12, bars: 3000, seed: 32 });
    const runKey = uniqueName('cancel');
    const started = await startOrchestrator(stack.client, config.temporal.taskQueue, {
      numContracts: 12,
      dataset: ds.dataset,
      runKey,
      maxConcurrentChildren: 1,
    });
    const handle = stack.client.workflow.getHandle(started.workflowId);
    for (let i = 0; i < 300 && !(await createFanoutRepo(stack.db).getRun(runKey)); i++) await new Promise((r) => setTimeout(r, 100));
    await handle.cancel();
    await handle.result().catch(() => undefined);
    const row = await createFanoutRepo(stack.db).getRun(runKey);
    expect(row).toMatchObject({ status: 'failed', failureReason: 'cancelled' });
    expect(await store.list(`fanout/${runKey}/staging/`)).toEqual([]);
  });
});

describe('a run with failed contracts is partial, and --retry-failed reruns only those', () => {
  it('partial in result, row, report and `runs list`; the retry completes it without touching the others', async () => {
    const ds = await smallDataset(config, { contracts: 6, bars: 200, seed: 33 });
    const runKey = uniqueName('partial');
    const manifest = JSON.parse(new TextDecoder().decode(await store.get(datasetKeys(ds.dataset).manifest))) as {
      contracts: { symbol: string }[];
    };
    const lost = manifest.contracts.slice(1, 3).map((c) => c.symbol);
    // The failure drill: these two contracts fail after their retries, as a contract lost to a lasting fault would.
    const first = await startOrchestrator(stack.client, config.temporal.taskQueue, {
      numContracts: 6,
      dataset: ds.dataset,
      runKey,
      failContracts: lost,
      maxConcurrentChildren: 3,
    });
    const partial = await followOrchestrator(stack.client, first.workflowId);
    expect(partial).toMatchObject({ status: 'partial', total: 6, succeeded: 4, failed: 2 });
    expect([...partial.failedContracts].sort()).toEqual([...lost].sort());
    expect(await createFanoutRepo(stack.db).getRun(runKey)).toMatchObject({ status: 'partial', succeeded: 4, failed: 2 });
    expect(new TextDecoder().decode(await store.get(partial.reportKey))).toMatch(
      /\*\*Status: PARTIAL\*\* - 2 of 6 contracts failed; rerun them with `quant run orchestrator --retry-failed/,
    );
    const listed = await quant(['runs', 'list', '--limit', '50']);
    expect(listed.stdout).toMatch(new RegExp(`${runKey}\\s+PARTIAL\\s+4 ok\\s+2 failed`));

    const before = await stack.db.query('SELECT contract, updated_at FROM fanout_results WHERE run_key = $1 ORDER BY contract', [runKey]);
    const retried = await quant(['run', 'orchestrator', '--retry-failed', runKey, '--wait']);
    expect(retried.stderr).not.toMatch(/PARTIAL/);
    expect(retried.status).toBe(0);
    expect(retried.stdout).toMatch(/retrying 2 failed contracts/);
    expect(await createFanoutRepo(stack.db).getRun(runKey)).toMatchObject({
      status: 'completed',
      succeeded: 6,
      failed: 0,
      failedContracts: [],
    });
    const after = await stack.db.query('SELECT contract, updated_at FROM fanout_results WHERE run_key = $1 ORDER BY contract', [runKey]);
    expect(after.rows).toHaveLength(6);
    // The four that had succeeded were not rerun: their rows were not rewritten.
    for (const b of before.rows) expect(after.rows.find((a) => a.contract === b.contract)!.updated_at).toEqual(b.updated_at);
    expect(await store.list(`fanout/${runKey}/results/`)).toHaveLength(6);
    const again = await quant(['run', 'orchestrator', '--retry-failed', runKey]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/has no failed contracts/);
    expect(workflowIds.orchestrator(runKey)).toBe(first.workflowId);
  });
});
