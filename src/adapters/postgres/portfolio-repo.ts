/**
 * The paper account of WF4 `rebalance`: `rebalancing_runs`, `positions`,
 * `trades`, `dividends` and `portfolio_snapshots`. `executeRebalance` books a
 * planned day in ONE transaction that first locks the date's run row and
 * returns without writing when it is already `executed`, so a retry, a
 * crashed worker or a manual re-run trades once; the trades' UNIQUE
 * (run_date, symbol, side) is the second guard.
 */
import type pg from 'pg';
import {
  REBALANCED_OUTCOMES,
  type BookedDividend,
  type HeldPosition,
  type MarkedPosition,
  type PlannedOrder,
  type RebalanceOutcome,
} from '../../domain/rebalance-day';
import { inTransaction, type Db } from './pool';
import { QuantError } from '../../domain/errors';

export interface RebalancingRunRow {
  runDate: string;
  status: 'planned' | 'executed';
  outcome: RebalanceOutcome;
  signalsUsed: number;
  targetWeights: Record<string, number>;
  orders: number;
  cashBefore: number;
  cashAfter: number | null;
  infeasible: boolean;
  infeasibleReason: string | null;
  flags: { type: string; symbol: string; message: string }[];
  costs: number;
  dividends: number;
  targetWeightsKey: string | null;
  tradeOrdersKey: string | null;
  reportKey: string | null;
}

export interface SnapshotRow {
  snapshotDate: string;
  cash: number;
  positionsValue: number;
  totalValue: number;
  costsPaidCum: number;
  dividendsCum: number;
  positions: MarkedPosition[];
}

export interface TradeRow {
  runDate: string;
  symbol: string;
  side: 'buy' | 'sell';
  shares: number;
  price: number;
  gross: number;
  commission: number;
  spreadCost: number;
  exchangeFee: number;
  impact: number;
  totalCost: number;
}

/** What `executeRebalance` books. */
export interface ExecutionPlan {
  runDate: string;
  /** The snapshot the plan started from (null = the initial capital); a different latest snapshot means the account moved. */
  baseSnapshotDate: string | null;
  /** Shares per symbol the plan started from. */
  baseShares: Record<string, number>;
  dividends: BookedDividend[];
  orders: PlannedOrder[];
  positions: MarkedPosition[];
  cash: number;
  positionsValue: number;
  totalValue: number;
  costs: number;
  dividendCash: number;
}

export interface ExecutionResult {
  alreadyExecuted: boolean;
  trades: number;
  snapshot: SnapshotRow;
}

/** What a rollback of the book after `toDate` removes (or removed). */
export interface RollbackSummary {
  toDate: string;
  /** The snapshot the positions are restored from (the latest on or before toDate); null = the initial capital, no positions. */
  restoredFrom: string | null;
  trades: number;
  dividends: number;
  snapshots: number;
  runs: number;
  /** Run and snapshot dates after toDate, ascending. */
  removedDates: string[];
}

/** The account moved since the plan (another date was booked in between): re-plan, do not book. */
export class PortfolioChangedError extends QuantError {
  readonly type = 'PortfolioChanged';
  readonly retryable = false;
}

const runFromRow = (x: Record<string, any>): RebalancingRunRow => ({
  runDate: x.run_date,
  status: x.status,
  outcome: x.outcome,
  signalsUsed: x.signals_used,
  targetWeights: x.target_weights,
  orders: x.orders,
  cashBefore: x.cash_before,
  cashAfter: x.cash_after,
  infeasible: x.infeasible,
  infeasibleReason: x.infeasible_reason,
  flags: x.flags,
  costs: x.costs,
  dividends: x.dividends,
  targetWeightsKey: x.target_weights_key,
  tradeOrdersKey: x.trade_orders_key,
  reportKey: x.report_key,
});

