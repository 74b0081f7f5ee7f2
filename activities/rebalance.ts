/**
 * Activities of WF4 `rebalance` (paper trading): load the context (the
 * date's signals, the account = positions + cash of the latest snapshot or
 * the initial capital, the date's closes, dividends due), plan the day with
 * the domain's `rebalanceDay` (pension targets with caps, whole-share orders
 * with full costs, min trade value, the expected-net-alpha filter), store the
 * plan (`rebalancing_runs` + Parquet target_weights / trade_orders), execute
 * it exactly once (one Postgres transaction keyed by the run date), report.
 * The context and the plan travel as claim-check JSON under
 * `work/rebalance/<date>/`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { layout } from '../src/adapters/layout';
import type { DataProvider } from '../src/adapters/market-data/types';
import type { ObjectStore } from '../src/adapters/object-store/types';
import { writeParquet } from '../src/adapters/parquet';
import type { ExecutionPlan, PortfolioRepo, SnapshotRow } from '../src/adapters/postgres/portfolio-repo';
import type { SignalRepo } from '../src/adapters/postgres/signal-repo';
import { fmt, mdTable } from '../src/reports/markdown';
import {
  DEFAULT_ALPHA_POLICY, rebalanceDay, type DaySignal, type DueDividend, type HeldPosition, type RebalanceDay, type RebalanceOutcome,
} from '../src/domain/rebalance-day';
import { DEFAULT_ALLOCATION_POLICY } from '../src/domain/allocation';
import { asActivityFailure } from './support/failures';
import { addDays, dateOf, getJson, putJson, withDbFailures } from './daily-common';

export interface PortfolioSettings {
  initialCapital: number;
  paperTrading: boolean;
  minTradeValue: number;
}

export interface RebalanceDeps {
  store: ObjectStore;
  portfolio: PortfolioRepo;
  signals: SignalRepo;
  /** fetchDividends for held symbols. */
  marketData: DataProvider;
  portfolioSettings: PortfolioSettings;
  /**
   * Test hook (env QUANT_TEST_REBALANCE_PAUSE_FILE, read by the worker entry
   * only): while this file exists, `executePaperTrades` waits inside its
   * transaction after inserting the trades and before the snapshot.
   */
  rebalancePauseFile?: string;
}

export interface RebalanceContext {
  date: string;
  baseSnapshotDate: string | null;
  cash: number;
  positions: HeldPosition[];
  prices: Record<string, number>;
  signals: DaySignal[];
  dividends: DueDividend[];
  minTradeValue: number;
}

export interface RebalanceSummary {
  date: string;
  outcome: RebalanceOutcome;
  signalsUsed: number;
  orders: number;
  cashBefore: number;
  cashAfter: number | null;
  infeasible: boolean;
  infeasibleReason: string | null;
  flags: { type: string; symbol: string; message: string }[];
  targetWeightsKey: string | null;
  tradeOrdersKey: string | null;
  reportKey: string | null;
}

export type LoadRebalanceResult =
  | { status: 'no_trading_data'; date: string }
  | { status: 'already_executed'; run: RebalanceSummary; snapshot: SnapshotRow | null }
  | { status: 'ok'; contextKey: string; signals: number; positions: number; cash: number; dividends: number; prices: number };

export interface PlanRebalanceResult extends RebalanceSummary {
  planKey: string;
  rejected: number;
  estimatedCosts: number;
}

export interface ExecuteRebalanceResult {
  alreadyExecuted: boolean;
  trades: number;
  cash: number;
  positionsValue: number;
  totalValue: number;
  costsPaidCum: number;
  dividendsCum: number;
}

interface StoredPlan {
  day: RebalanceDay;
  baseSnapshotDate: string | null;
  baseShares: Record<string, number>;
  signalsUsed: number;
}

const work = (date: string, name: string) => layout.dailyWork('rebalance', dateOf(date), name);
const reportKeyOf = (date: string) => layout.report('rebalance', dateOf(date), `rebalance-${date}`);

const heartbeat = (details?: unknown) => {
  try {
    Context.current().heartbeat(details);
  } catch {
    /* outside an activity */
  }
};

function flagsOf(day: RebalanceDay, positions: readonly HeldPosition[]): RebalanceSummary['flags'] {
  const last = new Map(positions.map((p) => [p.symbol, p]));
  return [
    ...day.stale.map((s) => ({
      type: 'stale_price', symbol: s,
      message: `${s} has no price on ${day.date}: kept at its last price ${fmt(last.get(s)?.lastPrice)} of ${last.get(s)?.lastPriceDate} and not traded`,
    })),
    ...day.unpriced.map((s) => ({ type: 'no_price', symbol: s, message: `${s} is rated buy but has no price on ${day.date}: not bought` })),
  ];
}

