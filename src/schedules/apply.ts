/**
 * Temporal Schedules of the daily pipeline: create-or-update idempotently
 * from the schedules file (create; on ScheduleAlreadyRunning compare the
 * entry's hash kept in the action memo and `handle.update` only when it
 * changed), and the operator verbs list / pause / unpause / trigger /
 * backfill. A pause set by hand survives `apply` unless the file says
 * `paused: true|false` for that entry. Every schedule starts its workflow with `Pipeline = 'daily'`
 * (`'intraday'` for the intraday workflows),
 * a static summary, an overlap policy and a catch-up window; its cron
 * expressions are read in the entry's time zone (the spec's `timezone`, UTC
 * by default); the scheduled run's ID is `<workflow>-<slot time>` (the server
 * appends the slot time, in UTC).
 */
import {
  ScheduleAlreadyRunning,
  type Client,
  type ScheduleOptions,
  type ScheduleSummary,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { PIPELINE_DAILY, PIPELINE_INTRADAY, SEARCH_ATTRIBUTES } from '../../workflows/names';
import { cronExpressions, OVERLAP_POLICIES, scheduleHash, type ScheduleEntry } from './config';

/** What apply did to one schedule; `kept paused` = nothing to change, and a pause set by hand was kept. */
export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'kept paused';

export interface ApplyResult {
  id: string;
  outcome: ApplyOutcome;
  /** The pause state after apply. */
  paused: boolean;
  /** One line on what changed and why, e.g. "paused by the file", "kept the pause set by hand (maintenance)". */
  detail: string;
}

const SUMMARIES: Record<string, string> = {
  ingest: 'WF1 ingest: end-of-day prices for the previous session',
  screen: 'WF2 screen: multi-factor screen, quintiles and clusters',
  signal: 'WF3 signal: technical, fundamental and sentiment signals',
  rebalance: 'WF4 rebalance: target weights, orders, paper trades',
  monitor: 'WF5 monitor: P&L, risk, alerts',
  backtest: 'WF6 backtest: allocation replay against buy-and-hold',
  intradayData: "intraday data: the session's bars so far, validated and stored",
  strategySignals: 'strategy signals: one signal cycle of the enabled intraday strategies',
  portfolioRisk: "portfolio risk: the strategies' book against its limits",
  endOfDay: "end of day: the strategies' P&L, trades and report of the session",
};

/** The `Pipeline` a scheduled run starts with, where it is not `daily`: the same value the workflow tags itself with. */
const PIPELINES: Record<string, string> = {
  intradayData: PIPELINE_INTRADAY,
  strategySignals: PIPELINE_INTRADAY,
  portfolioRisk: PIPELINE_INTRADAY,
  endOfDay: PIPELINE_INTRADAY,
};

/** The SDK options of one entry (shared by create and update). */
export function scheduleOptions(entry: ScheduleEntry, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: entry.id,
    spec: { cronExpressions: cronExpressions(entry), timezone: entry.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: entry.workflow,
      workflowId: entry.workflow,
      taskQueue,
      args: [entry.input],
      memo: { scheduleId: entry.id, scheduleHash: scheduleHash(entry, taskQueue) },
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.Pipeline, value: PIPELINES[entry.workflow] ?? PIPELINE_DAILY }],
      staticSummary: `${SUMMARIES[entry.workflow] ?? entry.workflow} (schedule ${entry.id}, ${cronExpressions(entry).join(' and ')} ${entry.timeZone})`,
    },
    policies: { overlap: OVERLAP_POLICIES[entry.overlap], catchupWindow: entry.catchupWindow as Duration },
    state: {
      paused: entry.paused ?? false,
      note: entry.note ?? (entry.paused ? 'paused by the schedules file' : 'applied from the schedules file'),
    },
  };
}

/**
 * Create or update one schedule; a second apply of the same entry changes
 * nothing on the server. The pause state follows the file only where the
 * entry says `paused`; otherwise the server's (an operator's) is kept.
 *
 * @example
 *   await applySchedule(client, { id: 'daily-screen', workflow: 'screen', cron: '0 7 * * 1-5', timeZone: 'UTC', ... }, 'quant-workflows')
 *   // { id: 'daily-screen', outcome: 'kept paused', paused: true, detail: 'kept the pause set by hand (maintenance)' }
 */
export async function applySchedule(client: Client, entry: ScheduleEntry, taskQueue: string): Promise<ApplyResult> {
  const options = scheduleOptions(entry, taskQueue);
  try {
    await client.schedule.create(options);
    return {
      id: entry.id,
      outcome: 'created',
      paused: !!entry.paused,
      detail: entry.paused ? 'created paused (the file says paused)' : 'created',
    };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(entry.id);
  const desc = await handle.describe();
  const memo = (await desc.action.memo) as Record<string, unknown> | undefined;
  const specChanged = memo?.scheduleHash !== scheduleHash(entry, taskQueue);
  const wasPaused = desc.state.paused;
  const keptByHand = entry.paused === undefined && wasPaused;
  const paused = entry.paused ?? wasPaused;
  const pauseChanged = paused !== wasPaused;
  const pauseDetail = keptByHand
    ? `kept the pause set by hand${desc.state.note ? ` (${desc.state.note})` : ''}`
    : pauseChanged
      ? `${paused ? 'paused' : 'unpaused'} because the file says paused: ${paused}`
      : '';
  if (!specChanged && !pauseChanged)
    return { id: entry.id, outcome: keptByHand ? 'kept paused' : 'unchanged', paused, detail: pauseDetail || 'unchanged' };
  const { scheduleId: _id, memo: _memo, ...update } = options;
  // A kept pause keeps its note too: the operator's reason stays visible in the Web UI.
  const note = keptByHand ? desc.state.note : options.state?.note;
  await handle.update((): ScheduleUpdateOptions => ({ ...update, state: { paused, note } }));
  const what = [specChanged ? 'schedule changed in the file' : '', pauseDetail].filter(Boolean).join('; ');
  return { id: entry.id, outcome: 'updated', paused, detail: what };
}

export async function applySchedules(client: Client, entries: readonly ScheduleEntry[], taskQueue: string): Promise<ApplyResult[]> {
  const out: ApplyResult[] = [];
  for (const e of entries) out.push(await applySchedule(client, e, taskQueue));
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
