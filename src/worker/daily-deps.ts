/**
 * The adapters the daily-pipeline activities (WF2 screen, WF3 signal) need,
 * built from the config once per worker: the repositories, the market-data
 * provider (fundamentals), the news provider and the sentiment classifier
 * (loaded lazily on the first headline, closed with the worker).
 */
import type { Config } from '../config/schema';
import type { ObjectStore } from '../adapters/object-store/types';
import type { Db } from '../adapters/postgres/pool';
import { createScreeningRepo } from '../adapters/postgres/screening-repo';
import { createSignalRepo } from '../adapters/postgres/signal-repo';
import type { DataProvider } from '../adapters/market-data/types';
import { createSyntheticProvider } from '../adapters/market-data/synthetic';
import type { NewsProvider } from '../adapters/news/types';
import type { SentimentClassifier } from '../adapters/sentiment/types';
import type { ScreenDeps } from '../../activities/screen';
import type { SignalDeps } from '../../activities/signal';

export interface DailyDeps {
  deps: Omit<ScreenDeps & SignalDeps, 'store'>;
  close(): Promise<void>;
}

export function buildDailyDeps(config: Config, db: Db, _store: ObjectStore): DailyDeps {
  const marketData: DataProvider = createSyntheticProvider({ seed: config.data.seed });
  const news: NewsProvider = { name: 'none', companyNews: async () => [] };
  let classifier: Promise<SentimentClassifier> | null = null;
  return {
    deps: {
      screening: createScreeningRepo(db),
      signals: createSignalRepo(db),
      marketData,
      news,
      sentimentClassifier: () => (classifier ??= Promise.reject(new Error('no sentiment classifier configured'))),
      signalWeights: { technical: config.signals.technicalWeight, fundamental: config.signals.fundamentalWeight, sentiment: config.signals.sentimentWeight },
    },
    async close() {
      if (classifier) await (await classifier.catch(() => null))?.close();
    },
  };
}
