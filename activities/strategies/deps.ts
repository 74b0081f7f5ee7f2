/**
 * What the strategies' activities need from the worker: Postgres, the object
 * store, the notifier, the config (the strategies block, the risk limits, the
 * paper venue's costs), the intraday bar provider and a way to open a desk
 * (src/api/strategy-desk.ts, built by the worker so activities only see its
 * type).
 */
import type { IntradayProvider } from '../../src/adapters/intraday/types';
import type { Notifier } from '../../src/adapters/notify/types';
import type { ObjectStore } from '../../src/adapters/object-store/types';
import type { Db } from '../../src/adapters/postgres/pool';
import type { StrategyDesk, StrategyDeskOptions } from '../../src/api/strategy-desk';
import type { Config } from '../../src/config/schema';

export interface StrategiesDeps {
  tradingDb: Db;
  store: ObjectStore;
  notifier: Notifier;
  appConfig: Config;
  intradayProvider: () => IntradayProvider;
  openDesk: (o: Omit<StrategyDeskOptions, 'config' | 'db'>) => Promise<StrategyDesk>;
}
