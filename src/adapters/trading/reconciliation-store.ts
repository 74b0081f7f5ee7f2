/**
 * The Postgres side of reconciliation (tables of sql/006_trading.sql): read
 * our orders and fills in the shape the domain's `reconcile` takes, and write
 * its decision in one transaction. Every write is idempotent: fills carry a
 * deterministic execution id (ON CONFLICT DO NOTHING), order updates check
 * the state they were decided from (a concurrent booking by the API's trade
 * stream aborts the write instead of doubling a fill), positions are an
 * upsert of the venue's, and the halt is a flag.
 */
import type pg from 'pg';
import type { BookedFill, BookedOrder, ReconciliationDecision, Side } from '../../domain/reconciliation';
import { QuantError } from '../../domain/errors';
import { inTransaction, type Db } from '../postgres/pool';

/** Statuses after which an order can no longer fill (the broker port's FINAL_ORDER_STATUSES, as SQL text). */
const FINAL = ['filled', 'canceled', 'expired', 'rejected'];

/**
 * An order changed between the read and the write (the API booked a fill or
 * a status meanwhile). Nothing was written; the next attempt reads again.
 */
export class ReconcileConflictError extends QuantError {
  readonly type = 'ReconcileConflict';
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'ReconcileConflictError';
  }
}

export interface TradingState {
  halted: boolean;
  haltReason: string | null;
}

