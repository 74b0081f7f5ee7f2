/**
 * Parquet tables of the `screen` workflow (WF2): the claim-check price file
 * its steps read (long format: date, symbol, adj_close) and the published
 * `screening/.../screening.parquet` (one row per symbol, best rank first).
 * One home for the column names and types, so the files read the same
 * whoever writes them.
 */
import type { ScreenedSymbol } from '../../domain/screen-day';
import { nullIfNaN } from '../../domain/screen-day';
import type { ObjectStore } from '../object-store/types';
import { objectStoreAsyncBuffer, readParquet, writeParquet } from '../parquet';

const midnightMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * The screen's price file (claim check under `work/screen/<date>/`).
 *
 * @example
 *   await store.put(key, screenPricesParquet(kept, { runDate: date, from }));
 */
export function screenPricesParquet(
  rows: readonly { date: string; symbol: string; adjClose: number }[],
  meta: { runDate: string; from: string },
): Uint8Array {
  return writeParquet(
    [
      { name: 'date', type: 'timestamp', data: rows.map((r) => midnightMs(r.date)) },
      { name: 'symbol', type: 'string', data: rows.map((r) => r.symbol) },
      { name: 'adj_close', type: 'double', data: rows.map((r) => r.adjClose) },
    ],
    { metadata: { run_date: meta.runDate, from: meta.from } },
  );
}

/** The columns of a price file written by `screenPricesParquet`: dates as epoch ms. */
export async function readScreenPrices(
  store: ObjectStore,
  key: string,
): Promise<{ symbols: string[]; dates: Float64Array; adjCloses: Float64Array }> {
  const t = await readParquet(await objectStoreAsyncBuffer(store, key), { columns: ['date', 'symbol', 'adj_close'] });
  return { symbols: t.columns.symbol as string[], dates: t.columns.date as Float64Array, adjCloses: t.columns.adj_close as Float64Array };
}

const METRIC_COLUMNS = [
  'momentum_10',
  'momentum_21',
  'momentum_63',
  'momentum_126',
  'momentum_252',
  'volatility',
  'rsi',
  'sharpe',
  'max_drawdown',
] as const;

/**
 * The day's screening as Parquet (`screening/year=.../screening.parquet`).
 *
 * @example
 *   await store.put(layout.screening(dateOf(date)), screeningParquet(date, rows));
 */
export function screeningParquet(date: string, rows: readonly ScreenedSymbol[]): Uint8Array {
  const d = (f: (r: ScreenedSymbol) => number | null | undefined) => rows.map((r) => nullIfNaN(f(r)));
  return writeParquet(
    [
      { name: 'run_date', type: 'timestamp', data: rows.map(() => midnightMs(date)) },
      { name: 'symbol', type: 'string', data: rows.map((r) => r.symbol) },
      { name: 'sector', type: 'string', data: rows.map((r) => r.sector), nullable: true },
      { name: 'rank', type: 'int32', data: rows.map((r) => r.rank) },
      { name: 'quintile', type: 'int32', data: rows.map((r) => r.quintile) },
      { name: 'composite', type: 'double', data: d((r) => r.composite), nullable: true },
      { name: 'composite_z', type: 'double', data: d((r) => r.compositeZ), nullable: true },
      { name: 'momentum_score', type: 'double', data: d((r) => r.momentumScore), nullable: true },
      { name: 'low_vol_score', type: 'double', data: d((r) => r.lowVolScore), nullable: true },
      { name: 'rsi_score', type: 'double', data: d((r) => r.rsiScore), nullable: true },
      { name: 'sharpe_score', type: 'double', data: d((r) => r.sharpeScore), nullable: true },
      { name: 'cluster', type: 'int32', data: rows.map((r) => r.cluster ?? 0) },
      { name: 'cluster_label', type: 'string', data: rows.map((r) => r.clusterLabel ?? '') },
      ...METRIC_COLUMNS.map((k) => ({ name: k, type: 'double' as const, data: d((r) => r.metrics[k]), nullable: true })),
      { name: 'last_close', type: 'double', data: rows.map((r) => r.lastClose) },
      { name: 'bars', type: 'int32', data: rows.map((r) => r.bars) },
    ],
    { metadata: { workflow: 'screen', run_date: date } },
  );
}
