/**
 * The file provider: the shared contract on CSV and Parquet, malformed rows
 * with line numbers, and the whole-file errors (a missing column, input that
 * is not text, no valid row, duplicate (symbol, date) rows).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDataProviderContract } from './contract';
import { createFileProvider, decodeCsvText, parseBarsCsv } from './file';
import { DuplicateRowsError, EmptyImportError, NotTextFileError } from './errors';
import { createSyntheticProvider } from './synthetic';
import { barsToParquet } from '../tables/market-data';
import type { EodBar } from './types';

let dir: string;
let bars: EodBar[];
const header = 'date,symbol,open,high,low,close,adj_close,volume';
const toCsv = (list: EodBar[]) =>
  [header, ...list.map((b) => [b.date, b.symbol, b.open, b.high, b.low, b.close, b.adjClose, b.volume].join(','))].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qw-file-provider-'));
  bars = (await createSyntheticProvider({ seed: 5 }).fetchEod(['AAPL', 'KO', 'XOM'], '2024-01-01', '2024-03-31')).bars;
  await writeFile(join(dir, 'bars.csv'), toCsv(bars));
  await writeFile(join(dir, 'bars.parquet'), barsToParquet(bars));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeDataProviderContract('file (CSV)', async () => ({
  provider: createFileProvider({ path: join(dir, 'bars.csv') }),
  symbols: ['AAPL', 'KO'],
  unknown: 'ZZZZ',
  from: '2024-02-01',
  to: '2024-03-15',
}));
describeDataProviderContract('file (Parquet)', async () => ({
  provider: createFileProvider({ path: join(dir, 'bars.parquet') }),
  symbols: ['AAPL', 'KO'],
  unknown: 'ZZZZ',
  from: '2024-02-01',
  to: '2024-03-15',
}));

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
    await expect(createFileProvider({ path: join(dir, 'no-adj.csv') }).fetchEod(['AAPL'], '2024-01-01', '2024-01-31')).rejects.toThrow(
      /missing column adj_close/,
    );
    await expect(createFileProvider({ path: join(dir, 'absent.csv') }).fetchEod(['AAPL'], '2024-01-01', '2024-01-31')).rejects.toThrow(
      /cannot read/,
    );
  });

  it('refuses input that is not text with NotTextFile, quoting only a short escaped excerpt', async () => {
    // A zip header followed by binary noise, as in the drill's garbage CSV.
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, ...Array.from({ length: 4000 }, (_, i) => (i * 37) % 256)]);
    await writeFile(join(dir, 'garbage.csv'), zip);
    const err = await createFileProvider({ path: join(dir, 'garbage.csv') })
      .fetchEod(['AAPL'], '2024-01-01', '2024-01-31')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotTextFileError);
    expect(err).toMatchObject({ type: 'NotTextFile', retryable: false });
    const message = (err as Error).message;
    expect(message).toMatch(/not a text file: binary data \(NUL byte at offset 5\); starts "PK\\x03\\x04\\x14\\x00/);
    expect(message.length).toBeLessThan(400);
    expect(message).not.toMatch(/[\u0000-\u0008\u007f-\uffff]/);

    // Latin-1 text is not UTF-8.
    expect(() => decodeCsvText(new Uint8Array([0x64, 0x61, 0x74, 0x65, 0x0a, 0xe9, 0xff]), 'latin1.csv')).toThrow(
      /latin1.csv: not a text file: not valid UTF-8/,
    );
    expect(() => decodeCsvText(new TextEncoder().encode('date,symbol\n2024-01-02,AA\u0007PL\n'), 'bell.csv')).toThrow(
      /control character U\+0007 on line 2/,
    );
    expect(decodeCsvText(new TextEncoder().encode('\ufeffdate,symbol\n'), 'bom.csv')).toBe('date,symbol\n');
  });

  it('a file without one valid row is an EmptyImport, not an empty success', async () => {
    expect(() => parseBarsCsv(`${header}\n`, 'header-only.csv')).toThrow(EmptyImportError);
    expect(() => parseBarsCsv(`${header}\n`, 'header-only.csv')).toThrow(
      /header-only.csv: no valid rows: the file has a header and no data rows/,
    );
    const badDates = [header, '2024-13-01,AAPL,1,2,0.5,1.5,1.5,10', '02/01/2024,AAPL,1,2,0.5,1.5,1.5,10'].join('\n');
    expect(() => parseBarsCsv(badDates, 'dates.csv')).toThrow(
      /dates.csv: no valid rows: all 2 data rows are malformed \(first: line 2: date/,
    );
    await writeFile(join(dir, 'empty.parquet'), barsToParquet([]));
    await expect(createFileProvider({ path: join(dir, 'empty.parquet') }).fetchEod(['AAPL'], '2024-01-01', '2024-01-31')).rejects.toThrow(
      EmptyImportError,
    );
  });

  it('rejects the whole file on duplicate (symbol, date) rows, listing each repeat by line', async () => {
    const text = [
      header,
      '2024-01-02,AAPL,100,101,99,100.5,100.5,1000', // line 2
      '2024-01-02,KO,60,61,59,60.5,60.5,5', // line 3
      '2024-01-03,AAPL,100,101,99,100.5,100.5,1000', // line 4
      '2024-01-02,AAPL,100,102,99,101,101,1200', // line 5 repeats line 2
      '2024-01-02,KO,60,61,59,60.5,60.5,5', // line 6 repeats line 3 (same values: still a repeat)
    ].join('\n');
    let err: unknown;
    try {
      parseBarsCsv(text, 'dups.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DuplicateRowsError);
    expect((err as DuplicateRowsError).duplicates).toEqual([
      { line: 5, firstLine: 2, symbol: 'AAPL', date: '2024-01-02' },
      { line: 6, firstLine: 3, symbol: 'KO', date: '2024-01-02' },
    ]);
    expect((err as Error).message).toBe(
      'dups.csv: 2 duplicate (symbol, date) rows, file rejected (nothing imported): line 5 repeats AAPL 2024-01-02 of line 2; line 6 repeats KO 2024-01-02 of line 3',
    );

    await writeFile(join(dir, 'dups.parquet'), barsToParquet([bars[0], bars[1], bars[0]]));
    await expect(createFileProvider({ path: join(dir, 'dups.parquet') }).fetchEod(['AAPL'], '2024-01-01', '2024-03-31')).rejects.toThrow(
      new RegExp(`line 4 repeats ${bars[0].symbol} ${bars[0].date} of line 2`),
    );
  });
});
