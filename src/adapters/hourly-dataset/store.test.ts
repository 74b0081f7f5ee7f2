/**
 * The dataset in the object store (filesystem, temp dir): layout and
 * manifest, byte-identical rewrites, the column-projected contract read, the
 * typed errors for bad data, and the file provider.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsObjectStore } from '../object-store/fs-store';
import type { ObjectStore } from '../object-store/types';
import { ParquetFormatError, objectStoreAsyncBuffer, parquetSchemaInfo, readParquet, writeParquet, type ParquetColumn } from '../parquet';
import {
  BadManifestError,
  BadPriceError,
  DatasetNotFoundError,
  MisalignedSeriesError,
  MissingColumnError,
  MissingFileError,
  UnknownContractError,
  createContractSeriesReader,
  datasetHashOf,
  datasetKeys,
  importHourlyDatasetFromFiles,
  readContractSeries,
  readDatasetManifest,
  writeHourlyDataset,
} from './store';
import { generateHourlyDataset, type HourlyDataset } from './synthetic';

let root: string;
let store: ObjectStore;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qw-dataset-'));
  store = createFsObjectStore({ root, bucket: 'quant-data' });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const small = (seed = 42) => generateHourlyDataset({ seed, contracts: 12, bars: 400 });

/** Write a dataset with hand-made market files, for the error cases. */
async function writeCustom(name: string, ds: HourlyDataset, overrides: { spx?: ParquetColumn[]; vix?: ParquetColumn[] } = {}) {
  await writeHourlyDataset(store, name, ds, { seed: 1 });
  const keys = datasetKeys(name);
  if (overrides.spx) await store.put(keys.spx, writeParquet(overrides.spx));
  if (overrides.vix) await store.put(keys.vix, writeParquet(overrides.vix));
}

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error & { type: string },
  );

describe('writeHourlyDataset / readDatasetManifest', () => {
  it('writes the three files and a manifest whose hashes match', async () => {
    const ds = small();
    const m = await writeHourlyDataset(store, 'basic', ds, { seed: 42 });
    expect(await store.list('datasets/basic/')).toEqual([
      'datasets/basic/manifest.json',
      'datasets/basic/spx_holdings_hourly.parquet',
      'datasets/basic/spx_hourly.parquet',
      'datasets/basic/vix_hourly.parquet',
    ]);
    expect(m).toMatchObject({ name: 'basic', provider: 'synthetic', seed: 42, bars: 400, first: '2000-01-27T14:30:00.000Z' });
    expect(m.contracts.slice(0, 2)).toEqual([
      { symbol: 'AAPL', sector: 'Technology' },
      { symbol: 'MSFT', sector: 'Technology' },
    ]);
    expect(await readDatasetManifest(store, 'basic')).toEqual(m);
    const holdings = await store.get(datasetKeys('basic').holdings);
    expect(m.files['spx_holdings_hourly.parquet']).toEqual({
      sha256: createHash('sha256').update(holdings).digest('hex'),
      bytes: holdings.byteLength,
    });
    expect(m.datasetHash).toBe(datasetHashOf(m.files));
    const info = await parquetSchemaInfo(await objectStoreAsyncBuffer(store, datasetKeys('basic').holdings));
    expect(info.columns[0]).toMatchObject({ name: 'timestamp', type: 'timestamp', timestampUnit: 'MILLIS', isAdjustedToUTC: true });
    expect(info.columns.slice(1).every((c) => c.type === 'double')).toBe(true);
    expect(info.columns.slice(1).map((c) => c.name)).toEqual(ds.contracts.map((c) => c.symbol));
  });

  it('is byte-identical for the same seed, and differs for another seed', async () => {
    const a = await writeHourlyDataset(store, 'det-a', small(9), { seed: 9 });
    const b = await writeHourlyDataset(store, 'det-b', small(9), { seed: 9 });
    const c = await writeHourlyDataset(store, 'det-c', small(10), { seed: 10 });
    expect(b.files).toEqual(a.files);
    expect(b.datasetHash).toBe(a.datasetHash);
    expect(c.datasetHash).not.toBe(a.datasetHash);
    for (const k of ['holdings', 'spx', 'vix'] as const) {
      expect(Buffer.from(await store.get(datasetKeys('det-a')[k])).equals(Buffer.from(await store.get(datasetKeys('det-b')[k])))).toBe(
        true,
      );
    }
  });

  it('reports a missing dataset and a tampered manifest', async () => {
    const e1 = await errorOf(readDatasetManifest(store, 'nope'));
    expect(e1).toBeInstanceOf(DatasetNotFoundError);
    expect(e1.message).toContain('"nope"');
    await writeHourlyDataset(store, 'tamper', small(), { seed: 42 });
    const key = datasetKeys('tamper').manifest;
    const m = JSON.parse(new TextDecoder().decode(await store.get(key)));
    m.files['spx_hourly.parquet'].sha256 = '0'.repeat(64);
    await store.put(key, JSON.stringify(m));
    expect(await errorOf(readDatasetManifest(store, 'tamper'))).toBeInstanceOf(BadManifestError);
    await store.put(key, '{"name":');
    expect((await errorOf(readDatasetManifest(store, 'tamper'))).type).toBe('BadManifest');
    expect(() => datasetKeys('../etc')).toThrow(/invalid dataset name/);
  });
});