export function createRebalanceActivities(deps: RebalanceDeps) {
  const { store, portfolio } = deps;

  return {
    /** Signals, account, closes and due dividends of the date; or why there is nothing to do. */
    async loadRebalanceContext(input: { date: string }): Promise<LoadRebalanceResult> {
      const { date } = input;
      if (!deps.portfolioSettings.paperTrading) {
        throw ApplicationFailure.nonRetryable('PAPER_TRADING=false, but no broker adapter exists: only paper trading is supported', 'LiveTradingUnsupported');
      }
      const run = await portfolio.getRun(date);
      if (run?.status === 'executed') {
        return { status: 'already_executed', run: { ...run, date }, snapshot: await portfolio.getSnapshot(date) };
      }
      if ((await portfolio.barsOn(date)) === 0) return { status: 'no_trading_data', date };
      const latest = await portfolio.latestSnapshot();
      if (latest && latest.snapshotDate > date) {
        throw ApplicationFailure.nonRetryable(
          `the account already has a snapshot of ${latest.snapshotDate}, after ${date}: rebalances are booked in date order`, 'OutOfOrder',
        );
      }
      const positions = (await portfolio.getPositions()).filter((p) => p.shares > 0);
      const signals: DaySignal[] = (await deps.signals.getSignalResults(date)).map((s) => ({ symbol: s.symbol, sector: s.sector, signal: s.signal, score: s.combinedScore }));
      const symbols = [...new Set([...positions.map((p) => p.symbol), ...signals.map((s) => s.symbol)])];
      const prices = await portfolio.closesOn(date, symbols);
      const dividends: DueDividend[] = [];
      if (latest) {
        const from = addDays(latest.snapshotDate, 1);
        for (const p of positions) {
          const ds = await asActivityFailure(() => deps.marketData.fetchDividends(p.symbol, from, date));
          for (const d of ds) if (d.date >= from && d.date <= date) dividends.push({ symbol: p.symbol, exDate: d.date, amount: d.amount });
          heartbeat({ dividends: p.symbol });
        }
      }
      const ctx: RebalanceContext = {
        date, baseSnapshotDate: latest?.snapshotDate ?? null, cash: latest?.cash ?? deps.portfolioSettings.initialCapital,
        positions, prices, signals, dividends, minTradeValue: deps.portfolioSettings.minTradeValue,
      };
      const contextKey = work(date, 'context.json');
      await putJson(store, contextKey, ctx);
      return { status: 'ok', contextKey, signals: signals.length, positions: positions.length, cash: ctx.cash, dividends: dividends.length, prices: Object.keys(prices).length };
    },

    /** Targets, orders, filters (pure domain), then Parquet + the `planned` run row. */
    async planRebalance(input: { date: string; contextKey: string }): Promise<PlanRebalanceResult> {
      const ctx = await getJson<RebalanceContext>(store, input.contextKey);
      const day = await asActivityFailure(async () => rebalanceDay({
        date: ctx.date, cash: ctx.cash, positions: ctx.positions, prices: ctx.prices, signals: ctx.signals, dividends: ctx.dividends,
        minTradeValue: ctx.minTradeValue,
      }));
      const plan: StoredPlan = {
        day, baseSnapshotDate: ctx.baseSnapshotDate, baseShares: Object.fromEntries(ctx.positions.map((p) => [p.symbol, p.shares])), signalsUsed: ctx.signals.length,
      };
      const planKey = work(ctx.date, 'plan.json');
      await putJson(store, planKey, plan);
      const targetWeightsKey = layout.rebalancing(dateOf(ctx.date), 'target_weights');
      const tradeOrdersKey = layout.rebalancing(dateOf(ctx.date), 'trade_orders');
      await store.put(targetWeightsKey, targetWeightsParquet(day));
      await store.put(tradeOrdersKey, tradeOrdersParquet(day));
      const summary: RebalanceSummary = {
        date: ctx.date, outcome: day.outcome, signalsUsed: ctx.signals.length, orders: day.orders.length, cashBefore: ctx.cash,
        cashAfter: day.after.cash, infeasible: day.infeasible, infeasibleReason: day.infeasibleReason, flags: flagsOf(day, ctx.positions),
        targetWeightsKey, tradeOrdersKey, reportKey: reportKeyOf(ctx.date),
      };
      await withDbFailures(`recording the rebalance plan of ${ctx.date}`, () =>
        portfolio.upsertPlannedRun({
          runDate: ctx.date, outcome: day.outcome, signalsUsed: summary.signalsUsed,
          targetWeights: Object.fromEntries(day.targets.map((t) => [t.symbol, t.weight])), orders: day.orders.length,
          cashBefore: ctx.cash, cashAfter: day.after.cash, infeasible: day.infeasible, infeasibleReason: day.infeasibleReason, flags: summary.flags,
          costs: day.costs, dividends: day.dividendCash, targetWeightsKey, tradeOrdersKey, reportKey: summary.reportKey,
        }),
      );
      return { ...summary, planKey, rejected: day.rejected.length, estimatedCosts: day.costs };
    },

    /**
     * Book the plan exactly once: dividends, trades, positions, snapshot and
     * `status = 'executed'` in one transaction that returns without writing
     * when the date is already executed.
     */
    async executePaperTrades(input: { date: string; planKey: string }): Promise<ExecuteRebalanceResult> {
      const plan = await getJson<StoredPlan>(store, input.planKey);
      const d = plan.day;
      const exec: ExecutionPlan = {
        runDate: input.date, baseSnapshotDate: plan.baseSnapshotDate, baseShares: plan.baseShares, dividends: d.dividends, orders: d.orders,
        positions: d.after.positions, cash: d.after.cash, positionsValue: d.after.positionsValue, totalValue: d.after.totalValue,
        costs: d.costs, dividendCash: d.dividendCash,
      };
      heartbeat('booking');
      const pauseFile = deps.rebalancePauseFile;
      const r = await asActivityFailure(() => withDbFailures(`booking the rebalance of ${input.date}`, () =>
        portfolio.executeRebalance(exec, pauseFile ? async () => {
          if (!existsSync(pauseFile)) return;
          writeFileSync(`${pauseFile}.reached`, input.date);
          while (existsSync(pauseFile)) {
            heartbeat('paused by the test hook');
            await new Promise((res) => setTimeout(res, 200));
          }
        } : undefined),
      ));
      const s = r.snapshot;
      return {
        alreadyExecuted: r.alreadyExecuted, trades: r.trades, cash: s.cash, positionsValue: s.positionsValue, totalValue: s.totalValue,
        costsPaidCum: s.costsPaidCum, dividendsCum: s.dividendsCum,
      };
    },

    /** The order report: outcome, flags, targets, orders with costs and alpha, rejected trades, dividends, the snapshot. */
    async writeRebalanceReport(input: { date: string; planKey: string; execution: ExecuteRebalanceResult; summary: RebalanceSummary }): Promise<{ reportKey: string }> {
      const plan = await getJson<StoredPlan>(store, input.planKey);
      const reportKey = reportKeyOf(input.date);
      await store.put(reportKey, renderRebalanceReport(plan, input.summary, input.execution), { contentType: 'text/markdown' });
      return { reportKey };
    },
  };
}

