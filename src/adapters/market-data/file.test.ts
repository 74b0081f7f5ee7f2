/** The file provider: the shared contract on CSV and Parquet, malformed rows with line numbers, a missing column. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDataProviderContract } from './contract';
import { createFileProvider, parseBarsCsv } from './file';
import { createSyntheticProvider } from './synthetic';
import { barsToParquet } from '../tables/market-data';
import type { EodBar } from './types';

let dir: string;
let bars: EodBar[];
const header = 'date,symbol,open,high,low,close,adj_close,volume';
const toCsv = (list: EodBar[]) => [header, ...list.map((b) => [b.date, b.symbol, b.open, b.high, b.low, b.close, b.adjClose, b.volume].join(','))].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qw-file-provider-'));
  bars = (await createSyntheticProvider({ seed: 5 }).fetchEod(['AAPL', 'KO', 'XOM'], '2024-01-01', '2024-03-31')).bars;
  await writeFile(join(dir, 'bars.csv'), toCsv(bars));
  await writeFile(join(dir, 'bars.parquet'), barsToParquet(bars));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeDataProviderContract('file (CSV)', async () => ({ provider: createFileProvider({ path: join(dir, 'bars.csv') }), symbols: ['AAPL', 'KO'], unknown: 'ZZZZ', from: '2024-02-01', to: '2024-03-15' }));
describeDataProviderContract('file (Parquet)', async () => ({ provider: createFileProvider({ path: join(dir, 'bars.parquet') }), symbols: ['AAPL', 'KO'], unknown: 'ZZZZ', from: '2024-02-01', to: '2024-03-15' }));

describe('file provider', () => {
  it('imports the same bars from CSV and Parquet as were written', async () => {
    const csv = await createFileProvider({ path: join(dir, 'bars.csv') }).fetchEod(['AAPL', 'KO', 'XOM'], '2024-01-01', '2024-03-31');
    const pq = await createFileProvider({ path: join(dir, 'bars.parquet') }).fetchEod(['AAPL', 'KO', 'XOM'], '2024-01-01', '2024-03-31');
    expect(csv.bars).toEqual(bars);
    expect(pq.bars).toEqual(bars);
    expect(csv.rejectedRows).toEqual([]);
  });

  it('reports malformed CSV rows with their line numbers and imports the rest', () => {
    const text = [
      'symbol,date,open,high,low,close,adj_close,volume,extra', // columns in another order, an extra column: fine
      'AAPL,2024-01-02,100,101,99,100.5,100.5,1000,x', // line 2 ok
      'AAPL,2024-01-03,abc,101,99,100.5,100.5,1000,x', // line 3: open not a number
      'AAPL,2024-13-01,100,101,99,100.5,100.5,1000,x', // line 4: not a date
      'AAPL,2024-01-04,100,101,99,100.5,100.5', // line 5: too few fields
      '',
      'KO,2024-01-04,60,61,59,60.5,,5,x', // line 7: empty adj_close
      'KO,2024-01-05,60,61,59,60.5,60.5,-5,x', // line 8: negative volume
      '"KO",2024-01-08,60,61,59,60.5,60.5,7,"a,b"', // line 9 ok (quoted)
    ].join('\n');
    const r = parseBarsCsv(text, 'prices.csv');
    expect(r.bars.map((b) => `${b.symbol} ${b.date}`)).toEqual(['AAPL 2024-01-02', 'KO 2024-01-08']);
    expect(r.rejectedRows.map((x) => x.line)).toEqual([3, 4, 5, 7, 8]);
    expect(r.rejectedRows[0].message).toMatch(/open/);
    expect(r.rejectedRows[1].message).toMatch(/date/);
    expect(r.rejectedRows[2].message).toBe('expected 9 fields, got 7');
    expect(r.rejectedRows[3].message).toBe('empty adj_close');
    expect(r.rejectedRows[4].message).toMatch(/volume/);
  });

  it('a missing column is an error naming it', async () => {
    await writeFile(join(dir, 'no-adj.csv'), 'date,symbol,open,high,low,close,volume\n2024-01-02,AAPL,1,2,0.5,1.5,10\n');
    await expect(createFileProvider({ path: join(dir, 'no-adj.csv') }).fetchEod(['AAPL'], '2024-01-01', '2024-01-31')).rejects.toThrow(/missing column adj_close/);
    await expect(createFileProvider({ path: join(dir, 'absent.csv') }).fetchEod(['AAPL'], '2024-01-01', '2024-01-31')).rejects.toThrow(/cannot read/);
  });
});
