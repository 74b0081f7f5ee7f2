/**
 * The `yahoo` provider on `yahoo-finance2` (v3): `chart` (v8, daily interval,
 * dividend events) for end-of-day bars and dividends, `quoteSummary`
 * (summaryDetail, financialData, assetProfile) for fundamentals. The
 * library's own result validation is off; every response is parsed with zod
 * here, at the boundary, so a changed or broken payload becomes a
 * `MalformedResponse` failure for that symbol instead of bad rows.
 *
 * Transport: the library's fetch is replaced by one that (a) turns HTTP 429
 * and 5xx into a retryable error before the library tries to parse the body,
 * and (b) with `baseUrl` set, sends `https://<host>/<path>` to
 * `<baseUrl>/<host>/<path>` — how tests serve recorded responses from a
 * loopback server with the real library code in the path (cookie and crumb
 * requests included). Symbols are fetched one at a time, `delayMs` apart;
 * 429/5xx/network errors retry with exponential backoff, bounded.
 */
import YahooFinance from 'yahoo-finance2';
import { z } from 'zod';
import { MalformedResponseError, UnknownSymbolError } from './errors';
import type { DataProvider, Dividend, EodBar, EodResult, Fundamentals, SymbolFailure } from './types';
import { QuantError } from '../../domain/errors';

export interface YahooProviderOptions {
  /** Pause between symbols (Yahoo's informal rate limit). Default 200 ms. */
  delayMs?: number;
  /** Serve every Yahoo host from here (`<baseUrl>/<host>/<path>`); unset = the real hosts. */
  baseUrl?: string;
  /** Retries after the first attempt on 429, 5xx and network errors. Default 4. */
  maxRetries?: number;
  /** First backoff; doubles each retry. Default 500 ms. */
  retryBaseMs?: number;
}

/** An HTTP status worth retrying (429, 5xx). */
export class YahooHttpError extends QuantError {
  readonly type = 'ProviderHttp';
  readonly retryable = true;
  constructor(
    readonly status: number,
    url: string,
  ) {
    super(`HTTP ${status} from ${url.replace(/crumb=[^&]*/, 'crumb=***')}`);
    this.name = 'YahooHttpError';
  }
}

const num = z.number().finite();
const epochOrDate = z.union([z.number(), z.date()]).transform((v) => (typeof v === 'number' ? v : Math.floor(v.getTime() / 1000)));
const nullableSeries = z.array(num.nullable());

/** The chart v8 result (`chart.result[0]`) as far as we read it. */
export const chartResultSchema = z.object({
  meta: z.looseObject({ symbol: z.string(), gmtoffset: num.optional() }),
  timestamp: z.array(epochOrDate).optional(),
  indicators: z.object({
    quote: z.array(
      z.object({ open: nullableSeries, high: nullableSeries, low: nullableSeries, close: nullableSeries, volume: nullableSeries }),
    ),
    adjclose: z.array(z.object({ adjclose: nullableSeries })).optional(),
  }),
  events: z.looseObject({ dividends: z.record(z.string(), z.object({ amount: num, date: epochOrDate })).optional() }).optional(),
});

const rawOrNumber = z.union([num, z.looseObject({ raw: num })]).transform((v) => (typeof v === 'number' ? v : v.raw));

/** The quoteSummary modules we read; every field optional (missing = neutral). */
export const quoteSummarySchema = z.object({
  summaryDetail: z.looseObject({ trailingPE: rawOrNumber.optional(), dividendYield: rawOrNumber.optional() }).optional(),
  financialData: z
    .looseObject({ returnOnEquity: rawOrNumber.optional(), debtToEquity: rawOrNumber.optional(), currentRatio: rawOrNumber.optional() })
    .optional(),
  assetProfile: z.looseObject({ sector: z.string().optional() }).optional(),
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const DAY_S = 86_400;

/** fetch that sends Yahoo hosts to `baseUrl` and raises YahooHttpError on 429/5xx. */
export function yahooTransport(baseUrl: string | undefined, inner: typeof fetch = fetch): typeof fetch {
  const base = baseUrl?.replace(/\/+$/, '');
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const original = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let target = original;
    if (base) {
      const u = new URL(original);
      target = `${base}/${u.host}${u.pathname}${u.search}`;
    }
    const { devel: _devel, ...rest } = (init ?? {}) as RequestInit & { devel?: unknown };
    const res = await inner(target, rest);
    if (res.status === 429 || res.status >= 500) {
      await res.body?.cancel().catch(() => undefined);
      throw new YahooHttpError(res.status, original);
    }
    return res;
  }) as typeof fetch;
}

