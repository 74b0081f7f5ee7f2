/**
 * The Polygon provider against a loopback server answering in Polygon's
 * documented response shapes (__fixtures__/polygon): the shared provider
 * contract, bars on New York dates with the fixture's values, a 429 retried,
 * a paged answer followed with the key, a truncated body and a wrong shape
 * reported as MalformedResponse, a refused key failing the fetch naming
 * POLYGON_API_KEY (and never showing the key), the free tier's 5 a minute
 * kept by the token bucket (on a virtual clock), dividends, and the setting
 * that selects it (refused without a key).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, redactConfig } from '../../config/load';
import { ProviderHttpError, type Clock } from '../http-json';
import { describeDataProviderContract } from './contract';
import { FIXTURE_KEY, startPolygonFixtureServer, type PolygonFixtureServer } from './__fixtures__/polygon/server';
import { createDataProvider } from './index';
import { createPolygonProvider } from './polygon';

const FROM = '2024-03-04';
const TO = '2024-03-08';
/** No waiting in the tests that are not about the rate. */
const FAST = { perMinute: 60_000, retry: { baseDelayMs: 5, maxAttempts: 3 } };

describeDataProviderContract('polygon (documented shapes, loopback)', async () => {
  const server = await startPolygonFixtureServer();
  return {
    provider: createPolygonProvider({ apiKey: FIXTURE_KEY, baseUrl: server.baseUrl, ...FAST }),
    symbols: ['AAPL', 'MSFT'],
    unknown: 'ZZZZ',
    from: FROM,
    to: TO,
    cleanup: server.close,
  };
});

describe('polygon provider', () => {
  let server: PolygonFixtureServer;
  beforeAll(async () => {
    server = await startPolygonFixtureServer();
  });
  afterAll(async () => {
    await server.close();
  });
  const provider = () => createPolygonProvider({ apiKey: FIXTURE_KEY, baseUrl: server.baseUrl, ...FAST });

  it('maps daily aggregates to bars on New York dates, with the values of the response', async () => {
    const r = await provider().fetchEod(['AAPL'], FROM, TO);
    expect(r.failures).toEqual([]);
    const recorded = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'polygon', 'aggs-AAPL.json'), 'utf8')).results;
    expect(r.bars.map((b) => b.date)).toEqual(['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08']);
    expect(r.bars.map((b) => [b.open, b.high, b.low, b.close, b.volume])).toEqual(
      recorded.map((a: Record<string, number>) => [a.o, a.h, a.l, a.c, a.v]),
    );
    // Split-adjusted only: no dividend adjustment from this endpoint.
    for (const b of r.bars) expect(b.adjClose).toBe(b.close);
  });

  it('retries a 429 and follows next_url (with the key) to the last page', async () => {
    const before = server.seen.length;
    const r = await provider().fetchEod(['MSFT', 'NVDA'], FROM, TO);
    expect(r.failures).toEqual([]);
    expect(r.bars.filter((b) => b.symbol === 'MSFT')).toHaveLength(5);
    const aapl = (await provider().fetchEod(['AAPL'], FROM, TO)).bars.map(({ symbol: _s, ...b }) => b);
    expect(r.bars.filter((b) => b.symbol === 'NVDA').map(({ symbol: _s, ...b }) => b)).toEqual(aapl);
    const seen = server.seen.slice(before, before + 4);
    expect(seen.map((s) => s.path.split('/')[4])).toEqual(['MSFT', 'MSFT', 'NVDA', 'NVDA']);
    expect(seen.every((s) => s.keyed)).toBe(true);
  });

  it('reports a truncated body and a wrong shape as MalformedResponse, and goes on with the others', async () => {
    const r = await provider().fetchEod(['INTC', 'AMD', 'AAPL'], FROM, TO);
    expect(r.bars.filter((b) => b.symbol === 'AAPL')).toHaveLength(5);
    expect(r.failures.map((f) => [f.symbol, f.type])).toEqual([
      ['INTC', 'MalformedResponse'],
      ['AMD', 'MalformedResponse'],
    ]);
    expect(r.failures[0].message).toMatch(/daily aggregates INTC 2024-03-04\.\.2024-03-08: response is not JSON/);
    expect(r.failures[1].message).toMatch(/unexpected response shape at results\.0\.c/);
    for (const f of r.failures) expect(f.message).not.toContain(FIXTURE_KEY);
  });

  it('fails the whole fetch on a refused key, naming POLYGON_API_KEY and hiding the key', async () => {
    const p = createPolygonProvider({ apiKey: 'not-the-key-123', baseUrl: server.baseUrl, ...FAST });
    const err = await p.fetchEod(['AAPL', 'MSFT'], FROM, TO).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderHttpError);
    expect(err).toMatchObject({ kind: 'auth', retryable: false, status: 401 });
    expect(err.message).toMatch(/HTTP 401: the API key was refused: .*Unknown API Key.*check POLYGON_API_KEY/s);
    expect(err.message).not.toContain('not-the-key-123');
    expect(err.message).toContain('apiKey=***');
  });

  it('keeps the free tier: 5 requests a minute, one every 12 s (virtual clock)', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    const p = createPolygonProvider({ apiKey: FIXTURE_KEY, baseUrl: server.baseUrl, clock });
    // AAPL, then NVDA's two pages: three requests, two waits.
    const r = await p.fetchEod(['AAPL', 'NVDA'], FROM, TO);
    expect(r.bars).toHaveLength(10);
    expect(p.requests()).toBe(3);
    expect(sleeps).toEqual([12_000, 12_000]);
  });

  it('reads dividends in the window, and fundamentals as the sector with unknown (neutral) ratios', async () => {
    expect(await provider().fetchDividends('MSFT', '2024-01-01', '2024-03-31')).toEqual([
      { symbol: 'MSFT', date: '2024-02-14', amount: 0.75 },
    ]);
    expect(await provider().fetchDividends('AAPL', '2024-01-01', '2024-03-31')).toEqual([]);
    expect(await provider().fetchFundamentals('AAPL')).toEqual({
      symbol: 'AAPL',
      sector: 'ELECTRONIC COMPUTERS',
      peRatio: null,
      dividendYield: null,
      roe: null,
      debtToEquity: null,
      currentRatio: null,
    });
  });
});

describe('MARKET_DATA_PROVIDER=polygon', () => {
  it('is refused without POLYGON_API_KEY, naming it', () => {
    expect(() => loadConfig({ MARKET_DATA_PROVIDER: 'polygon' })).toThrow(/POLYGON_API_KEY/);
  });

  it('builds the Polygon provider with the key, which the printed config hides', () => {
    const config = loadConfig({ MARKET_DATA_PROVIDER: 'polygon', POLYGON_API_KEY: 'pk-secret-1', POLYGON_PER_MINUTE: '100' });
    expect(createDataProvider(config).name).toBe('polygon');
    expect(JSON.stringify(redactConfig(config))).not.toContain('pk-secret-1');
  });
});
