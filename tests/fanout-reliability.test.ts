/**
 * Reliability of the fan-out with a real worker process: SIGKILL it in the
 * middle of a run, start another, and the run completes with every
 * contract's result written exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { testClient, testConfig, testDb, smallDataset, uniqueName, spawnWorkerProcess, historySteps } from './helpers';
import { followOrchestrator, startOrchestrator } from '../src/cli/fanout-client';
import { createFanoutRepo } from '../src/adapters/postgres/fanout-repo';
import type { Db } from '../src/adapters/postgres/pool';
import type { FanoutProgress } from '../workflows/fanout-window';
import { freePortPair } from '../src/stack/free-port';

let client: Client;
let db: Db;

beforeAll(async () => {
  client = await testClient();
  db = testDb();
});
afterAll(async () => {
  await client?.connection.close();
  await db?.end();
});

describe('worker crash in the middle of a run', () => {
  it('completes after SIGKILL and a new worker, each result written exactly once', async () => {
    const config = testConfig();
    const ds = await smallDataset(config, { contracts: 60, bars: 3000, seed: 11 });
    const runKey = uniqueName('crash');
    let worker = spawnWorkerProcess(config.temporal.taskQueue, await freePortPair(), { WORKER_MAX_CONCURRENT_ACTIVITIES: '4' });
    const started = await startOrchestrator(client, config.temporal.taskQueue, {
      numContracts: 60,
      dataset: ds.dataset,
      runKey,
      maxConcurrentChildren: 3,
      runValidation: false,
    });
    // Wait until some children have completed, then kill the worker without any chance to clean up.
    const handle = client.workflow.getHandle(started.workflowId);
    const deadline = Date.now() + 180_000;
    let p: FanoutProgress = { total: 0, completed: 0, failed: 0, running: 0 };
    while (Date.now() < deadline) {
      p = await handle.query<FanoutProgress>('progress').catch(() => p);
      if (p.completed >= 6) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(p.completed).toBeGreaterThanOrEqual(6);
    expect(p.completed).toBeLessThan(60);
    await worker.stop('SIGKILL');
    worker = spawnWorkerProcess(config.temporal.taskQueue, await freePortPair(), { WORKER_MAX_CONCURRENT_ACTIVITIES: '4' });
    try {
      const result = await followOrchestrator(client, started.workflowId);
      const rows = await db.query('SELECT contract, count(*)::int AS n FROM fanout_results WHERE run_key = $1 GROUP BY contract', [runKey]);
      expect(result).toMatchObject({ status: 'completed', total: 60, succeeded: 60, failed: 0 });
      // The killed worker's steps move on after seconds, not a start-to-close of minutes: local steps at the
      // child's workflow task timeout, activity tasks at their heartbeat timeout (bench/drills.ts measures the
      // time from the restart to the end of the run).
      const child = await client.workflow
        .getHandle(`analyze-${rows.rows[0]?.contract ?? ''}-${runKey}`)
        .fetchHistory()
        .catch(() => undefined);
      const steps = historySteps(child ?? {});
      expect(steps.map((s) => s.type)).toEqual(['loadContract', 'analyzeContract', 'saveContractResult']);
      const taskTimeout = Number(child?.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowTaskTimeout?.seconds ?? Infinity);
      for (const s of steps) expect(s.local ? taskTimeout : (s.heartbeatTimeoutSeconds ?? Infinity)).toBeLessThanOrEqual(10);
      expect(rows.rowCount).toBe(60);
      expect(rows.rows.every((r) => r.n === 1)).toBe(true);
      expect(await createFanoutRepo(db).countResults(runKey)).toBe(60);
      expect(await ds.store.list(`fanout/${runKey}/results/`)).toHaveLength(60);
      expect(await ds.store.list(`fanout/${runKey}/staging/`)).toEqual([]);
      expect(await ds.store.list(`fanout/${runKey}/input/`)).toEqual([`fanout/${runKey}/input/manifest.json`]);
    } finally {
      await worker.stop();
    }
  });
});
