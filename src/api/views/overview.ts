/**
 * The Overview page's routes: `GET /api/overview/books` (the books that
 * have data: the daily pipeline's and each execution book) and
 * `GET /api/overview?book=` (one book's equity curve with drawdown, value,
 * cash, P&L of the day, month and year, exposure by sector, latest alerts).
 * Figures a book does not have are null, never made up.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '../schemas';
import type { DashboardViewsDeps } from './deps';
import { createOverviewBooks } from './overview-books';
import { PIPELINE_BOOK } from './overview-shape';

const kindSchema = z.enum(['pipeline', 'live', 'replay', 'service']);
const money = z.number().nullable();

const booksSchema = z.object({ books: z.array(z.object({ id: z.string(), label: z.string(), kind: kindSchema })) });

const overviewSchema = z.object({
  book: z.string(),
  label: z.string(),
  kind: kindSchema,
  as_of: z.string().nullable(),
  curve: z.object({
    interval: z.enum(['day', 'intraday']).describe("'day': times are dates; 'intraday': times are epoch ms"),
    basis: z.enum(['equity', 'pnl']),
    points: z.array(z.object({ time: z.union([z.string(), z.number()]), equity: z.number(), drawdown: z.number().nullable() })),
  }),
  total_value: money,
  cash: money,
  positions_value: money,
  pnl: z.object({
    date: z.string().nullable(),
    day: money,
    mtd: money,
    ytd: money,
    day_return: money,
    mtd_return: money,
    ytd_return: money,
  }),
  sectors: z.array(z.object({ sector: z.string(), value: z.number(), weight: z.number(), positions: z.number().int() })),
  alerts: z.array(z.object({ at: z.string(), severity: z.enum(['info', 'warning', 'critical']), source: z.string(), message: z.string() })),
  notes: z.array(z.string()),
});

export function registerOverviewRoutes(app: FastifyInstance, deps: DashboardViewsDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const books = createOverviewBooks(deps.db, deps.executionAccount);

  api.get(
    '/api/overview/books',
    { schema: { summary: 'The books the Overview can show (those with data)', response: { 200: booksSchema } } },
    async () => ({ books: await books.books() }),
  );

  api.get(
    '/api/overview',
    {
      schema: {
        summary: "One book's equity curve, drawdown, P&L, cash, exposure by sector and alerts",
        querystring: z.strictObject({
          book: z
            .string()
            .min(1)
            .max(200)
            .default(PIPELINE_BOOK)
            .describe("'pipeline' or an execution book (paper:<account>, replay:<date>)"),
        }),
        response: { 200: overviewSchema, 404: errorSchema, 400: errorSchema },
      },
    },
    async (request, reply) => {
      const o = await books.overview(request.query.book);
      if (!o) return reply.code(404).send({ error: 'not_found', field: 'book', message: `no book "${request.query.book}" with data` });
      return {
        book: o.book,
        label: o.label,
        kind: o.kind,
        as_of: o.asOf,
        curve: o.curve,
        total_value: o.totalValue,
        cash: o.cash,
        positions_value: o.positionsValue,
        pnl: {
          date: o.pnl.date,
          day: o.pnl.day,
          mtd: o.pnl.mtd,
          ytd: o.pnl.ytd,
          day_return: o.pnl.dayReturn,
          mtd_return: o.pnl.mtdReturn,
          ytd_return: o.pnl.ytdReturn,
        },
        sectors: o.sectors,
        alerts: o.alerts,
        notes: o.notes,
      };
    },
  );
}
