/**
 * Column-wise reads of a stored hourly dataset for the validation step: the
 * holdings file's column names and bar times, a market series (SPX, VIX) as
 * found (absent, lacking a column, or read), and contract columns in batches.
 * Unlike `readContractSeries` it does not throw on bad data: validation wants
 * to see the problems and judge them (src/domain/data-validation.ts).
 */
import type { ObjectStore } from '../object-store/types';
import { objectStoreAsyncBuffer, parquetColumnNames, readParquet } from '../parquet';
import type { MarketSeriesRead } from '../../domain/data-validation';
import { datasetKeys } from './store';

export interface DatasetColumns {
  /** Names of the holdings file's columns (`timestamp` and one per contract). */
  holdingColumns: ReadonlySet<string>;
  /** The holdings' bar times, epoch ms. */
  timestamps: ArrayLike<number>;
  /** SPX or VIX: absent, lacking a column, or its timestamps and closes. */
  readMarketSeries(name: 'SPX' | 'VIX'): Promise<MarketSeriesRead>;
  /** Some contract columns of the holdings file (only their bytes are fetched). */
  readHoldingColumns(contracts: readonly string[]): Promise<Record<string, ArrayLike<number>>>;
}

/**
 * Open dataset `name` for column-wise validation reads.
 *
 * @example
 *   const d = await openDatasetColumns(store, 'synthetic');
 *   const vix = await d.readMarketSeries('VIX');
 */
export async function openDatasetColumns(store: ObjectStore, name: string): Promise<DatasetColumns> {
  const keys = datasetKeys(name);
  const holdings = await objectStoreAsyncBuffer(store, keys.holdings);
  const holdingColumns = new Set(await parquetColumnNames(holdings));
  const timestamps = (await readParquet(holdings, { columns: ['timestamp'] })).columns.timestamp as ArrayLike<number>;
  return {
    holdingColumns,
    timestamps,
    async readMarketSeries(series) {
      const key = series === 'SPX' ? keys.spx : keys.vix;
      if (!(await store.exists(key))) return { kind: 'missing', key };
      const buf = await objectStoreAsyncBuffer(store, key);
      const cols = await parquetColumnNames(buf);
      if (!cols.includes('close')) return { kind: 'lacksColumn', key, column: 'close' };
      if (!cols.includes('timestamp')) return { kind: 'lacksColumn', key, column: 'timestamp' };
      const t = await readParquet(buf, { columns: ['timestamp', 'close'] });
      return { kind: 'read', key, timestamps: t.columns.timestamp as ArrayLike<number>, close: t.columns.close as ArrayLike<number> };
    },
    async readHoldingColumns(contracts) {
      const t = await readParquet(holdings, { columns: [...contracts] });
      return Object.fromEntries(contracts.map((c) => [c, t.columns[c] as ArrayLike<number>]));
    },
  };
}
