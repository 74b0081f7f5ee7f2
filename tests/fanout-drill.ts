/**
 * Shared checks of the fan-out outage drills (tests/fanout-outage.test.ts,
 * tests/fanout-minio-outage.test.ts): wait until a run is part-way through,
 * then, after the fault, check that rows and files agree.
 */
import { expect } from 'vitest';
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createFanoutRepo } from '../src/adapters/postgres/fanout-repo';
import type { Db } from '../src/adapters/postgres/pool';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { FanoutProgress } from '../workflows/fanout-window';

/** Poll the orchestrator's progress query until at least `atLeast` contracts completed. */
export async function waitForCompleted(client: Client, workflowId: string, atLeast: number): Promise<FanoutProgress> {
  const handle = client.workflow.getHandle(workflowId);
  let p: FanoutProgress = { total: 0, completed: 0, failed: 0, running: 0 };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    p = await handle.query<FanoutProgress>('progress').catch(() => p);
    if (p.completed >= atLeast) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${workflowId} did not reach ${atLeast} completed contracts: ${JSON.stringify(p)}`);
}

/** Every contract has one row and one file whose sha256 is the row's; nothing is left in staging. */
export async function expectConsistent(db: Db, store: ObjectStore, runKey: string, contracts: number): Promise<void> {
  const rows = await createFanoutRepo(db).listResults(runKey);
  expect(rows).toHaveLength(contracts);
  const files = await store.list(`fanout/${runKey}/results/`);
  expect(files.sort()).toEqual(rows.map((r) => r.resultKey).sort());
  for (const r of rows)
    expect(
      createHash('sha256')
        .update(await store.get(r.resultKey))
        .digest('hex'),
    ).toBe(r.resultSha256);
  expect(await store.list(`fanout/${runKey}/staging/`)).toEqual([]);
  expect(await store.list(`fanout/${runKey}/input/`)).toEqual([`fanout/${runKey}/input/manifest.json`]);
  expect(await createFanoutRepo(db).getRun(runKey)).toMatchObject({ status: 'completed', succeeded: contracts, failed: 0 });
}
