/**
 * Heartbeat from inside an activity, and nothing when called outside one
 * (a unit test or the CLI calling the same code), so shared helpers can
 * report progress without knowing who runs them.
 */
import { Context } from '@temporalio/activity';

/** Record progress for the current activity; a no-op outside an activity. */
export function heartbeat(details?: unknown): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return; // not inside an activity: nothing to report to
  }
  context.heartbeat(details);
}
