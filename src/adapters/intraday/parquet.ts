/**
 * Intraday bars as Parquet (issue 14): the cold store of one session's bars
 * of one length, under `layout.intradayBars` =
 * `intraday/source=<p>/year=YYYY/month=MM/day=DD/bars_<interval>.parquet`.
 * Columns, so pyarrow and DuckDB see what a user expects: `symbol` (string),
 * `ts` (TIMESTAMP(MILLIS, UTC), the bar's start), `open`, `high`, `low`,
 * `close` (DOUBLE), `volume` (INT64). They are also the columns the file
 * provider imports, so a stored day can be fed back as a file. Rows are
 * sorted by symbol then ts, so the same bars always make the same bytes, and
 * a rerun's write of the same key replaces the file with an identical one.
 */
import { readParquet, writeParquet, type ParquetSource } from '../parquet';
import type { ObjectStore } from '../object-store/types';
import type { IntradayBar } from './types';

export const INTRADAY_BAR_COLUMNS = ['symbol', 'ts', 'open', 'high', 'low', 'close', 'volume'] as const;

const PARQUET = { contentType: 'application/vnd.apache.parquet' };

const bySymbolThenTs = (a: IntradayBar, b: IntradayBar) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.ts - b.ts);

/**
 * @example
 *   const bytes = intradayBarsToParquet(bars, { source: 'synthetic', interval: '5m' });
 */
export function intradayBarsToParquet(bars: readonly IntradayBar[], metadata: Record<string, string> = {}): Uint8Array {
  const rows = [...bars].sort(bySymbolThenTs);
  return writeParquet(
    [
      { name: 'symbol', type: 'string', data: rows.map((b) => b.symbol) },
      { name: 'ts', type: 'timestamp', data: Float64Array.from(rows, (b) => b.ts) },
      { name: 'open', type: 'double', data: Float64Array.from(rows, (b) => b.open) },
      { name: 'high', type: 'double', data: Float64Array.from(rows, (b) => b.high) },
      { name: 'low', type: 'double', data: Float64Array.from(rows, (b) => b.low) },
      { name: 'close', type: 'double', data: Float64Array.from(rows, (b) => b.close) },
      { name: 'volume', type: 'int64', data: rows.map((b) => Math.round(b.volume)) },
    ],
    { metadata },
  );
}

/** Read bars written by `intradayBarsToParquet` (or any file with those columns and types), in file order. */
export async function intradayBarsFromParquet(source: ParquetSource, label?: string): Promise<IntradayBar[]> {
  const t = await readParquet(source, { columns: [...INTRADAY_BAR_COLUMNS], label });
  const c = t.columns;
  return Array.from({ length: t.numRows }, (_, i) => ({
    symbol: String(c.symbol[i]),
    ts: Number(c.ts[i]),
    open: Number(c.open[i]),
    high: Number(c.high[i]),
    low: Number(c.low[i]),
    close: Number(c.close[i]),
    volume: Number(c.volume[i]),
  }));
}

/**
 * Write bars to `key` (an overwrite: the same bars make the same bytes). Returns the row count.
 *
 * @example
 *   const key = layout.intradayBars('synthetic', '2024-03-04', '5m');
 *   await writeIntradayParquet(store, key, bars, { source: 'synthetic', date: '2024-03-04', interval: '5m' });
 */
export async function writeIntradayParquet(
  store: ObjectStore,
  key: string,
  bars: readonly IntradayBar[],
  metadata: Record<string, string> = {},
): Promise<number> {
  await store.put(key, intradayBarsToParquet(bars, metadata), PARQUET);
  return bars.length;
}

/** The bars stored at `key`, or [] when there is no such object. */
export async function readIntradayParquet(store: ObjectStore, key: string): Promise<IntradayBar[]> {
  if (!(await store.exists(key))) return [];
  return intradayBarsFromParquet(await store.get(key), key);
}
