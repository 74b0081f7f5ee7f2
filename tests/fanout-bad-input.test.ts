/**
 * Bad input to the fan-out, each on the real stack: an unknown contract, a
 * dataset missing a column, NaN / zero / negative prices, a VIX series
 * shorter than the prices, truncated and garbage Parquet. Each gives a
 * non-retryable failure whose message names the problem, and no partial
 * result (no summary row, no result file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { useTestStack, testConfig, uniqueName, historySteps } from './helpers';
import { startOrchestrator, followOrchestrator } from '../src/cli/fanout-client';
import { createFanoutRepo } from '../src/adapters/postgres/fanout-repo';
import { createObjectStore } from '../src/adapters/object-store';
import { writeParquet } from '../src/adapters/parquet';
import { datasetKeys, writeHourlyDataset } from '../src/adapters/hourly-dataset/store';
import { generateHourlyDataset } from '../src/adapters/hourly-dataset/synthetic';
import { workflowIds } from '../workflows/names';
import type { Db } from '../src/adapters/postgres/pool';

const config = testConfig();
const store = createObjectStore(config);
const stack = useTestStack(config);

/** A 4-contract x 50-bar dataset, with `mutate` applied to the generated arrays before writing. */
async function dataset(
  mutate: (d: ReturnType<typeof generateHourlyDataset>) => void = () => undefined,
  bars = 50,
): Promise<{ name: string; contracts: string[] }> {
  const name = uniqueName('bad');
  const d = generateHourlyDataset({ seed: 99, contracts: 4, bars });
  mutate(d);
  await writeHourlyDataset(store, name, d, { seed: 99 });
  return { name, contracts: d.contracts.map((c) => c.symbol) };
}

