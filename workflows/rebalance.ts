/**
 * `rebalance` (WF4, paper trading): load the date's signals, the account and
 * the closes -> plan (pension targets with caps, whole-share orders with
 * their cost breakdown, min trade value, positive expected net alpha) and
 * store it (trades only on the rebalance days of REBALANCE_FREQUENCY and
 * only names outside their no-trade band: src/domain/rebalance-policy.ts,
 * the rule WF6 replays; other days book dividends and mark, outcome
 * `not_due`) -> execute the paper trades and take the snapshot in one
 * transaction keyed by the date (exactly once) -> order report. A date that
 * was already executed returns its stored result without trading again.
 * ID `rebalance-<date>`; `Pipeline = 'daily'`, `RunDate = <date>`.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RebalanceSummary } from '../activities/rebalance';
import { PIPELINE_DAILY } from './names';
import { resolveRunDate } from './run-date';
import { tagRun } from './tag-run';
import { rebalanceInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY } from './activity-options';

export interface RebalanceInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
}

export interface RebalanceResult extends Omit<RebalanceSummary, 'outcome' | 'date'> {
  date: string;
  status: 'executed' | 'already_executed' | 'no_trading_data';
  outcome: RebalanceSummary['outcome'] | null;
  trades: number;
  snapshot: { cash: number; positionsValue: number; totalValue: number } | null;
}

// Infrastructure faults are retried through the worker's outage window; data errors fail at once.
const acts = proxyActivities<Activities>(LONG_ACTIVITY);

export async function rebalance(input: RebalanceInput = {}): Promise<RebalanceResult> {
  validateInput('rebalance', rebalanceInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_DAILY, runDate: date });
  setCurrentDetails(`loading signals, account and prices of ${date}`);
  const ctx = await acts.loadRebalanceContext.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `signals, positions, cash, closes, dividends of ${date}` },
    [{ date }],
  );
  if (ctx.status === 'no_trading_data') {
    setCurrentDetails(`no trading data on ${date}`);
    return {
      date,
      status: 'no_trading_data',
      outcome: null,
      trades: 0,
      snapshot: null,
      signalsUsed: 0,
      orders: 0,
      cashBefore: 0,
      cashAfter: null,
      infeasible: false,
      infeasibleReason: null,
      flags: [],
      targetWeightsKey: null,
      tradeOrdersKey: null,
      reportKey: null,
    };
  }
  if (ctx.status === 'already_executed') {
    setCurrentDetails(`${date} was already executed: nothing traded again`);
    const s = ctx.snapshot;
    return {
      ...ctx.run,
      date,
      status: 'already_executed',
      trades: ctx.run.orders,
      snapshot: s ? { cash: s.cash, positionsValue: s.positionsValue, totalValue: s.totalValue } : null,
    };
  }

  setCurrentDetails(`planning: ${ctx.signals} signals, ${ctx.positions} positions, cash ${ctx.cash.toFixed(2)}`);
  const plan = await acts.planRebalance.executeWithOptions(
    { startToCloseTimeout: '2 minutes', summary: `target weights + orders (${ctx.signals} signals)` },
    [{ date, contextKey: ctx.contextKey }],
  );
  setCurrentDetails(`orders generated: ${plan.orders}; executing paper trades`);
  const exec = await acts.executePaperTrades.executeWithOptions(
    // a killed worker's attempt is retried after 10 s without a heartbeat (the crash test's pause hook heartbeats while it holds)
    { startToCloseTimeout: '10 minutes', heartbeatTimeout: '10 seconds', summary: `paper trades (${plan.orders}) + snapshot ${date}` },
    [{ date, planKey: plan.planKey }],
  );
  const { planKey: _p, rejected: _r, estimatedCosts: _c, ...summary } = plan;
  const report = await acts.writeRebalanceReport.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `report rebalance-${date}.md` },
    [{ date, planKey: plan.planKey, execution: exec, summary }],
  );
  setCurrentDetails(`done: ${plan.outcome}, ${exec.trades} trades, total ${exec.totalValue.toFixed(2)}`);
  return {
    ...summary,
    date,
    status: exec.alreadyExecuted ? 'already_executed' : 'executed',
    trades: exec.trades,
    reportKey: report.reportKey,
    cashAfter: exec.cash,
    snapshot: { cash: exec.cash, positionsValue: exec.positionsValue, totalValue: exec.totalValue },
  };
}
