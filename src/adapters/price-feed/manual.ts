/**
 * A price feed moved by hand: tests, demos and the contract suite's
 * `setPrice`. A tick is stamped with the feed's clock unless given a time.
 */
import { createTickHub, type PriceFeed, type PriceTick } from './types';

export interface ManualPriceFeedOptions {
  /** Clock for ticks set without a time (epoch ms). Default Date.now. */
  now?: () => number;
  /** Prices to start from. */
  initial?: Record<string, number>;
}

export interface ManualPriceFeed extends PriceFeed {
  /** Publish a new last price; throws InvalidPriceError for an impossible one (nothing published). */
  set(symbol: string, price: number, at?: number): PriceTick;
}

/**
 * @example
 *   const feed = createManualPriceFeed({ initial: { AAPL: 100 } });
 *   feed.set('AAPL', 101.5);
 */
export function createManualPriceFeed(options: ManualPriceFeedOptions = {}): ManualPriceFeed {
  const now = options.now ?? Date.now;
  const hub = createTickHub();
  for (const [symbol, price] of Object.entries(options.initial ?? {})) hub.publish({ symbol, price, at: now() });
  return {
    last: hub.last,
    subscribe: hub.subscribe,
    set(symbol, price, at) {
      const tick = { symbol, price, at: at ?? now() };
      hub.publish(tick);
      return tick;
    },
    async close() {
      hub.close();
    },
  };
}
