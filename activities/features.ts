/**
 * Activity of the `features` workflow (the model pipeline's first step):
 * refresh the point-in-time universe for the date, then compute the daily
 * feature set (src/domain/features.ts) of every universe symbol from its
 * stored bars in `market_data` (adjusted closes, so splits and dividends
 * leave no jumps in the indicators; raw volume) and write that day's rows
 * under the definition's version, all or none. A symbol without a bar on
 * the date is skipped with the reason; one with too few bars for every
 * indicator is written with nulls and listed as warming up. Re-running a
 * date replaces its rows.
 */
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import type { FeatureStoreRepo } from '../src/adapters/postgres/feature-store-repo';
import type { MarketDataRepo } from '../src/adapters/postgres/market-data-repo';
import type { UniverseRepo } from '../src/adapters/postgres/universe-repo';
import { addDays } from '../src/domain/dates';
import { DAILY_FEATURE_SET, featureLookback, featureRows, type FeatureBar } from '../src/domain/features';
import { withDbFailures } from './support/db-failures';
import { asActivityFailure } from './support/failures';

export interface FeaturesDeps {
  featureStore: FeatureStoreRepo;
  universe: UniverseRepo;
  marketDataRepo: Pick<MarketDataRepo, 'loadBars'>;
}

export interface ComputeFeaturesInput {
  date: string;
}

export interface ComputeFeaturesResult {
  date: string;
  status: 'completed' | 'no_trading_data';
  featureSet: string;
  featureSetVersion: number;
  symbols: number;
  written: number;
  universeAdded: string[];
  universeRemoved: string[];
  /** Symbols without a bar on the date: no row. */
  skipped: { symbol: string; reason: string }[];
  /** Symbols written with fewer bars than every indicator needs: their slow indicators are null. */
  warmingUp: string[];
}

/**
 * The first date of the bars a date's features are computed from: twice the
 * definition's lookback in trading days (252 a year) plus two weeks of
 * holidays. RSI, EMA and MACD depend on where their history starts (TA-Lib
 * seeds them from the first bars); a fixed window makes a date's features
 * the same on every run, and twice the lookback lets EMA 200 forget its seed
 * (its weight falls to 1/e^2 over 200 more bars).
 */
export function featureHistoryStart(date: string): string {
  const bars = 2 * featureLookback(DAILY_FEATURE_SET.definition);
  return addDays(date, -(Math.ceil((bars * 365) / 252) + 14));
}

export function createFeaturesActivities(deps: FeaturesDeps) {
  return {
    async computeDailyFeatures(input: ComputeFeaturesInput): Promise<ComputeFeaturesResult> {
      return asActivityFailure(() =>
        withDbFailures('computing features', async () => {
          const { date } = input;
          const set = await deps.featureStore.ensureFeatureSet(DAILY_FEATURE_SET.name, DAILY_FEATURE_SET.definition);
          const universe = await deps.universe.refresh(
            date,
            DAILY_UNIVERSE.map((c) => ({ symbol: c.symbol, sector: c.sector })),
          );
          const symbols = await deps.universe.activeOn(date);
          const lookback = featureLookback(DAILY_FEATURE_SET.definition);
          const bars = await deps.marketDataRepo.loadBars(symbols, featureHistoryStart(date), date);
          const bySymbol = new Map<string, FeatureBar[]>();
          for (const b of bars)
            (bySymbol.get(b.symbol) ?? bySymbol.set(b.symbol, []).get(b.symbol)!).push({
              date: b.date,
              close: b.adjClose,
              volume: b.volume,
            });
          const rows: { symbol: string; date: string; features: Record<string, number | null> }[] = [];
          const skipped: { symbol: string; reason: string }[] = [];
          const warmingUp: string[] = [];
          for (const symbol of symbols) {
            const series = bySymbol.get(symbol) ?? [];
            if (series.at(-1)?.date !== date) {
              skipped.push({ symbol, reason: `no bar on ${date}` });
              continue;
            }
            if (series.length < lookback) warmingUp.push(symbol);
            const [today] = featureRows(series, DAILY_FEATURE_SET.definition, date);
            rows.push({ symbol, date, features: today.features });
          }
          const base = {
            date,
            featureSet: set.name,
            featureSetVersion: set.version,
            universeAdded: universe.added,
            universeRemoved: universe.removed,
            skipped,
            warmingUp,
          };
          if (rows.length === 0) return { ...base, status: 'no_trading_data', symbols: symbols.length, written: 0 };
          const written = await deps.featureStore.upsertFeatures(set, rows);
          return { ...base, status: 'completed', symbols: symbols.length, written };
        }),
      );
    },
  };
}
