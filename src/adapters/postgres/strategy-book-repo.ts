/**
 * The strategies' book in Postgres: its fills and orders as the execution
 * service booked them (trading_orders / order_fills of one venue name), and
 * what the risk check and the end of day wrote (sql/015_strategy_book.sql).
 */
import type { ModelSignalInput } from '../../domain/strategies/types';
import type { BookFill } from '../../domain/strategy-book/book';
import type { DayOrder, StrategyDayResult } from '../../domain/strategy-book/day-summary';
import type { RiskCheckResult } from '../../domain/strategy-book/risk-check';
import { inTransaction, type Db } from './pool';

export interface BookOrder extends DayOrder {
  symbol: string;
  qty: number;
  submittedAt: string;
}

const num = (v: number) => (Number.isFinite(v) ? v : null);

export function createStrategyBookRepo(db: Db) {
  return {
    /** Every fill of the book at or before `until` (epoch ms), oldest first, with the strategy that ordered it. */
    async fills(book: string, until: number): Promise<BookFill[]> {
      const r = await db.query(
        `SELECT o.strategy_id, f.symbol, f.side, f.qty, f.price, f.filled_at
           FROM order_fills f JOIN trading_orders o ON o.id = f.order_id
          WHERE o.broker = $1 AND f.filled_at <= $2
          ORDER BY f.filled_at, f.execution_id`,
        [book, new Date(until)],
      );
      return r.rows.map((x) => ({
        strategy: x.strategy_id,
        symbol: x.symbol,
        side: x.side,
        qty: x.qty,
        price: x.price,
        at: new Date(x.filled_at).getTime(),
      }));
    },

    /** The book's orders decided in [from, to) (epoch ms): by their signal's time, else their submission. */
    async orders(book: string, from: number, to: number): Promise<BookOrder[]> {
      // An order belongs to the instant its signal was decided at (a replayed day's orders are written today,
      // their signals carry the replayed cycle's time); an order without a signal, to when it was submitted.
      const r = await db.query(
        `SELECT o.strategy_id, o.symbol, o.side, o.qty, o.status, o.filled_qty, o.filled_avg_price,
                COALESCE(s.signal_ts, o.submitted_at) AS submitted_at
           FROM trading_orders o LEFT JOIN trading_signals s ON s.id = o.signal_id
          WHERE o.broker = $1 AND COALESCE(s.signal_ts, o.submitted_at) >= $2 AND COALESCE(s.signal_ts, o.submitted_at) < $3
          ORDER BY 8, o.id`,
        [book, new Date(from), new Date(to)],
      );
      return r.rows.map((x) => ({
        strategy: x.strategy_id,
        symbol: x.symbol,
        side: x.side,
        qty: x.qty,
        status: x.status,
        filledQty: x.filled_qty,
        filledAvgPrice: x.filled_avg_price,
        submittedAt: new Date(x.submitted_at).toISOString(),
      }));
    },

    /**
     * The signals of the latest completed run (on or before `date`) of the newest active version of model
     * `name`, by symbol: what the model strategy follows. Empty when the model never ran.
     */
    async latestModelSignals(name: string, date: string): Promise<Map<string, ModelSignalInput>> {
      const r = await db.query(
        `WITH m AS (SELECT id, version FROM models WHERE name = $1 AND status = 'active' ORDER BY version DESC LIMIT 1),
              run AS (SELECT r.id, r.run_date FROM model_runs r JOIN m ON m.id = r.model_id
                       WHERE r.status = 'completed' AND r.run_date <= $2 ORDER BY r.run_date DESC LIMIT 1)
         SELECT s.symbol, s.action, s.confidence, s.stop_loss, to_char(run.run_date, 'YYYY-MM-DD') AS run_date, m.version
           FROM model_signals s JOIN run ON run.id = s.model_run_id CROSS JOIN m ORDER BY s.symbol`,
        [name, date],
      );
      return new Map(
        r.rows.map((x) => [
          x.symbol,
          { model: `${name}@${x.version}`, runDate: x.run_date, action: x.action, confidence: x.confidence, stopLoss: x.stop_loss },
        ]),
      );
    },

    async saveRiskCheck(
      book: string,
      checkedAt: number,
      equity: number,
      result: RiskCheckResult,
      halted: boolean,
      reportKey: string | null,
    ): Promise<void> {
      await db.query(
        `INSERT INTO book_risk_checks (book, checked_at, equity, metrics, violations, mitigations, critical, halted, report_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (book, checked_at) DO UPDATE SET equity = $3, metrics = $4, violations = $5, mitigations = $6,
           critical = $7, halted = $8, report_key = $9`,
        [
          book,
          new Date(checkedAt),
          equity,
          JSON.stringify(result.metrics, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
          JSON.stringify(result.violations),
          JSON.stringify(result.mitigations),
          result.critical,
          halted,
          reportKey,
        ],
      );
    },

    async latestRiskCheck(book: string): Promise<{ checkedAt: string; critical: boolean; halted: boolean; violations: unknown[] } | null> {
      const r = await db.query(
        `SELECT checked_at, critical, halted, violations FROM book_risk_checks WHERE book = $1 ORDER BY checked_at DESC LIMIT 1`,
        [book],
      );
      const x = r.rows[0];
      return x
        ? { checkedAt: new Date(x.checked_at).toISOString(), critical: x.critical, halted: x.halted, violations: x.violations }
        : null;
    },

    /**
     * Every signal stored under the book's key prefix (`<book>|`), with its outcome and its order: what the
     * book really did, in key order (a replay's determinism and exactly-once checks compare these).
     */
    async storedSignals(
      book: string,
    ): Promise<{ key: string; outcome: string; side: string | null; qty: number | null; filledAvgPrice: number | null }[]> {
      const r = await db.query(
        `SELECT s.idempotency_key, s.outcome, o.side, o.qty, o.filled_avg_price
           FROM trading_signals s LEFT JOIN trading_orders o ON o.signal_id = s.id
          WHERE starts_with(s.idempotency_key, $1) ORDER BY s.idempotency_key`,
        [`${book}|`],
      );
      return r.rows.map((x) => ({
        key: String(x.idempotency_key).slice(book.length + 1),
        outcome: x.outcome,
        side: x.side,
        qty: x.qty,
        filledAvgPrice: x.filled_avg_price,
      }));
    },

    /** Cycles of a replayed day already done (0 for a new book). */
    async replayProgress(book: string): Promise<number> {
      const r = await db.query(`SELECT cycles_done FROM replay_progress WHERE book = $1`, [book]);
      return r.rows[0]?.cycles_done ?? 0;
    },

    async markCycleDone(book: string, cyclesDone: number, at: number): Promise<void> {
      await db.query(
        `INSERT INTO replay_progress (book, cycles_done, last_cycle_at) VALUES ($1, $2, $3)
         ON CONFLICT (book) DO UPDATE SET cycles_done = GREATEST(replay_progress.cycles_done, $2), last_cycle_at = $3, updated_at = now()`,
        [book, cyclesDone, new Date(at)],
      );
    },

    /** The book's risk checks in [from, to) (epoch ms), oldest first, for the end-of-day report. */
    async riskChecksBetween(
      book: string,
      from: number,
      to: number,
    ): Promise<{ at: string; critical: boolean; violations: number; halted: boolean }[]> {
      const r = await db.query(
        `SELECT checked_at, critical, halted, jsonb_array_length(violations) AS n FROM book_risk_checks
          WHERE book = $1 AND checked_at >= $2 AND checked_at < $3 ORDER BY checked_at`,
        [book, new Date(from), new Date(to)],
      );
      return r.rows.map((x) => ({ at: new Date(x.checked_at).toISOString(), critical: x.critical, violations: x.n, halted: x.halted }));
    },

    /** One statement per day: a re-run replaces the day's rows (the total under strategy '*'). */
    async saveDayResults(
      book: string,
      date: string,
      rows: (StrategyDayResult | (Omit<StrategyDayResult, 'attribution'> & { attribution?: number }))[],
      reportKey: string,
    ): Promise<void> {
      const params: unknown[] = [book, date, reportKey];
      const values = rows.map((row) => {
        const base = params.length;
        params.push(
          row.strategy,
          row.pnl,
          row.orders,
          row.filledOrders,
          row.rejectedOrders,
          row.roundTrips,
          num(row.successRate),
          num(row.sharpe),
          row.attribution === undefined ? null : num(row.attribution),
        );
        return `($1, $2, ${Array.from({ length: 9 }, (_, i) => `$${base + i + 1}`).join(', ')}, $3)`;
      });
      await inTransaction(db, async (client) => {
        await client.query('DELETE FROM strategy_day_results WHERE book = $1 AND session_date = $2', [book, date]);
        if (values.length > 0)
          await client.query(
            `INSERT INTO strategy_day_results (book, session_date, strategy, pnl, orders, filled_orders, rejected_orders,
               round_trips, success_rate, sharpe, attribution, report_key) VALUES ${values.join(', ')}`,
            params,
          );
      });
    },
  };
}

export type StrategyBookRepo = ReturnType<typeof createStrategyBookRepo>;
