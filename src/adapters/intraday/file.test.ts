/**
 * The intraday file provider: the shared contract on CSV and Parquet; the
 * forms of `ts` (ISO 8601 with an offset, epoch ms, a Parquet TIMESTAMP);
 * a bad row failing the whole file with an error that names file, row and
 * column; duplicates, a missing column, no rows, a binary file; the bar
 * length read off the file, coarser bars aggregated and finer ones refused;
 * the factory. Expected bars are the synthetic ones the test writes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntradayProviderContract } from './contract';
import { createFileIntradayProvider, inferBarInterval, IntradayFileError, parseBarTs, parseIntradayCsv } from './file';
import { createSyntheticIntradayProvider } from './synthetic';
import { intradayBarsToParquet } from './parquet';
import { createIntradayProvider } from './index';
import { writeParquet } from '../parquet';
import { EmptyImportError, NotTextFileError } from '../market-data/errors';
import { aggregateBars, newYorkClock } from '../../domain/intraday-bars';
import type { IntradayBar } from './types';

const FROM = Date.parse('2024-03-04T00:00:00Z');
const TO = Date.parse('2024-03-09T00:00:00Z');
const HEADER = 'symbol,ts,open,high,low,close,volume';

/** ISO 8601 in New York time with its offset, as a user's export would have it. */
const nyIso = (ts: number) => {
  const { date, hhmm } = newYorkClock(ts);
  const offsetHours = Math.round((Date.parse(`${date}T${hhmm}:00Z`) - ts) / 3_600_000); // -5 (EST) or -4 (EDT)
  return `${date}T${hhmm}:00-0${-offsetHours}:00`;
};
const toCsv = (list: IntradayBar[], ts: (b: IntradayBar) => string | number = (b) => nyIso(b.ts)) =>
  [HEADER, ...list.map((b) => [b.symbol, ts(b), b.open, b.high, b.low, b.close, b.volume].join(','))].join('\n') + '\n';

let dir: string;
let bars: IntradayBar[];
const path = (name: string) => join(dir, name);
const errorOf = async (p: Promise<unknown>) => (await p.then(() => undefined).catch((e: unknown) => e)) as Error;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qw-intraday-file-'));
  bars = (await createSyntheticIntradayProvider({ seed: 5 }).fetchBars(['AAPL', 'ATEN', 'KO'], FROM, TO, '5m')).bars;
  await writeFile(path('bars.csv'), toCsv(bars));
  await writeFile(path('bars.parquet'), intradayBarsToParquet(bars));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeIntradayProviderContract('file (CSV)', async () => ({
  provider: createFileIntradayProvider({ path: path('bars.csv') }),
  symbols: ['AAPL', 'ATEN'],
  unknown: 'ZZZZ',
  from: FROM,
  to: TO,
  interval: '5m',
}));

describeIntradayProviderContract('file (Parquet)', async () => ({
  provider: createFileIntradayProvider({ path: path('bars.parquet') }),
  symbols: ['KO', 'ATEN'],
  unknown: 'ZZZZ',
  from: FROM,
  to: TO,
  interval: '5m',
}));

