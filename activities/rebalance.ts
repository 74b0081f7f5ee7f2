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
import { ApplicationFailure } from '@temporalio/common';
import { layout } from '../src/adapters/layout';
import type { DataProvider } from '../src/adapters/market-data/types';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { ExecutionPlan, PortfolioRepo, SnapshotRow } from '../src/adapters/postgres/portfolio-repo';
import type { SignalRepo } from '../src/adapters/postgres/signal-repo';
import { targetWeightsParquet, tradeOrdersParquet } from '../src/adapters/tables/rebalancing';
import { dividendsDue, rebalanceFlags, symbolsToPrice } from '../src/domain/rebalance-context';
import {
  rebalanceDay,
  type DaySignal,
  type DueDividend,
  type HeldPosition,
  type RebalanceDay,
  type RebalanceOutcome,
} from '../src/domain/rebalance-day';
import type { RebalanceFrequency, RebalancePolicy } from '../src/domain/rebalance-policy';
import { renderRebalanceReport } from '../src/reports/rebalance-report';
import { asActivityFailure } from './support/failures';
import { heartbeat } from './support/heartbeat';
import { addDays, parseIsoDate } from '../src/domain/dates';
import { getJson, putJson } from './support/claim-check';
import { withDbFailures } from './support/db-failures';

export interface PortfolioSettings {
  initialCapital: number;
  paperTrading: boolean;
  minTradeValue: number;
  /** The rebalance policy (REBALANCE_FREQUENCY, REBALANCE_BAND_ABS, REBALANCE_BAND_REL), shared with the backtest. */
  rebalanceFrequency: RebalanceFrequency;
  rebalanceBandAbsolute: number;
  rebalanceBandRelative: number;
}

