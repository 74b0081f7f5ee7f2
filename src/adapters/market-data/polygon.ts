/**
 * Polygon.io end-of-day bars: the daily aggregates endpoint,
 * `GET {base}/v2/aggs/ticker/{TICKER}/range/1/day/{from}/{to}?adjusted=true&sort=asc&limit=50000&apiKey=KEY`,
 * answering `{ status, ticker, resultsCount, results: [{ t, o, h, l, c, v, vw, n }], next_url? }`
 * where `t` is the bar's start, midnight America/New_York, in epoch ms.
 *
 * Plain fetch with zod at the boundary (the shared JSON client of
 * src/adapters/http-json.ts): the free tier's 5 requests a minute are kept by
 * a token bucket (strict spacing, 12 s at the default), 429/5xx/network
 * errors are retried with backoff, and the key travels only as the `apiKey`
 * query parameter, redacted from every message.
 *
 * What Polygon does not give here, and how it is filled: `adjusted=true` is
 * split-adjusted but not dividend-adjusted, so `adjClose` is the close (the
 * dividends are a separate endpoint, fetched by `fetchDividends` for WF4's
 * booking). Financial ratios are a separate paid product: `fetchFundamentals`
 * reads the ticker's reference record (`/v3/reference/tickers/{T}`, which
 * also says whether the ticker exists) for the sector, its SIC description,
 * and leaves the ratios null (scored as neutral by WF3).
 *
 * An unknown ticker answers 200 with no results: it is reported as
 * UnknownSymbol (also a real ticker with no session in the window, which
 * the message says). A refused key fails the whole fetch at once, naming
 * POLYGON_API_KEY: every symbol would fail the same way.
 */
import { z } from 'zod';
import { getJson, ProviderHttpError, TokenBucket, type Clock, type ProviderLogger, type RetryPolicy } from '../http-json';
import { MalformedResponseError, UnknownSymbolError } from './errors';
import type { DataProvider, Dividend, EodBar, EodResult, Fundamentals, SymbolFailure } from './types';

export interface PolygonProviderOptions {
  apiKey: string;
  /** Default https://api.polygon.io (tests point it at a loopback server). */
  baseUrl?: string;
  /** Requests a minute; the free tier's 5 by default. */
  perMinute?: number;
  retry?: RetryPolicy;
  clock?: Clock;
  logger?: ProviderLogger;
}

const aggregate = z.object({
  t: z.number().int(),
  o: z.number().positive(),
  h: z.number().positive(),
  l: z.number().positive(),
  c: z.number().positive(),
  v: z.number().nonnegative(),
  vw: z.number().optional(),
  n: z.number().optional(),
});

const aggregatesResponse = z.object({
  // OK, or DELAYED on plans with delayed data: both carry results.
  status: z.enum(['OK', 'DELAYED']),
  ticker: z.string().optional(),
  resultsCount: z.number().int().nonnegative().optional(),
  results: z.array(aggregate).optional(),
  next_url: z.string().url().optional(),
});

const tickerResponse = z.object({
  status: z.enum(['OK', 'DELAYED']),
  results: z.object({ ticker: z.string(), sic_description: z.string().optional() }),
  next_url: z.string().url().optional(),
});

const dividendsResponse = z.object({
  status: z.enum(['OK', 'DELAYED']),
  results: z
    .array(z.object({ ex_dividend_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), cash_amount: z.number().nonnegative() }))
    .optional(),
  next_url: z.string().url().optional(),
});

const TICKER = /^[A-Z][A-Z0-9.]{0,9}$/;
const nyDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * @example
 *   const p = createPolygonProvider({ apiKey: process.env.POLYGON_API_KEY! });
 *   const { bars, failures } = await p.fetchEod(['AAPL', 'MSFT'], '2024-03-04', '2024-03-08');
 */
