/**
 * The `yahoo` intraday provider on `yahoo-finance2` (v3): `chart` (v8) with
 * `interval` 1m, 5m or 15m and `includePrePost: false` (the library's
 * default is true, which would mix pre- and after-market bars into the
 * session). The library's own result validation is off; every response is
 * parsed with zod here, at the boundary, so a changed or broken payload
 * becomes a failure naming the symbol instead of bad rows.
 *
 * Yahoo's quirks, handled here:
 *   - timestamps are bar starts in epoch seconds; a minute or bucket with no
 *     trade comes back as a row of nulls: skipped, and counted in `skipped`
 *     ("null candle"), never turned into a zero bar;
 *   - during the session the last row is the bar still forming, stamped with
 *     the time of the last trade (not on the interval's clock): skipped and
 *     counted ("in-progress row"), so only closed bars are returned;
 *   - a request may span at most 7 days at 1m and 60 at 5m/15m (and Yahoo
 *     keeps 1m for ~30 days, 5m/15m for ~60): longer ranges are split into
 *     windows; a range Yahoo no longer has comes back as HTTP 422 with its
 *     own message, reported as that symbol's failure ("range unavailable");
 *   - 429, 5xx and network errors are retried with exponential backoff,
 *     bounded (the daily provider's transport: `yahooTransport`).
 * Symbols are fetched one at a time, `delayMs` apart (Yahoo's informal limit);
 * `baseUrl` serves every Yahoo host from a loopback server in tests.
 */
import { z } from 'zod';
import { BAR_INTERVAL_MS } from '../../domain/strategies/types';
import { yahooClient } from '../market-data/yahoo';
import type { BarInterval, IntradayBar, IntradayFailure, IntradayProvider, IntradayResult, IntradaySkipped } from './types';

export interface YahooIntradayOptions {
  /** Pause between symbols. Default 200 ms. */
  delayMs?: number;
  /** Serve every Yahoo host from here (`<baseUrl>/<host>/<path>`); unset = the real hosts. */
  baseUrl?: string;
  /** Retries after the first attempt on 429, 5xx and network errors. Default 4. */
  maxRetries?: number;
  /** First backoff; doubles each retry. Default 500 ms. */
  retryBaseMs?: number;
}

/** Longest span of one chart request per interval (Yahoo refuses 1m requests over 7 days, and keeps 5m/15m 60 days). */
export const YAHOO_MAX_WINDOW_DAYS: Readonly<Record<BarInterval, number>> = { '1m': 7, '5m': 59, '15m': 59 };

const num = z.number().finite();
const epochSeconds = z.union([z.number().int(), z.date()]).transform((v) => (typeof v === 'number' ? v : Math.floor(v.getTime() / 1000)));
const series = z.array(num.nullable());

/** The chart v8 result (`chart.result[0]`) as far as the intraday provider reads it. */
export const intradayChartSchema = z.object({
  meta: z.looseObject({ symbol: z.string(), dataGranularity: z.string().optional() }),
  timestamp: z.array(epochSeconds).optional(),
  indicators: z.object({
    // An empty range comes back without timestamps and (after the library's clean-up) without a quote.
    quote: z.array(z.object({ open: series, high: series, low: series, close: series, volume: series })),
  }),
});

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Why a symbol failed, as one line that starts with the symbol. */
function describeFailure(symbol: string, err: unknown): string {
  const msg = (err as Error)?.message ?? String(err);
  if (/data not available|requested range must be within/i.test(msg)) return `${symbol}: range unavailable: ${msg.slice(0, 300)}`;
  if (/no data found|symbol may be delisted|not found/i.test(msg)) return `${symbol}: unknown symbol: ${msg.slice(0, 300)}`;
  if (
    err instanceof SyntaxError ||
    err instanceof z.ZodError ||
    err instanceof MalformedChart ||
    /unexpected result|cannot read propert/i.test(msg)
  )
    return `${symbol}: malformed response: ${msg.slice(0, 300)}`;
  return `${symbol}: provider error: ${msg.slice(0, 300)}`;
}

