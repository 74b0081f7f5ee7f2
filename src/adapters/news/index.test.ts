/**
 * `createNewsProvider` from config, against recorded responses on one
 * loopback server standing in for both APIs (base URLs from the config):
 * Finnhub first, Marketaux when Finnhub has nothing or fails after its
 * retries, [] with a single "news disabled" log line when no key is set, and
 * no key in any error or log line.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema';
import { createFakeClock, fixture, startRecordedServer, type RecordedServer } from './__fixtures__/recorded-server';
import { createNewsProvider, ProviderHttpError, redactSecrets, TokenBucket, type ProviderLogger } from './index';

const FINNHUB_KEY = 'fh-secret-0a1b2c3d4e';
const MARKETAUX_KEY = 'mx-secret-9z8y7x6w5v';

describe('createNewsProvider', () => {
  let server: RecordedServer;
  let logs: string[];
  const logger: ProviderLogger = {
    info: (m, meta) => logs.push(JSON.stringify({ level: 'info', m, meta })),
    warn: (m, meta) => logs.push(JSON.stringify({ level: 'warn', m, meta })),
  };
  const config = (news: Record<string, unknown>) =>
    configSchema.parse({
      news: { finnhubBaseUrl: `${server.url}/finnhub/api/v1`, marketauxBaseUrl: `${server.url}/marketaux/v1`, ...news },
    });
  const build = (news: Record<string, unknown>) =>
    createNewsProvider(config(news), { logger, clock: createFakeClock(), retry: { maxAttempts: 3, baseDelayMs: 500 } });

  beforeAll(async () => {
    server = await startRecordedServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    logs = [];
    server.setDefault('/marketaux/v1/news/all', (url) => ({
      body: fixture(url.searchParams.get('page') === '2' ? 'marketaux-news-aapl-page2.json' : 'marketaux-news-aapl-page1.json'),
    }));
  });

  it('uses Finnhub when it has news', async () => {
    server.setDefault('/finnhub/api/v1/company-news', { body: fixture('finnhub-company-news-aapl.json') });
    const news = build({ finnhubApiKey: FINNHUB_KEY, marketauxApiKey: MARKETAUX_KEY });
    expect(news.name).toBe('finnhub+marketaux');
    const items = await news.companyNews('AAPL', '2025-01-06', '2025-01-10');
    expect(new Set(items.map((i) => i.provider))).toEqual(new Set(['finnhub']));
    expect(server.requests.map((r) => r.pathname)).toEqual(['/finnhub/api/v1/company-news']);
  });

  it('falls back to Marketaux when Finnhub returns nothing', async () => {
    server.setDefault('/finnhub/api/v1/company-news', { body: [] });
    const items = await build({ finnhubApiKey: FINNHUB_KEY, marketauxApiKey: MARKETAUX_KEY }).companyNews(
      'AAPL',
      '2025-01-06',
      '2025-01-10',
    );
    expect(items).toHaveLength(5);
    expect(new Set(items.map((i) => i.provider))).toEqual(new Set(['marketaux']));
    expect(server.requests[0].searchParams.get('token')).toBe(FINNHUB_KEY);
    expect(server.requests[1].searchParams.get('api_token')).toBe(MARKETAUX_KEY);
  });

  it('falls back to Marketaux when Finnhub fails after its retries, logging without the key', async () => {
    server.setDefault('/finnhub/api/v1/company-news', { status: 500, body: 'oops' });
    const items = await build({ finnhubApiKey: FINNHUB_KEY, marketauxApiKey: MARKETAUX_KEY }).companyNews(
      'AAPL',
      '2025-01-06',
      '2025-01-10',
    );
    expect(items).toHaveLength(5);
    expect(server.requests.filter((r) => r.pathname.startsWith('/finnhub')).length).toBe(3);
    expect(logs.some((l) => l.includes('using the fallback'))).toBe(true);
    expect(logs.join('\n')).not.toContain(FINNHUB_KEY);
    expect(logs.join('\n')).not.toContain(MARKETAUX_KEY);
  });

  it('reports both failures, without either key, when both providers fail', async () => {
    server.setDefault('/finnhub/api/v1/company-news', { status: 503, body: 'down' });
    server.setDefault('/marketaux/v1/news/all', { status: 401, body: fixture('marketaux-invalid-token.json') });
    const err = await build({ finnhubApiKey: FINNHUB_KEY, marketauxApiKey: MARKETAUX_KEY })
      .companyNews('AAPL', '2025-01-06', '2025-01-10')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderHttpError);
    const e = err as ProviderHttpError;
    expect(e.message).toMatch(/finnhub.*HTTP 503.*marketaux.*HTTP 401/s);
    expect(e.retryable).toBe(true);
    for (const text of [e.message, e.stack ?? '', JSON.stringify(e), logs.join('\n')]) {
      expect(text).not.toContain(FINNHUB_KEY);
      expect(text).not.toContain(MARKETAUX_KEY);
    }
  });

  it('uses the one provider whose key is set', async () => {
    const news = build({ marketauxApiKey: MARKETAUX_KEY });
    expect(news.name).toBe('marketaux');
    expect(await news.companyNews('AAPL', '2025-01-06', '2025-01-10')).toHaveLength(5);
  });

  it('without keys returns [] and logs once that news is disabled', async () => {
    const news = build({});
    expect(news.name).toBe('none');
    expect(await news.companyNews('AAPL', '2025-01-06', '2025-01-10')).toEqual([]);
    expect(await news.companyNews('MSFT', '2025-01-06', '2025-01-10')).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('news disabled');
    expect(server.requests).toHaveLength(0);
  });

  it('takes the Finnhub rate from config (FINNHUB_PER_MINUTE)', async () => {
    server.setDefault('/finnhub/api/v1/company-news', { body: fixture('finnhub-company-news-aapl.json') });
    const clock = createFakeClock();
    const news = createNewsProvider(config({ finnhubApiKey: FINNHUB_KEY, finnhubPerMinute: 20 }), { logger, clock });
    await news.companyNews('AAPL', '2025-01-06', '2025-01-10');
    await news.companyNews('AAPL', '2025-01-06', '2025-01-10');
    expect(clock.sleeps).toEqual([3000]);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then one token per 60/perMinute s, and never banks more than the burst', async () => {
    const clock = createFakeClock(0);
    const bucket = new TokenBucket({ perMinute: 60, burst: 3, clock });
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(clock.sleeps).toEqual([1000, 1000]);
    await clock.sleep(60_000); // idle a minute: refills to 3, not 60
    clock.sleeps.length = 0;
    for (let i = 0; i < 4; i++) await bucket.take();
    expect(clock.sleeps).toEqual([1000]);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new TokenBucket({ perMinute: 0 })).toThrow(RangeError);
  });
});

describe('redactSecrets', () => {
  it('masks key query parameters and literal secrets, also URL-encoded', () => {
    expect(redactSecrets('GET http://h/company-news?symbol=A&token=abc&x=1')).toBe('GET http://h/company-news?symbol=A&token=***&x=1');
    expect(redactSecrets('GET http://h/news/all?api_token=k%2B1&page=1 then k+1', ['k+1'])).toBe(
      'GET http://h/news/all?api_token=***&page=1 then ***',
    );
  });
});
