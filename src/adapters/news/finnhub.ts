/**
 * Finnhub company news (the primary news provider):
 * `GET {base}/company-news?symbol=AAPL&from=YYYY-MM-DD&to=YYYY-MM-DD&token=KEY`,
 * answering a JSON array of { category, datetime (unix s), headline, id,
 * image, related, source, summary, url }. Rate-limited to the free tier
 * (60 calls a minute by default), retried on 429/5xx, parsed with zod; the
 * key never appears in an error or a log line.
 */
import { z } from 'zod';
import { checkSymbol, dayRange, getJson, TokenBucket, type HttpNewsProviderOptions } from '../http-json';
import type { NewsItem, NewsProvider } from './types';

/** Base URL default https://finnhub.io/api/v1; 60 calls a minute is the free tier. */
export type FinnhubNewsOptions = HttpNewsProviderOptions;

const finnhubItem = z.object({
  category: z.string().optional(),
  datetime: z.number().int().nonnegative(),
  headline: z.string(),
  id: z.number().optional(),
  image: z.string().optional(),
  related: z.string().optional(),
  source: z.string().default(''),
  summary: z.string().optional(),
  url: z.string().optional(),
});

export const finnhubCompanyNewsSchema = z.array(finnhubItem);

/**
 * @example
 *   const news = createFinnhubNewsProvider({ apiKey: process.env.FINNHUB_API_KEY! });
 *   await news.companyNews('AAPL', '2025-01-06', '2025-01-10');
 */
export function createFinnhubNewsProvider(options: FinnhubNewsOptions): NewsProvider {
  const base = (options.baseUrl ?? 'https://finnhub.io/api/v1').replace(/\/+$/, '');
  const limiter = new TokenBucket({ perMinute: options.perMinute ?? 60, burst: options.burst, clock: options.clock });
  return {
    name: 'finnhub',
    async companyNews(symbol, from, to) {
      const sym = checkSymbol('finnhub', symbol);
      const { start, end } = dayRange('finnhub', from, to);
      const url = new URL(`${base}/company-news`);
      url.search = new URLSearchParams({ symbol: sym, from, to, token: options.apiKey }).toString();
      const rows = await getJson({
        provider: 'finnhub',
        what: `company news ${sym} ${from}..${to}`,
        url,
        schema: finnhubCompanyNewsSchema,
        secrets: [options.apiKey],
        limiter,
        retry: options.retry,
        clock: options.clock,
        fetch: options.fetch,
        logger: options.logger,
      });
      const seen = new Set<string>();
      const items: NewsItem[] = [];
      for (const r of rows) {
        const headline = r.headline.trim();
        const at = r.datetime * 1000;
        if (!headline || at < start || at > end) continue;
        const dedupe = r.id !== undefined ? `id:${r.id}` : `${r.url ?? ''}|${headline}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        items.push({
          symbol: sym,
          headline,
          summary: r.summary?.trim() || undefined,
          publishedAt: new Date(at).toISOString(),
          source: r.source,
          url: r.url || undefined,
          provider: 'finnhub',
        });
      }
      return items.sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0));
    },
  };
}
