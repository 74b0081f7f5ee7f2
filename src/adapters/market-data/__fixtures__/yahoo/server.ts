/**
 * A loopback HTTP server that replays the recorded Yahoo responses in this
 * folder, so the real `yahoo-finance2` code (cookie, crumb, chart,
 * quoteSummary) runs against it through `YAHOO_BASE_URL`. Requests arrive as
 * `/<host>/<path>` (see `yahooTransport`). Scenarios, per symbol:
 *   AAPL, MSFT, NVDA  recorded chart v8 (MSFT with a dividend event)
 *   MSFT              first chart request 429 "Too Many Requests", then the recording
 *   NVDA              first chart request 500, then the recording
 *   INTC              a truncated (malformed) chart body
 *   anything else     Yahoo's 404 "No data found, symbol may be delisted"
 * quoteSummary: AAPL recorded, others 404 "Quote not found".
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

const dir = __dirname;
const fixture = (name: string) => readFileSync(join(dir, name), 'utf8');

export interface YahooFixtureServer {
  baseUrl: string;
  /** Request paths seen, in order (`/<host>/<path>`, query stripped). */
  seen: string[];
  close(): Promise<void>;
}

export async function startYahooFixtureServer(): Promise<YahooFixtureServer> {
  const seen: string[] = [];
  const failedOnce = new Set<string>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(url.pathname);
    const json = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(body);
    };
    const p = url.pathname;
    if (p === '/finance.yahoo.com/quote/AAPL') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie':
          'A3=d=AQABBKqS7GUCEFake-recorded-cookie&S=AQAAAExample; Expires=Fri, 13 Mar 2099 20:00:00 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly',
      });
      res.end(fixture('quote-page.html'));
      return;
    }
    if (p === '/query1.finance.yahoo.com/v1/test/getcrumb') {
      res.writeHead(200, { 'content-type': 'text/plain;charset=utf-8' });
      res.end(fixture('getcrumb.txt'));
      return;
    }
    const chart = /^\/query[12]\.finance\.yahoo\.com\/v8\/finance\/chart\/([^/]+)$/.exec(p);
    if (chart) {
      const symbol = decodeURIComponent(chart[1]);
      if (symbol === 'MSFT' && !failedOnce.has(p)) {
        failedOnce.add(p);
        res.writeHead(429, { 'content-type': 'text/plain;charset=utf-8' });
        res.end(fixture('too-many-requests.txt'));
        return;
      }
      if (symbol === 'NVDA' && !failedOnce.has(p)) {
        failedOnce.add(p);
        json(500, fixture('internal-error.json'));
        return;
      }
      if (symbol === 'INTC') return json(200, fixture('chart-malformed.json'));
      if (['AAPL', 'MSFT', 'NVDA'].includes(symbol)) return json(200, fixture(`chart-${symbol}.json`));
      return json(404, fixture('chart-404-not-found.json'));
    }
    const qs = /^\/query[12]\.finance\.yahoo\.com\/v10\/finance\/quoteSummary\/([^/]+)$/.exec(p);
    if (qs) {
      if (!url.searchParams.get('crumb'))
        return json(401, '{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}');
      if (decodeURIComponent(qs[1]) === 'AAPL') return json(200, fixture('quoteSummary-AAPL.json'));
      return json(404, fixture('quoteSummary-404-not-found.json'));
    }
    json(404, '{"finance":{"result":null,"error":{"code":"Not Found","description":"HTTP 404 Not Found"}}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('fixture server has no port');
  return {
    baseUrl: `http://127.0.0.1:${addr.port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
