/**
 * The flat writer's files read back exactly in two independent readers:
 * hyparquet (the project's reader) and pyarrow 26 (Arrow's C++ reader, the
 * one most users open our files with). Expected values are the arrays the
 * test wrote; the general writer (hyparquet-writer) is a third opinion on the
 * schema. Cases cover the encoders' edges: no rows, one row, a partial last
 * miniblock, deltas beyond 2^32 and negative, one label and more than 255
 * labels (a two-byte RLE value), runs shorter and longer than 8, and runs
 * that start in the middle of a bit-packed group.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parquetSchemaInfo, readParquet, writeParquet } from '../parquet';
import { writeFlatParquet, type FlatColumn } from './write-flat';

const HOUR = 3_600_000;

/** The columns the general writer also takes (all but coded labels). */
type PlainColumn = Exclude<FlatColumn, { type: 'labels' }>;

/** A deterministic sample of n rows: regular hours with gaps, a noisy price, an int and two label columns. */
function sample(n: number): PlainColumn[] {
  const t = new Float64Array(n);
  const price = new Float64Array(n);
  const count = new Int32Array(n);
  const signal: string[] = [];
  const many: string[] = [];
  let at = Date.UTC(2018, 0, 2, 14, 30);
  for (let i = 0; i < n; i++) {
    // Overnight and weekend gaps every 7 and 35 bars, one jump of 2^33 ms and one step back.
    at += i % 35 === 34 ? 65 * HOUR : i % 7 === 6 ? 17 * HOUR : HOUR;
    if (i === 200) at += 2 ** 33;
    if (i === 300) at -= 5 * HOUR;
    t[i] = at;
    price[i] = i === 5 ? NaN : 100 + Math.sin(i / 3) * 7 + i / 1000;
    count[i] = ((i * 7919) % 2001) - 1000;
    // Runs of 1, 3, 8, 13 ... labels, so long runs start at every position of a group of 8.
    signal.push(['hold', 'buy', 'sell'][Math.floor(Math.sqrt(i)) % 3]);
    // Up to 600 labels (10-bit indices, two-byte RLE values): runs of 9 alternating with scattered labels.
    many.push(i % 100 < 50 ? `R${Math.floor(i / 9) % 300}` : `L${(i * 31) % 300}`);
  }
  return [
    { name: 'timestamp', type: 'timestamp', data: t },
    { name: 'price', type: 'double', data: price },
    { name: 'count', type: 'int32', data: count },
    { name: 'signal', type: 'string', data: signal },
    { name: 'many', type: 'string', data: many },
  ];
}

const asArray = (a: ArrayLike<unknown>) => Array.from(a, (v) => (typeof v === 'bigint' ? Number(v) : v));

async function expectRoundTrip(columns: FlatColumn[]): Promise<void> {
  const bytes = writeFlatParquet(columns);
  const back = await readParquet(bytes);
  expect(back.numRows).toBe(columns[0].data.length);
  for (const c of columns) expect(asArray(back.columns[c.name]), c.name).toEqual(asArray(c.data));
}