describe('intraday file provider', () => {
  it('imports CSV with New York offsets, UTC "Z" times or epoch ms, and Parquet, to the same bars', async () => {
    await writeFile(
      path('z.csv'),
      toCsv(bars, (b) => new Date(b.ts).toISOString()),
    );
    await writeFile(
      path('ms.csv'),
      toCsv(bars, (b) => b.ts),
    );
    const want = bars.filter((b) => b.symbol === 'AAPL');
    expect(want).toHaveLength(5 * 78);
    for (const file of ['bars.csv', 'z.csv', 'ms.csv', 'bars.parquet']) {
      const r = await createFileIntradayProvider({ path: path(file) }).fetchBars(['AAPL'], FROM, TO, '5m');
      expect(r, file).toEqual({ bars: want, failures: [] });
    }
  });

  it('reads Parquet whose ts is epoch ms (INT64) or ISO text', async () => {
    const aapl = bars.filter((b) => b.symbol === 'AAPL').slice(0, 10);
    const cols = (ts: Parameters<typeof writeParquet>[0][number]) =>
      writeParquet([
        { name: 'symbol', type: 'string', data: aapl.map((b) => b.symbol) },
        ts,
        ...(['open', 'high', 'low', 'close', 'volume'] as const).map((k) => ({
          name: k,
          type: 'double' as const,
          data: aapl.map((b) => b[k]),
        })),
      ]);
    await writeFile(path('int.parquet'), cols({ name: 'ts', type: 'int64', data: aapl.map((b) => b.ts) }));
    await writeFile(path('iso.parquet'), cols({ name: 'ts', type: 'string', data: aapl.map((b) => nyIso(b.ts)) }));
    for (const file of ['int.parquet', 'iso.parquet']) {
      expect((await createFileIntradayProvider({ path: path(file) }).fetchBars(['AAPL'], FROM, TO, '5m')).bars, file).toEqual(aapl);
    }
  });

  it('fails the whole file on a bad row, naming file, row, line and column', async () => {
    const lines = toCsv(bars.slice(0, 5)).split('\n');
    lines[3] = lines[3].replace(/,[^,]+,([^,]+),([^,]+)$/, ',abc,$1,$2'); // row 3 (line 4): low is not a number
    await writeFile(path('bad.csv'), lines.join('\n'));
    const p = createFileIntradayProvider({ path: path('bad.csv') });
    const err = await errorOf(p.fetchBars(['AAPL'], FROM, TO, '5m'));
    expect(err).toBeInstanceOf(IntradayFileError);
    expect(err).toMatchObject({ type: 'InvalidIntradayFile', retryable: false });
    expect(err.message).toBe(`${path('bad.csv')}: row 3 (line 4), column low: not a number ("abc")`);
    expect((err as IntradayFileError).problems).toEqual([{ row: 3, line: 4, column: 'low', message: 'not a number ("abc")' }]);
  });

  it('lists every bad row and column at once', () => {
    const t = Date.parse('2024-03-04T14:30:00Z');
    const text = [
      HEADER,
      `AAPL,${t},1,2,0.5,1.5,100`,
      `AAPL,2024-03-04T09:35:00,1,2,0.5,1.5,100`, // no offset
      `AAPL,${t / 1000},1,2,0.5,1.5,100`, // epoch seconds
      `AAPL,${t + 60_000},1,2,0.5,NaN,-5`, // NaN close, negative volume
      `,${t},1,2,0.5,1.5,100`, // empty symbol
      `AAPL,${t},1,2,0.5,1.5`, // short row
      `AAPL,2024-02-30T09:30:00-05:00,1,2,0.5,1.5,100`, // no such day
    ].join('\n');
    const err = (() => {
      try {
        parseIntradayCsv(text, 'x.csv', '5m');
      } catch (e) {
        return e as IntradayFileError;
      }
    })()!;
    expect(err).toBeInstanceOf(IntradayFileError);
    expect(err.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'ts'],
      [3, 'ts'],
      [4, 'ts'],
      [4, 'close'],
      [4, 'volume'],
      [5, 'symbol'],
      [6, '*'],
      [7, 'ts'],
    ]);
    expect(err.message).toMatch(/^x\.csv: 8 problems: row 2 \(line 3\), column ts: "2024-03-04T09:35:00" has no UTC offset/);
    expect(err.problems[1].message).toBe(`${t / 1000} looks like epoch seconds; give epoch milliseconds`);
    expect(err.problems[3].message).toBe('not a number ("NaN")');
    expect(err.problems[6].message).toBe('expected 7 fields, got 6');
    expect(err.problems[7].message).toBe('"2024-02-30T09:30:00-05:00" is not a valid date and time');
    expect(err.message).toContain('row 4 (line 5), column ts: 2024-03-04T14:31:00.000Z is not a 5m bar start (a multiple of 5 minutes)');
  });

  it('refuses a repeated (symbol, ts), naming both rows', async () => {
    await writeFile(path('dup.parquet'), intradayBarsToParquet([bars[0], bars[1], { ...bars[0], close: bars[0].close + 1 }]));
    const err = await errorOf(createFileIntradayProvider({ path: path('dup.parquet') }).fetchBars(['AAPL'], FROM, TO, '5m'));
    expect(err.message).toBe(`${path('dup.parquet')}: row 2, column ts: repeats AAPL 2024-03-04T14:30:00.000Z of row 1`);
  });

  it('names a missing column, and refuses a header without rows and a binary file', async () => {
    await writeFile(path('nocol.csv'), 'symbol,time,open,high,low,close\nAAPL,1,1,1,1,1\n');
    const missing = await errorOf(createFileIntradayProvider({ path: path('nocol.csv') }).fetchBars(['AAPL'], FROM, TO, '5m'));
    expect(missing).toBeInstanceOf(IntradayFileError);
    expect((missing as IntradayFileError).problems.map((p) => p.column)).toEqual(['ts', 'volume']);
    expect(missing.message).toMatch(/: 2 problems: column ts: missing \(the file has header "symbol,time,open,high,low,close"\)/);
    await writeFile(path('empty.csv'), `${HEADER}\n`);
    expect(await errorOf(createFileIntradayProvider({ path: path('empty.csv') }).fetchBars(['AAPL'], FROM, TO, '5m'))).toBeInstanceOf(
      EmptyImportError,
    );
    await writeFile(path('binary.csv'), new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]));
    expect(await errorOf(createFileIntradayProvider({ path: path('binary.csv') }).fetchBars(['AAPL'], FROM, TO, '5m'))).toBeInstanceOf(
      NotTextFileError,
    );
    const gone = await errorOf(createFileIntradayProvider({ path: path('nope.csv') }).fetchBars(['AAPL'], FROM, TO, '5m'));
    expect(gone.message).toMatch(/nope\.csv: cannot read: ENOENT/);
  });

  it('reads the bar length off the file: serves coarser bars aggregated, refuses finer ones', async () => {
    const p = createFileIntradayProvider({ path: path('bars.csv') });
    const fifteen = await p.fetchBars(['AAPL', 'KO'], FROM, TO, '15m');
    expect(fifteen.bars).toEqual(
      aggregateBars(
        bars.filter((b) => b.symbol === 'AAPL' || b.symbol === 'KO'),
        '15m',
      ),
    );
    expect(fifteen.bars.filter((b) => b.symbol === 'AAPL')).toHaveLength(5 * 26);
    const one = await p.fetchBars(['AAPL', 'ZZZZ'], FROM, TO, '1m');
    expect(one).toEqual({
      bars: [],
      failures: [
        { symbol: 'AAPL', reason: `AAPL: ${path('bars.csv')} has 5m bars; 1m bars cannot be made from them` },
        { symbol: 'ZZZZ', reason: `ZZZZ: not in ${path('bars.csv')}` },
      ],
    });
    // Declared 15m, but the rows are 5 minutes apart: the first one off the 15m clock is named.
    const err = await errorOf(createFileIntradayProvider({ path: path('bars.csv'), interval: '15m' }).fetchBars(['AAPL'], FROM, TO, '15m'));
    expect(err.message).toMatch(/: \d+ problems: row 2 \(line 3\), column ts: 2024-03-04T14:35:00\.000Z is not a 15m bar start/);
  });

  it('infers 1m, 5m (also with holes) and 15m, and a lone bar by its clock', () => {
    const t = Date.parse('2024-03-04T14:30:00Z');
    const at = (...mins: number[]) => mins.map((m) => ({ symbol: 'A', ts: t + m * 60_000 }));
    expect(inferBarInterval(at(0, 1, 2))).toBe('1m');
    expect(inferBarInterval(at(0, 5, 20, 25))).toBe('5m');
    expect(inferBarInterval(at(0, 10))).toBe('5m'); // 10 minutes: two 5m steps, not 15m
    expect(inferBarInterval(at(0, 15, 45))).toBe('15m');
    expect(inferBarInterval(at(5))).toBe('5m');
    expect(inferBarInterval([...at(0), { symbol: 'B', ts: t + 60_000 }])).toBe('1m');
  });

  it('parses ts forms exactly', () => {
    const t = Date.parse('2024-03-04T14:30:00Z');
    expect(parseBarTs('2024-03-04T09:30:00-05:00')).toBe(t);
    expect(parseBarTs('2024-03-04 09:30-0500')).toBe(t);
    expect(parseBarTs('2024-03-04T20:00:00+05:30')).toBe(t);
    expect(parseBarTs('2024-03-04T14:30:00.000Z')).toBe(t);
    expect(parseBarTs(String(t))).toBe(t);
    expect(parseBarTs(t)).toBe(t);
    expect(parseBarTs('2024-03-04')).toMatch(/has no UTC offset/);
    expect(parseBarTs('yesterday')).toMatch(/is neither ISO 8601 with an offset nor epoch milliseconds/);
    expect(parseBarTs('86400000')).toMatch(/is not between 1990 and 2100/);
  });

  it('is chosen by strategies.intradaySource file, which needs strategies.intradayFile', async () => {
    const p = createIntradayProvider({ strategies: { intradaySource: 'file', intradayFile: path('bars.parquet') }, data: { seed: 1 } });
    expect(p.name).toBe('file');
    expect((await p.fetchBars(['KO'], FROM, TO, '5m')).bars).toHaveLength(5 * 78);
    expect(() => createIntradayProvider({ strategies: { intradaySource: 'file' }, data: { seed: 1 } })).toThrow(/INTRADAY_FILE/);
    expect(createIntradayProvider({ strategies: { intradaySource: 'synthetic' }, data: { seed: 1 } }).name).toBe('synthetic');
  });
});
