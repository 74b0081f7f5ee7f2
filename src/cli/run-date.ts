/**
 * The CLI's half of the future-date rule: a run date after the last
 * completed NYSE session is refused before a workflow starts (exit 2), with
 * the same message the workflows give (src/domain/trading-calendar.ts), so
 * nothing is written and the paper book is never booked ahead of the market.
 */
import { futureRunDateProblem, lastCompletedSession } from '../domain/trading-calendar';
import { UsageError } from './args';

/**
 * `date`, or a UsageError saying why it is in the future.
 *
 * @example
 *   refuseFutureRunDate('2027-06-01', usage); // throws: run date 2027-06-01 is after the last completed NYSE session (...)
 */
export function refuseFutureRunDate(date: string, usage?: string, nowMs: number = Date.now()): string {
  const problem = futureRunDateProblem(date, nowMs);
  if (problem) throw new UsageError(problem, usage);
  return date;
}

/** The default run date: the last completed NYSE session. */
export function defaultRunDate(nowMs: number = Date.now()): string {
  return lastCompletedSession(nowMs);
}
