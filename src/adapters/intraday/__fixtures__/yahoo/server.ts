/**
 * A loopback HTTP server that replays the recorded Yahoo intraday chart
 * responses in this folder, so the real `yahoo-finance2` code runs against
 * it through the provider's `baseUrl`. Requests arrive as `/<host>/<path>`
 * (see `yahooTransport`). The recordings are of 2024-03-04/05 (full
 * sessions) and 2024-03-08 at 11:02:37 New York (a session in progress), in
 * Yahoo's chart v8 shape with `includePrePost=false`. Scenarios:
 *   AAPL  5m: 2024-03-04 and 03-05 (156 rows, one null candle on 03-05 at 12:35);
 *         15m: 2024-03-04 (26 rows); 1m: 2024-03-04 (390 rows, three null candles)
 *   MSFT  5m: 2024-03-08 live: 18 rows 09:30..10:55 (two null candles) and the
 *         in-progress row stamped 11:02:37
 *   NVDA  5m: 2024-03-04; its first request gets 429, its second 500, then the recording
 *   INTC  a truncated (malformed) body
 *   any   1m asked from before 2024-02-07 (30 days before the recording),
 *         or 5m/15m from before 2024-01-08 (60 days): Yahoo's 422 "data not available"
 *   anything else, or an interval without a recording: Yahoo's 404 "No data found"
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

const dir = __dirname;
const fixture = (name: string) => readFileSync(join(dir, name), 'utf8');

/** Yahoo's retention as of the recording day: 1m for 30 days, 5m/15m for 60 (epoch s). */
const OLDEST: Record<string, number> = { '1m': Date.parse('2024-02-07T00:00:00Z') / 1000, '5m': Date.parse('2024-01-08T00:00:00Z') / 1000 };
OLDEST['15m'] = OLDEST['5m'];

const RECORDED: Record<string, string> = {
  'AAPL|5m': 'chart-AAPL-5m.json',
  'AAPL|15m': 'chart-AAPL-15m.json',
  'AAPL|1m': 'chart-AAPL-1m.json',
  'MSFT|5m': 'chart-MSFT-5m-live.json',
  'NVDA|5m': 'chart-NVDA-5m.json',
};

export interface YahooIntradayFixtureServer {
  baseUrl: string;
  /** Chart requests seen, in order: symbol and query parameters. */
  charts: { symbol: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

export async function startYahooIntradayFixtureServer(): Promise<YahooIntradayFixtureServer> {
  const charts: YahooIntradayFixtureServer['charts'] = [];
  let nvdaCalls = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(body);
    };
    const chart = /^\/query[12]\.finance\.yahoo\.com\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    if (!chart) return json(404, '{"finance":{"result":null,"error":{"code":"Not Found","description":"HTTP 404 Not Found"}}}');
    const symbol = decodeURIComponent(chart[1]);
    const params = Object.fromEntries(url.searchParams);
    charts.push({ symbol, params });
    const interval = params.interval ?? '1d';
    if (symbol === 'NVDA' && ++nvdaCalls <= 2) {
      if (nvdaCalls === 1) {
        res.writeHead(429, { 'content-type': 'text/plain;charset=utf-8' });
        res.end(fixture('too-many-requests.txt'));
        return;
      }
      return json(500, fixture('internal-error.json'));
    }
    if (symbol === 'INTC') return json(200, fixture('chart-malformed.json'));
    if (OLDEST[interval] !== undefined && Number(params.period1) < OLDEST[interval]) {
      const days = interval === '1m' ? '30' : '60';
      return json(422, fixture('chart-422-range.json').replace('1m data', `${interval} data`).replace('last 30 days', `last ${days} days`));
    }
    const recorded = RECORDED[`${symbol}|${interval}`];
    if (recorded) return json(200, fixture(recorded));
    json(404, fixture('chart-404-not-found.json'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('fixture server has no port');
  return {
    baseUrl: `http://127.0.0.1:${addr.port}`,
    charts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