export function createPolygonProvider(options: PolygonProviderOptions): DataProvider & { requests(): number } {
  const base = (options.baseUrl ?? 'https://api.polygon.io').replace(/\/+$/, '');
  const limiter = new TokenBucket({ perMinute: options.perMinute ?? 5, clock: options.clock });
  let requests = 0;

  /** Every page of a list endpoint (each page a request, so each takes a token). */
  async function pages<T extends { next_url?: string }>(first: URL, what: string, schema: z.ZodType<T>): Promise<T[]> {
    const out: T[] = [];
    let url: URL | undefined = first;
    while (url) {
      // next_url comes without the key.
      url.searchParams.set('apiKey', options.apiKey);
      requests++;
      const page: T = await getJson({
        provider: 'polygon',
        what,
        url,
        schema,
        secrets: [options.apiKey],
        limiter,
        retry: options.retry,
        clock: options.clock,
        logger: options.logger,
      });
      out.push(page);
      url = page.next_url ? new URL(page.next_url) : undefined;
    }
    return out;
  }

  const authFailure = (err: unknown) =>
    err instanceof ProviderHttpError && err.kind === 'auth'
      ? new ProviderHttpError(`${err.message}; check POLYGON_API_KEY`, 'polygon', 'auth', false, err.status)
      : undefined;

  function failure(symbol: string, err: unknown): SymbolFailure {
    const message = (err as Error).message ?? String(err);
    if (err instanceof ProviderHttpError && err.kind === 'malformed') return { symbol, type: 'MalformedResponse', message };
    return { symbol, type: 'ProviderError', message };
  }

  return {
    name: 'polygon',
    requests: () => requests,

    async fetchEod(symbols, from, to): Promise<EodResult> {
      const bars: EodBar[] = [];
      const failures: SymbolFailure[] = [];
      for (const symbol of symbols) {
        if (!TICKER.test(symbol)) {
          failures.push({ symbol, type: 'UnknownSymbol', message: `${symbol}: not a ticker Polygon can have` });
          continue;
        }
        const url = new URL(`${base}/v2/aggs/ticker/${encodeURIComponent(symbol)}/range/1/day/${from}/${to}`);
        url.search = new URLSearchParams({ adjusted: 'true', sort: 'asc', limit: '50000' }).toString();
        try {
          const got = (await pages(url, `daily aggregates ${symbol} ${from}..${to}`, aggregatesResponse)).flatMap((p) => p.results ?? []);
          if (got.length === 0) {
            failures.push({
              symbol,
              type: 'UnknownSymbol',
              message: `${symbol}: Polygon has no daily aggregates in ${from}..${to} (unknown ticker?)`,
            });
            continue;
          }
          for (const a of got) {
            const date = nyDate.format(a.t);
            if (date < from || date > to) continue;
            bars.push({ symbol, date, open: a.o, high: a.h, low: a.l, close: a.c, adjClose: a.c, volume: a.v });
          }
        } catch (err) {
          const auth = authFailure(err);
          if (auth) throw auth;
          failures.push(failure(symbol, err));
        }
      }
      return { bars, failures };
    },

    async fetchFundamentals(symbol): Promise<Fundamentals> {
      if (!TICKER.test(symbol)) throw new UnknownSymbolError(symbol, 'not a ticker Polygon can have');
      let details: z.infer<typeof tickerResponse>;
      try {
        [details] = await pages(
          new URL(`${base}/v3/reference/tickers/${encodeURIComponent(symbol)}`),
          `ticker details ${symbol}`,
          tickerResponse,
        );
      } catch (err) {
        if (err instanceof ProviderHttpError && err.status === 404) throw new UnknownSymbolError(symbol, 'Polygon has no such ticker');
        if (err instanceof ProviderHttpError && err.kind === 'malformed') throw new MalformedResponseError(symbol, err.message);
        throw authFailure(err) ?? err;
      }
      const sector = details.results.sic_description ?? null;
      return { symbol, sector, peRatio: null, dividendYield: null, roe: null, debtToEquity: null, currentRatio: null };
    },

    async fetchDividends(symbol, from, to): Promise<Dividend[]> {
      const url = new URL(`${base}/v3/reference/dividends`);
      url.search = new URLSearchParams({
        ticker: symbol,
        'ex_dividend_date.gte': from,
        'ex_dividend_date.lte': to,
        order: 'asc',
        sort: 'ex_dividend_date',
        limit: '1000',
      }).toString();
      try {
        const got = await pages(url, `dividends ${symbol} ${from}..${to}`, dividendsResponse);
        return got
          .flatMap((p) => p.results ?? [])
          .filter((d) => d.ex_dividend_date >= from && d.ex_dividend_date <= to)
          .map((d) => ({ symbol, date: d.ex_dividend_date, amount: d.cash_amount }));
      } catch (err) {
        throw authFailure(err) ?? err;
      }
    },
  };
}
