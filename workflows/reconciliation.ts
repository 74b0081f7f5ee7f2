/**
 * `reconciliation`: the execution service's long-running check that our
 * book matches the broker's. Every `intervalSeconds` (default 60) one
 * `reconcileTrading` activity books what it can explain and halts trading on
 * what it cannot (src/adapters/trading/reconciler.ts decides and writes; the
 * workflow only keeps the rhythm, the totals and the history short). After
 * `iterationsPerRun` (default 240, four hours) or when the server suggests
 * it, the run continues as new with its totals. A failed reconciliation is
 * counted and the loop goes on: it halts nothing, because nothing was read.
 * The `stop` signal ends the loop after the current step; the `status`
 * query returns the totals and the last result.
 * ID `reconciliation-<broker>`; `Pipeline = 'trading'`, `RunDate` = the
 * run's start date (UTC).
 */
import {
  ActivityFailure,
  continueAsNew,
  condition,
  defineQuery,
  defineSignal,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { ReconcileTradingResult } from '../activities/trading/reconciliation';
import { formatIsoDate } from '../src/domain/dates';
import { reconciliationInputSchema } from './inputs';
import { PIPELINE_TRADING } from './names';
import { tagRun } from './tag-run';
import { validateInput } from './validate-input';

export type ReconciliationInput = z.input<typeof reconciliationInputSchema>;

export interface ReconciliationTotals {
  /** Runs before this one in the continue-as-new chain. */
  runs: number;
  iterations: number;
  /** Reconciliations that booked something. */
  booked: number;
  /** Reconciliations that halted trading. */
  halted: number;
  /** Reconciliations that failed (broker or database unreachable). */
  failed: number;
}

export interface ReconciliationStatus {
  totals: ReconciliationTotals;
  last: Pick<ReconcileTradingResult, 'outcome' | 'at' | 'fillsBooked' | 'ordersUpdated' | 'problemCount' | 'haltReason'> | null;
  lastError: string | null;
}

export const DEFAULT_INTERVAL_SECONDS = 60;
export const DEFAULT_ITERATIONS_PER_RUN = 240;

export const stopReconciliationSignal = defineSignal('stop');
export const reconciliationStatusQuery = defineQuery<ReconciliationStatus>('status');

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // A few quick attempts; the next tick is the real retry, so one failure never piles up behind another.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 },
});

const failureText = (err: unknown) => {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return (cause as Error)?.message ?? String(cause);
};

export async function reconciliation(input: ReconciliationInput = {}): Promise<ReconciliationStatus> {
  const i = validateInput('reconciliation', reconciliationInputSchema, input);
  tagRun({ pipeline: PIPELINE_TRADING, runDate: formatIsoDate(workflowInfo().runStartTime) });
  const intervalMs = (i.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000;
  const perRun = i.iterationsPerRun ?? DEFAULT_ITERATIONS_PER_RUN;
  const totals: ReconciliationTotals = { ...(i.carried ?? { runs: 0, iterations: 0, booked: 0, halted: 0, failed: 0 }) };
  const status: ReconciliationStatus = { totals, last: null, lastError: null };
  let stopping = false;
  setHandler(stopReconciliationSignal, () => void (stopping = true));
  setHandler(reconciliationStatusQuery, () => status);

  for (let n = 0; n < perRun && !stopping; n++) {
    try {
      const r = await acts.reconcileTrading.executeWithOptions(
        { startToCloseTimeout: '2 minutes', summary: 'reconcile orders and positions with the broker' },
        [{ graceSeconds: i.graceSeconds, lookbackHours: i.lookbackHours }],
      );
      status.last = {
        outcome: r.outcome,
        at: r.at,
        fillsBooked: r.fillsBooked,
        ordersUpdated: r.ordersUpdated,
        problemCount: r.problemCount,
        haltReason: r.haltReason,
      };
      status.lastError = null;
      if (r.outcome === 'booked') totals.booked++;
      if (r.outcome === 'halted') totals.halted++;
      setCurrentDetails(
        r.outcome === 'halted'
          ? `HALTED: ${r.haltReason}`
          : `${r.outcome} at ${r.at} (${r.fillsBooked} fills, ${r.ordersUpdated} orders booked)`,
      );
    } catch (err) {
      totals.failed++;
      status.lastError = failureText(err);
      setCurrentDetails(`reconciliation failed, next try in ${intervalMs / 1000} s: ${status.lastError}`);
    }
    totals.iterations++;
    if (workflowInfo().continueAsNewSuggested) break;
    // Sleep until the next tick, or until `stop` arrives.
    await condition(() => stopping, intervalMs);
  }
  if (stopping) return status;
  return continueAsNew<typeof reconciliation>({ ...i, carried: { ...totals, runs: totals.runs + 1 } });
}