export interface VenuePositionRow {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const num = (v: unknown) => (v === null ? null : Number(v));

export function createReconciliationStore(db: Db) {
  return {
    /**
     * Our orders at `broker` that reconciliation looks at: those submitted
     * since `since`, every order not yet final, and every filled order whose
     * bracket legs have not closed it yet (opposite-side fills < filled).
     */
    async orders(broker: string, since: Date): Promise<BookedOrder[]> {
      const r = await db.query(
        `SELECT o.id::text AS id, o.client_order_id, o.broker_order_id, o.symbol, o.side, o.qty, o.status, o.filled_qty, o.filled_avg_price,
                (o.stop_loss IS NOT NULL OR o.take_profit IS NOT NULL) AS has_bracket, o.submitted_at, o.updated_at
           FROM trading_orders o
           LEFT JOIN LATERAL (SELECT COALESCE(sum(f.qty), 0) AS qty FROM order_fills f WHERE f.order_id = o.id AND f.side <> o.side) legs ON true
          WHERE o.broker = $1
            AND (o.submitted_at >= $2 OR o.status <> ALL($3::text[])
                 OR ((o.stop_loss IS NOT NULL OR o.take_profit IS NOT NULL) AND legs.qty < o.filled_qty))
          ORDER BY o.id`,
        [broker, since, FINAL],
      );
      return r.rows.map((row) => ({
        id: row.id as string,
        clientOrderId: row.client_order_id as string,
        brokerOrderId: row.broker_order_id as string | null,
        symbol: row.symbol as string,
        side: row.side as Side,
        qty: Number(row.qty),
        status: row.status as string,
        filledQty: Number(row.filled_qty),
        filledAvgPrice: num(row.filled_avg_price),
        hasBracket: row.has_bracket as boolean,
        submittedAt: iso(row.submitted_at as Date),
        updatedAt: iso(row.updated_at as Date),
      }));
    },

    /** Our fills at `broker`, summed per order and side at their average price (one row per order and side, not per execution). */
    async fills(broker: string): Promise<BookedFill[]> {
      const r = await db.query(
        `SELECT f.order_id::text AS order_id, f.symbol, f.side, sum(f.qty)::int8 AS qty, sum(f.qty * f.price) / sum(f.qty) AS price
           FROM order_fills f JOIN trading_orders o ON o.id = f.order_id
          WHERE o.broker = $1
          GROUP BY f.order_id, f.symbol, f.side
          ORDER BY f.order_id, f.side`,
        [broker],
      );
      return r.rows.map((row) => ({
        orderId: row.order_id as string,
        symbol: row.symbol as string,
        side: row.side as Side,
        qty: Number(row.qty),
        price: Number(row.price),
      }));
    },

    async tradingState(): Promise<TradingState> {
      const r = await db.query(`SELECT halted, halt_reason FROM trading_state WHERE id`);
      const row = r.rows[0] as { halted: boolean; halt_reason: string | null } | undefined;
      return { halted: row?.halted ?? false, haltReason: row?.halt_reason ?? null };
    },

    /**
     * Write a decision in one transaction: the fills, the order updates, and
     * then either the venue's positions (mirrored into broker_positions, only
     * when nothing is unexplained) or the halt (a halt already set keeps its
     * first reason). Throws ReconcileConflictError, writing nothing, when an
     * order no longer has the state the decision was made from.
     */
    async apply(
      broker: string,
      decision: ReconciliationDecision,
      venuePositions: readonly VenuePositionRow[],
      writeHalt = true,
    ): Promise<void> {
      await inTransaction(db, async (client) => {
        await applyOrderUpdates(client, decision);
        for (const f of decision.fills) {
          await client.query(
            `INSERT INTO order_fills (execution_id, order_id, symbol, side, qty, price, filled_at)
             VALUES ($1, $2::bigint, $3, $4, $5, $6, $7) ON CONFLICT (execution_id) DO NOTHING`,
            [f.executionId, f.orderId, f.symbol, f.side, f.qty, f.price, f.filledAt],
          );
        }
        if (decision.outcome === 'halt') {
          if (!writeHalt) return;
          await client.query(
            `UPDATE trading_state SET halted = true, halt_reason = CASE WHEN halted THEN halt_reason ELSE $1 END, updated_at = now() WHERE id`,
            [decision.haltReason],
          );
          return;
        }
        await client.query(`DELETE FROM broker_positions WHERE broker = $1 AND symbol <> ALL($2::text[])`, [
          broker,
          venuePositions.map((p) => p.symbol),
        ]);
        for (const p of venuePositions) {
          await client.query(
            `INSERT INTO broker_positions AS b (broker, symbol, qty, avg_entry_price) VALUES ($1, $2, $3, $4)
             ON CONFLICT (broker, symbol) DO UPDATE SET qty = EXCLUDED.qty, avg_entry_price = EXCLUDED.avg_entry_price, updated_at = now()
             WHERE (b.qty, b.avg_entry_price) IS DISTINCT FROM (EXCLUDED.qty, EXCLUDED.avg_entry_price)`,
            [broker, p.symbol, p.qty, p.avgEntryPrice],
          );
        }
      });
    },
  };
}

export type ReconciliationStore = ReturnType<typeof createReconciliationStore>;

async function applyOrderUpdates(client: pg.PoolClient, decision: ReconciliationDecision): Promise<void> {
  const ids = [...new Set([...decision.orderUpdates.map((u) => u.orderId), ...decision.fills.map((f) => f.orderId)])];
  if (ids.length === 0) return;
  // Lock the rows first: the API's trade-stream booking of the same orders waits for us, or we fail on what it wrote.
  const locked = await client.query(
    `SELECT id::text AS id, status, filled_qty FROM trading_orders WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  const current = new Map(locked.rows.map((r) => [r.id as string, { status: r.status as string, filledQty: Number(r.filled_qty) }]));
  for (const f of decision.fills) {
    const r = await client.query(`SELECT COALESCE(sum(qty), 0)::int8 AS qty FROM order_fills WHERE order_id = $1::bigint AND side = $2`, [
      f.orderId,
      f.side,
    ]);
    if (Number(r.rows[0].qty) !== f.previousBookedQty) {
      throw new ReconcileConflictError(`fills of order ${f.orderId} (${f.symbol} ${f.side}) changed while reconciling; read again`);
    }
  }
  for (const u of decision.orderUpdates) {
    const now = current.get(u.orderId);
    if (!now || now.status !== u.previousStatus || now.filledQty !== u.previousFilledQty) {
      throw new ReconcileConflictError(
        `order ${u.clientOrderId} (${u.symbol}) changed while reconciling (${now ? `${now.status}, ${now.filledQty} filled` : 'gone'}); read again`,
      );
    }
    await client.query(
      `UPDATE trading_orders SET broker_order_id = $2, status = $3, filled_qty = $4, filled_avg_price = $5, updated_at = now() WHERE id = $1::bigint`,
      [u.orderId, u.brokerOrderId, u.status, u.filledQty, u.filledAvgPrice],
    );
  }
}