describe('readContractSeries', () => {
  it("returns one contract's prices with SPX and VIX, reading only that column of the wide file", async () => {
    const ds = generateHourlyDataset({ seed: 4, contracts: 60, bars: 2000 });
    await writeHourlyDataset(store, 'wide', ds, { seed: 4 });
    const s = await readContractSeries(store, 'wide', 'JPM');
    const i = ds.contracts.findIndex((c) => c.symbol === 'JPM');
    expect(Array.from(s.price)).toEqual(Array.from(ds.prices[i]));
    expect(Array.from(s.spx)).toEqual(Array.from(ds.spx));
    expect(Array.from(s.vix)).toEqual(Array.from(ds.vix));
    expect(Array.from(s.timestamps)).toEqual(Array.from(ds.timestamps));

    // the same read through a counting buffer: footer + 2 of 61 columns
    const file = await objectStoreAsyncBuffer(store, datasetKeys('wide').holdings);
    await readParquet(file, { columns: ['timestamp', 'JPM'] });
    expect(file.bytesRead()).toBeLessThan(file.byteLength / 10);
  });

  it('rejects an unknown contract, naming it and the dataset', async () => {
    await writeHourlyDataset(store, 'errs', small(), { seed: 42 });
    const e = await errorOf(readContractSeries(store, 'errs', 'NOPE'));
    expect(e).toBeInstanceOf(UnknownContractError);
    expect(e.type).toBe('UnknownContract');
    expect(e.message).toBe('unknown contract "NOPE" in dataset "errs"');
  });

  it('rejects a market file missing its close column, and a missing file', async () => {
    const ds = small();
    await writeCustom('no-close', ds, {
      vix: [
        { name: 'timestamp', type: 'timestamp', data: ds.timestamps },
        { name: 'level', type: 'double', data: ds.vix },
      ],
    });
    const e = await errorOf(readContractSeries(store, 'no-close', 'AAPL'));
    expect(e).toBeInstanceOf(MissingColumnError);
    expect(e.type).toBe('MissingColumn');
    expect(e.message).toBe('datasets/no-close/vix_hourly.parquet: missing column "close"');

    await writeCustom('no-ts', ds, { spx: [{ name: 'close', type: 'double', data: ds.spx }] });
    expect((await errorOf(readContractSeries(store, 'no-ts', 'AAPL'))).message).toMatch(/spx_hourly\.parquet: missing column "timestamp"/);

    await writeCustom('int-close', ds, {
      spx: [
        { name: 'timestamp', type: 'timestamp', data: ds.timestamps },
        { name: 'close', type: 'int32', data: Int32Array.from(ds.spx) },
      ],
    });
    expect((await errorOf(readContractSeries(store, 'int-close', 'AAPL'))).message).toMatch(/column "close" is int32, expected DOUBLE/);

    await writeHourlyDataset(store, 'gone', ds, { seed: 1 });
    await store.delete(datasetKeys('gone').vix);
    const g = await errorOf(readContractSeries(store, 'gone', 'AAPL'));
    expect(g).toBeInstanceOf(MissingFileError);
    expect(g.message).toContain('vix_hourly.parquet');
  });

  it('rejects NaN, zero and negative prices, naming the series, row and time', async () => {
    for (const [label, bad, row, words] of [
      ['nan', NaN, 17, 'missing'],
      ['zero', 0, 100, 'zero'],
      ['neg', -3.5, 399, 'negative (-3.5)'],
    ] as const) {
      const ds = small();
      ds.prices[1][row] = bad; // MSFT
      await writeHourlyDataset(store, `bad-${label}`, ds, { seed: 1 });
      const e = await errorOf(readContractSeries(store, `bad-${label}`, 'MSFT'));
      expect(e).toBeInstanceOf(BadPriceError);
      expect(e.type).toBe('BadPrice');
      const be = e as unknown as BadPriceError;
      expect([be.series, be.row, be.timestamp]).toEqual(['MSFT', row, ds.timestamps[row]]);
      expect(e.message).toContain(
        `bad price in MSFT (dataset "bad-${label}") at row ${row} (${new Date(ds.timestamps[row]).toISOString()}): ${words}`,
      );
      // other contracts of the same dataset still load
      await expect(readContractSeries(store, `bad-${label}`, 'AAPL')).resolves.toBeDefined();
    }
    const ds = small();
    ds.vix[5] = 0;
    await writeHourlyDataset(store, 'bad-vix', ds, { seed: 1 });
    expect((await errorOf(readContractSeries(store, 'bad-vix', 'AAPL'))).message).toMatch(/bad price in VIX .* at row 5/);
  });

  it('rejects a VIX shorter than the prices and an SPX on other bars', async () => {
    const ds = small();
    await writeCustom('short-vix', ds, {
      vix: [
        { name: 'timestamp', type: 'timestamp', data: ds.timestamps.slice(0, 390) },
        { name: 'close', type: 'double', data: ds.vix.slice(0, 390) },
      ],
    });
    const e = await errorOf(readContractSeries(store, 'short-vix', 'AAPL'));
    expect(e).toBeInstanceOf(MisalignedSeriesError);
    expect(e.type).toBe('MisalignedSeries');
    expect(e.message).toBe('VIX of dataset "short-vix" is misaligned with the prices: VIX has 390 bars, the prices have 400');

    const shifted = ds.timestamps.slice();
    for (let i = 200; i < shifted.length; i++) shifted[i] += 60_000;
    await writeCustom('shifted-spx', ds, {
      spx: [
        { name: 'timestamp', type: 'timestamp', data: shifted },
        { name: 'close', type: 'double', data: ds.spx },
      ],
    });
    const s = await errorOf(readContractSeries(store, 'shifted-spx', 'AAPL'));
    expect(s).toBeInstanceOf(MisalignedSeriesError);
    expect(s.message).toMatch(/SPX .* first mismatch at row 200/);
  });

  it('rejects truncated and garbage Parquet files as CorruptParquet, naming the key', async () => {
    const ds = small();
    await writeHourlyDataset(store, 'trunc', ds, { seed: 1 });
    const k = datasetKeys('trunc');
    const whole = await store.get(k.holdings);
    await store.put(k.holdings, whole.subarray(0, Math.floor(whole.byteLength / 2)));
    const e = await errorOf(readContractSeries(store, 'trunc', 'AAPL'));
    expect(e).toBeInstanceOf(ParquetFormatError);
    expect(e.type).toBe('CorruptParquet');
    expect(e.message).toMatch(/^datasets\/trunc\/spx_holdings_hourly\.parquet: truncated/);

    await store.put(k.holdings, '<html>Service Unavailable</html>'.repeat(4));
    const g = await errorOf(readContractSeries(store, 'trunc', 'AAPL'));
    expect(g.type).toBe('CorruptParquet');
    expect(g.message).toMatch(/spx_holdings_hourly\.parquet: not a Parquet file/);
  });
});

