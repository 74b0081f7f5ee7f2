/**
 * End-of-day bars as Parquet: the format of the hive-partitioned cold store
 * (`market_data/source=<p>/year=/month=/day=/market_data.parquet`) and of the
 * claim-check files WF1 passes between activities. Columns: `date`
 * (TIMESTAMP(MILLIS, UTC) at 00:00 of the trading day), `symbol` (string),
 * `open`, `high`, `low`, `close`, `adj_close` (DOUBLE), `volume` (INT64),
 * so pyarrow and DuckDB see dates and prices with the types a user expects.
 */
import { readParquet, writeParquet, type ParquetSource } from '../parquet';
import type { EodBar } from '../market-data/types';

export const BAR_COLUMNS = ['date', 'symbol', 'open', 'high', 'low', 'close', 'adj_close', 'volume'] as const;

const dateMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * @example
 *   const bytes = barsToParquet(bars, { source: 'synthetic' });
 */
export function barsToParquet(bars: readonly EodBar[], metadata: Record<string, string> = {}): Uint8Array {
  return writeParquet(
    [
      { name: 'date', type: 'timestamp', data: Float64Array.from(bars, (b) => dateMs(b.date)) },
      { name: 'symbol', type: 'string', data: bars.map((b) => b.symbol) },
      { name: 'open', type: 'double', data: Float64Array.from(bars, (b) => b.open) },
      { name: 'high', type: 'double', data: Float64Array.from(bars, (b) => b.high) },
      { name: 'low', type: 'double', data: Float64Array.from(bars, (b) => b.low) },
      { name: 'close', type: 'double', data: Float64Array.from(bars, (b) => b.close) },
      { name: 'adj_close', type: 'double', data: Float64Array.from(bars, (b) => b.adjClose) },
      { name: 'volume', type: 'int64', data: bars.map((b) => Math.round(b.volume)) },
    ],
    { metadata },
  );
}

/** Read bars written by `barsToParquet` (or any file with those columns). */
export async function barsFromParquet(source: ParquetSource, label?: string): Promise<EodBar[]> {
  const t = await readParquet(source, { columns: [...BAR_COLUMNS], label });
  const c = t.columns;
  const out: EodBar[] = new Array(t.numRows);
  for (let i = 0; i < t.numRows; i++) {
    out[i] = {
      symbol: String(c.symbol[i]),
      date: isoOf(Number(c.date[i])),
      open: Number(c.open[i]),
      high: Number(c.high[i]),
      low: Number(c.low[i]),
      close: Number(c.close[i]),
      adjClose: Number(c.adj_close[i]),
      volume: Number(c.volume[i]),
    };
  }
  return out;
}
