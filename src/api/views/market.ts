/**
 * The Market page's data: `GET /api/market/symbols` (every symbol with bars,
 * its intervals, and whether we traded it) and `GET /api/market/:symbol`
 * (one interval's bars with volume, and the signals and fills that fall on
 * them, each already placed on the bar it belongs to, so the chart and the
 * page's table mark the same thing). Intraday times are the exchange's wall
 * clock in seconds: the chart library draws times as UTC, and a session read
 * 09:30-16:00 is what a trader expects, whatever the browser's zone.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BAR_INTERVAL_MS } from '../../domain/strategies/types';
import { errorSchema } from '../schemas';
import type { DashboardViewsDeps } from './deps';
import { createMarketReads, EXCHANGE_TZ, type EventRow, type MarketInterval } from './market-data';

/** The most bars one answer carries (the latest ones): about 20 years of days, or 64 sessions of 5-minute bars. */
export const MAX_BARS = 5_000;

const INTERVALS = ['1d', '1m', '5m', '15m'] as const;
const chartTime = z
  .union([z.string(), z.number()])
  .describe("'YYYY-MM-DD' for daily bars; the exchange's wall clock in epoch seconds intraday");
const isoDay = z.iso.date();

const intervalSummarySchema = z.object({ interval: z.enum(INTERVALS), bars: z.number().int(), first: z.string(), last: z.string() });
const symbolsSchema = z.object({
  symbols: z.array(
    z.object({
      symbol: z.string(),
      intervals: z.array(intervalSummarySchema),
      last_fill_at: z.string().nullable().describe('Our latest fill of it in either book (ISO), null if never traded'),
      fills: z.number().int(),
    }),
  ),
});

const barSchema = z.object({ time: chartTime, open: z.number(), high: z.number(), low: z.number(), close: z.number(), volume: z.number() });
const markerSchema = z.object({
  time: chartTime.describe('The bar the marker sits on'),
  at: z.string().describe('When it happened: a day, or an ISO instant'),
  kind: z.enum(['signal', 'model', 'fill']),
  side: z.enum(['buy', 'sell']),
  source: z.string(),
  label: z.string(),
  qty: z.number().nullable(),
  price: z.number().nullable(),
  status: z.string().nullable().describe("An intraday signal's outcome: executed or rejected"),
});
export type MarketMarker = z.infer<typeof markerSchema>;

const seriesSchema = z.object({
  symbol: z.string(),
  interval: z.enum(INTERVALS),
  exchange_tz: z.string(),
  /** The window held more than MAX_BARS bars: only the latest are here. */
  truncated: z.boolean(),
  bars: z.array(barSchema),
  markers: z.array(markerSchema),
});

const symbolParamsSchema = z.strictObject({
  symbol: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9.-]{0,14}$/, 'a ticker: letters, digits, "." or "-", at most 15 characters'),
});
const seriesQuerySchema = z
  .strictObject({
    interval: z.enum(INTERVALS).default('1d'),
    from: isoDay.optional().describe('First day (inclusive); intraday, the first New York session date'),
    to: isoDay.optional().describe('Last day (inclusive)'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'from must not be after to' });

/**
 * Each event on the bar it falls in: the last bar that starts at or before it. An event before the first bar
 * or after the last bar ends is not on the chart and is left out (a daily bar ends with its day; an intraday
 * bar `barSeconds` after its start). Bars are oldest first; days compare as 'YYYY-MM-DD' strings.
 *
 * @example
 *   // Friday 03-07 and Monday 03-10: a Saturday signal sits on Friday's bar; one on 03-11 is past the data
 *   placeMarkers([{ time: '2025-03-07' }, { time: '2025-03-10' }], [saturday, tuesday], null) // [{ ...saturday, time: '2025-03-07' }]
 */
export function placeMarkers(
  bars: readonly { time: string | number }[],
  events: readonly EventRow[],
  barSeconds: number | null,
): MarketMarker[] {
  if (bars.length === 0) return [];
  const last = bars[bars.length - 1].time;
  const out: MarketMarker[] = [];
  for (const e of events) {
    const after = barSeconds == null ? e.time > last : (e.time as number) >= (last as number) + barSeconds;
    if (after) continue;
    // Binary search: the last bar whose start is <= the event.
    let lo = 0;
    let hi = bars.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (bars[mid].time <= e.time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) continue;
    out.push({ ...e, time: bars[found].time });
  }
  return out;
}

/**
 * @example
 *   GET /api/market/symbols          -> { symbols: [{ symbol: 'AAPL', intervals: [...], last_fill_at, fills }] }
 *   GET /api/market/AAPL?interval=5m -> { symbol: 'AAPL', interval: '5m', bars: [...], markers: [...], ... }
 */
export function registerMarketRoutes(server: FastifyInstance, deps: DashboardViewsDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const reads = createMarketReads(deps.db);

  app.get(
    '/api/market/symbols',
    { schema: { summary: 'Symbols with bars, their intervals, and our fills of them', response: { 200: symbolsSchema } } },
    async () => ({ symbols: await reads.symbols() }),
  );

  app.get(
    '/api/market/:symbol',
    {
      schema: {
        summary: "One symbol's bars in one interval, with the signals and fills on them",
        params: symbolParamsSchema,
        querystring: seriesQuerySchema,
        response: { 200: seriesSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { symbol } = request.params;
      const { interval, from, to } = request.query;
      const fetched = await reads.bars(symbol, interval, { from, to, limit: MAX_BARS + 1 });
      if (fetched.length === 0 && !(await reads.hasSymbol(symbol)))
        return reply
          .code(404)
          .send({ error: 'unknown_symbol', field: 'symbol', message: `no bars for symbol "${symbol}" in any interval` });
      const truncated = fetched.length > MAX_BARS;
      const bars = truncated ? fetched.slice(fetched.length - MAX_BARS) : fetched;
      return {
        symbol,
        interval,
        exchange_tz: EXCHANGE_TZ,
        truncated,
        bars,
        markers: bars.length === 0 ? [] : await markersFor(symbol, interval, bars),
      };
    },
  );

  async function markersFor(symbol: string, interval: MarketInterval, bars: { time: string | number }[]): Promise<MarketMarker[]> {
    const first = bars[0].time;
    const last = bars[bars.length - 1].time;
    if (interval === '1d') return placeMarkers(bars, await reads.dailyEvents(symbol, first as string, last as string), null);
    const seconds = BAR_INTERVAL_MS[interval] / 1000;
    return placeMarkers(bars, await reads.intradayEvents(symbol, first as number, (last as number) + seconds), seconds);
  }
}
