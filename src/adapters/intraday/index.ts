/**
 * Build the intraday bar provider (issue 14): the seeded synthetic market,
 * Yahoo's chart endpoint or a CSV/Parquet file, chosen by one setting, as
 * `createDataProvider` does for the daily bars. It reads a config-shaped object, so
 * the worker passes its config and a test a few fields.
 */
import { createFileIntradayProvider } from './file';
import { createSyntheticIntradayProvider } from './synthetic';
import { createYahooIntradayProvider } from './yahoo';
import type { BarInterval, IntradayProvider } from './types';

export type { BarInterval, IntradayBar, IntradayFailure, IntradayProvider, IntradayResult, IntradaySkipped } from './types';
export { createSyntheticIntradayProvider, PAIR_SPREAD } from './synthetic';
export { INTRADAY_PAIR_SYMBOLS, INTRADAY_SYMBOLS, intradayUniverse } from './universe';
export { createYahooIntradayProvider } from './yahoo';
export { createFileIntradayProvider, IntradayFileError } from './file';

export type IntradaySource = 'synthetic' | 'yahoo' | 'file';

/**
 * The settings the factory reads, shaped as the app config has them, so the worker passes its `Config`
 * (`strategies.intradaySource` INTRADAY_SOURCE, `strategies.intradayFile` INTRADAY_FILE, `data.seed`
 * QUANT_SEED, and the daily Yahoo settings) and a test passes just these.
 */
export interface IntradayProviderSettings {
  strategies: { intradaySource: IntradaySource; intradayFile?: string; intradayFileInterval?: BarInterval };
  /** synthetic: the seed of the daily synthetic market too, so the two agree. */
  data: { seed: number };
  marketData?: { yahooDelayMs?: number; yahooBaseUrl?: string };
}

/**
 * @example
 *   const provider = createIntradayProvider(loadConfig()); // synthetic unless INTRADAY_SOURCE says otherwise
 */
export function createIntradayProvider(config: IntradayProviderSettings): IntradayProvider {
  const s = config.strategies;
  switch (s.intradaySource) {
    case 'synthetic':
      return createSyntheticIntradayProvider({ seed: config.data.seed });
    case 'yahoo':
      return createYahooIntradayProvider({ delayMs: config.marketData?.yahooDelayMs, baseUrl: config.marketData?.yahooBaseUrl });
    case 'file':
      if (!s.intradayFile) throw new Error('strategies.intradaySource is file but strategies.intradayFile (INTRADAY_FILE) is not set');
      return createFileIntradayProvider({ path: s.intradayFile, interval: s.intradayFileInterval });
    default:
      throw new Error(`unknown intraday source ${String((s as { intradaySource: unknown }).intradaySource)} (synthetic, yahoo or file)`);
  }
}
