/**
 * Where the API's risk cache gets last prices and which symbols it knows (a
 * signal for any other symbol is refused as unknown). The paper broker's
 * price feed is one source; the default is the latest close per symbol in the
 * daily pipeline's `market_data` table, reloaded on the cache's refresh.
 */
import type { PriceFeed } from '../adapters/price-feed/types';

export interface QuoteSource {
  /** The last price of `symbol`, or undefined when the source does not know it. */
  price(symbol: string): number | undefined;
  /** Reload prices (called by the risk cache's refresh; may be a no-op for a live feed). */
  refresh(): Promise<void>;
}

/**
 * A quote source over a loader that returns every price at once.
 *
 * @example
 *   const quotes = createLoadedQuoteSource(() => tradingRepo.latestCloses());
 */
export function createLoadedQuoteSource(load: () => Promise<Map<string, number>>): QuoteSource {
  let prices = new Map<string, number>();
  return {
    price: (symbol) => prices.get(symbol),
    async refresh() {
      prices = await load();
    },
  };
}

/**
 * The paper venue's own price feed as the quote source: the risk manager
 * judges at the same last price the venue fills at, and the known symbols are
 * those the feed has priced.
 *
 * @example
 *   const quotes = createFeedQuoteSource(feed);
 */
export function createFeedQuoteSource(feed: Pick<PriceFeed, 'last'>): QuoteSource {
  return {
    price: (symbol) => feed.last(symbol)?.price,
    refresh: async () => undefined,
  };
}
