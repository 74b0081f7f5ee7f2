/**
 * The reconciliation workflow's activity: one `reconcileOnce` (src/adapters/
 * trading/reconciler.ts) against the worker's broker, logged through the
 * activity's logger so the critical alert line carries the workflow's ids.
 * Its result is small: problems are cut to the first few (the halt reason
 * in trading_state and the log line carry the whole list).
 */
import { Context } from '@temporalio/activity';
import { reconcileOnce, type ReconcileLogger, type ReconcileResult } from '../../src/adapters/trading/reconciler';
import { asActivityFailure } from '../support/failures';
import type { TradingDeps } from './deps';

/** Problems returned in the activity result (history stays small); the rest are counted. */
export const MAX_PROBLEMS_IN_RESULT = 10;

export interface ReconcileTradingInput {
  /** How long an order of ours may be unknown to the broker. Default 120 s. */
  graceSeconds?: number;
  /** Broker orders listed back this far. Default 7 days. */
  lookbackHours?: number;
}

export interface ReconcileTradingResult extends Omit<ReconcileResult, 'problems'> {
  problems: ReconcileResult['problems'];
  problemCount: number;
}

function activityLogger(): ReconcileLogger | undefined {
  try {
    const log = Context.current().log;
    return { info: (m, meta) => log.info(m, meta), error: (m, meta) => log.error(m, meta) };
  } catch {
    return undefined; // outside an activity: the reconciler's default
  }
}

export function createReconciliationActivities(deps: TradingDeps) {
  return {
    /** Reconcile our book with the broker once: book what is explainable, halt on what is not. */
    async reconcileTrading(input: ReconcileTradingInput = {}): Promise<ReconcileTradingResult> {
      return asActivityFailure(async () => {
        const r = await reconcileOnce({
          db: deps.tradingDb,
          broker: await deps.broker(),
          logger: activityLogger(),
          alerts: deps.haltAlerts,
          graceMs: input.graceSeconds === undefined ? undefined : input.graceSeconds * 1000,
          lookbackMs: input.lookbackHours === undefined ? undefined : input.lookbackHours * 3600_000,
        });
        return { ...r, problems: r.problems.slice(0, MAX_PROBLEMS_IN_RESULT), problemCount: r.problems.length };
      });
    },
  };
}
