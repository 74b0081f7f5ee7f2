/**
 * The fan-out end to end on the real stack: orchestrator -> validateData ->
 * analyzeSymbol children -> run report -> aggregatePortfolio, then the
 * failure drill, bad run sizes, an idempotent repeat of the same run key and
 * byte-identical results for identical hashes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startTestWorker, testClient, testConfig, testDb, smallDataset, uniqueName, recordHistory, historySteps } from './helpers';
import { startOrchestrator, followOrchestrator, runAggregate } from '../src/cli/fanout-client';
import { createFanoutRepo } from '../src/adapters/postgres/fanout-repo';
import { readParquet } from '../src/adapters/parquet';
import { SEARCH_ATTRIBUTES, workflowIds } from '../workflows/names';
import type { Db } from '../src/adapters/postgres/pool';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { FanoutProgress } from '../workflows/fanout-window';
import { stableHash } from '../src/config/load';
import { fanoutRunConfig } from '../src/domain/fanout-run';
import { analysisParameters } from '../src/domain/symbol-analysis';

const config = testConfig();
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let client: Client;
let db: Db;
let store: ObjectStore;
let dataset: string;
let contracts: string[];

beforeAll(async () => {
  const ds = await smallDataset(config, { contracts: 12, bars: 400 });
  dataset = ds.dataset;
  store = ds.store;
  contracts = JSON.parse(new TextDecoder().decode(await store.get(`datasets/${dataset}/manifest.json`))).contracts.map(
    (c: { symbol: string }) => c.symbol,
  );
  worker = await startTestWorker(config);
  client = await testClient();
  db = testDb();
});

afterAll(async () => {
  await worker?.stop();
  await client?.connection.close();
  await db?.end();
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function run(numContracts: number, extra: { failContracts?: string[]; runKey?: string; runValidation?: boolean } = {}) {
  const runKey = extra.runKey ?? uniqueName('run');
  const started = await startOrchestrator(client, config.temporal.taskQueue, {
    numContracts,
    dataset,
    runValidation: extra.runValidation ?? true,
    failContracts: extra.failContracts ?? [],
    runKey,
    maxConcurrentChildren: 5,
  });
  const seen: FanoutProgress[] = [];
  const result = await followOrchestrator(client, started.workflowId, (p) => seen.push({ ...p }), 100);
  return { runKey, result, seen, workflowId: started.workflowId };
}

describe('fan-out analysis on the real stack', () => {
  it('FANOUT_THRESHOLDS=fixed: every bar at ±0.5 % whatever the VIX (seed 001), and its own config hash', async () => {
    const cfg = testConfig({ FANOUT_THRESHOLDS: 'fixed' });
    const w = await startTestWorker(cfg);
    try {
      const runKey = uniqueName('fixed');
      const started = await startOrchestrator(client, cfg.temporal.taskQueue, {
        numContracts: 2,
        dataset,
        runValidation: false,
        runKey,
        maxConcurrentChildren: 2,
      });
      const result = await followOrchestrator(client, started.workflowId, () => undefined, 100);
      expect(result.succeeded).toBe(2);
      const request = { dataset, numContracts: 2, outputPrefix: 'fanout', failContracts: [] };
      expect(result.configHash).toBe(stableHash(fanoutRunConfig(request, analysisParameters('fixed'))));
      expect(result.configHash).not.toBe(stableHash(fanoutRunConfig(request)));
      for (const row of await createFanoutRepo(db).listResults(runKey)) {
        const t = await readParquet(await store.get(row.resultKey), { columns: ['buy_threshold', 'vix', 'price', 'signal'] });
        const vix = t.columns.vix as ArrayLike<number>;
        expect(Math.max(...Array.from(vix)) - Math.min(...Array.from(vix))).toBeGreaterThan(1);
        expect(new Set(Array.from(t.columns.buy_threshold as ArrayLike<number>))).toEqual(new Set([0.5]));
        // Independently: buy above +0.5 %, sell below -0.5 %, from the stored prices.
        const price = t.columns.price as ArrayLike<number>;
        const expected = Array.from(price, (p, i) => {
          const c = i === 0 ? NaN : (p / price[i - 1] - 1) * 100;
          return c > 0.5 ? 'buy' : c < -0.5 ? 'sell' : 'hold';
        });
        expect(t.columns.signal).toEqual(expected);
      }
    } finally {
      await w.stop();
    }
  });

  it('runs 10 contracts with validation, one child per contract, and aggregates', async () => {
    const { runKey, result, seen, workflowId } = await run(10);
    expect(result).toMatchObject({ runKey, total: 10, succeeded: 10, failed: 0, validation: 'PASS', shards: 0, failedShare: 0 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({ total: 10, completed: 10, failed: 0, running: 0 });

    const repo = createFanoutRepo(db);
    const rows = await repo.listResults(runKey);
    expect(rows.map((r) => r.contract)).toEqual([...contracts.slice(0, 10)].sort());
    const runRow = await repo.getRun(runKey);
    expect(runRow).toMatchObject({
      status: 'completed',
      succeeded: 10,
      failed: 0,
      validationStatus: 'PASS',
      datasetHash: result.datasetHash,
      configHash: result.configHash,
    });

    // Memo carries the hashes too, for the Web UI.
    const desc = await client.workflow.getHandle(workflowId).describe();
    expect(await desc.memo).toMatchObject({ datasetHash: result.datasetHash, configHash: result.configHash, failedShare: 0 });

    // Children are real workflows with the Contract search attribute.
    const child = await client.workflow.getHandle(workflowIds.analyzeSymbol(contracts[0], runKey)).describe();
    expect(child.status.name).toBe('COMPLETED');
    expect(child.typedSearchAttributes.get(SEARCH_ATTRIBUTES.Contract)).toBe(contracts[0]);
    // RunDate is the run's business date (midnight UTC of the day it started), and every child carries its parent's.
    const runDate = desc.typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate)!;
    expect(runDate.toISOString()).toBe(`${desc.startTime.toISOString().slice(0, 10)}T00:00:00.000Z`);
    const validation = await client.workflow.getHandle(workflowIds.validateData(runKey)).describe();
    for (const d of [child, validation])
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate)?.toISOString()).toBe(runDate.toISOString());
    const history = await client.workflow.getHandle(workflowIds.analyzeSymbol(contracts[0], runKey)).fetchHistory();
    // The seed's three steps, in order, each its own row in the history (local activities since the fanout-local-steps patch).
    const steps = historySteps(history);
    expect(steps.map((s) => s.type)).toEqual(['loadContract', 'analyzeContract', 'saveContractResult']);
    expect(steps.every((s) => s.local && !s.failed)).toBe(true);

    // The stored summary agrees with the per-bar file it came from.
    const row = rows[0];
    const file = await store.get(row.resultKey);
    expect(sha(file)).toBe(row.resultSha256);
    const t = await readParquet(file, { columns: ['signal', 'trade_quality', 'price'] });
    const signals = t.columns.signal as string[];
    const quality = t.columns.trade_quality as string[];
    expect(signals.length).toBe(400);
    expect(signals.filter((s) => s !== 'hold').length).toBe(row.totalTrades);
    expect(quality.filter((q) => q === 'good').length).toBe(row.goodTrades);
    expect(quality.filter((q) => q === 'bad').length).toBe(row.badTrades);

    const report = new TextDecoder().decode(await store.get(result.reportKey));
    expect(report).toContain(`Fan-out run ${runKey}`);
    for (const c of contracts.slice(0, 10)) expect(report).toContain(`| ${c} |`);

    const agg = await runAggregate(client, config.temporal.taskQueue, runKey);
    expect(agg.contracts).toBe(10);
    expect(agg.bars).toBe(400);
    // Independent recomputation of the aggregate from the stored rows: sum of contract P&L / contracts.
    const meanPnl = rows.reduce((s, r) => s + r.pnlPct, 0) / rows.length;
    expect(agg.totalPnlPct).toBeCloseTo(meanPnl, 9);
    const good = rows.reduce((s, r) => s + r.goodTrades, 0);
    const bad = rows.reduce((s, r) => s + r.badTrades, 0);
    expect(agg.winRate).toBeCloseTo(good / (good + bad), 12);
    const equity = await readParquet(await store.get(agg.equityKey), { columns: ['cumulative_pnl_pct'] });
    const cum = equity.columns.cumulative_pnl_pct as ArrayLike<number>;
    expect(cum.length).toBe(400);
    expect(cum[cum.length - 1]).toBeCloseTo(agg.totalPnlPct, 9);
    expect(new TextDecoder().decode(await store.get(agg.reportKey))).toContain('Top 10 by P&L');

    // Replay fixtures (tests/histories/<type>/v<N>.json), written only when QUANT_RECORD_HISTORIES names the type.
    recordHistory(workflowId, 'orchestrator');
    recordHistory(workflowIds.analyzeSymbol(contracts[0], runKey), 'analyzeSymbol');
  });

  it('completes the run when drilled children fail, listing both groups', async () => {
    const failing = contracts[3];
    const { runKey, result } = await run(8, { failContracts: [failing], runValidation: false });
    // failedShare (orchestrator v2, patch fanout-result-failed-share): 1 failed of 8 requested.
    expect(result).toMatchObject({
      status: 'partial',
      total: 8,
      succeeded: 7,
      failed: 1,
      failedContracts: [failing],
      validation: 'SKIPPED',
      failedShare: 0.125,
    });
    expect(await createFanoutRepo(db).getRun(runKey)).toMatchObject({
      status: 'partial',
      succeeded: 7,
      failed: 1,
      failedContracts: [failing],
    });
    const rows = await createFanoutRepo(db).listResults(runKey);
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r.contract)).not.toContain(failing);
    const report = new TextDecoder().decode(await store.get(result.reportKey));
    expect(report).toMatch(new RegExp(`Failed contracts \\(1\\)[\\s\\S]*\\| ${failing} \\| failure drill`));
    expect(report).toContain('Succeeded contracts (7)');
    expect(report).toMatch(/\*\*Status: PARTIAL\*\* - 1 of 8 contracts failed/);
    expect(await store.list(`fanout/${runKey}/staging/`)).toEqual([]);
    expect(report).toContain('- Contracts requested: 8; succeeded: 7; failed: 1 (12.50 % failed)');
    const child = await client.workflow.getHandle(workflowIds.analyzeSymbol(failing, runKey)).describe();
    expect(child.status.name).toBe('FAILED');
  });

  it.each([
    // The workflow's input schema names the field before anything runs.
    [0, /invalid orchestrator input: numContracts: .*>=1/],
    [-3, /invalid orchestrator input: numContracts: .*>=1/],
    [13, /numContracts 13 exceeds the 12 contracts in dataset/],
  ])('rejects numContracts %d with a non-retryable error and writes nothing', async (n, message) => {
    const runKey = uniqueName('bad');
    const err = await run(n, { runKey }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause?.cause ?? (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).message).toMatch(message);
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);
    expect(await createFanoutRepo(db).countResults(runKey)).toBe(0);
    expect(await store.list(`fanout/${runKey}/results/`)).toEqual([]);
  });

  it('repeats a run key without duplicates and reproduces byte-identical results', async () => {
    const runKey = uniqueName('repeat');
    const first = await run(4, { runKey, runValidation: false });
    const repo = createFanoutRepo(db);
    const before = await repo.listResults(runKey);
    const filesBefore = await Promise.all(before.map(async (r) => sha(await store.get(r.resultKey))));
    const second = await run(4, { runKey, runValidation: false });
    expect(second.result.datasetHash).toBe(first.result.datasetHash);
    expect(second.result.configHash).toBe(first.result.configHash);
    const after = await repo.listResults(runKey);
    expect(after).toHaveLength(4);
    expect(new Set(after.map((r) => r.contract)).size).toBe(4);
    expect(await Promise.all(after.map(async (r) => sha(await store.get(r.resultKey))))).toEqual(filesBefore);
    expect(after.map((r) => r.resultSha256)).toEqual(before.map((r) => r.resultSha256));
    expect(await store.list(`fanout/${runKey}/results/`)).toHaveLength(4);
    expect(await store.list(`fanout/${runKey}/staging/`)).toEqual([]);
  });
});
