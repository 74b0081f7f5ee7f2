/**
 * MinIO stopped (SIGKILL) in the middle of a fan-out run whose worker uses
 * the S3 object store, and started again 15 s later on the same port, data
 * dir and credentials. Every contract must succeed, each row with its file,
 * and no staging object may remain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { smallDataset, startTestWorker, testClient, testConfig, testEnv, uniqueName } from './helpers';
import { followOrchestrator, startOrchestrator } from '../src/cli/fanout-client';
import { createPool } from '../src/adapters/postgres/pool';
import { createS3ObjectStore } from '../src/adapters/object-store/s3-store';
import { startMinio, type RunningMinio } from '../src/stack/minio';
import { freePort } from '../src/stack/free-port';
import { expectConsistent, waitForCompleted } from './fanout-drill';

const OUTAGE_MS = 15_000;
let client: Client;
let minio: RunningMinio | undefined;

beforeAll(async () => {
  client = await testClient();
});
afterAll(async () => {
  await minio?.stop();
  await client?.connection.close();
});

describe('a MinIO outage in the middle of a fan-out', () => {
  it('rides out MinIO killed and restarted 15 s later: every contract succeeds, rows and files agree', async () => {
    const dataDir = join(testEnv().dataDir, uniqueName('minio'), 'data');
    const port = await freePort();
    minio = await startMinio({ dataDir, port });
    const { accessKeyId, secretAccessKey } = minio;
    const config = testConfig({
      OBJECT_STORE: 's3',
      S3_ENDPOINT: minio.endpoint,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
    });
    const bucketStore = createS3ObjectStore({ ...config.objectStore, endpoint: minio.endpoint, accessKeyId, secretAccessKey });
    await bucketStore.ensureBucket();
    bucketStore.close();
    const worker = await startTestWorker(config);
    const db = createPool(testEnv().databaseUrl, 2);
    try {
      const ds = await smallDataset(config, { contracts: 24, bars: 1000, seed: 8 });
      const runKey = uniqueName('minio-outage');
      const started = await startOrchestrator(client, config.temporal.taskQueue, {
        numContracts: 24,
        dataset: ds.dataset,
        runKey,
        maxConcurrentChildren: 4,
      });
      const before = await waitForCompleted(client, started.workflowId, 4);
      expect(before.completed).toBeLessThan(24);
      process.kill(minio.pid, 'SIGKILL');
      await minio.stop();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      minio = await startMinio({ dataDir, port, accessKeyId, secretAccessKey });
      const result = await followOrchestrator(client, started.workflowId);
      expect(result).toMatchObject({ status: 'completed', total: 24, succeeded: 24, failed: 0 });
      await expectConsistent(db, ds.store, runKey, 24);
    } finally {
      await worker.stop();
      await db.end();
    }
  }, 180_000);
});