function isRetryable(err: unknown): boolean {
  if (err instanceof YahooHttpError) return true;
  // undici network failures surface as TypeError('fetch failed').
  return err instanceof TypeError && /fetch failed/i.test(err.message);
}

function classify(symbol: string, err: unknown): SymbolFailure {
  const msg = (err as Error)?.message ?? String(err);
  if (/no data found|symbol may be delisted|quote not found|not found/i.test(msg))
    return { symbol, type: 'UnknownSymbol', message: `${symbol}: ${msg}` };
  if (
    err instanceof SyntaxError ||
    err instanceof z.ZodError ||
    err instanceof MalformedResponseError ||
    /unexpected result|cannot read propert|undefined/i.test(msg)
  ) {
    return { symbol, type: 'MalformedResponse', message: `${symbol}: malformed response: ${msg.slice(0, 300)}` };
  }
  return { symbol, type: 'ProviderError', message: `${symbol}: ${msg.slice(0, 300)}` };
}

/**
 * One yahoo-finance2 client as both Yahoo providers (daily, intraday) use it: its requests go through
 * `yahooTransport` (loopback base URL in tests, HTTP errors as YahooHttpError) and are counted; a call
 * is retried with exponential backoff on HTTP and network errors; the library's own console noise is
 * silenced (a failed request's line may carry a crumb).
 */
export function yahooClient(opts: { baseUrl?: string; maxRetries?: number; retryBaseMs?: number }): {
  yf: InstanceType<typeof YahooFinance>;
  requests: () => number;
  withRetry: <T>(fn: () => Promise<T>) => Promise<T>;
} {
  const maxRetries = opts.maxRetries ?? 4;
  const retryBaseMs = opts.retryBaseMs ?? 500;
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, dir: () => undefined };
  const yf = new YahooFinance({
    suppressNotices: ['yahooSurvey'],
    validation: { logErrors: false, logOptionsErrors: false },
    logger: silent,
  });
  let requests = 0;
  const transport = yahooTransport(opts.baseUrl);
  yf._env.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    requests++;
    return transport(input, init);
  }) as typeof fetch;
  const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
    const orig = console.error;
    console.error = () => undefined;
    try {
      return await fn();
    } finally {
      console.error = orig;
    }
  };

  async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await quietly(fn);
      } catch (err) {
        if (attempt >= maxRetries || !isRetryable(err)) throw err;
        await sleep(retryBaseMs * 2 ** attempt);
      }
    }
  }
  return { yf, requests: () => requests, withRetry };
}

/**
 * @example
 *   const p = createYahooProvider({ delayMs: 200 });
 *   const { bars, failures } = await p.fetchEod(['AAPL', 'MSFT'], '2024-01-02', '2024-01-31');
 */
