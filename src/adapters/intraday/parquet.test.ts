/**
 * Intraday bars as Parquet: the key layout, a round trip through the
 * filesystem store, sorted and byte-stable output, the logical types in the
 * footer, and the file as pyarrow (a standard reader) sees it (skipped when
 * python3 with pyarrow is absent; CI installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsObjectStore } from '../object-store/fs-store';
import type { ObjectStore } from '../object-store/types';
import { layout } from '../layout';
import { parquetSchemaInfo } from '../parquet';
import { intradayBarsFromParquet, intradayBarsToParquet, readIntradayParquet, writeIntradayParquet } from './parquet';
import type { IntradayBar } from './types';

const t0 = Date.parse('2024-03-04T14:30:00Z'); // 09:30 New York
const bars: IntradayBar[] = [
  { symbol: 'MSFT', ts: t0 + 300_000, open: 410.5, high: 411.25, low: 410.0, close: 411.0, volume: 120_000 },
  { symbol: 'AAPL', ts: t0 + 300_000, open: 176.2, high: 176.4, low: 175.9, close: 176.05, volume: 2_000_000_000_123 },
  { symbol: 'AAPL', ts: t0, open: 176.15, high: 176.5, low: 176.0, close: 176.2, volume: 0 },
  { symbol: 'MSFT', ts: t0, open: 409.9, high: 410.7, low: 409.8, close: 410.5, volume: 98_765 },
];
const sorted = [bars[2], bars[1], bars[3], bars[0]];

let dir: string;
let store: ObjectStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qw-intraday-pq-'));
  store = createFsObjectStore({ root: dir, bucket: 'quant-data' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('intraday Parquet', () => {
  it('lives under intraday/source=<name>/year=YYYY/month=MM/day=DD/bars_<interval>.parquet', () => {
    expect(layout.intradayBars('synthetic', '2024-03-04', '5m')).toBe(
      'intraday/source=synthetic/year=2024/month=03/day=04/bars_5m.parquet',
    );
    expect(layout.intradayBars('yahoo', new Date('2024-11-29T00:00:00Z'), '15m')).toBe(
      'intraday/source=yahoo/year=2024/month=11/day=29/bars_15m.parquet',
    );
  });

  it('writes a day to its key and reads it back sorted by symbol then time; no file reads as no bars', async () => {
    const key = layout.intradayBars('synthetic', '2024-03-04', '5m');
    expect(await writeIntradayParquet(store, key, bars, { source: 'synthetic', date: '2024-03-04', interval: '5m' })).toBe(4);
    expect(await readIntradayParquet(store, key)).toEqual(sorted);
    expect((await parquetSchemaInfo(await store.get(key))).metadata).toEqual({ source: 'synthetic', date: '2024-03-04', interval: '5m' });
    expect(await readIntradayParquet(store, layout.intradayBars('synthetic', '2024-03-05', '5m'))).toEqual([]);
  });

  it('is byte-identical for the same bars in any order (a rerun rewrites the same file)', () => {
    expect(Buffer.from(intradayBarsToParquet(bars)).equals(Buffer.from(intradayBarsToParquet([...bars].reverse())))).toBe(true);
  });

  it('types ts as TIMESTAMP(ms, UTC), prices as DOUBLE, volume as INT64', async () => {
    const info = await parquetSchemaInfo(intradayBarsToParquet(bars));
    expect(info.columns.map((c) => [c.name, c.type])).toEqual([
      ['symbol', 'string'],
      ['ts', 'timestamp'],
      ['open', 'double'],
      ['high', 'double'],
      ['low', 'double'],
      ['close', 'double'],
      ['volume', 'int64'],
    ]);
    expect(info.columns[1]).toMatchObject({ timestampUnit: 'MILLIS', isAdjustedToUTC: true });
    expect(await intradayBarsFromParquet(intradayBarsToParquet([]))).toEqual([]);
  });

  it('opens in pyarrow with timestamp[ms, tz=UTC], double and int64 (skipped when python3+pyarrow are absent)', async (ctx) => {
    try {
      execFileSync('python3', ['-c', 'import pyarrow'], { stdio: 'ignore' });
    } catch {
      ctx.skip('python3 with pyarrow not available; the footer test above covers the logical types');
      return;
    }
    const file = join(dir, 'bars.parquet');
    await writeFile(file, intradayBarsToParquet(bars));
    const out = execFileSync(
      'python3',
      [
        '-c',
        [
          'import sys, pyarrow.parquet as pq',
          't = pq.read_table(sys.argv[1])',
          'print(t.schema.field("ts").type, t.schema.field("close").type, t.schema.field("volume").type, t.num_rows)',
          'print(t.column("symbol")[1], t.column("ts")[1], t.column("close")[1], t.column("volume")[1])',
        ].join('\n'),
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim().split('\n')).toEqual(['timestamp[ms, tz=UTC] double int64 4', 'AAPL 2024-03-04 14:35:00+00:00 176.05 2000000000123']);
  });
});
