/**
 * Finnhub company news against recorded responses on a loopback server: the
 * shared provider contract, plus the free-tier rate limit observed on a fake
 * clock (calls spaced 60/perMinute s apart, no real waiting).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock, fixture, startRecordedServer, type RecordedServer } from './__fixtures__/recorded-server';
import { describeNewsProviderContract } from './contract';
import { createFinnhubNewsProvider } from './finnhub';

describeNewsProviderContract({
  providerName: 'finnhub',
  path: '/company-news',
  keyParam: 'token',
  make: ({ baseUrl, apiKey, clock, logger }) =>
    createFinnhubNewsProvider({ apiKey, baseUrl, clock, logger, perMinute: 6000, retry: { maxAttempts: 4, baseDelayMs: 1000 } }),
  serveHappy: (server) => server.setDefault('/company-news', { body: fixture('finnhub-company-news-aapl.json') }),
  emptyBody: [],
  wrongShapeBody: fixture('finnhub-company-news-wrong-shape.json'),
  unauthorizedBody: { error: 'Invalid API key' },
  expectedHeadlines: [
    'Apple shares slip as iPhone sales in China lag rivals',
    'Apple to report first-quarter results on January 30',
    'Analysts raise Apple price targets ahead of AI-driven upgrade cycle',
    'Apple services revenue hits record, boosting margins',
  ],
});

describe('finnhub rate limit', () => {
  let server: RecordedServer;
  beforeAll(async () => {
    server = await startRecordedServer();
    server.setDefault('/company-news', { body: [] });
  });
  afterAll(async () => {
    await server.close();
  });

  it('spaces calls 1 s apart at 60/min and 2 s at 30/min, on the injected clock', async () => {
    for (const [perMinute, gap] of [
      [60, 1000],
      [30, 2000],
    ] as const) {
      server.requests.length = 0;
      const clock = createFakeClock();
      const t0 = clock.now();
      const news = createFinnhubNewsProvider({ apiKey: 'k-rate-test', baseUrl: server.url, perMinute, clock });
      const at: number[] = [];
      for (const sym of ['AAPL', 'MSFT', 'NVDA', 'JPM', 'XOM']) {
        await news.companyNews(sym, '2025-01-06', '2025-01-10');
        at.push(clock.now() - t0);
      }
      expect(at).toEqual([0, gap, 2 * gap, 3 * gap, 4 * gap]);
      expect(server.requests.map((r) => r.searchParams.get('symbol'))).toEqual(['AAPL', 'MSFT', 'NVDA', 'JPM', 'XOM']);
    }
  });

  it('serves concurrent callers one at a time, in order', async () => {
    server.requests.length = 0;
    const clock = createFakeClock();
    const news = createFinnhubNewsProvider({ apiKey: 'k-rate-test', baseUrl: server.url, perMinute: 60, clock });
    await Promise.all(['A', 'B', 'C', 'D'].map((s) => news.companyNews(s, '2025-01-06', '2025-01-10')));
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
    expect(server.requests.map((r) => r.searchParams.get('symbol'))).toEqual(['A', 'B', 'C', 'D']);
  });

  it('sends from, to and symbol as Finnhub expects', async () => {
    server.requests.length = 0;
    const news = createFinnhubNewsProvider({ apiKey: 'k-rate-test', baseUrl: `${server.url}/`, clock: createFakeClock() });
    await news.companyNews('brk.b', '2025-01-06', '2025-01-10');
    const q = server.requests[0].searchParams;
    expect([server.requests[0].pathname, q.get('symbol'), q.get('from'), q.get('to'), q.get('token')]).toEqual([
      '/company-news',
      'BRK.B',
      '2025-01-06',
      '2025-01-10',
      'k-rate-test',
    ]);
  });
});
