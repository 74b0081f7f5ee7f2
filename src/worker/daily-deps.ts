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
import { createDataProvider } from '../adapters/market-data';
import { createNewsProvider } from '../adapters/news';
import { createSentimentClassifier, type SentimentClassifier } from '../adapters/sentiment';
import type { ScreenDeps } from '../../activities/screen';
import type { SignalDeps } from '../../activities/signal';
import type { MonitorDeps } from '../../activities/monitor';
import type { BacktestDeps } from '../../activities/backtest';
import { createMonitoringRepo } from '../adapters/postgres/monitoring-repo';
import { createBacktestRepo } from '../adapters/postgres/backtest-repo';

export interface DailyDeps {
  deps: Omit<ScreenDeps & SignalDeps, 'store'>;
  close(): Promise<void>;
}

export function buildDailyDeps(config: Config, db: Db, _store: ObjectStore): DailyDeps {
  const marketData = createDataProvider(config);
  const news = createNewsProvider(config);
  let classifier: Promise<SentimentClassifier> | null = null;
  return {
    deps: {
      screening: createScreeningRepo(db),
      screenSettings: { riskFreeRate: config.screening.riskFreeRate },
      signals: createSignalRepo(db),
      marketData,
      news,
      sentimentClassifier: () =>
        (classifier ??= createSentimentClassifier(config).catch((err: unknown) => {
          classifier = null; // a failed load is retried by the next activity attempt
          throw err;
        })),
      signalWeights: {
        technical: config.signals.technicalWeight,
        fundamental: config.signals.fundamentalWeight,
        sentiment: config.signals.sentimentWeight,
      },
    },
    async close() {
      if (classifier) await (await classifier.catch(() => null))?.close();
    },
  };
}

/** Deps of WF5 monitor and WF6 backtest: their repositories and settings (thresholds, window, capital). */
export function buildMonitorBacktestDeps(config: Config, db: Db): Omit<MonitorDeps & BacktestDeps, 'store' | 'notifier'> {
  const m = config.monitoring;
  const backtests = createBacktestRepo(db);
  return {
    monitoring: createMonitoringRepo(db),
    marketCloses: backtests,
    monitorSettings: {
      windowDays: m.windowDays,
      riskFreeRate: m.riskFreeRate,
      initialCapital: config.portfolio.initialCapital,
      thresholds: {
        maxDrawdown: m.maxDrawdown,
        maxPositionWeight: m.maxPositionWeight,
        maxVar95: m.maxVar95,
        maxUnrealizedLoss: m.maxUnrealizedLoss,
      },
    },
    backtests,
    backtestSettings: {
      lookbackDays: config.backtest.lookbackDays,
      initialCapital: config.portfolio.initialCapital,
      minTradeValue: config.portfolio.minTradeValue,
      riskFreeRate: m.riskFreeRate,
      rebalance: {
        frequency: config.portfolio.rebalanceFrequency,
        bandAbsolute: config.portfolio.rebalanceBandAbsolute,
        bandRelative: config.portfolio.rebalanceBandRelative,
      },
    },
  };
}
