/**
 * Temporal Schedules of the daily pipeline: create-or-update idempotently
 * from the schedules file (create; on ScheduleAlreadyRunning compare the
 * entry's hash kept in the action memo and `handle.update` only when it
 * changed), and the operator verbs list / pause / unpause / trigger /
 * backfill. Every schedule starts its workflow with `Pipeline = 'daily'`,
 * a static summary, an overlap policy and a catch-up window; the scheduled
 * run's ID is `<workflow>-<slot time>` (the server appends the time).
 */
import {
  ScheduleAlreadyRunning,
  type Client,
  type ScheduleOptions,
  type ScheduleSummary,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { PIPELINE_DAILY, SEARCH_ATTRIBUTES } from '../../workflows/names';
import { OVERLAP_POLICIES, scheduleHash, type ScheduleEntry } from './config';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged';

const SUMMARIES: Record<string, string> = {
  ingest: 'WF1 ingest: end-of-day prices for the previous session',
  screen: 'WF2 screen: multi-factor screen, quintiles and clusters',
  signal: 'WF3 signal: technical, fundamental and sentiment signals',
  rebalance: 'WF4 rebalance: target weights, orders, paper trades',
  monitor: 'WF5 monitor: P&L, risk, alerts',
  backtest: 'WF6 backtest: allocation replay against buy-and-hold',
};

/** The SDK options of one entry (shared by create and update). */
export function scheduleOptions(entry: ScheduleEntry, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: entry.id,
    spec: { cronExpressions: [entry.cron], timezone: 'UTC' },
    action: {
      type: 'startWorkflow',
      workflowType: entry.workflow,
      workflowId: entry.workflow,
      taskQueue,
      args: [entry.input],
      memo: { scheduleId: entry.id, scheduleHash: scheduleHash(entry, taskQueue) },
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.Pipeline, value: PIPELINE_DAILY }],
      staticSummary: `${SUMMARIES[entry.workflow] ?? entry.workflow} (schedule ${entry.id}, ${entry.cron} UTC)`,
    },
    policies: { overlap: OVERLAP_POLICIES[entry.overlap], catchupWindow: entry.catchupWindow as Duration },
    state: {
      paused: entry.paused,
      note: entry.note ?? (entry.paused ? 'paused by the schedules file' : 'applied from the schedules file'),
    },
  };
}

/** Create or update one schedule; a second apply of the same entry changes nothing on the server. */
export async function applySchedule(client: Client, entry: ScheduleEntry, taskQueue: string): Promise<ApplyOutcome> {
  const options = scheduleOptions(entry, taskQueue);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(entry.id);
  const desc = await handle.describe();
  const memo = (await desc.action.memo) as Record<string, unknown> | undefined;
  if (memo?.scheduleHash === scheduleHash(entry, taskQueue) && desc.state.paused === entry.paused) return 'unchanged';
  const { scheduleId: _id, memo: _memo, ...update } = options;
  await handle.update((): ScheduleUpdateOptions => ({ ...update, state: { paused: entry.paused, note: options.state?.note } }));
  return 'updated';
}

export async function applySchedules(
  client: Client,
  entries: readonly ScheduleEntry[],
  taskQueue: string,
): Promise<{ id: string; outcome: ApplyOutcome }[]> {
  const out: { id: string; outcome: ApplyOutcome }[] = [];
  for (const e of entries) out.push({ id: e.id, outcome: await applySchedule(client, e, taskQueue) });
  return out;
}

export interface ScheduleLine {
  id: string;
  workflow: string;
  paused: boolean;
  note: string;
  nextRuns: Date[];
  recent: Date[];
}

/** Every schedule in the namespace, sorted by id. */
export async function listSchedules(client: Client): Promise<ScheduleLine[]> {
  const out: ScheduleLine[] = [];
  for await (const s of client.schedule.list() as AsyncIterable<ScheduleSummary>) {
    out.push({
      id: s.scheduleId,
      workflow: s.action?.type === 'startWorkflow' ? s.action.workflowType : '-',
      paused: s.state.paused,
      note: s.state.note ?? '',
      nextRuns: s.info.nextActionTimes,
      recent: s.info.recentActions.map((a) => a.scheduledAt),
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export async function pauseSchedule(client: Client, id: string, note = 'paused by quant schedules pause'): Promise<void> {
  await client.schedule.getHandle(id).pause(note);
}

export async function unpauseSchedule(client: Client, id: string, note = 'unpaused by quant schedules unpause'): Promise<void> {
  await client.schedule.getHandle(id).unpause(note);
}

/** Run the schedule's action now (the overlap policy still applies). */
export async function triggerSchedule(client: Client, id: string): Promise<void> {
  await client.schedule.getHandle(id).trigger();
}

/** Take the actions of every slot in [from, to] (UTC dates, inclusive of `to`'s day); runs start with their slot's nominal time. */
export async function backfillSchedule(
  client: Client,
  id: string,
  from: string,
  to: string,
  overlap: keyof typeof OVERLAP_POLICIES = 'BufferAll',
): Promise<void> {
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T23:59:59Z`);
  if (!(start.getTime() <= end.getTime())) throw new Error(`backfill: --from ${from} is after --to ${to}`);
  await client.schedule.getHandle(id).backfill({ start, end, overlap: OVERLAP_POLICIES[overlap] });
}
