/**
 * Parquet tables of the `rebalance` workflow (WF4): `target_weights` (one
 * row per target of the day) and `trade_orders` (the proposed orders, then
 * the rejected trades with `status = rejected_<reason>`). One home for the
 * column names and types, so the files read the same whoever writes them.
 */
import { writeParquet } from '../parquet';
import type { RebalanceDay } from '../../domain/rebalance-day';

/** Midnight UTC of the run date, the `run_date` column of every row. */
const runDateMs = (d: RebalanceDay) => Date.parse(`${d.date}T00:00:00Z`);

/**
 * The day's target weights as Parquet.
 *
 * @example
 *   await store.put(layout.rebalancing(date, 'target_weights'), targetWeightsParquet(day));
 */
export function targetWeightsParquet(d: RebalanceDay): Uint8Array {
  const t = d.targets;
  return writeParquet(
    [
      { name: 'run_date', type: 'timestamp', data: t.map(() => runDateMs(d)) },
      { name: 'symbol', type: 'string', data: t.map((x) => x.symbol) },
      { name: 'sector', type: 'string', data: t.map((x) => x.sector), nullable: true },
      { name: 'signal', type: 'string', data: t.map((x) => x.signal) },
      { name: 'combined_score', type: 'double', data: t.map((x) => x.score) },
      { name: 'target_weight', type: 'double', data: t.map((x) => x.weight) },
      { name: 'capped', type: 'boolean', data: t.map((x) => x.capped) },
    ],
    { metadata: { workflow: 'rebalance', run_date: d.date, feasible: String(!d.infeasible) } },
  );
}

/**
 * The day's orders (status `proposed`) and rejected trades (status
 * `rejected_<reason>`, no cost; a price only for
 * `rejected_share_price_above_allocation`) as Parquet.
 *
 * @example
 *   await store.put(layout.rebalancing(date, 'trade_orders'), tradeOrdersParquet(day));
 */
export function tradeOrdersParquet(d: RebalanceDay): Uint8Array {
  const rows = [
    ...d.orders.map((o) => ({
      symbol: o.symbol,
      side: o.side,
      shares: o.shares,
      price: o.price as number | null,
      notional: o.notional,
      c: o.cost,
      net: o.netAlpha as number | null,
      status: 'proposed',
    })),
    ...d.rejected.map((r) => ({
      symbol: r.symbol,
      side: r.side,
      shares: r.shares,
      // only share_price_above_allocation carries the price (the reason itself)
      price: r.price ?? null,
      notional: r.notional,
      c: null,
      net: r.netAlpha ?? null,
      status: `rejected_${r.reason}`,
    })),
  ];
  return writeParquet(
    [
      { name: 'run_date', type: 'timestamp', data: rows.map(() => runDateMs(d)) },
      { name: 'symbol', type: 'string', data: rows.map((x) => x.symbol) },
      { name: 'side', type: 'string', data: rows.map((x) => x.side) },
      { name: 'shares', type: 'double', data: rows.map((x) => x.shares) },
      { name: 'price', type: 'double', data: rows.map((x) => x.price), nullable: true },
      { name: 'notional', type: 'double', data: rows.map((x) => x.notional) },
      { name: 'commission', type: 'double', data: rows.map((x) => x.c?.commission ?? null), nullable: true },
      { name: 'spread_cost', type: 'double', data: rows.map((x) => x.c?.spread ?? null), nullable: true },
      { name: 'exchange_fee', type: 'double', data: rows.map((x) => x.c?.exchangeFee ?? null), nullable: true },
      { name: 'impact', type: 'double', data: rows.map((x) => x.c?.marketImpact ?? null), nullable: true },
      { name: 'total_cost', type: 'double', data: rows.map((x) => x.c?.total ?? null), nullable: true },
      { name: 'net_alpha', type: 'double', data: rows.map((x) => x.net), nullable: true },
      { name: 'status', type: 'string', data: rows.map((x) => x.status) },
    ],
    { metadata: { workflow: 'rebalance', run_date: d.date } },
  );
}
