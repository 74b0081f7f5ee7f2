/**
 * Temporal Schedules against the dev server: the shipped profiles parse,
 * bad entries are rejected by name, `apply` creates, then leaves unchanged,
 * then updates a changed entry, keeps a pause set by hand unless the file
 * says `paused`; pause/unpause; the intraday schedules land on the server
 * in New York time with their crons; and a backfill starts one
 * `screen` run per slot whose run date is the previous weekday of the slot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { startTestWorker, testClient, testConfig, uniqueName } from './helpers';
import { loadSchedulesFile, parseSchedules, scheduleHash, type ScheduleEntry } from '../src/schedules/config';
import { applySchedules, backfillSchedule, listSchedules, pauseSchedule, unpauseSchedule } from '../src/schedules/apply';
import { SEARCH_ATTRIBUTES } from '../workflows/names';

const config = testConfig();
let client: Client;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const created: string[] = [];

beforeAll(async () => {
  client = await testClient();
  worker = await startTestWorker(config);
});

afterAll(async () => {
  for (const id of created)
    await client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await worker?.stop();
  await client?.connection.close();
});

const prod = loadSchedulesFile(join(__dirname, '..', 'config', 'schedules.prod.yaml'));
/** The UTC (daily and model pipeline) entries: the intraday ones fire every few minutes in New York hours, so they are applied paused below. */
const daily = prod.filter((s) => s.timeZone === 'UTC');

/** Wall-clock parts of `t` in `timeZone`: weekday 0..6 (Sunday 0), hour, minute. */
function clockIn(t: Date, timeZone: string): { day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return {
    day: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
  };
}