export interface RebalanceDeps {
  store: ObjectStore;
  portfolio: PortfolioRepo;
  signals: SignalRepo;
  /** fetchDividends for held symbols. */
  marketData: DataProvider;
  portfolioSettings: PortfolioSettings;
  /**
   * Called inside the booking transaction of `executePaperTrades`, after the
   * trades are inserted and before the snapshot and the commit. Production
   * passes none; the exactly-once crash test's worker passes one that holds
   * the transaction open so the test can kill the process there.
   */
  beforeRebalanceCommit?: (date: string) => Promise<void>;
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
  rebalancePolicy: RebalancePolicy;
  /** The account's last rebalance day before this date (the frequency counts from it), or null. */
  lastRebalanceDate: string | null;
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

/** The domain's policy from the settings. */
export function rebalancePolicyOf(
  s: Pick<PortfolioSettings, 'rebalanceFrequency' | 'rebalanceBandAbsolute' | 'rebalanceBandRelative'>,
): RebalancePolicy {
  return { frequency: s.rebalanceFrequency, bandAbsolute: s.rebalanceBandAbsolute, bandRelative: s.rebalanceBandRelative };
}

const work = (date: string, name: string) => layout.dailyWork('rebalance', parseIsoDate(date), name);
const reportKeyOf = (date: string) => layout.report('rebalance', parseIsoDate(date), `rebalance-${date}`);

export function createRebalanceActivities(deps: RebalanceDeps) {
  const { store, portfolio } = deps;

  return {
    /** Signals, account, closes and due dividends of the date; or why there is nothing to do. */
    async loadRebalanceContext(input: { date: string }): Promise<LoadRebalanceResult> {
      const { date } = input;
      if (!deps.portfolioSettings.paperTrading) {
        throw ApplicationFailure.nonRetryable(
          'PAPER_TRADING=false, but no broker adapter exists: only paper trading is supported',
          'LiveTradingUnsupported',
        );
      }
      const run = await portfolio.getRun(date);
      if (run?.status === 'executed') {
        return { status: 'already_executed', run: { ...run, date }, snapshot: await portfolio.getSnapshot(date) };
      }
      if ((await portfolio.barsOn(date)) === 0) return { status: 'no_trading_data', date };
      const latest = await portfolio.latestSnapshot();
      if (latest && latest.snapshotDate > date) {
        throw ApplicationFailure.nonRetryable(
          `the account already has a snapshot of ${latest.snapshotDate}, after ${date}: rebalances are booked in date order`,
          'OutOfOrder',
        );
      }
      const positions = (await portfolio.getPositions()).filter((p) => p.shares > 0);
      const signals: DaySignal[] = (await deps.signals.getSignalResults(date)).map((s) => ({
        symbol: s.symbol,
        sector: s.sector,
        signal: s.signal,
        score: s.combinedScore,
      }));
      const prices = await portfolio.closesOn(date, symbolsToPrice(positions, signals));
      const dividends: DueDividend[] = [];
      if (latest) {
        const from = addDays(latest.snapshotDate, 1);
        for (const p of positions) {
          dividends.push(
            ...dividendsDue(p.symbol, await asActivityFailure(() => deps.marketData.fetchDividends(p.symbol, from, date)), from, date),
          );
          heartbeat({ dividends: p.symbol });
        }
      }
      const ctx: RebalanceContext = {
        date,
        baseSnapshotDate: latest?.snapshotDate ?? null,
        cash: latest?.cash ?? deps.portfolioSettings.initialCapital,
        positions,
        prices,
        signals,
        dividends,
        minTradeValue: deps.portfolioSettings.minTradeValue,
        rebalancePolicy: rebalancePolicyOf(deps.portfolioSettings),
        lastRebalanceDate: await portfolio.lastRebalanceDate(date),
      };
      const contextKey = work(date, 'context.json');
      await putJson(store, contextKey, ctx);
      return {
        status: 'ok',
        contextKey,
        signals: signals.length,
        positions: positions.length,
        cash: ctx.cash,
        dividends: dividends.length,
        prices: Object.keys(prices).length,
      };
    },

    /** Targets, orders, filters (pure domain), then Parquet + the `planned` run row. */
    async planRebalance(input: { date: string; contextKey: string }): Promise<PlanRebalanceResult> {
      const ctx = await getJson<RebalanceContext>(store, input.contextKey);
      const day = await asActivityFailure(async () =>
        rebalanceDay({
          date: ctx.date,
          cash: ctx.cash,
          positions: ctx.positions,
          prices: ctx.prices,
          signals: ctx.signals,
          dividends: ctx.dividends,
          minTradeValue: ctx.minTradeValue,
          rebalancePolicy: ctx.rebalancePolicy,
          lastRebalanceDate: ctx.lastRebalanceDate,
        }),
      );
      const plan: StoredPlan = {
        day,
        baseSnapshotDate: ctx.baseSnapshotDate,
        baseShares: Object.fromEntries(ctx.positions.map((p) => [p.symbol, p.shares])),
        signalsUsed: ctx.signals.length,
      };
      const planKey = work(ctx.date, 'plan.json');
      await putJson(store, planKey, plan);
      const targetWeightsKey = layout.rebalancing(parseIsoDate(ctx.date), 'target_weights');
      const tradeOrdersKey = layout.rebalancing(parseIsoDate(ctx.date), 'trade_orders');
      await store.put(targetWeightsKey, targetWeightsParquet(day));
      await store.put(tradeOrdersKey, tradeOrdersParquet(day));
      const summary: RebalanceSummary = {
        date: ctx.date,
        outcome: day.outcome,
        signalsUsed: ctx.signals.length,
        orders: day.orders.length,
        cashBefore: ctx.cash,
        cashAfter: day.after.cash,
        infeasible: day.infeasible,
        infeasibleReason: day.infeasibleReason,
        flags: rebalanceFlags(day, ctx.positions),
        targetWeightsKey,
        tradeOrdersKey,
        reportKey: reportKeyOf(ctx.date),
      };
      await withDbFailures(`recording the rebalance plan of ${ctx.date}`, () =>
        portfolio.upsertPlannedRun({
          runDate: ctx.date,
          outcome: day.outcome,
          signalsUsed: summary.signalsUsed,
          targetWeights: Object.fromEntries(day.targets.map((t) => [t.symbol, t.weight])),
          orders: day.orders.length,
          cashBefore: ctx.cash,
          cashAfter: day.after.cash,
          infeasible: day.infeasible,
          infeasibleReason: day.infeasibleReason,
          flags: summary.flags,
          costs: day.costs,
          dividends: day.dividendCash,
          targetWeightsKey,
          tradeOrdersKey,
          reportKey: summary.reportKey,
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
        runDate: input.date,
        baseSnapshotDate: plan.baseSnapshotDate,
        baseShares: plan.baseShares,
        dividends: d.dividends,
        orders: d.orders,
        positions: d.after.positions,
        cash: d.after.cash,
        positionsValue: d.after.positionsValue,
        totalValue: d.after.totalValue,
        costs: d.costs,
        dividendCash: d.dividendCash,
      };
      heartbeat('booking');
      const hook = deps.beforeRebalanceCommit;
      const r = await asActivityFailure(() =>
        withDbFailures(`booking the rebalance of ${input.date}`, () => portfolio.executeRebalance(exec, hook && (() => hook(input.date)))),
      );
      const s = r.snapshot;
      return {
        alreadyExecuted: r.alreadyExecuted,
        trades: r.trades,
        cash: s.cash,
        positionsValue: s.positionsValue,
        totalValue: s.totalValue,
        costsPaidCum: s.costsPaidCum,
        dividendsCum: s.dividendsCum,
      };
    },

    /** The order report: outcome, flags, targets, orders with costs and alpha, rejected trades, dividends, the snapshot. */
    async writeRebalanceReport(input: {
      date: string;
      planKey: string;
      execution: ExecuteRebalanceResult;
      summary: RebalanceSummary;
    }): Promise<{ reportKey: string }> {
      const plan = await getJson<StoredPlan>(store, input.planKey);
      const reportKey = reportKeyOf(input.date);
      const s = input.summary;
      const markdown = renderRebalanceReport({
        day: plan.day,
        signalsUsed: plan.signalsUsed,
        flags: s.flags,
        targetWeightsKey: s.targetWeightsKey,
        tradeOrdersKey: s.tradeOrdersKey,
        execution: input.execution,
      });
      await store.put(reportKey, markdown, { contentType: 'text/markdown' });
      return { reportKey };
    },
  };
}
