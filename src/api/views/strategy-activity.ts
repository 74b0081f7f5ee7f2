/**
 * The Strategies page's activity: `GET /api/strategies/activity` lists one
 * trading day's signals (today in New York, else the latest day that had
 * some, else the `date` asked) with what became of each and, for a
 * rejection, the risk rule and reason (risk_violations), plus counts per
 * strategy and per rule. Rows can be narrowed to a strategy and an outcome.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { newYorkClock } from '../../domain/intraday-bars';
import { activityDay, newYorkDayBounds } from './activity-day';
import type { DashboardViewsDeps } from './deps';

const outcomeSchema = z.enum(['executed', 'rejected', 'held']);

const activitySchema = z.object({
  today: z.string().describe('Today in New York'),
  date: z.string().nullable().describe('The day shown; null when no signal was ever stored'),
  is_today: z.boolean(),
  strategies: z.array(
    z.object({
      strategy: z.string(),
      signals: z.number().int(),
      executed: z.number().int(),
      rejected: z.number().int(),
      held: z.number().int(),
    }),
  ),
  rules: z.array(z.object({ strategy: z.string(), rule: z.string(), count: z.number().int() })),
  signals: z.object({
    total: z.number().int().describe('Signals matching the filters (rows holds at most `limit`, newest first)'),
    rows: z.array(
      z.object({
        id: z.number().int(),
        at: z.string(),
        strategy: z.string(),
        symbol: z.string(),
        action: z.enum(['BUY', 'SELL', 'HOLD']),
        confidence: z.number(),
        outcome: outcomeSchema,
        rule: z.string().nullable(),
        reason: z.string().nullable(),
        book: z.string().nullable().describe("The desk's book (key prefix `<book>|`), null for a signal sent over HTTP"),
      }),
    ),
  }),
});

const querySchema = z.strictObject({
  date: z.iso.date().optional(),
  strategy: z.string().min(1).max(64).optional(),
  outcome: outcomeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** A desk's signals carry their book as the key's prefix (`replay:2025-03-14|strategy:...`); see book-steps.ts. */
const bookOfKey = (key: string): string | null => /^((?:paper|replay):[^|]+)\|/.exec(key)?.[1] ?? null;

export function registerStrategyActivityRoutes(app: FastifyInstance, deps: DashboardViewsDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  api.get(
    '/api/strategies/activity',
    {
      schema: {
        summary: "A day's signals and rejections (with the rule), per strategy",
        querystring: querySchema,
        response: { 200: activitySchema },
      },
    },
    async (request) => {
      const q = request.query;
      const today = newYorkClock(Date.now()).date;
      const [todayStart, todayEnd] = newYorkDayBounds(today);
      let date: string | null = q.date ?? null;
      if (!date) {
        const r = await db.query(
          `SELECT count(*) FILTER (WHERE signal_ts >= $1) AS today, (extract(epoch FROM max(signal_ts)) * 1000)::int8 AS latest
             FROM trading_signals WHERE signal_ts < $2`,
          [new Date(todayStart), new Date(todayEnd)],
        );
        const x = r.rows[0];
        date = activityDay({ today, todaySignals: Number(x.today), latestSignalAt: x.latest === null ? null : Number(x.latest) });
      }
      if (!date) return { today, date: null, is_today: false, strategies: [], rules: [], signals: { total: 0, rows: [] } };

      const [from, to] = newYorkDayBounds(date).map((t) => new Date(t));
      const day = [from, to];
      const [perStrategy, perRule, rows] = await Promise.all([
        db.query(
          `SELECT strategy_id, count(*) AS n, count(*) FILTER (WHERE outcome = 'executed') AS executed,
                  count(*) FILTER (WHERE outcome = 'rejected') AS rejected, count(*) FILTER (WHERE outcome = 'held') AS held
             FROM trading_signals WHERE signal_ts >= $1 AND signal_ts < $2 GROUP BY strategy_id ORDER BY strategy_id`,
          day,
        ),
        db.query(
          `SELECT s.strategy_id, v.rule, count(*) AS n FROM risk_violations v JOIN trading_signals s ON s.id = v.signal_id
            WHERE s.signal_ts >= $1 AND s.signal_ts < $2 GROUP BY s.strategy_id, v.rule ORDER BY s.strategy_id, count(*) DESC, v.rule`,
          day,
        ),
        // count(*) OVER (): the total that matches the filters, beside the page of rows.
        db.query(
          `SELECT s.id, s.idempotency_key, s.strategy_id, s.symbol, s.action, s.confidence, s.outcome, s.signal_ts, v.rule, v.reason,
                  count(*) OVER () AS total
             FROM trading_signals s LEFT JOIN risk_violations v ON v.signal_id = s.id
            WHERE s.signal_ts >= $1 AND s.signal_ts < $2 AND ($3::text IS NULL OR s.strategy_id = $3) AND ($4::text IS NULL OR s.outcome = $4)
            ORDER BY s.signal_ts DESC, s.id DESC LIMIT $5`,
          [...day, q.strategy ?? null, q.outcome ?? null, q.limit],
        ),
      ]);
      return {
        today,
        date,
        is_today: date === today,
        strategies: perStrategy.rows.map((x) => ({
          strategy: x.strategy_id,
          signals: Number(x.n),
          executed: Number(x.executed),
          rejected: Number(x.rejected),
          held: Number(x.held),
        })),
        rules: perRule.rows.map((x) => ({ strategy: x.strategy_id, rule: x.rule, count: Number(x.n) })),
        signals: {
          total: Number(rows.rows[0]?.total ?? 0),
          rows: rows.rows.map((x) => ({
            id: Number(x.id),
            at: new Date(x.signal_ts).toISOString(),
            strategy: x.strategy_id,
            symbol: x.symbol,
            action: x.action,
            confidence: x.confidence,
            outcome: x.outcome,
            rule: x.rule,
            reason: x.reason,
            book: bookOfKey(x.idempotency_key),
          })),
        },
      };
    },
  );
}