const OUTCOME_TEXT: Record<RebalanceOutcome, string> = {
  traded: 'orders executed (paper)',
  no_signals: 'no signals for this date: no trades; the account is only marked to market',
  no_trades: 'no trade passed the filters (already at target, under the minimum trade value, or no positive net alpha): no trades',
  capital_too_small: 'capital too small for any trade at the caps and the minimum trade value: no trades, the cash is kept',
};

function renderRebalanceReport(plan: StoredPlan, s: RebalanceSummary, e: ExecuteRebalanceResult): string {
  const d = plan.day;
  const a = DEFAULT_ALPHA_POLICY;
  const p = DEFAULT_ALLOCATION_POLICY;
  const money = (x: number) => fmt(x, 2);
  return [
    `# Rebalance ${d.date} (paper trading)`,
    '',
    `Outcome: **${d.outcome}**: ${OUTCOME_TEXT[d.outcome]}.`,
    `Signals used: ${plan.signalsUsed}. Orders: ${d.orders.length} (${d.orders.filter((o) => o.side === 'sell').length} sells, ${d.orders.filter((o) => o.side === 'buy').length} buys); rejected: ${d.rejected.length}.`,
    e.alreadyExecuted ? 'This date had already been executed: nothing was booked again.' : '',
    d.infeasible ? `Caps infeasible: ${d.infeasibleReason}. The unplaced weight stays in cash.` : '',
    '',
    '## Flags',
    '',
    s.flags.length ? s.flags.map((f) => `- ${f.type}: ${f.message}`).join('\n') : '_none_',
    '',
    '## Account',
    '',
    mdTable(['', 'cash', 'positions', 'total'], [
      ['before (last snapshot prices)', money(d.before.cash), money(d.before.positionsValue), money(d.before.totalValue)],
      ['after (snapshot)', money(e.cash), money(e.positionsValue), money(e.totalValue)],
    ]),
    '',
    `Costs today ${money(d.costs)} (cumulative ${money(e.costsPaidCum)}); dividends today ${money(d.dividendCash)} (cumulative ${money(e.dividendsCum)}).`,
    '',
    '## Target weights',
    '',
    `Pension allocation: strong buy ${p.multipliers.strong_buy}x, buy ${p.multipliers.buy}x; caps ${p.maxStockWeight * 100}% per stock, ${p.maxSectorWeight * 100}% per sector, ${p.cashReserve * 100}% cash. Parquet: \`${s.targetWeightsKey}\`.`,
    '',
    d.targets.length
      ? mdTable(['symbol', 'sector', 'signal', 'score', 'weight %', 'capped'], d.targets.map((t) => [t.symbol, t.sector ?? '-', t.signal, fmt(t.score, 1), fmt(t.weight * 100, 2), t.capped ? 'yes' : '']))
      : '_none_',
    '',
    '## Orders',
    '',
    `Expected alpha = (score - 50) / 50 x ${a.annualAlpha * 100}% a year x ${a.horizonDays}/252 years x notional; a buy is proposed only when expected alpha - 2 x cost (round trip) > 0. Parquet: \`${s.tradeOrdersKey}\`.`,
    '',
    d.orders.length
      ? mdTable(['side', 'symbol', 'shares', 'price', 'notional', 'commission', 'spread', 'exchange fee', 'impact', 'total cost', 'net alpha'],
        d.orders.map((o) => [o.side, o.symbol, fmt(o.shares, 4).replace(/\.?0+$/, ''), money(o.price), money(o.notional), money(o.cost.commission), money(o.cost.spread),
          money(o.cost.exchangeFee), money(o.cost.marketImpact), money(o.cost.total), money(o.netAlpha)]))
      : '_no orders_',
    '',
    '## Rejected trades',
    '',
    d.rejected.length
      ? mdTable(['side', 'symbol', 'shares', 'notional', 'reason'], d.rejected.map((r) => [r.side, r.symbol, fmt(r.shares, 0), money(r.notional), r.reason + (r.netAlpha !== undefined ? ` (${money(r.netAlpha)})` : '')]))
      : '_none_',
    '',
    '## Dividends (reinvested)',
    '',
    d.dividends.length
      ? mdTable(['symbol', 'ex-date', 'per share', 'shares', 'cash', 'reinvested shares'], d.dividends.map((x) => [x.symbol, x.exDate, fmt(x.amountPerShare, 4), fmt(x.shares, 4), money(x.cash), fmt(x.reinvestedShares, 4)]))
      : '_none_',
    '',
    '## Positions after',
    '',
    d.after.positions.length
      ? mdTable(['symbol', 'shares', 'avg cost', 'price', 'value', 'weight %', 'note'], d.after.positions.map((x) => [
        x.symbol, fmt(x.shares, 4), money(x.avgCost), money(x.price), money(x.marketValue), fmt((x.marketValue / d.after.totalValue) * 100, 2),
        x.stale ? `stale: last price of ${x.priceDate}` : '',
      ]))
      : '_all cash_',
    '',
  ].filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n');
}

function targetWeightsParquet(d: RebalanceDay): Uint8Array {
  const t = d.targets;
  return writeParquet(
    [
      { name: 'run_date', type: 'timestamp', data: t.map(() => Date.parse(`${d.date}T00:00:00Z`)) },
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

function tradeOrdersParquet(d: RebalanceDay): Uint8Array {
  const rows = [
    ...d.orders.map((o) => ({ symbol: o.symbol, side: o.side, shares: o.shares, price: o.price as number | null, notional: o.notional, c: o.cost, net: o.netAlpha as number | null, status: 'proposed' })),
    ...d.rejected.map((r) => ({ symbol: r.symbol, side: r.side, shares: r.shares, price: null, notional: r.notional, c: null, net: r.netAlpha ?? null, status: `rejected_${r.reason}` })),
  ];
  return writeParquet(
    [
      { name: 'run_date', type: 'timestamp', data: rows.map(() => Date.parse(`${d.date}T00:00:00Z`)) },
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
