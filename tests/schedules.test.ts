/**
 * Temporal Schedules against the dev server: the shipped profiles parse,
 * bad entries are rejected by name, `apply` creates, then leaves unchanged,
 * then updates a changed entry, keeps a pause set by hand unless the file
 * says `paused`; pause/unpause; and a backfill starts one
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

describe('schedules', () => {
  it('ships a development profile without schedules and a production profile with WF1-WF6 at 06..11 UTC and the model pipeline', () => {
    expect(loadSchedulesFile(join(__dirname, '..', 'config', 'schedules.dev.yaml'))).toEqual([]);
    expect(prod.map((s) => [s.workflow, s.cron, s.overlap])).toEqual([
      ['ingest', '0 6 * * 1-5', 'Skip'],
      ['screen', '0 7 * * 1-5', 'Skip'],
      ['signal', '0 8 * * 1-5', 'Skip'],
      ['rebalance', '0 9 * * 1-5', 'Skip'],
      ['monitor', '0 10 * * 1-5', 'Skip'],
      ['backtest', '0 11 * * 1-5', 'Skip'],
      ['features', '0 7 * * 1-5', 'Skip'],
      ['models', '30 8 * * 1-5', 'Skip'],
      ['performance', '0 18 * * 1-5', 'Skip'],
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
    const entries: ScheduleEntry[] = prod.map((s) => ({ ...s, id: `${prefix}-${s.id}` }));
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

  it('a backfill starts one run per slot, each dated the previous weekday of its slot', async () => {
    const id = uniqueName('backfill-screen');
    created.push(id);
    const tq = config.temporal.taskQueue;
    await applySchedules(
      client,
      [{ id, workflow: 'screen', cron: '0 7 * * 1-5', overlap: 'Skip', catchupWindow: '1h', paused: true, input: {} }],
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
