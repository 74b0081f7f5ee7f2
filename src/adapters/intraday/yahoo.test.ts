/**
 * The Yahoo intraday provider against recorded chart responses on a
 * loopback server, with the real yahoo-finance2 code in the path: the
 * shared contract; bars equal to the recording's rows (read here straight
 * from the JSON, the independent source); the request Yahoo gets (interval,
 * regular session only, period in seconds); null candles and the
 * in-progress row skipped and counted; 15m and 1m, the 1m range split into
 * 7-day requests; Yahoo's 422 for a range it no longer has; 429 and 500
 * retried; a malformed body and an unknown symbol named per symbol; bounded
 * retries on a dead host; the factory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntradayProviderContract } from './contract';
import { startYahooIntradayFixtureServer, type YahooIntradayFixtureServer } from './__fixtures__/yahoo/server';
import { createYahooIntradayProvider } from './yahoo';
import { createIntradayProvider } from './index';
import type { IntradayBar } from './types';

const utc = (s: string) => Date.parse(s);
const MAR4 = utc('2024-03-04T00:00:00Z');
const MAR6 = utc('2024-03-06T00:00:00Z');

/** The recording's rows as bars, skipping null candles: what the provider must return. */
function recorded(file: string, symbol: string): IntradayBar[] {
  const r = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'yahoo', file), 'utf8')).chart.result[0];
  const q = r.indicators.quote[0];
  return (r.timestamp as number[]).flatMap((t, k) =>
    q.open[k] === null
      ? []
      : [{ symbol, ts: t * 1000, open: q.open[k], high: q.high[k], low: q.low[k], close: q.close[k], volume: q.volume[k] }],
  );
}

describeIntradayProviderContract('yahoo (recorded, loopback)', async () => {
  const server = await startYahooIntradayFixtureServer();
  return {
    provider: createYahooIntradayProvider({ baseUrl: server.baseUrl, delayMs: 0, retryBaseMs: 5 }),
    symbols: ['AAPL', 'NVDA'],
    unknown: 'ZZZZ',
    from: MAR4,
    to: MAR6,
    interval: '5m',
    cleanup: server.close,
  };
});

