/**
 * Heartbeat from inside an activity, and nothing when called outside one
 * (a unit test or the CLI calling the same code), so shared helpers can
 * report progress without knowing who runs them. `checkpoint` is a
 * heartbeat at a safe point: if the run was cancelled (or the activity
 * timed out on the server) the activity stops there, never in the middle of
 * a write it cannot undo (a booking transaction calls `heartbeat`, not
 * `checkpoint`).
 */
import { CancelledFailure, Context } from '@temporalio/activity';

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity: nothing to report to
  }
}

/** Record progress for the current activity; a no-op outside an activity. */
export function heartbeat(details?: unknown): void {
  currentContext()?.heartbeat(details);
}

/**
 * Record progress and stop here if the activity was cancelled: throws the
 * SDK's CancelledFailure, which the worker reports as a cancellation.
 *
 * @example
 *   for (const batch of batches) { checkpoint({ done }); await writeBatch(batch); }
 */
export function checkpoint(details?: unknown): void {
  const ctx = currentContext();
  if (!ctx) return;
  ctx.heartbeat(details);
  if (ctx.cancellationSignal.aborted)
    throw new CancelledFailure(`cancelled at a safe point: ${String(ctx.cancellationSignal.reason ?? 'cancelled')}`);
}