const snapshotFromRow = (x: Record<string, any>): SnapshotRow => ({
  snapshotDate: x.snapshot_date,
  cash: x.cash,
  positionsValue: x.positions_value,
  totalValue: x.total_value,
  costsPaidCum: x.costs_paid_cum,
  dividendsCum: x.dividends_cum,
  positions: x.positions,
});

const SNAPSHOT_COLUMNS = `to_char(snapshot_date, 'YYYY-MM-DD') AS snapshot_date, cash, positions_value, total_value, costs_paid_cum, dividends_cum, positions`;

async function latestSnapshotWith(c: pg.PoolClient | Db): Promise<SnapshotRow | null> {
  const r = await c.query(`SELECT ${SNAPSHOT_COLUMNS} FROM portfolio_snapshots ORDER BY snapshot_date DESC LIMIT 1`);
  return r.rows[0] ? snapshotFromRow(r.rows[0]) : null;
}

async function rollbackSummaryWith(c: pg.PoolClient | Db, toDate: string): Promise<RollbackSummary> {
  const r = await c.query<{
    trades: number;
    dividends: number;
    snapshots: number;
    runs: number;
    restored_from: string | null;
    dates: string[] | null;
  }>(
    `SELECT (SELECT count(*)::int FROM trades WHERE run_date > $1::date) AS trades,
            (SELECT count(*)::int FROM dividends WHERE run_date > $1::date) AS dividends,
            (SELECT count(*)::int FROM portfolio_snapshots WHERE snapshot_date > $1::date) AS snapshots,
            (SELECT count(*)::int FROM rebalancing_runs WHERE run_date > $1::date) AS runs,
            (SELECT to_char(max(snapshot_date), 'YYYY-MM-DD') FROM portfolio_snapshots WHERE snapshot_date <= $1::date) AS restored_from,
            (SELECT array_agg(to_char(d, 'YYYY-MM-DD') ORDER BY d) FROM (
               SELECT run_date AS d FROM rebalancing_runs WHERE run_date > $1::date
               UNION SELECT snapshot_date FROM portfolio_snapshots WHERE snapshot_date > $1::date
               UNION SELECT run_date FROM trades WHERE run_date > $1::date
               UNION SELECT run_date FROM dividends WHERE run_date > $1::date) AS later) AS dates`,
    [toDate],
  );
  const x = r.rows[0];
  return {
    toDate,
    restoredFrom: x.restored_from,
    trades: x.trades,
    dividends: x.dividends,
    snapshots: x.snapshots,
    runs: x.runs,
    removedDates: x.dates ?? [],
  };
}