describe('createContractSeriesReader', () => {
  /** The store, counting the byte-range reads per key. */
  function countingStore(): { store: ObjectStore; reads: Map<string, number> } {
    const reads = new Map<string, number>();
    const counting: ObjectStore = Object.create(store);
    counting.getRange = (key, start, length) => {
      reads.set(key, (reads.get(key) ?? 0) + 1);
      return store.getRange(key, start, length);
    };
    return { store: counting, reads };
  }

  it('reads what readContractSeries reads, fetching SPX, VIX and the bar times once per dataset, then one column per contract', async () => {
    const ds = generateHourlyDataset({ seed: 6, contracts: 30, bars: 500 });
    await writeHourlyDataset(store, 'shared', ds, { seed: 6 });
    const { store: counted, reads } = countingStore();
    const reader = createContractSeriesReader(counted);
    const [first, second, third, fourth] = ds.contracts.map((c) => c.symbol);
    for (const symbol of [first, second, third]) {
      const got = await reader.read('shared', symbol);
      const i = ds.contracts.findIndex((c) => c.symbol === symbol);
      expect(Array.from(got.price)).toEqual(Array.from(ds.prices[i]));
      expect(got).toEqual(await readContractSeries(store, 'shared', symbol));
    }
    const keys = datasetKeys('shared');
    expect(reads.get(keys.spx)).toBeGreaterThan(0);
    const spxReads = reads.get(keys.spx)!;
    const vixReads = reads.get(keys.vix)!;
    const holdingsReads = reads.get(keys.holdings)!;
    await reader.read('shared', fourth);
    expect([reads.get(keys.spx), reads.get(keys.vix)]).toEqual([spxReads, vixReads]); // SPX and VIX not fetched again
    expect(reads.get(keys.holdings)! - holdingsReads).toBe(1); // the contract's column chunk, no footer
  });

  it('reads a dataset re-written under the same name afresh, and reports bad data as readContractSeries does', async () => {
    const reader = createContractSeriesReader(store);
    await writeHourlyDataset(store, 'rewritten', small(1), { seed: 1 });
    const symbol = small(1).contracts[0].symbol;
    const before = await reader.read('rewritten', symbol);
    await writeHourlyDataset(store, 'rewritten', small(2), { seed: 2 });
    const after = await reader.read('rewritten', symbol);
    expect(Array.from(after.spx)).toEqual(Array.from(small(2).spx));
    expect(Array.from(after.spx)).not.toEqual(Array.from(before.spx));

    const ds = small(3);
    await writeCustom('reader-misaligned', ds, {
      vix: [
        { name: 'timestamp', type: 'timestamp', data: ds.timestamps.slice(1) },
        { name: 'close', type: 'double', data: ds.vix.slice(1) },
      ],
    });
    const e = await errorOf(reader.read('reader-misaligned', ds.contracts[0].symbol));
    expect(e).toBeInstanceOf(MisalignedSeriesError);
    expect(e.message).toBe((await errorOf(readContractSeries(store, 'reader-misaligned', ds.contracts[0].symbol))).message);
    await expect(reader.read('reader-misaligned', 'NOPE')).rejects.toBeInstanceOf(UnknownContractError);
  });
});

