/**
 * Build the configured market-data provider: one setting,
 * `marketData.provider` (MARKET_DATA_PROVIDER), chooses the seeded synthetic
 * market, Yahoo Finance, Polygon.io or a CSV/Parquet file.
 */
import type { Config } from '../../config/schema';
import { createFileProvider } from './file';
import { createSyntheticProvider } from './synthetic';
import { createYahooProvider } from './yahoo';
import { createPolygonProvider } from './polygon';
import type { DataProvider } from './types';

export type { DataProvider, EodBar, EodResult, Fundamentals, Dividend, SymbolFailure, RejectedRow } from './types';
export { createSyntheticProvider } from './synthetic';
export { createFileProvider } from './file';
export { createYahooProvider } from './yahoo';
export { createPolygonProvider } from './polygon';

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
    case 'polygon':
      // The config refuses provider polygon without a key; said again here for callers that build configs by hand.
      if (!md.polygonApiKey) throw new Error('marketData.provider is polygon but marketData.polygonApiKey (POLYGON_API_KEY) is not set');
      return createPolygonProvider({ apiKey: md.polygonApiKey, baseUrl: md.polygonBaseUrl, perMinute: md.polygonPerMinute });
    case 'file':
      if (!md.filePath) throw new Error('marketData.provider is file but marketData.filePath (MARKET_DATA_FILE) is not set');
      return createFileProvider({ path: md.filePath });
  }
}
