/**
 * What the strategies' activities get from the worker: the config, the
 * intraday bar provider (built on first use: a worker that never runs an
 * intraday workflow never builds one) and the desk factory (the execution
 * core of src/api on the strategies' own book, see strategy-desk.ts).
 */
import type { StrategiesDeps } from '../../activities/strategies/deps';
import { createIntradayProvider } from '../adapters/intraday';
import type { IntradayProvider } from '../adapters/intraday/types';
import type { PaperBroker } from '../adapters/broker/paper';
import type { Db } from '../adapters/postgres/pool';
import { openStrategyDesk } from '../api/strategy-desk';
import type { Config } from '../config/schema';

export function buildStrategiesDeps(
  config: Config,
  db: Db,
  wrapDeskBroker?: (broker: PaperBroker) => PaperBroker,
): Pick<StrategiesDeps, 'appConfig' | 'intradayProvider' | 'openDesk'> {
  let provider: IntradayProvider | undefined;
  return {
    appConfig: config,
    intradayProvider: () => (provider ??= createIntradayProvider(config)),
    openDesk: (o) => openStrategyDesk({ config, db, ...o, ...(wrapDeskBroker ? { wrapBroker: wrapDeskBroker } : {}) }),
  };
}