export function createPortfolioRepo(db: Db) {
  return {
    async getRun(date: string): Promise<RebalancingRunRow | null> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS run_date, status, outcome, signals_used, target_weights, orders, cash_before, cash_after,
                infeasible, infeasible_reason, flags, costs, dividends, target_weights_key, trade_orders_key, report_key
           FROM rebalancing_runs WHERE run_date = $1::date`,
        [date],
      );
      return r.rows[0] ? runFromRow(r.rows[0]) : null;
    },

    /**
     * The last executed run before `date` that was a rebalance (outcome in the domain's
     * REBALANCED_OUTCOMES: traded, no_trades, capital_too_small), YYYY-MM-DD, or null:
     * the rebalance frequency counts from it.
     */
    async lastRebalanceDate(date: string): Promise<string | null> {
      const r = await db.query(
        `SELECT to_char(max(run_date), 'YYYY-MM-DD') AS d FROM rebalancing_runs
          WHERE status = 'executed' AND outcome = ANY($2::text[]) AND run_date < $1::date`,
        [date, REBALANCED_OUTCOMES],
      );
      return (r.rows[0]?.d as string | null) ?? null;
    },

    /** Record (or re-record) the plan of a date; an executed run is never overwritten. */
    async upsertPlannedRun(run: Omit<RebalancingRunRow, 'status' | 'cashAfter'> & { cashAfter: number }): Promise<void> {
      await db.query(
        `INSERT INTO rebalancing_runs AS r (run_date, status, outcome, signals_used, target_weights, orders, cash_before, cash_after, infeasible,
           infeasible_reason, flags, costs, dividends, target_weights_key, trade_orders_key, report_key, updated_at)
         VALUES ($1::date, 'planned', $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, now())
         ON CONFLICT (run_date) DO UPDATE SET outcome = EXCLUDED.outcome, signals_used = EXCLUDED.signals_used, target_weights = EXCLUDED.target_weights,
           orders = EXCLUDED.orders, cash_before = EXCLUDED.cash_before, cash_after = EXCLUDED.cash_after, infeasible = EXCLUDED.infeasible,
           infeasible_reason = EXCLUDED.infeasible_reason, flags = EXCLUDED.flags, costs = EXCLUDED.costs, dividends = EXCLUDED.dividends,
           target_weights_key = EXCLUDED.target_weights_key, trade_orders_key = EXCLUDED.trade_orders_key, report_key = EXCLUDED.report_key, updated_at = now()
         WHERE r.status <> 'executed'`,
        [
          run.runDate,
          run.outcome,
          run.signalsUsed,
          JSON.stringify(run.targetWeights),
          run.orders,
          run.cashBefore,
          run.cashAfter,
          run.infeasible,
          run.infeasibleReason,
          JSON.stringify(run.flags),
          run.costs,
          run.dividends,
          run.targetWeightsKey,
          run.tradeOrdersKey,
          run.reportKey,
        ],
      );
    },

    async getPositions(): Promise<HeldPosition[]> {
      const r = await db.query(
        `SELECT symbol, shares, avg_cost, last_price, to_char(last_price_date, 'YYYY-MM-DD') AS last_price_date, sector FROM positions ORDER BY symbol`,
      );
      return r.rows.map((x) => ({
        symbol: x.symbol,
        shares: x.shares,
        avgCost: x.avg_cost,
        lastPrice: x.last_price,
        lastPriceDate: x.last_price_date,
        sector: x.sector,
      }));
    },

    latestSnapshot: (): Promise<SnapshotRow | null> => latestSnapshotWith(db),

    async getSnapshot(date: string): Promise<SnapshotRow | null> {
      const r = await db.query(`SELECT ${SNAPSHOT_COLUMNS} FROM portfolio_snapshots WHERE snapshot_date = $1::date`, [date]);
      return r.rows[0] ? snapshotFromRow(r.rows[0]) : null;
    },

    async getTrades(date: string): Promise<TradeRow[]> {
      const r = await db.query(
        `SELECT to_char(run_date, 'YYYY-MM-DD') AS run_date, symbol, side, shares, price, gross, commission, spread_cost, exchange_fee, impact, total_cost
           FROM trades WHERE run_date = $1::date ORDER BY side DESC, symbol`,
        [date],
      );
      return r.rows.map((x) => ({
        runDate: x.run_date,
        symbol: x.symbol,
        side: x.side,
        shares: x.shares,
        price: x.price,
        gross: x.gross,
        commission: x.commission,
        spreadCost: x.spread_cost,
        exchangeFee: x.exchange_fee,
        impact: x.impact,
        totalCost: x.total_cost,
      }));
    },

    /** Closing prices of `symbols` on `date` (symbols without a bar are absent). */
    async closesOn(date: string, symbols: readonly string[]): Promise<Record<string, number>> {
      const r = await db.query<{ symbol: string; close: number }>(
        'SELECT symbol, close FROM market_data WHERE date = $1::date AND symbol = ANY($2::text[])',
        [date, symbols],
      );
      return Object.fromEntries(r.rows.map((x) => [x.symbol, x.close]));
    },

    async barsOn(date: string): Promise<number> {
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM market_data WHERE date = $1::date', [date]);
      return r.rows[0].n;
    },

    /** What `rollbackAfter(toDate)` would remove, without changing anything. */
    planRollback: (toDate: string): Promise<RollbackSummary> => rollbackSummaryWith(db, toDate),

    /**
     * Undo the book after `toDate` in ONE transaction: delete the trades,
     * dividends, snapshots and rebalancing runs dated after it, restore the
     * positions from the latest snapshot on or before it (none = initial
     * capital), and log the rollback in `portfolio_rollbacks`. Serialised with
     * bookings by the same table lock `executeRebalance` takes.
     */
    async rollbackAfter(toDate: string): Promise<RollbackSummary> {
      return inTransaction(db, async (c) => {
        await c.query('LOCK TABLE positions IN EXCLUSIVE MODE');
        const summary = await rollbackSummaryWith(c, toDate);
        await c.query('DELETE FROM trades WHERE run_date > $1::date', [toDate]);
        await c.query('DELETE FROM dividends WHERE run_date > $1::date', [toDate]);
        await c.query('DELETE FROM portfolio_snapshots WHERE snapshot_date > $1::date', [toDate]);
        await c.query('DELETE FROM rebalancing_runs WHERE run_date > $1::date', [toDate]);
        await c.query('DELETE FROM positions');
        if (summary.restoredFrom) {
          // The snapshot's positions are the MarkedPosition objects executeRebalance wrote to both places.
          await c.query(
            `INSERT INTO positions (symbol, shares, avg_cost, last_price, last_price_date, sector, updated_at)
             SELECT p.symbol, p.shares, p."avgCost", p.price, p."priceDate", p.sector, now()
               FROM portfolio_snapshots s,
                    jsonb_to_recordset(s.positions) AS p(symbol text, shares float8, "avgCost" float8, price float8, "priceDate" date, sector text)
              WHERE s.snapshot_date = $1::date`,
            [summary.restoredFrom],
          );
        }
        await c.query(
          `INSERT INTO portfolio_rollbacks (to_date, restored_from, trades, dividends, snapshots, runs, removed_dates)
           VALUES ($1::date, $2::date, $3, $4, $5, $6, $7::jsonb)`,
          [
            toDate,
            summary.restoredFrom,
            summary.trades,
            summary.dividends,
            summary.snapshots,
            summary.runs,
            JSON.stringify(summary.removedDates),
          ],
        );
        return summary;
      });
    },

    /**
     * Book a planned day: dividends, trades, positions, snapshot and the run's
     * status, all in one transaction. Already executed -> nothing written,
     * the stored snapshot returned. `beforeSnapshot` runs inside the
     * transaction after the trades are inserted (the crash test pauses there).
     */
    async executeRebalance(plan: ExecutionPlan, beforeSnapshot?: () => Promise<void>): Promise<ExecutionResult> {
      return inTransaction(db, async (c) => {
        const run = await c.query<{ status: string }>('SELECT status FROM rebalancing_runs WHERE run_date = $1::date FOR UPDATE', [
          plan.runDate,
        ]);
        if (run.rows.length === 0) throw new PortfolioChangedError(`no planned rebalancing run for ${plan.runDate}`);
        if (run.rows[0].status === 'executed') {
          const snap = await c.query(`SELECT ${SNAPSHOT_COLUMNS} FROM portfolio_snapshots WHERE snapshot_date = $1::date`, [plan.runDate]);
          const n = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM trades WHERE run_date = $1::date', [plan.runDate]);
          return { alreadyExecuted: true, trades: n.rows[0].n, snapshot: snapshotFromRow(snap.rows[0]) };
        }
        // Serialise bookings of different dates too: the account is one row set.
        await c.query('LOCK TABLE positions IN EXCLUSIVE MODE');
        const latest = await latestSnapshotWith(c);
        const shares = await c.query<{ symbol: string; shares: number }>('SELECT symbol, shares FROM positions');
        const now = Object.fromEntries(shares.rows.map((x) => [x.symbol, x.shares]));
        const same =
          (latest?.snapshotDate ?? null) === plan.baseSnapshotDate &&
          Object.keys(now).length === Object.keys(plan.baseShares).length &&
          Object.entries(plan.baseShares).every(([s, q]) => Math.abs((now[s] ?? NaN) - q) < 1e-9);
        if (!same) {
          throw new PortfolioChangedError(
            `the account changed since the plan of ${plan.runDate} (latest snapshot ${latest?.snapshotDate ?? 'none'}, planned from ${plan.baseSnapshotDate ?? 'none'}): re-run the rebalance`,
          );
        }

        for (const d of plan.dividends) {
          const r = await c.query(
            `INSERT INTO dividends (symbol, ex_date, amount_per_share, shares, cash, reinvested_shares, run_date)
             VALUES ($1, $2::date, $3, $4, $5, $6, $7::date) ON CONFLICT (symbol, ex_date) DO NOTHING`,
            [d.symbol, d.exDate, d.amountPerShare, d.shares, d.cash, d.reinvestedShares, plan.runDate],
          );
          if (r.rowCount !== 1) throw new PortfolioChangedError(`dividend ${d.symbol} ex ${d.exDate} was already booked`);
        }

        if (plan.orders.length > 0) {
          const o = plan.orders;
          const r = await c.query(
            `INSERT INTO trades (run_date, symbol, side, shares, price, gross, commission, spread_cost, exchange_fee, impact, total_cost)
             SELECT $1::date, * FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[])
             ON CONFLICT (run_date, symbol, side) DO NOTHING`,
            [
              plan.runDate,
              o.map((x) => x.symbol),
              o.map((x) => x.side),
              o.map((x) => x.shares),
              o.map((x) => x.price),
              o.map((x) => x.notional),
              o.map((x) => x.cost.commission),
              o.map((x) => x.cost.spread),
              o.map((x) => x.cost.exchangeFee),
              o.map((x) => x.cost.marketImpact),
              o.map((x) => x.cost.total),
            ],
          );
          if (r.rowCount !== o.length) throw new PortfolioChangedError(`trades of ${plan.runDate} already exist`);
        }

        if (beforeSnapshot) await beforeSnapshot();

        await c.query('DELETE FROM positions');
        const p = plan.positions;
        if (p.length > 0) {
          await c.query(
            `INSERT INTO positions (symbol, shares, avg_cost, last_price, last_price_date, sector, updated_at)
             SELECT s, q, a, lp, lpd, sec, now() FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::date[], $6::text[]) AS t(s, q, a, lp, lpd, sec)`,
            [
              p.map((x) => x.symbol),
              p.map((x) => x.shares),
              p.map((x) => x.avgCost),
              p.map((x) => x.price),
              p.map((x) => x.priceDate),
              p.map((x) => x.sector),
            ],
          );
        }
        const snapshot: SnapshotRow = {
          snapshotDate: plan.runDate,
          cash: plan.cash,
          positionsValue: plan.positionsValue,
          totalValue: plan.totalValue,
          costsPaidCum: (latest?.costsPaidCum ?? 0) + plan.costs,
          dividendsCum: (latest?.dividendsCum ?? 0) + plan.dividendCash,
          positions: p,
        };
        await c.query(
          `INSERT INTO portfolio_snapshots (snapshot_date, cash, positions_value, total_value, costs_paid_cum, dividends_cum, positions)
           VALUES ($1::date, $2, $3, $4, $5, $6, $7::jsonb)`,
          [
            snapshot.snapshotDate,
            snapshot.cash,
            snapshot.positionsValue,
            snapshot.totalValue,
            snapshot.costsPaidCum,
            snapshot.dividendsCum,
            JSON.stringify(p),
          ],
        );
        await c.query(`UPDATE rebalancing_runs SET status = 'executed', cash_after = $2, updated_at = now() WHERE run_date = $1::date`, [
          plan.runDate,
          plan.cash,
        ]);
        return { alreadyExecuted: false, trades: plan.orders.length, snapshot };
      });
    },
  };
}

export type PortfolioRepo = ReturnType<typeof createPortfolioRepo>;
