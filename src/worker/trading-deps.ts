/**
 * The broker the worker's trading activities (reconciliation, risk
 * analysis) use, built from the config on first use (src/config/
 * broker-select.ts decides, and refuses unsafe settings): Alpaca when
 * BROKER=alpaca. The worker only reads from the broker; it never submits.
 * A worker that never runs a trading workflow never builds one, so broker
 * settings are not required for the daily pipeline.
 */
import type { Config } from '../config/schema';
import { selectBroker } from '../config/broker-select';
import { BrokerError, type Broker } from '../adapters/broker/types';
import { createAlpacaBroker } from '../adapters/broker/alpaca';
import type { Db } from '../adapters/postgres/pool';
import type { ObjectStore } from '../adapters/object-store/types';
import type { TradingDeps } from '../../activities/trading/deps';

export interface BuiltTradingDeps {
  deps: TradingDeps;
  close(): Promise<void>;
}

export function buildTradingDeps(config: Config, db: Db, store: ObjectStore): BuiltTradingDeps {
  let broker: Promise<Broker> | null = null;
  const build = async (): Promise<Broker> => {
    const sel = selectBroker(config);
    if (sel.kind === 'alpaca')
      return createAlpacaBroker({ baseUrl: sel.baseUrl, streamUrl: sel.streamUrl, keyId: sel.apiKey, secretKey: sel.secretKey });
    throw new BrokerError(
      'BrokerUnavailable',
      'the local paper broker is not available to the worker in this build; set BROKER=alpaca',
      false,
    );
  };
  return {
    deps: {
      tradingDb: db,
      store,
      broker: () =>
        (broker ??= build().catch((err: unknown) => {
          broker = null; // a failed build is retried by the next activity attempt
          throw err;
        })),
    },
    async close() {
      if (broker) await (await broker.catch(() => null))?.close();
    },
  };
}