describe('schedules', () => {
  it('ships a development profile without schedules and a production profile with WF1-WF6 at 06..11 UTC, the model pipeline and the intraday ones', () => {
    expect(loadSchedulesFile(join(__dirname, '..', 'config', 'schedules.dev.yaml'))).toEqual([]);
    expect(prod.map((s) => [s.workflow, s.cron, s.timeZone, s.overlap])).toEqual([
      ['ingest', '0 6 * * 1-5', 'UTC', 'Skip'],
      ['screen', '0 7 * * 1-5', 'UTC', 'Skip'],
      ['signal', '0 8 * * 1-5', 'UTC', 'Skip'],
      ['rebalance', '0 9 * * 1-5', 'UTC', 'Skip'],
      ['monitor', '0 10 * * 1-5', 'UTC', 'Skip'],
      ['backtest', '0 11 * * 1-5', 'UTC', 'Skip'],
      ['features', '0 7 * * 1-5', 'UTC', 'Skip'],
      ['models', '30 8 * * 1-5', 'UTC', 'Skip'],
      ['performance', '0 18 * * 1-5', 'UTC', 'Skip'],
      ['intradayData', ['*/15 9-15 * * 1-5', '0 16 * * 1-5'], 'America/New_York', 'Skip'],
      ['strategySignals', ['*/5 9-15 * * 1-5', '0 16 * * 1-5'], 'America/New_York', 'Skip'],
      ['portfolioRisk', '0 9-16 * * 1-5', 'America/New_York', 'Skip'],
      ['endOfDay', '0 17 * * 1-5', 'America/New_York', 'Skip'],
    ]);
    expect(() => parseSchedules('schedules:\n  - id: x\n    workflow: screen\n    cron: "every day"\n    overlap: Sometimes\n')).toThrow(
      /schedules\.0\.cron.*\n.*schedules\.0\.overlap/s,
    );
    expect(() =>
      parseSchedules(
        'schedules:\n  - { id: a, workflow: screen, cron: "0 7 * * *" }\n  - { id: a, workflow: signal, cron: "0 8 * * *" }\n',
      ),
    ).toThrow(/duplicate schedule id a/);
  });

  it('apply creates, then is idempotent, then updates a changed entry', async () => {
    const prefix = uniqueName('t');
    const entries: ScheduleEntry[] = daily.map((s) => ({ ...s, id: `${prefix}-${s.id}` }));
    created.push(...entries.map((e) => e.id));
    const tq = config.temporal.taskQueue;

    expect(await applySchedules(client, entries, tq)).toEqual(
      entries.map((e) => ({ id: e.id, outcome: 'created', paused: false, detail: 'created' })),
    );
    expect(await applySchedules(client, entries, tq)).toEqual(
      entries.map((e) => ({ id: e.id, outcome: 'unchanged', paused: false, detail: 'unchanged' })),
    );

    const desc = await client.schedule.getHandle(entries[1].id).describe();
    expect(desc.policies.overlap).toBe('SKIP');
    expect(desc.policies.catchupWindow).toBe(6 * 3600 * 1000);
    expect(desc.action.type).toBe('startWorkflow');
    expect(desc.action.workflowType).toBe('screen');
    expect(desc.action.taskQueue).toBe(tq);
    expect(desc.state.paused).toBe(false);
    for (const t of desc.info.nextActionTimes) {
      expect(t.getUTCHours()).toBe(7);
      expect(t.getUTCMinutes()).toBe(0);
      expect([1, 2, 3, 4, 5]).toContain(t.getUTCDay());
    }

    const changed = entries.map((e, i) => (i === 1 ? { ...e, cron: '30 7 * * 1-5', overlap: 'BufferOne' as const } : e));
    expect((await applySchedules(client, changed, tq)).map((r) => r.outcome)).toEqual(
      entries.map((_, i) => (i === 1 ? 'updated' : 'unchanged')),
    );
    const after = await client.schedule.getHandle(entries[1].id).describe();
    expect(after.policies.overlap).toBe('BUFFER_ONE');
    expect(((await after.action.memo) as Record<string, unknown>).scheduleHash).toBe(scheduleHash(changed[1], tq));
    for (const t of after.info.nextActionTimes) expect([t.getUTCHours(), t.getUTCMinutes()]).toEqual([7, 30]);
    expect((await applySchedules(client, changed, tq)).map((r) => r.outcome)).toEqual(entries.map(() => 'unchanged'));

    await pauseSchedule(client, entries[0].id, 'maintenance');
    expect((await client.schedule.getHandle(entries[0].id).describe()).state).toMatchObject({ paused: true, note: 'maintenance' });
    // list reads the visibility store, which catches up asynchronously.
    let listed: Awaited<ReturnType<typeof listSchedules>>[number] | undefined;
    for (let i = 0; i < 40 && !listed?.paused; i++) {
      listed = (await listSchedules(client)).find((s) => s.id === entries[0].id);
      if (!listed?.paused) await new Promise((r) => setTimeout(r, 250));
    }
    expect(listed).toMatchObject({ paused: true, workflow: 'ingest' });
    // The file says nothing about pausing: apply keeps the operator's pause, and says so.
    const kept = (await applySchedules(client, changed, tq))[0];
    expect(kept).toEqual({ id: entries[0].id, outcome: 'kept paused', paused: true, detail: 'kept the pause set by hand (maintenance)' });
    expect((await client.schedule.getHandle(entries[0].id).describe()).state).toMatchObject({ paused: true, note: 'maintenance' });
    // A changed entry is updated and still keeps the pause and its note.
    const moved = changed.map((e, i) => (i === 0 ? { ...e, cron: '15 6 * * 1-5' } : e));
    const updated = (await applySchedules(client, moved, tq))[0];
    expect(updated).toMatchObject({ outcome: 'updated', paused: true });
    expect(updated.detail).toBe('schedule changed in the file; kept the pause set by hand (maintenance)');
    expect((await client.schedule.getHandle(entries[0].id).describe()).state).toMatchObject({ paused: true, note: 'maintenance' });
    // Only an explicit `paused: false` in the file unpauses it; `paused: true` pauses an active one.
    const explicit = moved.map((e, i) => (i === 0 ? { ...e, paused: false } : i === 2 ? { ...e, paused: true } : e));
    const r = await applySchedules(client, explicit, tq);
    expect(r[0]).toMatchObject({ outcome: 'updated', paused: false, detail: 'unpaused because the file says paused: false' });
    expect(r[2]).toMatchObject({ outcome: 'updated', paused: true, detail: 'paused because the file says paused: true' });
    expect((await client.schedule.getHandle(entries[0].id).describe()).state.paused).toBe(false);
    expect((await client.schedule.getHandle(entries[2].id).describe()).state.paused).toBe(true);
    expect((await applySchedules(client, explicit, tq)).map((x) => x.outcome)).toEqual(entries.map(() => 'unchanged'));
    await pauseSchedule(client, entries[0].id);
    await unpauseSchedule(client, entries[0].id);
    expect((await client.schedule.getHandle(entries[0].id).describe()).state.paused).toBe(false);
  });

  it('apply puts the intraday schedules on the server in New York time, with their crons, and a changed zone updates them', async () => {
    const prefix = uniqueName('tz');
    // Paused: they would otherwise start runs every few minutes while the test runs in New York hours.
    const entries: ScheduleEntry[] = prod.map((s) => ({ ...s, id: `${prefix}-${s.id}`, paused: true }));
    created.push(...entries.map((e) => e.id));
    const tq = config.temporal.taskQueue;
    expect((await applySchedules(client, entries, tq)).map((r) => r.outcome)).toEqual(entries.map(() => 'created'));

    const expected: Record<string, { workflow: string; minutes: number[]; hours: number[]; last?: [number, number] }> = {
      'intraday-data': { workflow: 'intradayData', minutes: [0, 15, 30, 45], hours: [9, 10, 11, 12, 13, 14, 15], last: [16, 0] },
      'strategy-signals': {
        workflow: 'strategySignals',
        minutes: [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55],
        hours: [9, 10, 11, 12, 13, 14, 15],
        last: [16, 0],
      },
      'portfolio-risk': { workflow: 'portfolioRisk', minutes: [0], hours: [9, 10, 11, 12, 13, 14, 15, 16] },
      'end-of-day': { workflow: 'endOfDay', minutes: [0], hours: [17] },
    };
    for (const [id, want] of Object.entries(expected)) {
      const desc = await client.schedule.getHandle(`${prefix}-${id}`).describe();
      expect(desc.spec.timezone, id).toBe('America/New_York');
      expect(desc.action.type === 'startWorkflow' && desc.action.workflowType, id).toBe(want.workflow);
      expect(desc.policies.overlap, id).toBe('SKIP');
      expect(desc.state.paused, id).toBe(true);
      // The server keeps a cron as structured calendars; each one's hours and minutes, in New York clock time.
      const expand = (ranges: { start: number; end: number; step: number }[] | undefined) =>
        (ranges ?? []).flatMap((r) => Array.from({ length: Math.floor((r.end - r.start) / r.step) + 1 }, (_, i) => r.start + i * r.step));
      const calendars = (desc.spec.calendars ?? []).map((c) => ({
        hours: expand(c.hour as { start: number; end: number; step: number }[]),
        minutes: expand(c.minute as { start: number; end: number; step: number }[]),
        days: c.dayOfWeek,
      }));
      expect(calendars[0], id).toMatchObject({ hours: want.hours, minutes: want.minutes });
      expect(calendars.map((c) => c.days)).toEqual(calendars.map(() => [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }]));
      expect(calendars.slice(1), id).toEqual(
        want.last ? [expect.objectContaining({ hours: [want.last[0]], minutes: [want.last[1]] })] : [],
      );
    }

    // The same slots seen from the server's own clock: every next run of strategy-signals is a weekday
    // 09:00..16:00 New York time at a multiple of 5 minutes, and never 16:05..16:55.
    const next = (await client.schedule.getHandle(`${prefix}-strategy-signals`).describe()).info.nextActionTimes;
    expect(next.length).toBeGreaterThan(0);
    for (const t of next) {
      const c = clockIn(t, 'America/New_York');
      expect([1, 2, 3, 4, 5], t.toISOString()).toContain(c.day);
      expect(c.minute % 5, t.toISOString()).toBe(0);
      expect(c.hour * 60 + c.minute, t.toISOString()).toBeGreaterThanOrEqual(9 * 60);
      expect(c.hour * 60 + c.minute, t.toISOString()).toBeLessThanOrEqual(16 * 60);
    }

    // Moving end-of-day to London is a changed entry: apply updates it, and the server has the new zone.
    const moved = entries.map((e) => (e.id.endsWith('-end-of-day') ? { ...e, timeZone: 'Europe/London' } : e));
    expect((await applySchedules(client, moved, tq)).map((r) => [r.id.slice(prefix.length + 1), r.outcome])).toEqual(
      moved.map((e) => [e.id.slice(prefix.length + 1), e.id.endsWith('-end-of-day') ? 'updated' : 'unchanged']),
    );
    const london = await client.schedule.getHandle(`${prefix}-end-of-day`).describe();
    expect(london.spec.timezone).toBe('Europe/London');
    for (const t of london.info.nextActionTimes) expect(clockIn(t, 'Europe/London')).toMatchObject({ hour: 17, minute: 0 });
  });

  it('a backfill starts one run per slot, each dated the previous weekday of its slot', async () => {
    const id = uniqueName('backfill-screen');
    created.push(id);
    const tq = config.temporal.taskQueue;
    await applySchedules(
      client,
      [{ id, workflow: 'screen', cron: '0 7 * * 1-5', timeZone: 'UTC', overlap: 'Skip', catchupWindow: '1h', paused: true, input: {} }],
      tq,
    );
    // Mon 2024-07-08 .. Wed 2024-07-10 -> run dates Fri 07-05, Mon 07-08, Tue 07-09 (no bars there: no_trading_data, quickly).
    await backfillSchedule(client, id, '2024-07-08', '2024-07-10');
    const deadline = Date.now() + 60_000;
    let runDates: string[] = [];
    while (Date.now() < deadline) {
      const handles = (await client.schedule.getHandle(id).describe()).info.recentActions;
      if (handles.length === 3) {
        const descs = await Promise.all(handles.map((a) => client.workflow.getHandle(a.action.workflow.workflowId).describe()));
        if (descs.every((d) => d.status.name === 'COMPLETED')) {
          runDates = descs.map((d) => d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate)!.toISOString().slice(0, 10)).sort();
          expect(descs.every((d) => d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.Pipeline) === 'daily')).toBe(true);
          expect(descs.every((d) => d.workflowId.startsWith('screen-2024-07-'))).toBe(true);
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(runDates).toEqual(['2024-07-05', '2024-07-08', '2024-07-09']);
  });
});
