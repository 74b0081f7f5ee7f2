/**
 * News providers for the sentiment branch of WF3: Finnhub company news
 * (primary) and Marketaux (fallback when the primary returns nothing).
 */

export interface NewsItem {
  symbol: string;
  headline: string;
  summary?: string;
  /** Publication time, ISO 8601 UTC. */
  publishedAt: string;
  source: string;
  url?: string;
  /** Which provider returned it: 'finnhub' | 'marketaux' | ... */
  provider: string;
}

export interface NewsProvider {
  readonly name: string;
  /** Items about `symbol` published in [from, to] (YYYY-MM-DD, inclusive). */
  companyNews(symbol: string, from: string, to: string): Promise<NewsItem[]>;
}
