/**
 * Build the configured news provider: Finnhub (primary) with Marketaux as
 * the fallback when Finnhub returns nothing or fails after its retries; just
 * one of them when only its key is set; and, with no key at all, a provider
 * that returns [] (the sentiment branch then scores a neutral 50 with
 * has_sentiment = false), logged once when it is built.
 */
import type { Config } from '../../config/schema';
import { createFinnhubNewsProvider } from './finnhub';
import { ProviderHttpError, stderrProviderLogger, type Clock, type ProviderLogger, type RetryPolicy } from '../http-json';
import { createMarketauxNewsProvider } from './marketaux';
import type { NewsItem, NewsProvider } from './types';

export type { NewsItem, NewsProvider } from './types';
export { createFinnhubNewsProvider, type FinnhubNewsOptions } from './finnhub';
export { createMarketauxNewsProvider, type MarketauxNewsOptions } from './marketaux';
export {
  ProviderHttpError,
  redactSecrets,
  TokenBucket,
  systemClock,
  type Clock,
  type ProviderLogger,
  type RetryPolicy,
} from '../http-json';

/** Injected for tests and the worker: logger, clock, fetch, retry policy. */
export interface NewsProviderDeps {
  logger?: ProviderLogger;
  clock?: Clock;
  fetch?: typeof fetch;
  retry?: RetryPolicy;
}

/** A provider that has no news: used when no API key is configured. */
export function createDisabledNewsProvider(): NewsProvider {
  return { name: 'none', companyNews: async () => [] };
}

/**
 * `primary`, and `fallback` when the primary returns no items or throws.
 * When both fail, the error names both (the primary's as `cause`).
 */
export function createFallbackNewsProvider(
  primary: NewsProvider,
  fallback: NewsProvider,
  logger: ProviderLogger = stderrProviderLogger,
): NewsProvider {
  return {
    name: `${primary.name}+${fallback.name}`,
    async companyNews(symbol, from, to): Promise<NewsItem[]> {
      let primaryError: unknown;
      try {
        const items = await primary.companyNews(symbol, from, to);
        if (items.length > 0) return items;
      } catch (err) {
        if (err instanceof ProviderHttpError && err.kind === 'client') throw err; // a bad symbol or date is bad for the fallback too
        primaryError = err;
        logger.warn('primary news provider failed, using the fallback', {
          provider: primary.name,
          fallback: fallback.name,
          symbol,
          error: err instanceof Error ? err.message : String(err),
        });
      }
      try {
        return await fallback.companyNews(symbol, from, to);
      } catch (err) {
        if (primaryError === undefined) throw err;
        const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));
        const retryable = [primaryError, err].some((e) => e instanceof ProviderHttpError && e.retryable);
        const combined = new ProviderHttpError(
          `all news providers failed for ${symbol}: ${msg(primaryError)}; ${msg(err)}`,
          `${primary.name}+${fallback.name}`,
          'server',
          retryable,
        );
        (combined as { cause?: unknown }).cause = primaryError;
        throw combined;
      }
    },
  };
}

/**
 * @example
 *   const news = createNewsProvider(loadConfig(), { logger: Runtime.instance().logger });
 *   const items = await news.companyNews('AAPL', '2025-01-06', '2025-01-10');
 */
export function createNewsProvider(config: Pick<Config, 'news'>, deps: NewsProviderDeps = {}): NewsProvider {
  const n = config.news;
  const logger = deps.logger ?? stderrProviderLogger;
  const common = { clock: deps.clock, fetch: deps.fetch, retry: deps.retry, logger };
  const finnhub = n.finnhubApiKey
    ? createFinnhubNewsProvider({ ...common, apiKey: n.finnhubApiKey, baseUrl: n.finnhubBaseUrl, perMinute: n.finnhubPerMinute })
    : undefined;
  const marketaux = n.marketauxApiKey
    ? createMarketauxNewsProvider({ ...common, apiKey: n.marketauxApiKey, baseUrl: n.marketauxBaseUrl })
    : undefined;
  if (finnhub && marketaux) return createFallbackNewsProvider(finnhub, marketaux, logger);
  if (finnhub || marketaux) return (finnhub ?? marketaux)!;
  logger.info('news disabled: neither FINNHUB_API_KEY nor MARKETAUX_API_KEY is set; sentiment is neutral (50, has_sentiment=false)', {});
  return createDisabledNewsProvider();
}
