/** Parquet adapter: writer round trip, logical types as a reader sees them, projection with range reads, bad files. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsObjectStore } from './object-store/fs-store';
import { ObjectStoreUnavailableError, type ObjectStore } from './object-store/types';
import {
  ParquetFormatError,
  ParquetSchemaError,
  objectStoreAsyncBuffer,
  parquetColumnNames,
  parquetSchemaInfo,
  readParquet,
  writeParquet,
  type ParquetColumn,
} from './parquet';

const ts = [Date.UTC(2000, 0, 27, 14, 30), Date.UTC(2000, 0, 27, 15, 30), Date.UTC(2000, 0, 27, 16, 30)];
const sample: ParquetColumn[] = [
  { name: 'timestamp', type: 'timestamp', data: ts },
  { name: 'close', type: 'double', data: new Float64Array([1401.25, 1399.5, 1402.125]) },
  { name: 'volume', type: 'int64', data: [1, 2 ** 40, 3] },
  { name: 'n', type: 'int32', data: [-1, 0, 7] },
  { name: 'symbol', type: 'string', data: ['AAPL', 'MSFT', 'Ünïcode'] },
  { name: 'flag', type: 'boolean', data: [true, false, true] },
  { name: 'maybe', type: 'double', data: [1.5, null, 2.5], nullable: true },
];

describe('writeParquet / readParquet', () => {
  it('round-trips every supported type', async () => {
    const bytes = writeParquet(sample, { metadata: { source: 'test', seed: '42' } });
    const { numRows, columns } = await readParquet(bytes);
    expect(numRows).toBe(3);
    expect(columns.timestamp).toBeInstanceOf(Float64Array);
    expect(Array.from(columns.timestamp as Float64Array)).toEqual(ts);
    expect(Array.from(columns.close as Float64Array)).toEqual([1401.25, 1399.5, 1402.125]);
    expect(Array.from(columns.volume as BigInt64Array)).toEqual([1n, 2n ** 40n, 3n]);
    expect(Array.from(columns.n as Int32Array)).toEqual([-1, 0, 7]);
    expect(columns.symbol).toEqual(['AAPL', 'MSFT', 'Ünïcode']);
    expect(columns.flag).toEqual([true, false, true]);
    expect(columns.maybe).toEqual([1.5, null, 2.5]);
  });

  it('writes the logical types standard readers need (TIMESTAMP millis UTC, DOUBLE) and key-value metadata', async () => {
    const bytes = writeParquet(sample, { metadata: { source: 'test' } });
    const meta = parquetMetadata(bytes.buffer as ArrayBuffer);
    const el = (n: string) => meta.schema.find((s) => s.name === n)!;
    expect(el('timestamp')).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' });
    expect(el('timestamp').logical_type).toMatchObject({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
    expect(el('close')).toMatchObject({ type: 'DOUBLE', repetition_type: 'REQUIRED' });
    expect(el('symbol')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    const info = await parquetSchemaInfo(bytes);
    expect(info.metadata).toEqual({ source: 'test' });
    expect(info.columns.map((c) => [c.name, c.type])).toEqual([
      ['timestamp', 'timestamp'],
      ['close', 'double'],
      ['volume', 'int64'],
      ['n', 'int32'],
      ['symbol', 'string'],
      ['flag', 'boolean'],
      ['maybe', 'double'],
    ]);
    expect(await parquetColumnNames(bytes)).toEqual(sample.map((c) => c.name));
  });

  it('is byte-identical for identical input', () => {
    expect(Buffer.from(writeParquet(sample)).equals(Buffer.from(writeParquet(sample)))).toBe(true);
  });

  it('refuses nulls in a non-nullable column and ragged columns', () => {
    expect(() => writeParquet([{ name: 'x', type: 'double', data: [1, null] }])).toThrow(/column x row 1 is null/);
    expect(() =>
      writeParquet([
        { name: 'a', type: 'double', data: [1, 2] },
        { name: 'b', type: 'double', data: [1] },
      ]),
    ).toThrow(/column b has 1 rows/);
  });

  it('opens in pyarrow with timestamp[ms, tz=UTC] and double (skipped when python3+pyarrow are absent)', async (ctx) => {
    let hasPyarrow = false;
    try {
      execFileSync('python3', ['-c', 'import pyarrow'], { stdio: 'ignore' });
      hasPyarrow = true;
    } catch {
      /* not installed */
    }
    if (!hasPyarrow) {
      ctx.skip('python3 with pyarrow not available; the hyparquet schema test above covers the logical types');
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'qw-pq-'));
    try {
      const file = join(dir, 'x.parquet');
      await writeFile(file, writeParquet(sample, { metadata: { source: 'test' } }));
      const out = execFileSync(
        'python3',
        [
          '-c',
          'import sys,pyarrow.parquet as pq; t=pq.read_table(sys.argv[1]); print(t.schema.field("timestamp").type, t.schema.field("close").type, t.num_rows, t.column("timestamp")[0])',
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(out.trim()).toBe('timestamp[ms, tz=UTC] double 3 2000-01-27 14:30:00+00:00');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('reading from an object store by byte ranges', () => {
  let root: string;
  let store: ObjectStore;
  const nRows = 5000;
  const nCols = 60;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'qw-pq-'));
    store = createFsObjectStore({ root, bucket: 'b' });
    const cols: ParquetColumn[] = [
      { name: 'timestamp', type: 'timestamp', data: Float64Array.from({ length: nRows }, (_, i) => Date.UTC(2001, 0, 1) + i * 3_600_000) },
    ];
    for (let c = 0; c < nCols; c++)
      cols.push({ name: `C${c}`, type: 'double', data: Float64Array.from({ length: nRows }, (_, i) => c * 1000 + i + Math.sin(i * c)) });
    await store.put('wide.parquet', writeParquet(cols));
    await store.put('truncated.parquet', (await store.get('wide.parquet')).subarray(0, 100_000));
    await store.put('garbage.parquet', 'this is a CSV file,not parquet\n1,2\n'.repeat(10));
    await store.put('tiny.parquet', 'PAR1');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads only the requested columns, fetching a small part of the file', async () => {
    const file = await objectStoreAsyncBuffer(store, 'wide.parquet');
    const { columns } = await readParquet(file, { columns: ['timestamp', 'C37'] });
    expect(Object.keys(columns)).toEqual(['timestamp', 'C37']);
    const c37 = columns.C37 as Float64Array;
    expect(c37.length).toBe(nRows);
    expect(c37[10]).toBe(37 * 1000 + 10 + Math.sin(10 * 37));
    // two of 61 columns (each ~40 KB) plus the footer: far below the whole file
    expect(file.bytesRead()).toBeLessThan(file.byteLength / 8);
  });

  it('names the missing columns and the file', async () => {
    const file = await objectStoreAsyncBuffer(store, 'wide.parquet');
    const err = await readParquet(file, { columns: ['timestamp', 'ZZZZ', 'close'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParquetSchemaError);
    expect((err as ParquetSchemaError).columns).toEqual(['ZZZZ', 'close']);
    expect((err as ParquetSchemaError).type).toBe('MissingColumn');
    expect((err as Error).message).toMatch(/wide\.parquet: missing columns ZZZZ, close/);
  });

  it('reports a truncated file as truncated, naming the key', async () => {
    const err = await readParquet(await objectStoreAsyncBuffer(store, 'truncated.parquet')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParquetFormatError);
    expect((err as ParquetFormatError).type).toBe('CorruptParquet');
    expect((err as Error).message).toMatch(/^truncated\.parquet: truncated/);
  });

  it('reports garbage and too-short files as not Parquet, naming the key', async () => {
    for (const key of ['garbage.parquet', 'tiny.parquet']) {
      const err = await parquetColumnNames(await objectStoreAsyncBuffer(store, key)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ParquetFormatError);
      expect((err as Error).message).toMatch(new RegExp(`^${key.replace('.', '\\.')}: not a Parquet file`));
    }
  });

  it('lets an object store outage under the range reads through as the store error, not as corrupt data', async () => {
    // The file is fine; the store goes down between the footer and the column pages (an outage is retried, corrupt data is not).
    const file = await objectStoreAsyncBuffer(store, 'wide.parquet');
    const meta = await parquetColumnNames(file);
    expect(meta).toContain('C10');
    const down = new ObjectStoreUnavailableError('fs object store unavailable: bucket is not a directory');
    // The footer read succeeds; every read after it (the column pages) fails.
    const downAfterFooter = (err: Error) => {
      let reads = 0;
      return { ...file, slice: (start: number, end?: number) => (reads++ === 0 ? file.slice(start, end) : Promise.reject(err)) };
    };
    await expect(readParquet(downAfterFooter(down), { label: 'wide.parquet', columns: ['C10'] })).rejects.toBe(down);
    const enotdir = Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR' });
    await expect(readParquet(downAfterFooter(enotdir), { columns: ['C10'] })).rejects.toBe(enotdir);
  });

  it('reports a corrupt page (header scribbled over) as a ParquetFormatError', async () => {
    const good = await store.get('wide.parquet');
    const meta = parquetMetadata(good.slice().buffer as ArrayBuffer);
    const chunk = meta.row_groups[0].columns.find((c) => c.meta_data?.path_in_schema[0] === 'C10')!;
    const at = Number(chunk.meta_data!.data_page_offset);
    const bad = good.slice();
    for (let i = at; i < at + 64; i++) bad[i] = 0xff;
    const err = await readParquet(bad, { label: 'scribbled.parquet', columns: ['C10'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParquetFormatError);
    expect((err as Error).message).toMatch(/^scribbled\.parquet: corrupt Parquet data/);
    // the other columns of the same file are intact
    await expect(readParquet(bad, { columns: ['C11'] })).resolves.toBeDefined();
  });
});
