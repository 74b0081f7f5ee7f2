/**
 * What the trading activities (reconciliation, risk analysis) need from the
 * worker: the Postgres pool, the broker (built on first use, because only
 * these activities need it and a worker without broker settings must still
 * run the daily pipeline) and the object store for reports.
 */
import type { Broker } from '../../src/adapters/broker/types';
import type { Notifier } from '../../src/adapters/notify/types';
import type { ObjectStore } from '../../src/adapters/object-store/types';
import type { Db } from '../../src/adapters/postgres/pool';

export interface TradingDeps {
  tradingDb: Db;
  /** The configured broker; the same instance on every call. */
  broker: () => Promise<Broker>;
  store: ObjectStore;
  /** Where a new trading halt is also sent (ALERT_WEBHOOK_URL); undefined without one. */
  haltAlerts?: Notifier;
}
