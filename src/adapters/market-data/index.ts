/**
 * Build the configured market-data provider: one setting,
 * `marketData.provider` (MARKET_DATA_PROVIDER), chooses the seeded synthetic
 * market, Yahoo Finance or a CSV/Parquet file.
 */
import type { Config } from '../../config/schema';
import { createFileProvider } from './file';
import { createSyntheticProvider } from './synthetic';
import { createYahooProvider } from './yahoo';
import type { DataProvider } from './types';

export type { DataProvider, EodBar, EodResult, Fundamentals, Dividend, SymbolFailure, RejectedRow } from './types';
export { createSyntheticProvider } from './synthetic';
export { createFileProvider } from './file';
export { createYahooProvider } from './yahoo';

/**
 * @example
 *   const provider = createDataProvider(loadConfig()); // synthetic by default
 */
export function createDataProvider(config: Config): DataProvider {
  const md = config.marketData;
  switch (md.provider) {
    case 'synthetic':
      return createSyntheticProvider({ seed: config.data.seed });
    case 'yahoo':
      return createYahooProvider({ delayMs: md.yahooDelayMs, baseUrl: md.yahooBaseUrl });
    case 'file':
      if (!md.filePath) throw new Error('marketData.provider is file but marketData.filePath (MARKET_DATA_FILE) is not set');
      return createFileProvider({ path: md.filePath });
  }
}
