/**
 * The venue `quant api` trades on, chosen by the config (BROKER, TRADING_MODE;
 * src/config/broker-select.ts refuses unsafe combinations, so live trading
 * without ALPACA_LIVE_CONFIRM never gets this far):
 *
 * - `paper` (default): the local paper venue on this service's Postgres. Its
 *   prices are the latest close of every symbol in `market_data` (after
 *   `quant run pipeline` or an ingest), else the seeded synthetic market's
 *   last close before today for its 49-name universe, so a fresh clone can
 *   trade at once. They stay put until a feed moves them; the risk manager
 *   judges at the venue's own last price.
 * - `alpaca`: Alpaca's Trading API (paper or live account) and its
 *   trade_updates stream. The risk manager's prices are the latest closes in
 *   `market_data` (the service's default quote source, reloaded on every
 *   risk-cache refresh), so the daily pipeline's ingest must have run: a
 *   symbol without a close is refused as unknown. Alpaca fills at its own
 *   market price; only sizing and the risk checks use the close.
 */
import { createAlpacaBroker } from '../adapters/broker/alpaca';
import { createPaperBroker, paperBrokerOptionsFromConfig } from '../adapters/broker/paper';
import type { Broker } from '../adapters/broker/types';
import { DAILY_UNIVERSE } from '../adapters/hourly-dataset/universe';
import { createSyntheticProvider } from '../adapters/market-data/synthetic';
import type { Db } from '../adapters/postgres/pool';
import { createTradingRepo } from '../adapters/postgres/trading-repo';
import { createManualPriceFeed } from '../adapters/price-feed/manual';
import { describeBrokerSelection, type BrokerSelection } from '../config/broker-select';
import type { Config } from '../config/schema';
import { addDays, formatIsoDate } from '../domain/dates';
import { createFeedQuoteSource, type QuoteSource } from './quotes';

export interface Venue {
  broker: Broker;
  /** Undefined: the service's default (latest closes in market_data). */
  quotes?: QuoteSource;
  /** One line for the start-up message: venue, mode, where prices come from; never a key. */
  description: string;
  close(): Promise<void>;
}

/** Starting prices of the paper venue (see the top of this file) and where they came from. */
async function paperStartingPrices(config: Config, db: Db): Promise<{ prices: Map<string, number>; source: string }> {
  const stored = await createTradingRepo(db).latestCloses();
  if (stored.size > 0) return { prices: stored, source: `latest closes of ${stored.size} symbols in market_data` };
  const today = formatIsoDate(new Date());
  const symbols = DAILY_UNIVERSE.map((c) => c.symbol);
  // A private cache: the API reads one week once, and must not keep the paths since 2000 for its whole life.
  const r = await createSyntheticProvider({ seed: config.data.seed, cache: 'private' }).fetchEod(
    symbols,
    addDays(today, -10),
    addDays(today, -1),
  );
  const prices = new Map<string, number>();
  for (const b of r.bars) prices.set(b.symbol, b.close); // bars come in date order: the last one wins
  return { prices, source: `the synthetic market's last close of ${prices.size} symbols (market_data is empty)` };
}

/**
 * Open the venue `selectBroker(config)` chose (decided first, before anything
 * starts, so unsafe settings are refused without side effects).
 *
 * @example
 *   const venue = await openVenue(config, db, selectBroker(config));
 *   const service = await startApiService({ config, db, broker: venue.broker, quotes: venue.quotes });
 */
export async function openVenue(config: Config, db: Db, sel: BrokerSelection): Promise<Venue> {
  if (sel.kind === 'alpaca') {
    const broker = createAlpacaBroker({ baseUrl: sel.baseUrl, streamUrl: sel.streamUrl, keyId: sel.keyId, secretKey: sel.secretKey });
    const closes = (await createTradingRepo(db).latestCloses()).size;
    const prices =
      closes > 0
        ? `risk prices: latest closes of ${closes} symbols in market_data`
        : 'risk prices: NONE (market_data is empty: every signal is refused as an unknown symbol until `quant run ingest` has run)';
    return { broker, description: `${describeBrokerSelection(sel)}, ${prices}`, close: () => broker.close() };
  }
  const { prices, source } = await paperStartingPrices(config, db);
  const feed = createManualPriceFeed({ initial: Object.fromEntries(prices) });
  const broker = await createPaperBroker(paperBrokerOptionsFromConfig(config.paper, { db, feed }));
  return {
    broker,
    quotes: createFeedQuoteSource(feed),
    description: `broker: paper account "${config.paper.account}", prices: ${source}`,
    async close() {
      await broker.close();
      await feed.close();
    },
  };
}
