/**
 * Marketaux news (the fallback provider):
 * `GET {base}/news/all?symbols=AAPL&filter_entities=true&language=en&published_after=...&published_before=...&page=N&api_token=KEY`,
 * answering { meta: { found, returned, limit, page }, data: [{ uuid, title,
 * description, snippet, url, published_at, source, entities: [{ symbol,
 * sentiment_score, ... }] }] }. Follows pages up to `maxPages` (the free plan
 * returns 3 articles a page and counts every page against a daily quota),
 * rate-limited, retried on 429/5xx, parsed with zod; the key never appears
 * in an error or a log line.
 */
import { z } from 'zod';
import { checkSymbol, dayRange, getJson, TokenBucket, type HttpNewsProviderOptions } from '../http-json';
import type { NewsItem, NewsProvider } from './types';

export interface MarketauxNewsOptions extends HttpNewsProviderOptions {
  /** Pages fetched at most per call. Default 2. */
  maxPages?: number;
}

const marketauxEntity = z.object({ symbol: z.string(), sentiment_score: z.number().nullable().optional() }).passthrough();

const marketauxArticle = z.object({
  uuid: z.string(),
  title: z.string(),
  description: z.string().nullable().optional(),
  snippet: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
  published_at: z.string(),
  source: z.string().nullable().optional(),
  entities: z.array(marketauxEntity).default([]),
});

export const marketauxNewsSchema = z.object({
  meta: z.object({
    found: z.number().int().nonnegative(),
    returned: z.number().int().nonnegative(),
    limit: z.number().int().nonnegative(),
    page: z.number().int().positive(),
  }),
  data: z.array(marketauxArticle),
});

/** Marketaux timestamps carry microseconds ("2025-01-08T14:03:27.000000Z"); keep milliseconds. */
function parseTimestamp(s: string): number {
  return Date.parse(s.replace(/(\.\d{3})\d+/, '$1'));
}

/**
 * @example
 *   const news = createMarketauxNewsProvider({ apiKey: process.env.MARKETAUX_API_KEY! });
 *   await news.companyNews('AAPL', '2025-01-06', '2025-01-10');
 */
export function createMarketauxNewsProvider(options: MarketauxNewsOptions): NewsProvider {
  const base = (options.baseUrl ?? 'https://api.marketaux.com/v1').replace(/\/+$/, '');
  const limiter = new TokenBucket({ perMinute: options.perMinute ?? 60, burst: options.burst, clock: options.clock });
  const maxPages = Math.max(1, options.maxPages ?? 2);
  return {
    name: 'marketaux',
    async companyNews(symbol, from, to) {
      const sym = checkSymbol('marketaux', symbol);
      const { start, end } = dayRange('marketaux', from, to);
      const items: NewsItem[] = [];
      const seen = new Set<string>();
      for (let page = 1; page <= maxPages; page++) {
        const url = new URL(`${base}/news/all`);
        url.search = new URLSearchParams({
          symbols: sym,
          filter_entities: 'true',
          language: 'en',
          published_after: `${from}T00:00:00`,
          published_before: `${to}T23:59:59`,
          page: String(page),
          api_token: options.apiKey,
        }).toString();
        const body = await getJson({
          provider: 'marketaux',
          what: `news ${sym} ${from}..${to} page ${page}`,
          url,
          schema: marketauxNewsSchema,
          secrets: [options.apiKey],
          limiter,
          retry: options.retry,
          clock: options.clock,
          fetch: options.fetch,
          logger: options.logger,
        });
        for (const a of body.data) {
          const at = parseTimestamp(a.published_at);
          const headline = a.title.trim();
          if (!headline || !Number.isFinite(at) || at < start || at > end || seen.has(a.uuid)) continue;
          // With filter_entities the API only returns articles that mention the symbol; check anyway when entities are given.
          if (a.entities.length > 0 && !a.entities.some((e) => e.symbol.toUpperCase() === sym)) continue;
          seen.add(a.uuid);
          items.push({
            symbol: sym,
            headline,
            summary: (a.description || a.snippet || '').trim() || undefined,
            publishedAt: new Date(at).toISOString(),
            source: a.source ?? '',
            url: a.url || undefined,
            provider: 'marketaux',
          });
        }
        const { found, returned, limit } = body.meta;
        if (returned === 0 || page * Math.max(limit, returned) >= found) break;
      }
      return items.sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0));
    },
  };
}
