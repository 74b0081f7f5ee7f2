/**
 * The S3 object store against the shared contract, on a real MinIO that this
 * file starts (built once with `go install`, cached outside the repo).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMinio, type TestMinio } from '../../stack/minio';
import { generateHourlyDataset } from '../hourly-dataset/synthetic';
import { readContractSeries, writeHourlyDataset } from '../hourly-dataset/store';
import { describeObjectStoreContract } from './contract';
import { createS3ObjectStore } from './s3-store';
import { ObjectNotFoundError } from './types';

let minio: TestMinio;
beforeAll(async () => {
  minio = await startTestMinio({ log: (m) => process.stderr.write(`[minio] ${m}\n`) });
});
afterAll(async () => {
  await minio?.stop();
});

describeObjectStoreContract('s3 (MinIO)', async () => {
  const store = createS3ObjectStore(minio);
  return { store, cleanup: async () => store.close() };
});

describe('s3 object store', () => {
  it('creates a missing bucket idempotently and locates keys as s3:// URLs', async () => {
    const store = createS3ObjectStore({ ...minio, bucket: 'fresh-bucket' });
    try {
      await store.ensureBucket();
      await store.ensureBucket();
      await store.put('a/b.txt', 'x');
      expect(await store.list('')).toEqual(['a/b.txt']);
      expect(store.locate('a/b.txt')).toBe('s3://fresh-bucket/a/b.txt');
    } finally {
      store.close();
    }
  });

  it('reports a missing bucket as such, not as a missing object', async () => {
    const store = createS3ObjectStore({ ...minio, bucket: 'no-such-bucket' });
    try {
      await expect(store.get('x')).rejects.toThrow(/bucket no-such-bucket does not exist at http:\/\/127\.0\.0\.1:\d+ \(reading x\)/);
    } finally {
      store.close();
    }
  });

  it('serves the hourly dataset by column ranges, like the filesystem store', async () => {
    const store = createS3ObjectStore(minio);
    try {
      const ds = generateHourlyDataset({ seed: 3, contracts: 20, bars: 800 });
      await writeHourlyDataset(store, 's3-ds', ds, { seed: 3 });
      const s = await readContractSeries(store, 's3-ds', 'NVDA');
      expect(Array.from(s.price)).toEqual(Array.from(ds.prices[3]));
      await expect(store.size('datasets/s3-ds/none')).rejects.toBeInstanceOf(ObjectNotFoundError);
    } finally {
      store.close();
    }
  });
});