/** Run one analyzeSymbol child directly and return its innermost ApplicationFailure. */
async function analyzeFailure(datasetName: string, contract: string) {
  const runKey = uniqueName('run');
  const err = await stack.client.workflow
    .execute('analyzeSymbol', {
      taskQueue: config.temporal.taskQueue,
      workflowId: workflowIds.analyzeSymbol(contract, runKey),
      args: [{ runKey, contract, dataset: datasetName, outputPrefix: 'fanout' }],
    })
    .catch((e) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause: unknown = err;
  while ((cause as { cause?: unknown }).cause) cause = (cause as { cause?: unknown }).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  // Nothing partial: no summary row, no result object, no staging object.
  expect(await createFanoutRepo(stack.db).countResults(runKey)).toBe(0);
  expect(await store.list(`fanout/${runKey}/`)).toEqual([]);
  // Non-retryable: the activity ran once, not three times.
  const history = await stack.client.workflow.getHandle(workflowIds.analyzeSymbol(contract, runKey)).fetchHistory();
  expect(historySteps(history).filter((s) => s.failed)).toHaveLength(1);
  return cause as ApplicationFailure;
}

describe('bad input to analyzeSymbol', () => {
  it('an unknown contract is named with its dataset', async () => {
    const ds = await dataset();
    const f = await analyzeFailure(ds.name, 'NOPE');
    expect(f.type).toBe('UnknownContract');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toMatch(/NOPE/);
    expect(f.message).toContain(ds.name);
  });

  it.each([
    ['NaN', NaN, /NaN|missing/i],
    ['zero', 0, /zero|0\b/i],
    ['negative', -12.5, /negative|-12\.5/i],
  ])('a %s price is named with its contract and row', async (_label, value, pattern) => {
    const ds = await dataset((d) => {
      d.prices[1][17] = value;
    });
    const f = await analyzeFailure(ds.name, ds.contracts[1]);
    expect(f.type).toBe('BadPrice');
    expect(f.message).toContain(ds.contracts[1]);
    expect(f.message).toMatch(/row 17/);
    expect(f.message).toMatch(pattern);
  });

  it('a VIX series shorter than the prices is named with both lengths', async () => {
    const ds = await dataset();
    const d = generateHourlyDataset({ seed: 99, contracts: 4, bars: 50 });
    await store.put(
      datasetKeys(ds.name).vix,
      writeParquet([
        { name: 'timestamp', type: 'timestamp', data: d.timestamps.subarray(0, 40) },
        { name: 'close', type: 'double', data: d.vix.subarray(0, 40) },
      ]),
    );
    const f = await analyzeFailure(ds.name, ds.contracts[0]);
    expect(f.type).toBe('MisalignedSeries');
    expect(f.message).toMatch(/VIX has 40 bars, the prices have 50/);
  });

  it('a dataset missing a column is named with the file and column', async () => {
    const ds = await dataset();
    const d = generateHourlyDataset({ seed: 99, contracts: 4, bars: 50 });
    await store.put(
      datasetKeys(ds.name).spx,
      writeParquet([
        { name: 'timestamp', type: 'timestamp', data: d.timestamps },
        { name: 'level', type: 'double', data: d.spx },
      ]),
    );
    const f = await analyzeFailure(ds.name, ds.contracts[0]);
    expect(f.type).toBe('MissingColumn');
    expect(f.message).toMatch(/close/);
    expect(f.message).toContain('spx_hourly.parquet');
  });

  it.each([
    ['truncated', (b: Uint8Array) => b.subarray(0, Math.floor(b.length / 2))],
    ['garbage', () => new TextEncoder().encode('this is not a parquet file at all, just text')],
  ])('a %s Parquet file is named', async (_label, corrupt) => {
    const ds = await dataset();
    const key = datasetKeys(ds.name).holdings;
    await store.put(key, corrupt(await store.get(key)));
    const f = await analyzeFailure(ds.name, ds.contracts[0]);
    expect(f.type).toBe('CorruptParquet');
    expect(f.message).toContain('spx_holdings_hourly.parquet');
  });
});

describe('bad input caught by validateData', () => {
  it('FAIL stops the orchestrator with a message naming what failed, before any child runs', async () => {
    const ds = await dataset((d) => {
      d.prices[2][5] = -1;
    });
    const runKey = uniqueName('vfail');
    const started = await startOrchestrator(stack.client, config.temporal.taskQueue, {
      numContracts: 4,
      dataset: ds.name,
      runValidation: true,
      runKey,
    });
    const err = await followOrchestrator(stack.client, started.workflowId).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const f = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(f.type).toBe('ValidationFailed');
    expect(f.message).toContain(`FAIL ${ds.contracts[2]}: 1 zero or negative price(s), first at row 5`);
    expect(await createFanoutRepo(stack.db).countResults(runKey)).toBe(0);
    expect((await createFanoutRepo(stack.db).getRun(runKey))?.status).toBe('failed');
    const children = (await stack.client.workflow.getHandle(started.workflowId).fetchHistory()).events!.filter(
      (e) => e.startChildWorkflowExecutionInitiatedEventAttributes,
    );
    expect(children.map((c) => c.startChildWorkflowExecutionInitiatedEventAttributes!.workflowType!.name)).toEqual(['validateData']);
  });

  it('WARN continues and is shown in the run report', async () => {
    // One +60 % jump: a return outlier, not an impossible price. (With n returns |z| <= sqrt(n - 1),
    // so the series must be long enough for any return to pass |z| > 8.)
    const ds = await dataset((d) => {
      for (let t = 300; t < 400; t++) d.prices[0][t] *= 1.6;
    }, 400);
    const runKey = uniqueName('vwarn');
    const started = await startOrchestrator(stack.client, config.temporal.taskQueue, {
      numContracts: 4,
      dataset: ds.name,
      runValidation: true,
      runKey,
    });
    const result = await followOrchestrator(stack.client, started.workflowId);
    expect(result).toMatchObject({ validation: 'WARN', succeeded: 4, failed: 0 });
    const report = new TextDecoder().decode(await store.get(result.reportKey));
    expect(report).toContain('Validation: WARN');
    expect(report).toContain(`WARN ${ds.contracts[0]}: 1 return outlier(s)`);
  });
});