class MalformedChart extends Error {}

/**
 * @example
 *   const p = createYahooIntradayProvider({ delayMs: 200 });
 *   const { bars, failures, skipped } = await p.fetchBars(['AAPL', 'MSFT'], Date.parse('2024-03-04T14:30:00Z'), Date.parse('2024-03-04T21:00:00Z'), '5m');
 */
export function createYahooIntradayProvider(opts: YahooIntradayOptions = {}): IntradayProvider & { readonly requests: () => number } {
  const delayMs = opts.delayMs ?? 200;
  const { yf, requests, withRetry } = yahooClient(opts);

  /** One window's bars of one symbol, into `out`; skipped rows counted into `skips`. */
  async function window(symbol: string, from: number, to: number, interval: BarInterval, out: IntradayBar[], skips: Map<string, number>) {
    const raw = await withRetry(() =>
      yf.chart(
        symbol,
        { period1: Math.floor(from / 1000), period2: Math.ceil(to / 1000), interval, includePrePost: false, return: 'object' } as never,
        { validateResult: false },
      ),
    );
    const parsed = intradayChartSchema.safeParse(raw);
    if (!parsed.success)
      throw new MalformedChart(
        parsed.error.issues
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .slice(0, 3)
          .join('; '),
      );
    const c = parsed.data;
    const ts = c.timestamp ?? [];
    if (ts.length === 0) return;
    const q = c.indicators.quote[0];
    if (!q || [q.open, q.high, q.low, q.close, q.volume].some((s) => s.length !== ts.length))
      throw new MalformedChart(`${ts.length} timestamps but quote arrays of other lengths`);
    if (c.meta.dataGranularity !== undefined && c.meta.dataGranularity !== interval)
      throw new MalformedChart(`asked for ${interval} bars, got ${c.meta.dataGranularity}`);
    const step = BAR_INTERVAL_MS[interval];
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k] * 1000;
      if (t < from || t >= to) continue;
      const [o, h, l, cl, v] = [q.open[k], q.high[k], q.low[k], q.close[k], q.volume[k]];
      if (o === null || h === null || l === null || cl === null) {
        skips.set('null candle', (skips.get('null candle') ?? 0) + 1);
        continue;
      }
      if (t % step !== 0) {
        skips.set('in-progress row', (skips.get('in-progress row') ?? 0) + 1);
        continue;
      }
      out.push({ symbol, ts: t, open: o, high: h, low: l, close: cl, volume: v ?? 0 });
    }
  }

  return {
    name: 'yahoo',
    requests,

    async fetchBars(symbols, from, to, interval): Promise<IntradayResult> {
      if (!Object.hasOwn(BAR_INTERVAL_MS, interval)) throw new RangeError(`interval must be 1m, 5m or 15m, got ${String(interval)}`);
      const bars: IntradayBar[] = [];
      const failures: IntradayFailure[] = [];
      const skipped: IntradaySkipped[] = [];
      if (!(to > from)) return { bars, failures, skipped };
      const span = YAHOO_MAX_WINDOW_DAYS[interval] * DAY_MS;
      for (const [i, symbol] of symbols.entries()) {
        if (i > 0 && delayMs > 0) await sleep(delayMs);
        const own: IntradayBar[] = [];
        const skips = new Map<string, number>();
        try {
          for (let start = from; start < to; start += span) await window(symbol, start, Math.min(to, start + span), interval, own, skips);
        } catch (err) {
          failures.push({ symbol, reason: describeFailure(symbol, err) });
          continue;
        }
        // Windows do not overlap, but a provider that ignores period2 could repeat a bar: keep the first of each start.
        own.sort((a, b) => a.ts - b.ts);
        for (let k = 0; k < own.length; k++) if (k === 0 || own[k].ts !== own[k - 1].ts) bars.push(own[k]);
        for (const [reason, count] of skips) skipped.push({ symbol, reason, count });
      }
      return { bars, failures, skipped };
    },
  };
}
