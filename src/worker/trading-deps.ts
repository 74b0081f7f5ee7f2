/**
 * The broker the worker's trading activities (reconciliation, risk
 * analysis) use, built from the config on first use (src/config/
 * broker-select.ts decides, and refuses unsafe settings). The worker only
 * reads from the broker; it never submits:
 * - Alpaca (BROKER=alpaca): the adapter; its trade stream is never opened.
 * - the local paper venue (default): the API process trades the account; the
 *   worker opens the same account (same Postgres tables) as the venue's
 *   read-only view (no feed, no clock, no writes; a submit is refused) and
 *   reloads it from the database before every use, so it sees what the API's
 *   venue wrote. Prices of that view are the positions' entry prices.
 * A worker that never runs a trading workflow never builds one, so broker
 * settings are not required for the daily pipeline.
 */
import type { Config } from '../config/schema';
import { selectBroker } from '../config/broker-select';
import type { Broker } from '../adapters/broker/types';
import { createAlpacaBroker } from '../adapters/broker/alpaca';
import { createPaperBroker, paperBrokerOptionsFromConfig, type PaperBroker } from '../adapters/broker/paper';
import { createManualPriceFeed } from '../adapters/price-feed/manual';
import type { Db } from '../adapters/postgres/pool';
import type { ObjectStore } from '../adapters/object-store/types';
import type { TradingDeps } from '../../activities/trading/deps';

export interface BuiltTradingDeps {
  deps: TradingDeps;
  close(): Promise<void>;
}

type WorkerBroker = { kind: 'alpaca'; broker: Broker } | { kind: 'paper'; broker: PaperBroker };

export function buildTradingDeps(config: Config, db: Db, store: ObjectStore): BuiltTradingDeps {
  let built: Promise<WorkerBroker> | null = null;
  const build = async (): Promise<WorkerBroker> => {
    const sel = selectBroker(config);
    if (sel.kind === 'alpaca') {
      return {
        kind: 'alpaca',
        broker: createAlpacaBroker({ baseUrl: sel.baseUrl, streamUrl: sel.streamUrl, keyId: sel.keyId, secretKey: sel.secretKey }),
      };
    }
    const feed = createManualPriceFeed();
    const broker = await createPaperBroker({ ...paperBrokerOptionsFromConfig(config.paper, { db, feed }), readOnly: true });
    return { kind: 'paper', broker };
  };
  const current = () =>
    (built ??= build().catch((err: unknown) => {
      built = null; // a failed build is retried by the next activity attempt
      throw err;
    }));
  return {
    deps: {
      tradingDb: db,
      store,
      async broker() {
        const b = await current();
        if (b.kind === 'paper') await b.broker.reload();
        return b.broker;
      },
    },
    async close() {
      if (built) await (await built.catch(() => null))?.broker.close();
    },
  };
}