describe('importHourlyDatasetFromFiles (file provider)', () => {
  const writeDir = async (dir: string, ds: HourlyDataset, tweak: (files: Record<string, ParquetColumn[]>) => void = () => undefined) => {
    await mkdir(dir, { recursive: true });
    const ts: ParquetColumn = { name: 'timestamp', type: 'timestamp', data: ds.timestamps };
    const files: Record<string, ParquetColumn[]> = {
      'spx_holdings_hourly.parquet': [
        ts,
        ...ds.contracts.map((c, i): ParquetColumn => ({ name: c.symbol, type: 'double', data: ds.prices[i] })),
      ],
      'spx_hourly.parquet': [ts, { name: 'close', type: 'double', data: ds.spx }],
      'vix_hourly.parquet': [ts, { name: 'close', type: 'double', data: ds.vix }],
    };
    tweak(files);
    for (const [f, cols] of Object.entries(files)) await writeFile(join(dir, f), writeParquet(cols));
  };

  it('imports a folder of the three files, copying them byte for byte', async () => {
    const ds = small(77);
    const dir = join(root, 'src-ok');
    await writeDir(dir, ds);
    const m = await importHourlyDatasetFromFiles(store, 'imported', dir);
    expect(m).toMatchObject({ provider: 'file', source: dir, bars: 400 });
    expect(m.contracts.map((c) => c.symbol)).toEqual(ds.contracts.map((c) => c.symbol));
    expect(m.contracts[0].sector).toBe('Technology');
    const s = await readContractSeries(store, 'imported', 'GOOGL');
    expect(Array.from(s.price)).toEqual(Array.from(ds.prices[2]));
  });

  it('imports files written by pyarrow (nullable columns, microsecond timestamps) when python3+pyarrow exist', async (ctx) => {
    try {
      execFileSync('python3', ['-c', 'import pyarrow'], { stdio: 'ignore' });
    } catch {
      ctx.skip('python3 with pyarrow not available');
      return;
    }
    const dir = join(root, 'src-pyarrow');
    await mkdir(dir, { recursive: true });
    const py = `
import sys, pyarrow as pa, pyarrow.parquet as pq, datetime as dt
d = sys.argv[1]
ts = pa.array([dt.datetime(2001,1,2,14,30,tzinfo=dt.timezone.utc) + dt.timedelta(hours=i) for i in range(20)], pa.timestamp('us', tz='UTC'))
pq.write_table(pa.table({'timestamp': ts, 'AAPL': [100.0 + i for i in range(20)], 'ACME': [10.0] * 20}), d + '/spx_holdings_hourly.parquet')
pq.write_table(pa.table({'timestamp': ts, 'close': [1400.0] * 20}), d + '/spx_hourly.parquet')
pq.write_table(pa.table({'timestamp': ts, 'close': [20.0] * 20}), d + '/vix_hourly.parquet')
`;
    execFileSync('python3', ['-c', py, dir]);
    const m = await importHourlyDatasetFromFiles(store, 'from-pyarrow', dir, { sectors: { ACME: 'Industrials' } });
    expect(m.contracts).toEqual([
      { symbol: 'AAPL', sector: 'Technology' },
      { symbol: 'ACME', sector: 'Industrials' },
    ]);
    expect(m.first).toBe('2001-01-02T14:30:00.000Z');
    const s = await readContractSeries(store, 'from-pyarrow', 'AAPL');
    expect(s.price[19]).toBe(119);
    expect(s.timestamps[1] - s.timestamps[0]).toBe(3_600_000);
  });

  it('rejects a folder with a missing file, a missing column, a non-DOUBLE price column or misaligned market data', async () => {
    const ds = small(5);
    const dirMissing = join(root, 'src-missing');
    await writeDir(dirMissing, ds, (f) => delete f['vix_hourly.parquet']);
    expect(await errorOf(importHourlyDatasetFromFiles(store, 'x1', dirMissing))).toBeInstanceOf(MissingFileError);

    const dirNoClose = join(root, 'src-noclose');
    await writeDir(
      dirNoClose,
      ds,
      (f) => (f['spx_hourly.parquet'] = [f['spx_hourly.parquet'][0], { name: 'price', type: 'double', data: ds.spx }]),
    );
    const e = await errorOf(importHourlyDatasetFromFiles(store, 'x2', dirNoClose));
    expect(e).toBeInstanceOf(MissingColumnError);
    expect(e.message).toBe(`${join(dirNoClose, 'spx_hourly.parquet')}: missing column "close"`);

    const dirStr = join(root, 'src-str');
    await writeDir(dirStr, ds, (f) =>
      f['spx_holdings_hourly.parquet'].push({ name: 'NOTE', type: 'string', data: Array.from({ length: 400 }, () => 'x') }),
    );
    expect((await errorOf(importHourlyDatasetFromFiles(store, 'x3', dirStr))).message).toMatch(
      /column "NOTE" is string, expected DOUBLE prices/,
    );

    const dirShort = join(root, 'src-short');
    await writeDir(
      dirShort,
      ds,
      (f) =>
        (f['vix_hourly.parquet'] = [
          { name: 'timestamp', type: 'timestamp', data: ds.timestamps.slice(0, 399) },
          { name: 'close', type: 'double', data: ds.vix.slice(0, 399) },
        ]),
    );
    expect(await errorOf(importHourlyDatasetFromFiles(store, 'x4', dirShort))).toBeInstanceOf(MisalignedSeriesError);
    // nothing was written for the rejected imports
    expect(await store.list('datasets/x')).toEqual([]);
  });
});
