/**
 * Activity options shared by every workflow, so timeouts and retries are
 * chosen once, by the kind of work, not restated per file.
 *
 * - Retries: exponential backoff from 1 s to 30 s between attempts and no
 *   attempt limit: an infrastructure error (Postgres restarting, the object
 *   store's 5xx, a refused connection) is retried until the worker's outage
 *   window ends (src/worker/outage-window.ts, `RETRY_OUTAGE_WINDOW_SECONDS`,
 *   default 10 minutes). Data errors are non-retryable and fail at once.
 * - Heartbeats: activities that can run for more than a few seconds
 *   heartbeat, and their heartbeat timeout is a few seconds, so the work of a
 *   worker that died moves to another worker in seconds, not after the
 *   start-to-close timeout.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/** Retries for infrastructure faults, bounded in time by the worker's outage window. */
export const INFRA_RETRY: NonNullable<ActivityOptions['retry']> = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  // Unlimited (the SDK drops the field); the outage window ends the retries.
  maximumAttempts: Number.POSITIVE_INFINITY,
};

/** Short steps (one contract, one upsert): quick to time out on a lost worker. */
export const SHORT_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10s',
  retry: INFRA_RETRY,
};

/** Long steps (a day's ingest, a screen over the universe, a report): they heartbeat as they go. */
export const LONG_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '20s',
  retry: INFRA_RETRY,
};

/**
 * Short steps run as local activities, inside the workflow task of the
 * workflow that calls them: no activity task is scheduled, dispatched or
 * recorded on the server, and each result is one marker in the history. For
 * steps of a second or less that a workflow runs back to back (the fan-out
 * child's load, analyze and save), this removes most of the server's work per
 * workflow. A worker lost in the middle is noticed at the workflow task
 * timeout (10 s), and the steps run again on another worker, as activities
 * would after their heartbeat timeout: every such step must be idempotent.
 */
export const LOCAL_STEP: LocalActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: INFRA_RETRY,
};

/** The patch that added the tracking steps to `models`, `modelRun`, `performance` and `backtest` (README "Changing a workflow"). */
export const TRACKING_PATCH = 'mlflow-tracking';

/** Attempts of a tracking step (activities/tracking.ts): its last attempt records a skip instead of failing. */
export const TRACKING_ATTEMPTS = 3;

/**
 * Logging to the experiment tracker (MLflow): a local step with a few quick
 * attempts, never the outage window's ten minutes. A tracker that is down
 * costs a pipeline seconds and a `skipped` record, never the run.
 */
export const TRACKING_STEP: LocalActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: TRACKING_ATTEMPTS },
};
