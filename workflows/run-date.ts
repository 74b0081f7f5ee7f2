/**
 * The run date of a daily-pipeline workflow (WF1..WF6), workflow-safe. An
 * explicit `date` (YYYY-MM-DD) wins; a run started by a Schedule without one
 * takes the schedule's nominal time (`TemporalScheduledStartTime`, which a
 * backfill sets to each past slot) and, since the 06:00-11:00 UTC slots run
 * before the US session opens, means the previous weekday's close. An
 * explicit date after the last completed NYSE session at the run's start is
 * refused (FutureRunDate) before any activity runs: its prices do not exist
 * yet, and a booked future date would lock the paper book (every real date
 * after it fails as out of order).
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { futureRunDateProblem } from '../src/domain/trading-calendar';

/** Set by the server on runs a Schedule starts: the slot's nominal time. */
const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

export const RUN_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Throw a non-retryable InvalidInput unless `date` is a real calendar date YYYY-MM-DD. */
export function assertRunDate(date: string): void {
  const ok = RUN_DATE_PATTERN.test(date) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
  if (!ok) throw ApplicationFailure.nonRetryable(`run date "${date}" must be a calendar date YYYY-MM-DD`, 'InvalidInput');
}

/**
 * The weekday before `nominal` (UTC): Tuesday..Saturday give the day before,
 * Sunday and Monday give Friday.
 *
 * @example
 *   previousWeekday(new Date('2026-02-09T07:00:00Z')) // '2026-02-06' (a Monday run screens Friday)
 */
export function previousWeekday(nominal: Date): string {
  const d = new Date(Date.UTC(nominal.getUTCFullYear(), nominal.getUTCMonth(), nominal.getUTCDate()));
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

/** The run date of the current workflow: `date` if given, else the previous weekday of the scheduled (or start) time. */
export function resolveRunDate(date?: string): string {
  if (date !== undefined && date !== '') {
    assertRunDate(date);
    // The run's own start time (recorded in history), so a replay decides the same way.
    const problem = futureRunDateProblem(date, workflowInfo().runStartTime.getTime());
    if (problem) throw ApplicationFailure.nonRetryable(problem, 'FutureRunDate');
    return date;
  }
  const info = workflowInfo();
  // The Schedule sets this on every run it starts, backfills included.
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START_TIME);
  return previousWeekday(scheduled ?? info.startTime);
}