export function createYahooProvider(opts: YahooProviderOptions = {}): DataProvider & { readonly requests: () => number } {
  const delayMs = opts.delayMs ?? 200;
  const { yf, requests, withRetry } = yahooClient(opts);

  async function chart(symbol: string, from: string, to: string) {
    const period1 = Date.parse(`${from}T00:00:00Z`) / 1000;
    const period2 = Date.parse(`${to}T00:00:00Z`) / 1000 + DAY_S;
    const raw = await withRetry(() =>
      yf.chart(symbol, { period1, period2, interval: '1d', events: 'div', return: 'object' } as never, { validateResult: false }),
    );
    const parsed = chartResultSchema.safeParse(raw);
    if (!parsed.success)
      throw new MalformedResponseError(
        symbol,
        parsed.error.issues
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .slice(0, 3)
          .join('; '),
      );
    return parsed.data;
  }

  const localDate = (epochS: number, gmtoffset: number) => new Date((epochS + gmtoffset) * 1000).toISOString().slice(0, 10);

  return {
    name: 'yahoo',
    requests,

    async fetchEod(symbols, from, to): Promise<EodResult> {
      const bars: EodBar[] = [];
      const failures: SymbolFailure[] = [];
      for (const [i, symbol] of symbols.entries()) {
        if (i > 0 && delayMs > 0) await sleep(delayMs);
        try {
          const c = await chart(symbol, from, to);
          const ts = c.timestamp ?? [];
          const q = c.indicators.quote[0];
          const adj = c.indicators.adjclose?.[0]?.adjclose;
          if (ts.length > 0 && (!q || [q.open, q.high, q.low, q.close, q.volume].some((s) => s.length !== ts.length))) {
            throw new MalformedResponseError(symbol, `${ts.length} timestamps but quote arrays of other lengths`);
          }
          const off = c.meta.gmtoffset ?? 0;
          for (let k = 0; k < ts.length; k++) {
            const date = localDate(ts[k], off);
            const [o, h, l, cl, v] = [q.open[k], q.high[k], q.low[k], q.close[k], q.volume[k]];
            // Yahoo marks a session without data with nulls: no bar, not a zero bar.
            if (o === null || h === null || l === null || cl === null || date < from || date > to) continue;
            bars.push({ symbol, date, open: o, high: h, low: l, close: cl, adjClose: adj?.[k] ?? cl, volume: v ?? 0 });
          }
        } catch (err) {
          failures.push(classify(symbol, err));
        }
      }
      return { bars, failures };
    },

    async fetchFundamentals(symbol): Promise<Fundamentals> {
      let raw: unknown;
      try {
        raw = await withRetry(() =>
          yf.quoteSummary(symbol, { modules: ['summaryDetail', 'financialData', 'assetProfile'] }, { validateResult: false }),
        );
      } catch (err) {
        const f = classify(symbol, err);
        if (f.type === 'UnknownSymbol') throw new UnknownSymbolError(symbol, f.message);
        if (f.type === 'MalformedResponse') throw new MalformedResponseError(symbol, f.message);
        throw err;
      }
      const parsed = quoteSummarySchema.safeParse(raw);
      if (!parsed.success)
        throw new MalformedResponseError(
          symbol,
          parsed.error.issues
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .slice(0, 3)
            .join('; '),
        );
      const s = parsed.data;
      return {
        symbol,
        sector: s.assetProfile?.sector ?? null,
        peRatio: s.summaryDetail?.trailingPE ?? null,
        dividendYield: s.summaryDetail?.dividendYield ?? null,
        roe: s.financialData?.returnOnEquity ?? null,
        // Yahoo reports debt/equity in percent (151.9 = 1.519x).
        debtToEquity: s.financialData?.debtToEquity === undefined ? null : s.financialData.debtToEquity / 100,
        currentRatio: s.financialData?.currentRatio ?? null,
      };
    },

    async fetchDividends(symbol, from, to): Promise<Dividend[]> {
      let c;
      try {
        c = await chart(symbol, from, to);
      } catch (err) {
        const f = classify(symbol, err);
        if (f.type === 'UnknownSymbol') throw new UnknownSymbolError(symbol, f.message);
        throw err;
      }
      const off = c.meta.gmtoffset ?? 0;
      return Object.values(c.events?.dividends ?? {})
        .map((d) => ({ symbol, date: localDate(d.date, off), amount: d.amount }))
        .filter((d) => d.date >= from && d.date <= to)
        .sort((a, b) => (a.date < b.date ? -1 : 1));
    },
  };
}
