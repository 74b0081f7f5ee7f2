/**
 * The dataset ingest shared by the activity, the CLI and the benchmark
 * (filesystem store, temp dir): generate once, keep an identical dataset,
 * regenerate on request or on other parameters, and a typed, non-retryable
 * error for a file import without a folder. The column reads of the
 * validation step are checked against the generator's own arrays.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsObjectStore } from '../object-store/fs-store';
import type { ObjectStore } from '../object-store/types';
import { isNonRetryable } from '../../domain/errors';
import { ingestHourlyDataset, MissingSourceDirError } from './ingest';
import { openDatasetColumns } from './columns';
import { datasetKeys } from './store';
import { generateHourlyDataset } from './synthetic';

let root: string;
let store: ObjectStore;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qw-ingest-'));
  store = createFsObjectStore({ root, bucket: 'quant-data' });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ingestHourlyDataset', () => {
  it('generates once, keeps the same dataset, regenerates when forced or when the parameters differ', async () => {
    let writes = 0;
    const progress = () => void writes++;
    const first = await ingestHourlyDataset(store, { dataset: 'd1', provider: 'synthetic', seed: 5, contracts: 3, bars: 50 }, progress);
    expect(first).toMatchObject({ dataset: 'd1', contracts: 3, bars: 50, skipped: false });
    const again = await ingestHourlyDataset(store, { dataset: 'd1', provider: 'synthetic', seed: 5, contracts: 3, bars: 50 }, progress);
    expect(again).toEqual({ ...first, skipped: true });
    // No parameters: any dataset of that name is kept.
    expect((await ingestHourlyDataset(store, { dataset: 'd1', provider: 'synthetic' })).skipped).toBe(true);
    const forced = await ingestHourlyDataset(
      store,
      { dataset: 'd1', provider: 'synthetic', seed: 5, contracts: 3, bars: 50, force: true },
      progress,
    );
    expect(forced).toEqual(first); // same seed and size: byte-identical, same hash
    const other = await ingestHourlyDataset(store, { dataset: 'd1', provider: 'synthetic', seed: 6, contracts: 3, bars: 50 }, progress);
    expect(other.skipped).toBe(false);
    expect(other.datasetHash).not.toBe(first.datasetHash);
    expect(writes).toBe(3);
  });

  it('refuses a file import without a folder, non-retryably, naming the dataset', async () => {
    const call = ingestHourlyDataset(store, { dataset: 'd2', provider: 'file' });
    await expect(call).rejects.toThrow(MissingSourceDirError);
    const err = await call.catch((e: unknown) => e);
    expect(isNonRetryable(err)).toBe(true);
    expect((err as Error).message).toBe('dataset "d2": the file provider needs sourceDir (a folder with the three Parquet files)');
  });
});

describe('openDatasetColumns', () => {
  it('reads the holdings, a market series and contract columns as the generator made them', async () => {
    await ingestHourlyDataset(store, { dataset: 'd3', provider: 'synthetic', seed: 9, contracts: 4, bars: 30 });
    const truth = generateHourlyDataset({ seed: 9, contracts: 4, bars: 30 });
    const d = await openDatasetColumns(store, 'd3');
    expect([...d.holdingColumns]).toEqual(['timestamp', ...truth.contracts.map((c) => c.symbol)]);
    expect(Array.from(d.timestamps)).toEqual(Array.from(truth.timestamps));
    const vix = await d.readMarketSeries('VIX');
    expect(vix.kind).toBe('read');
    if (vix.kind === 'read') expect(Array.from(vix.close)).toEqual(Array.from(truth.vix));
    const [a, b] = truth.contracts.map((c) => c.symbol);
    const cols = await d.readHoldingColumns([a, b]);
    expect(Array.from(cols[b])).toEqual(Array.from(truth.prices[1]));
    await store.delete(datasetKeys('d3').spx);
    expect(await d.readMarketSeries('SPX')).toEqual({ kind: 'missing', key: datasetKeys('d3').spx });
  });
});
