/**
 * The wire shapes of the execution service, as zod schemas: request bodies
 * and queries are strict (an unknown field is refused, not ignored) and each
 * bad value is reported with the field it belongs to. Fastify validates with
 * them (fastify-type-provider-zod) and @fastify/swagger turns them into the
 * OpenAPI document at /openapi.json.
 */
import { z } from 'zod';

const positive = z.number().finite().positive();

export const signalBodySchema = z
  .strictObject({
    symbol: z
      .string()
      .regex(/^[A-Z][A-Z0-9.-]{0,14}$/, 'a ticker: upper-case letters, digits, "." or "-", at most 15 characters')
      .describe('Ticker, e.g. AAPL'),
    action: z.enum(['BUY', 'SELL', 'HOLD']),
    quantity: z
      .number()
      .int('whole shares')
      .positive()
      .max(10_000_000)
      .optional()
      .describe('Whole shares; omit to let the risk manager size it'),
    price_target: positive.optional().describe('A limit price: the order becomes a limit order'),
    stop_loss: positive.optional(),
    take_profit: positive.optional(),
    confidence: z.number().min(0).max(1),
    strategy_id: z.string().min(1).max(64),
    timestamp: z.iso.datetime({ offset: true }).optional().describe('When the signal was made (ISO-8601); default: when it arrived'),
    metadata: z.record(z.string(), z.unknown()).optional(),
    idempotency_key: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Same key, same order. Default: strategy_id:symbol:action:timestamp (so a signal without a timestamp is never deduplicated)',
      ),
  })
  .describe('A trading signal');
export type SignalBody = z.infer<typeof signalBodySchema>;

export const executedSchema = z.object({
  status: z.literal('executed'),
  order_id: z.number().int(),
  client_order_id: z.string(),
  broker_order_id: z.string().nullable(),
  quantity: z.number().int(),
  side: z.enum(['buy', 'sell']),
  order_status: z.string(),
  latency_ms: z.number(),
  duplicate: z.boolean(),
});
export const rejectedSchema = z.object({
  status: z.literal('rejected'),
  rule: z.string(),
  reason: z.string(),
  latency_ms: z.number(),
  duplicate: z.boolean(),
});
export const heldSchema = z.object({
  status: z.literal('held'),
  signal_id: z.number().int(),
  latency_ms: z.number(),
  duplicate: z.boolean(),
});
export const errorSchema = z.object({ error: z.string(), field: z.string().optional(), message: z.string() });

export const orderSchema = z.object({
  id: z.number().int(),
  signal_id: z.number().int().nullable(),
  client_order_id: z.string(),
  broker: z.string(),
  broker_order_id: z.string().nullable(),
  strategy_id: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  qty: z.number().int(),
  order_type: z.enum(['market', 'limit']),
  limit_price: z.number().nullable(),
  stop_loss: z.number().nullable(),
  take_profit: z.number().nullable(),
  status: z.string(),
  filled_qty: z.number().int(),
  filled_avg_price: z.number().nullable(),
  submitted_at: z.string(),
  updated_at: z.string(),
});

export const ordersQuerySchema = z.strictObject({
  status: z.string().min(1).max(32).optional(),
  symbol: z.string().min(1).max(15).optional(),
  strategy: z.string().min(1).max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const orderIdParamsSchema = z.strictObject({ id: z.coerce.number().int().positive() });

export const strategySchema = z.object({
  name: z.string(),
  kind: z.string().nullable().describe('The intraday strategy kind; null: an external strategy (signals over HTTP only)'),
  params: z.record(z.string(), z.unknown()).describe("The kind's settings as stored (partial: the kind's defaults fill the rest)"),
  enabled: z.boolean(),
  confidence_threshold: z.number(),
  max_position_size: z.number(),
  stop_loss_pct: z.number().nullable(),
  max_single_position: z.number().nullable(),
  protective_stops: z
    .boolean()
    .describe('Opening orders get the default protective stop (false: the strategy manages its exits, e.g. a pair)'),
  updated_at: z.string(),
});

export const strategyPatchSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    confidence_threshold: z.number().min(0).max(1).optional(),
    max_position_size: z.number().finite().positive().optional(),
    stop_loss_pct: z.number().gt(0).lt(1).nullable().optional(),
    max_single_position: z.number().gt(0).max(1).nullable().optional(),
    protective_stops: z.boolean().optional(),
    kind: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .describe('The intraday strategy kind; null makes it external (it must have no params)'),
    params: z
      .record(z.string().min(1), z.unknown())
      .optional()
      .describe("Merged over the stored params: a key replaces that setting, null removes it (the kind's default again)"),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field to change' });
export type StrategyPatchBody = z.infer<typeof strategyPatchSchema>;

export const strategyParamsSchema = z.strictObject({ name: z.string().min(1).max(64) });

export const positionSchema = z.object({
  symbol: z.string(),
  qty: z.number(),
  avg_entry_price: z.number(),
  current_price: z.number(),
  market_value: z.number(),
  unrealized_pl: z.number(),
});

export const portfolioSchema = z.object({
  broker: z.string(),
  cash: z.number(),
  equity: z.number(),
  buying_power: z.number(),
  currency: z.string(),
  positions_value: z.number(),
  positions: z.array(positionSchema),
  halted: z.boolean(),
  halt_reason: z.string().nullable(),
});

export const tradingMetricsSchema = z.object({
  window_seconds: z.number(),
  latency_ms: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable(), samples: z.number() }),
  strategies: z.array(
    z.object({
      strategy: z.string(),
      signals: z.number(),
      executed: z.number(),
      rejected: z.number(),
      held: z.number(),
      success_rate: z.number().nullable(),
    }),
  ),
  rejections_by_rule: z.record(z.string(), z.number()),
  orders_per_second: z.number(),
});
