/**
 * A loopback HTTP server for the Polygon provider's tests, answering in the
 * response shapes of Polygon's REST reference (no network here to record
 * from: the JSON files in this folder were written from the documented
 * examples, with bars on the real NYSE days of 2024-03-04..08 and `t` at
 * midnight America/New_York). Scenarios:
 *   apiKey other than FIXTURE_KEY  401 `{"status":"ERROR","error":"Unknown API Key"}`
 *   AAPL                           aggs-AAPL.json
 *   MSFT                           first request 429 (error-429.json), then aggs-MSFT.json
 *   NVDA                           AAPL's bars in two pages: the first with `next_url` (without the key, as Polygon sends it)
 *   INTC                           a truncated body (not JSON)
 *   AMD                            a body whose bars lack the close `c`
 *   anything else                  200 with no results (what Polygon answers for an unknown ticker)
 *   /v3/reference/dividends        MSFT: dividends-MSFT.json; others: no results
 *   /v3/reference/tickers/{T}      AAPL, MSFT: tickers-AAPL.json (MSFT's with its own name); others 404 "Ticker not found."
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

export const FIXTURE_KEY = 'test-polygon-key';

const fixture = (name: string) => readFileSync(join(__dirname, name), 'utf8');

export interface PolygonFixtureServer {
  baseUrl: string;
  /** Requests seen: path and whether the key came with it. */
  seen: { path: string; keyed: boolean; at: number }[];
  close(): Promise<void>;
}

export async function startPolygonFixtureServer(): Promise<PolygonFixtureServer> {
  const seen: PolygonFixtureServer['seen'] = [];
  const failedOnce = new Set<string>();
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = url.searchParams.get('apiKey');
    seen.push({ path: url.pathname, keyed: key !== null, at: Date.now() });
    const json = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (key !== FIXTURE_KEY) return json(401, fixture('error-401.json'));
    const aggs = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/1\/day\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(url.pathname);
    if (aggs) {
      const ticker = aggs[1];
      switch (ticker) {
        case 'AAPL':
          return json(200, fixture('aggs-AAPL.json'));
        case 'MSFT':
          if (!failedOnce.has(ticker)) {
            failedOnce.add(ticker);
            return json(429, fixture('error-429.json'));
          }
          return json(200, fixture('aggs-MSFT.json'));
        case 'NVDA': {
          const all = JSON.parse(fixture('aggs-AAPL.json')) as { results: unknown[] };
          const second = url.searchParams.get('cursor') === 'page2';
          const results = second ? all.results.slice(3) : all.results.slice(0, 3);
          const next = second ? {} : { next_url: `${baseUrl}${url.pathname}?cursor=page2` };
          return json(200, JSON.stringify({ ticker, status: 'OK', resultsCount: results.length, results, ...next }));
        }
        case 'INTC':
          return json(200, fixture('aggs-AAPL.json').slice(0, 150));
        case 'AMD':
          return json(
            200,
            JSON.stringify({ ticker, status: 'OK', resultsCount: 1, results: [{ t: 1709528400000, o: 1, h: 2, l: 1, v: 10 }] }),
          );
        default:
          return json(200, fixture('aggs-unknown.json').replace('ZZZZ', ticker));
      }
    }
    const ticker = /^\/v3\/reference\/tickers\/([^/]+)$/.exec(url.pathname);
    if (ticker) {
      if (ticker[1] === 'AAPL') return json(200, fixture('tickers-AAPL.json'));
      if (ticker[1] === 'MSFT')
        return json(
          200,
          fixture('tickers-AAPL.json').replace('"AAPL"', '"MSFT"').replace('ELECTRONIC COMPUTERS', 'SERVICES-PREPACKAGED SOFTWARE'),
        );
      return json(404, fixture('error-404-ticker.json'));
    }
    if (url.pathname === '/v3/reference/dividends') {
      if (url.searchParams.get('ticker') === 'MSFT') return json(200, fixture('dividends-MSFT.json'));
      return json(200, JSON.stringify({ results: [], status: 'OK', request_id: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' }));
    }
    json(404, JSON.stringify({ status: 'NOT_FOUND', message: 'Not Found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('fixture server has no port');
  baseUrl = `http://127.0.0.1:${addr.port}`;
  return {
    baseUrl,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
