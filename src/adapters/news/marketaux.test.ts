/**
 * Marketaux news against recorded responses on a loopback server: the shared
 * provider contract (two pages of results), plus paging and query details.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock, fixture, startRecordedServer, type RecordedServer } from './__fixtures__/recorded-server';
import { describeNewsProviderContract } from './contract';
import { createMarketauxNewsProvider } from './marketaux';

const servePages = (server: RecordedServer) =>
  server.setDefault('/news/all', (url) => ({
    body: fixture(url.searchParams.get('page') === '2' ? 'marketaux-news-aapl-page2.json' : 'marketaux-news-aapl-page1.json'),
  }));

describeNewsProviderContract({
  providerName: 'marketaux',
  path: '/news/all',
  keyParam: 'api_token',
  make: ({ baseUrl, apiKey, clock, logger }) =>
    createMarketauxNewsProvider({ apiKey, baseUrl, clock, logger, perMinute: 6000, retry: { maxAttempts: 4, baseDelayMs: 1000 } }),
  serveHappy: servePages,
  emptyBody: fixture('marketaux-news-empty.json'),
  wrongShapeBody: {
    meta: { found: 1, returned: 1, limit: 3, page: 1 },
    data: [{ uuid: 'x', title: 42, published_at: '2025-01-08T00:00:00.000000Z' }],
  },
  unauthorizedBody: fixture('marketaux-invalid-token.json'),
  expectedHeadlines: [
    'Apple Stock Falls After Downgrade Over Weak iPhone Outlook',
    'Apple Announces Date Of First Quarter Earnings Call',
    'Apple Services Growth Lifts Shares To Record High',
    'Apple Supplier Foxconn Reports Strong December Sales',
    'Apple Faces EU Antitrust Complaint Over App Store Fees',
  ],
});

describe('marketaux paging and query', () => {
  let server: RecordedServer;
  beforeAll(async () => {
    server = await startRecordedServer();
    servePages(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('follows pages up to maxPages and sends the documented parameters', async () => {
    server.requests.length = 0;
    const news = createMarketauxNewsProvider({ apiKey: 'mk-key', baseUrl: server.url, clock: createFakeClock(), maxPages: 1 });
    const items = await news.companyNews('AAPL', '2025-01-06', '2025-01-10');
    expect(items).toHaveLength(3);
    expect(server.requests).toHaveLength(1);
    const q = server.requests[0].searchParams;
    expect(Object.fromEntries(q)).toEqual({
      symbols: 'AAPL',
      filter_entities: 'true',
      language: 'en',
      published_after: '2025-01-06T00:00:00',
      published_before: '2025-01-10T23:59:59',
      page: '1',
      api_token: 'mk-key',
    });
    expect(items[0]).toEqual({
      symbol: 'AAPL',
      headline: 'Apple Stock Falls After Downgrade Over Weak iPhone Outlook',
      summary: 'Shares of Apple fell on Friday after an analyst downgraded the stock, warning of weaker iPhone demand.',
      publishedAt: '2025-01-10T16:45:12.000Z',
      source: 'investing.com',
      url: 'https://www.investing.com/news/stock-market-news/apple-falls-after-downgrade-123',
      provider: 'marketaux',
    });
  });

  it('stops paging when the last page is reached', async () => {
    server.requests.length = 0;
    const news = createMarketauxNewsProvider({ apiKey: 'mk-key', baseUrl: server.url, clock: createFakeClock(), maxPages: 5 });
    expect(await news.companyNews('AAPL', '2025-01-06', '2025-01-10')).toHaveLength(5);
    expect(server.requests.map((r) => r.searchParams.get('page'))).toEqual(['1', '2']);
  });
});
