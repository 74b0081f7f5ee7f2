/**
 * Scale-out of the fan-out: a run whose children are split over two worker
 * processes (two pods on the cluster) writes the same result files, byte for
 * byte, as the same run on one worker. Each run has a task queue of its own,
 * so only the processes spawned for it can take its tasks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { testClient, testConfig, testDb, smallDataset, uniqueName, spawnWorkerProcess, historySteps } from './helpers';
import { followOrchestrator, startOrchestrator } from '../src/cli/fanout-client';
import { createFanoutRepo } from '../src/adapters/postgres/fanout-repo';
import type { Db } from '../src/adapters/postgres/pool';
import type { ObjectStore } from '../src/adapters/object-store/types';
import { freePortPair } from '../src/stack/free-port';
import { workflowIds } from '../workflows/names';

const CONTRACTS = 16;
let client: Client;
let db: Db;
let dataset: string;
let store: ObjectStore;

beforeAll(async () => {
  client = await testClient();
  db = testDb();
  const ds = await smallDataset(testConfig(), { contracts: CONTRACTS, bars: 2000, seed: 23 });
  dataset = ds.dataset;
  store = ds.store;
});
afterAll(async () => {
  await client?.connection.close();
  await db?.end();
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The pid of the worker that ran a child's analyze step (its identity is "<pid>@<host>"). */
async function analyzingPid(workflowId: string): Promise<number> {
  const step = historySteps(await client.workflow.getHandle(workflowId).fetchHistory()).find((s) => s.type === 'analyzeContract');
  if (!step?.identity) throw new Error(`${workflowId}: no analyzeContract step with a worker identity`);
  return Number(step.identity.split('@')[0]);
}

/** One run of the dataset's contracts on `workers` fresh worker processes; the result file hash per contract. */
async function runOnWorkers(workers: number) {
  const taskQueue = uniqueName('tq');
  const procs = [];
  for (let i = 0; i < workers; i++) procs.push(spawnWorkerProcess(taskQueue, await freePortPair()));
  try {
    await Promise.all(procs.map((p) => p.ready()));
    const runKey = uniqueName(`w${workers}`);
    const started = await startOrchestrator(client, taskQueue, {
      numContracts: CONTRACTS,
      dataset,
      runKey,
      runValidation: false,
      maxConcurrentChildren: 4,
    });
    const result = await followOrchestrator(client, started.workflowId);
    expect(result).toMatchObject({ status: 'completed', total: CONTRACTS, succeeded: CONTRACTS, failed: 0 });
    const hashes: Record<string, string> = {};
    const pids = new Set<number>();
    for (const row of await createFanoutRepo(db).listResults(runKey)) {
      // The row's hash is the stored file's.
      expect(sha(await store.get(row.resultKey))).toBe(row.resultSha256);
      hashes[row.contract] = row.resultSha256;
      pids.add(await analyzingPid(workflowIds.analyzeSymbol(row.contract, runKey)));
    }
    return { hashes, pids, workerPids: procs.map((p) => p.proc.pid!) };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

describe('fan-out on two worker processes', () => {
  it('splits the children over both and writes the same result files as one worker', async () => {
    const one = await runOnWorkers(1);
    const two = await runOnWorkers(2);
    expect(Object.keys(one.hashes)).toHaveLength(CONTRACTS);
    expect([...one.pids]).toEqual(one.workerPids);
    // Both processes analysed some of the contracts, and nothing else did.
    expect([...two.pids].sort()).toEqual([...two.workerPids].sort());
    expect(two.hashes).toEqual(one.hashes);
  });
});