describe('yahoo intraday provider', () => {
  let server: YahooIntradayFixtureServer;
  const provider = (over: Parameters<typeof createYahooIntradayProvider>[0] = {}) =>
    createYahooIntradayProvider({ baseUrl: server.baseUrl, delayMs: 0, retryBaseMs: 5, ...over });
  beforeAll(async () => {
    server = await startYahooIntradayFixtureServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('turns the recorded 5m chart into bars (epoch-second starts to ms), skipping and counting a null candle', async () => {
    const before = server.charts.length;
    const r = await provider().fetchBars(['AAPL'], MAR4, MAR6, '5m');
    expect(r.failures).toEqual([]);
    expect(r.bars).toEqual(recorded('chart-AAPL-5m.json', 'AAPL'));
    expect(r.bars).toHaveLength(155); // 2 x 78 rows, one of them null
    expect(r.bars[0]).toEqual({
      symbol: 'AAPL',
      ts: utc('2024-03-04T14:30:00Z'), // 09:30 New York
      open: 176.14999389648438,
      high: r.bars[0].high,
      low: r.bars[0].low,
      close: r.bars[0].close,
      volume: 2161641,
    });
    expect(r.skipped).toEqual([{ symbol: 'AAPL', reason: 'null candle', count: 1 }]);
    const seen = server.charts.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      symbol: 'AAPL',
      params: { interval: '5m', includePrePost: 'false', period1: String(MAR4 / 1000), period2: String(MAR6 / 1000) },
    });
  });

  it('returns only bars starting in [from, to): the afternoon of one day', async () => {
    const from = utc('2024-03-05T18:00:00Z'); // 13:00 New York
    const r = await provider().fetchBars(['AAPL'], from, utc('2024-03-05T19:00:00Z'), '5m');
    expect(r.bars.map((b) => new Date(b.ts).toISOString().slice(11, 16))).toEqual([
      '18:00',
      '18:05',
      '18:10',
      '18:15',
      '18:20',
      '18:25',
      '18:30',
      '18:35',
      '18:40',
      '18:45',
      '18:50',
      '18:55',
    ]);
  });

  it("drops a live session's in-progress last row (off the 5m clock) and counts it with the null candles", async () => {
    const r = await provider().fetchBars(['MSFT'], utc('2024-03-08T00:00:00Z'), utc('2024-03-09T00:00:00Z'), '5m');
    expect(r.bars).toEqual(recorded('chart-MSFT-5m-live.json', 'MSFT').filter((b) => b.ts % 300_000 === 0));
    expect(r.bars).toHaveLength(16); // 18 closed rows 09:30..10:55, two of them null
    expect(new Date(r.bars[r.bars.length - 1].ts).toISOString()).toBe('2024-03-08T15:55:00.000Z'); // 10:55 New York
    expect(r.skipped).toEqual([
      { symbol: 'MSFT', reason: 'null candle', count: 2 },
      { symbol: 'MSFT', reason: 'in-progress row', count: 1 },
    ]);
  });

  it('asks for 15m bars as 15m', async () => {
    const before = server.charts.length;
    const r = await provider().fetchBars(['AAPL'], MAR4, MAR6, '15m');
    expect(r.bars).toEqual(recorded('chart-AAPL-15m.json', 'AAPL'));
    expect(r.bars).toHaveLength(26);
    expect(server.charts.slice(before).map((c) => c.params.interval)).toEqual(['15m']);
  });

  it('splits a 1m range longer than 7 days into back-to-back requests, and returns each bar once', async () => {
    const before = server.charts.length;
    const from = utc('2024-02-26T00:00:00Z');
    const to = utc('2024-03-07T00:00:00Z'); // 10 days
    const r = await provider().fetchBars(['AAPL'], from, to, '1m');
    expect(r.failures).toEqual([]);
    expect(r.bars).toEqual(recorded('chart-AAPL-1m.json', 'AAPL'));
    expect(r.bars).toHaveLength(387); // 390 minutes, three without a trade
    const windows = server.charts.slice(before).map((c) => [Number(c.params.period1) * 1000, Number(c.params.period2) * 1000]);
    expect(windows).toEqual([
      [from, from + 7 * 86_400_000],
      [from + 7 * 86_400_000, to],
    ]);
    // The recording (one day) came back for both windows: its nulls are counted where they fall, once.
    expect(r.skipped).toEqual([{ symbol: 'AAPL', reason: 'null candle', count: 3 }]);
  });

  it("reports Yahoo's 422 for a range it no longer keeps as that symbol's failure, without retrying", async () => {
    const p = provider();
    const r = await p.fetchBars(['AAPL'], utc('2024-02-01T00:00:00Z'), utc('2024-02-02T00:00:00Z'), '1m');
    expect(r.bars).toEqual([]);
    expect(r.failures).toEqual([
      {
        symbol: 'AAPL',
        reason:
          'AAPL: range unavailable: 1m data not available for startTime=1706797800 and endTime=1706821200. The requested range must be within the last 30 days.',
      },
    ]);
    expect(p.requests()).toBe(1);
  });

  it('retries a 429 and a 500 and then succeeds', async () => {
    const p = provider();
    const r = await p.fetchBars(['NVDA'], MAR4, MAR6, '5m');
    expect(r.failures).toEqual([]);
    expect(r.bars).toEqual(recorded('chart-NVDA-5m.json', 'NVDA'));
    // 429, 500, then the recording -- unless the contract suite's server took the failures (a server of its own: it did not).
    expect(p.requests()).toBe(3);
  });

  it('names a malformed body and an unknown symbol per symbol; the others proceed', async () => {
    const r = await provider().fetchBars(['INTC', 'AAPL', 'ZZZZ'], MAR4, MAR6, '5m');
    expect(r.failures).toEqual([
      { symbol: 'INTC', reason: expect.stringMatching(/^INTC: malformed response: /) },
      { symbol: 'ZZZZ', reason: 'ZZZZ: unknown symbol: No data found, symbol may be delisted' },
    ]);
    expect(r.bars.every((b) => b.symbol === 'AAPL')).toBe(true);
    expect(r.bars).toHaveLength(155);
  });

  it('gives up after bounded retries on a dead host, naming the symbol', async () => {
    const p = createYahooIntradayProvider({ baseUrl: 'http://127.0.0.1:9', delayMs: 0, retryBaseMs: 1, maxRetries: 2 });
    const r = await p.fetchBars(['AAPL'], MAR4, MAR6, '5m');
    expect(r.failures).toEqual([{ symbol: 'AAPL', reason: expect.stringMatching(/^AAPL: provider error: /) }]);
    expect(p.requests()).toBe(3);
  });

  it('asks nothing for an empty range', async () => {
    const p = provider();
    expect(await p.fetchBars(['AAPL'], MAR6, MAR4, '5m')).toEqual({ bars: [], failures: [], skipped: [] });
    expect(p.requests()).toBe(0);
  });

  it('is chosen by strategies.intradaySource yahoo, with the daily Yahoo settings', async () => {
    const p = createIntradayProvider({
      strategies: { intradaySource: 'yahoo' },
      data: { seed: 1 },
      marketData: { yahooBaseUrl: server.baseUrl, yahooDelayMs: 0 },
    });
    expect(p.name).toBe('yahoo');
    expect((await p.fetchBars(['AAPL'], MAR4, MAR6, '5m')).bars).toHaveLength(155);
  });
});
