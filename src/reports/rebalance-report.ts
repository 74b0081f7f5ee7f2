/**
 * The order report of the `rebalance` workflow (WF4, paper trading):
 * outcome, flags, the account before and after, target weights, orders with
 * their cost breakdown and net alpha, rejected trades, dividends and the
 * positions after. A pure function of the planned day and what the booking
 * returned, so the same run renders the same bytes.
 */
import { DEFAULT_ALLOCATION_POLICY } from '../domain/allocation';
import { DEFAULT_ALPHA_POLICY, type RebalanceDay, type RebalanceOutcome, type RejectedTrade } from '../domain/rebalance-day';
import { fmt, mdTable } from './markdown';

/** What the report needs besides the planned day. */
export interface RebalanceReportInput {
  day: RebalanceDay;
  signalsUsed: number;
  flags: readonly { type: string; message: string }[];
  targetWeightsKey: string | null;
  tradeOrdersKey: string | null;
  /** The booked snapshot (or the stored one when the date had already been executed). */
  execution: {
    alreadyExecuted: boolean;
    cash: number;
    positionsValue: number;
    totalValue: number;
    costsPaidCum: number;
    dividendsCum: number;
  };
}

const OUTCOME_TEXT: Record<RebalanceOutcome, string> = {
  traded: 'orders executed (paper)',
  no_signals: 'no signals for this date: no trades; the account is only marked to market',
  no_trades: 'no trade passed the filters (already at target, under the minimum trade value, or no positive net alpha): no trades',
  capital_too_small: 'capital too small for any trade at the caps and the minimum trade value: no trades, the cash is kept',
  not_due:
    'not a rebalance day (only the first trading day of each period trades): dividends booked and positions marked, no trades; sells wait for the next rebalance day too',
};

/** The reason column of a rejected trade, with its numbers. */
function rejectedReason(x: RejectedTrade): string {
  if (x.reason === 'share_price_above_allocation')
    return `one share (${money(x.price ?? NaN)}) costs more than the allocation (${fmt((x.targetWeight ?? NaN) * 100, 2)}% = ${money(x.allocation ?? NaN)})`;
  return x.reason + (x.netAlpha !== undefined ? ` (${money(x.netAlpha)})` : '');
}

const money = (x: number) => fmt(x, 2);

/**
 * The Markdown order report of one rebalance day. Empty sections say
 * `_none_`; repeated blank lines are collapsed.
 *
 * @example
 *   await store.put(reportKey, renderRebalanceReport({ day, signalsUsed, flags, targetWeightsKey, tradeOrdersKey, execution }));
 */
export function renderRebalanceReport(r: RebalanceReportInput): string {
  const d = r.day;
  const e = r.execution;
  const a = DEFAULT_ALPHA_POLICY;
  const p = DEFAULT_ALLOCATION_POLICY;
  return [
    `# Rebalance ${d.date} (paper trading)`,
    '',
    `Outcome: **${d.outcome}**: ${OUTCOME_TEXT[d.outcome]}.`,
    `Signals used: ${r.signalsUsed}. Orders: ${d.orders.length} (${d.orders.filter((o) => o.side === 'sell').length} sells, ${d.orders.filter((o) => o.side === 'buy').length} buys); rejected: ${d.rejected.length}.`,
    e.alreadyExecuted ? 'This date had already been executed: nothing was booked again.' : '',
    d.infeasible ? `Caps infeasible: ${d.infeasibleReason}. The unplaced weight stays in cash.` : '',
    '',
    '## Flags',
    '',
    r.flags.length ? r.flags.map((f) => `- ${f.type}: ${f.message}`).join('\n') : '_none_',
    '',
    '## Account',
    '',
    mdTable(
      ['', 'cash', 'positions', 'total'],
      [
        ['before (last snapshot prices)', money(d.before.cash), money(d.before.positionsValue), money(d.before.totalValue)],
        ['after (snapshot)', money(e.cash), money(e.positionsValue), money(e.totalValue)],
      ],
    ),
    '',
    `Costs today ${money(d.costs)} (cumulative ${money(e.costsPaidCum)}); dividends today ${money(d.dividendCash)} (cumulative ${money(e.dividendsCum)}).`,
    '',
    '## Target weights',
    '',
    `Rebalance policy: ${d.rebalancePolicy.frequency} (first trading day of each period); no-trade band max(${fmt(d.rebalancePolicy.bandAbsolute * 100, 2)} pp, ${fmt(d.rebalancePolicy.bandRelative * 100, 0)}% of the target): a name trades only when its weight is further than that from its target, and then to the target.${d.inBand.length ? ` Inside the band today (not traded): ${d.inBand.join(', ')}.` : ''}`,
    '',
    `Pension allocation: strong buy ${p.multipliers.strong_buy}x, buy ${p.multipliers.buy}x; caps ${p.maxStockWeight * 100}% per stock, ${p.maxSectorWeight * 100}% per sector, ${p.cashReserve * 100}% cash. Parquet: \`${r.targetWeightsKey}\`.`,
    '',
    d.targets.length
      ? mdTable(
          ['symbol', 'sector', 'signal', 'score', 'weight %', 'capped'],
          d.targets.map((t) => [t.symbol, t.sector ?? '-', t.signal, fmt(t.score, 1), fmt(t.weight * 100, 2), t.capped ? 'yes' : '']),
        )
      : '_none_',
    '',
    '## Orders',
    '',
    `Expected alpha = (score - 50) / 50 x ${a.annualAlpha * 100}% a year x ${a.horizonDays}/252 years x notional; a buy is proposed only when expected alpha - 2 x cost (round trip) > 0. Parquet: \`${r.tradeOrdersKey}\`.`,
    '',
    d.orders.length
      ? mdTable(
          ['side', 'symbol', 'shares', 'price', 'notional', 'commission', 'spread', 'exchange fee', 'impact', 'total cost', 'net alpha'],
          d.orders.map((o) => [
            o.side,
            o.symbol,
            fmt(o.shares, 4).replace(/\.?0+$/, ''),
            money(o.price),
            money(o.notional),
            money(o.cost.commission),
            money(o.cost.spread),
            money(o.cost.exchangeFee),
            money(o.cost.marketImpact),
            money(o.cost.total),
            money(o.netAlpha),
          ]),
        )
      : '_no orders_',
    '',
    '## Rejected trades',
    '',
    d.rejected.length
      ? mdTable(
          ['side', 'symbol', 'shares', 'notional', 'reason'],
          d.rejected.map((x) => [x.side, x.symbol, fmt(x.shares, 0), money(x.notional), rejectedReason(x)]),
        )
      : '_none_',
    '',
    '## Dividends (reinvested)',
    '',
    d.dividends.length
      ? mdTable(
          ['symbol', 'ex-date', 'per share', 'shares', 'cash', 'reinvested shares'],
          d.dividends.map((x) => [
            x.symbol,
            x.exDate,
            fmt(x.amountPerShare, 4),
            fmt(x.shares, 4),
            money(x.cash),
            fmt(x.reinvestedShares, 4),
          ]),
        )
      : '_none_',
    '',
    '## Positions after',
    '',
    d.after.positions.length
      ? mdTable(
          ['symbol', 'shares', 'avg cost', 'price', 'value', 'weight %', 'note'],
          d.after.positions.map((x) => [
            x.symbol,
            fmt(x.shares, 4),
            money(x.avgCost),
            money(x.price),
            money(x.marketValue),
            fmt((x.marketValue / d.after.totalValue) * 100, 2),
            x.stale ? `stale: last price of ${x.priceDate}` : '',
          ]),
        )
      : '_all cash_',
    '',
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
}
