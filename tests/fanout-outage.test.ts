/**
 * Outages in the middle of a fan-out run, on the real stack: a Postgres
 * server of this file's own (embedded, so it can be killed and restarted)
 * SIGKILLed mid-run and started again 15 s later, and the filesystem object
 * store's bucket replaced by a file for 15 s (root ignores chmod, so the
 * directory is moved away instead of made unwritable). Each run must end
 * with every contract succeeded: one summary row and one result file per
 * contract, the row's digest matching the file, and no staging left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { smallDataset, startTestWorker, testClient, testConfig, testEnv, uniqueName } from './helpers';
import { followOrchestrator, startOrchestrator } from '../src/cli/fanout-client';
import { createPool, type Db } from '../src/adapters/postgres/pool';
import { migrate } from '../src/adapters/postgres/migrate';
import { embeddedPostgresPid, startEmbeddedPostgres, stopEmbeddedPostgres } from '../src/stack/postgres';
import { freePort } from '../src/stack/free-port';
import { expectConsistent, waitForCompleted } from './fanout-drill';

const OUTAGE_MS = 15_000;
let client: Client;

beforeAll(async () => {
  client = await testClient();
});
afterAll(async () => {
  await client?.connection.close();
});

describe('a Postgres outage in the middle of a fan-out', () => {
  const pgDir = join(testEnv().dataDir, uniqueName('own-pg'));
  let port: number;
  let url: string;
  let db: Db;

  beforeAll(async () => {
    port = await freePort();
    url = (await startEmbeddedPostgres({ dataDir: pgDir, port })).url;
    db = createPool(url, 4);
    await migrate(db);
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await stopEmbeddedPostgres(pgDir).catch(() => undefined);
  });

  it('rides out a SIGKILL of Postgres and a restart 15 s later: every contract succeeds, rows and files agree', async () => {
    const config = testConfig({ DATABASE_URL: url });
    const worker = await startTestWorker(config, url);
    try {
      const ds = await smallDataset(config, { contracts: 30, bars: 2000, seed: 5 });
      const runKey = uniqueName('pg-outage');
      const started = await startOrchestrator(client, config.temporal.taskQueue, {
        numContracts: 30,
        dataset: ds.dataset,
        runKey,
        maxConcurrentChildren: 4,
      });
      const before = await waitForCompleted(client, started.workflowId, 5);
      expect(before.completed).toBeLessThan(30);
      process.kill(embeddedPostgresPid(pgDir)!, 'SIGKILL');
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await restartPostgres(pgDir, port);
      const result = await followOrchestrator(client, started.workflowId);
      expect(result).toMatchObject({ status: 'completed', total: 30, succeeded: 30, failed: 0, failedContracts: [] });
      await expectConsistent(db, ds.store, runKey, 30);
    } finally {
      await worker.stop();
    }
  }, 240_000);
});

describe('an object store outage in the middle of a fan-out', () => {
  it('rides out the bucket replaced by a file for 15 s: every contract succeeds, rows and files agree', async () => {
    const root = join(testEnv().dataDir, uniqueName('objects'));
    mkdirSync(root, { recursive: true });
    const config = testConfig({ OBJECT_STORE_ROOT: root });
    const bucket = join(root, config.objectStore.bucket);
    const worker = await startTestWorker(config);
    const db = createPool(testEnv().databaseUrl, 2);
    try {
      const ds = await smallDataset(config, { contracts: 30, bars: 2000, seed: 6 });
      const runKey = uniqueName('store-outage');
      const started = await startOrchestrator(client, config.temporal.taskQueue, {
        numContracts: 30,
        dataset: ds.dataset,
        runKey,
        maxConcurrentChildren: 4,
      });
      await waitForCompleted(client, started.workflowId, 5);
      // Every read and write of the store now fails (ENOTDIR), as a store that is down would.
      renameSync(bucket, `${bucket}.away`);
      writeFileSync(bucket, 'the object store is down');
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      rmSync(bucket);
      renameSync(`${bucket}.away`, bucket);
      const result = await followOrchestrator(client, started.workflowId);
      expect(result).toMatchObject({ status: 'completed', total: 30, succeeded: 30, failed: 0 });
      await expectConsistent(db, ds.store, runKey, 30);
    } finally {
      await worker.stop();
      await db.end();
    }
  }, 240_000);
});

/** Start the killed server again; its orphaned backends may hold the shared memory for a moment. */
async function restartPostgres(dataDir: string, port: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await startEmbeddedPostgres({ dataDir, port });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await stopEmbeddedPostgres(dataDir).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