describe('writeFlatParquet', () => {
  it.each([0, 1, 2, 33, 129, 1000, 28_048])('round-trips %i rows in hyparquet', async (n) => {
    await expectRoundTrip(sample(n));
  });

  it('encodes one label, all-equal times and constant ints', async () => {
    const n = 300;
    await expectRoundTrip([
      { name: 'timestamp', type: 'timestamp', data: new Float64Array(n).fill(Date.UTC(2020, 5, 1)) },
      { name: 'count', type: 'int32', data: new Int32Array(n).fill(-7) },
      { name: 'signal', type: 'string', data: new Array<string>(n).fill('hold') },
    ]);
  });

  it('declares the same schema as the general writer', async () => {
    const columns = sample(50);
    const flat = await parquetSchemaInfo(writeFlatParquet(columns));
    const general = await parquetSchemaInfo(writeParquet(columns));
    expect(flat.columns).toEqual(general.columns);
    expect(flat.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['timestamp', 'timestamp', false],
      ['price', 'double', false],
      ['count', 'int32', false],
      ['signal', 'string', false],
      ['many', 'string', false],
    ]);
  });

  it('writes coded labels exactly as the same column of strings', async () => {
    const labels: Record<number, string> = { [-1]: 'sell', 0: 'hold', 1: 'buy', 7: 'unused' };
    const codes = Int8Array.from({ length: 1000 }, (_, i) => [0, 1, -1][Math.floor(Math.sqrt(i)) % 3]);
    const coded = writeFlatParquet([{ name: 'signal', type: 'labels', data: codes, labels }]);
    const strings = writeFlatParquet([{ name: 'signal', type: 'string', data: Array.from(codes, (c) => labels[c]) }]);
    expect(Buffer.from(coded).equals(Buffer.from(strings))).toBe(true);
    expect((await readParquet(coded)).columns.signal).toEqual(Array.from(codes, (c) => labels[c]));
    expect(() => writeFlatParquet([{ name: 'signal', type: 'labels', data: Int8Array.of(0, 3), labels }])).toThrow(
      /column signal row 1 has code 3, which has no label/,
    );
  });

  it('writes the same bytes for the same values', () => {
    expect(Buffer.from(writeFlatParquet(sample(500))).equals(Buffer.from(writeFlatParquet(sample(500))))).toBe(true);
  });

  it('stores key-value metadata and names a bad row', async () => {
    const bytes = writeFlatParquet([{ name: 'x', type: 'int32', data: Int32Array.of(1) }], { metadata: { source: 'test' } });
    expect((await parquetSchemaInfo(bytes)).metadata).toEqual({ source: 'test' });
    expect(() => writeFlatParquet([{ name: 'timestamp', type: 'timestamp', data: Float64Array.of(0, 1.5) }])).toThrow(
      /column timestamp row 1 is not a whole millisecond/,
    );
    expect(() =>
      writeFlatParquet([
        { name: 'a', type: 'int32', data: Int32Array.of(1, 2) },
        { name: 'b', type: 'int32', data: Int32Array.of(1) },
      ]),
    ).toThrow(/column b has 1 rows, a has 2/);
  });

  it('opens in pyarrow with the values written (skipped when python3+pyarrow are absent)', async (ctx) => {
    try {
      execFileSync('python3', ['-c', 'import pyarrow'], { stdio: 'ignore' });
    } catch {
      ctx.skip('python3 with pyarrow not available; the hyparquet round trips above cover the encodings');
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'qw-flat-'));
    try {
      for (const n of [0, 1, 129, 28_048]) {
        const columns = sample(n);
        const file = join(dir, `s${n}.parquet`);
        await writeFile(file, writeFlatParquet(columns));
        // pyarrow prints each column's type and values as JSON (NaN as null, times as epoch ms).
        const script = [
          'import sys, json, math, pyarrow.parquet as pq',
          't = pq.read_table(sys.argv[1])',
          'out = {}',
          'for f in t.schema:',
          '    col = t.column(f.name)',
          '    vals = col.cast("int64").to_pylist() if str(f.type).startswith("timestamp") else col.to_pylist()',
          '    out[f.name] = [str(f.type), [None if isinstance(v, float) and math.isnan(v) else v for v in vals]]',
          'print(json.dumps(out))',
        ].join('\n');
        const got = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Record<
          string,
          [string, unknown[]]
        >;
        const types = { timestamp: 'timestamp[ms, tz=UTC]', price: 'double', count: 'int32', signal: 'string', many: 'string' };
        for (const c of columns) {
          expect(got[c.name][0], `${c.name} type`).toBe(types[c.name as keyof typeof types]);
          expect(got[c.name][1], `${c.name} values, ${n} rows`).toEqual(
            Array.from(c.data as ArrayLike<unknown>, (v) => (Number.isNaN(v) ? null : v)),
          );
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
