/**
 * `pipelineRange` (`quant run pipeline --from D1 --to D2`) on the real stack:
 * - Thu 2022-06-30 .. Wed 2022-07-06 holds four NYSE trading days (the
 *   weekend and Independence Day, Mon 07-04, are not: the calendar in
 *   src/domain/trading-calendar.ts); each runs once, in that order, as a
 *   `pipeline-<date>` child, with a continue-as-new after two dates
 *   (datesPerRun 2), and WF4 books one snapshot per date;
 * - the same range again runs nothing: every date is skipped, the children's
 *   runs and the snapshots are the ones from the first time;
 * - a date found running elsewhere is waited for, not skipped or run twice;
 * - a range killed partway resumes when started again;
 * - a failed date stops the range, naming the date and the failing step,
 *   and the dates after it are not started;
 * - from > to is refused non-retryably (by the workflow and by the CLI).
 * market_data is seeded from the synthetic provider first, as the two-year
 * test does, so WF2 has its 252-day history without a long WF1 lookback.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { type ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { recordHistory, testConfig, testEnv, useTestStack, stackEnv } from './helpers';
import { seedMarketData } from './daily-fixtures';
import { addDays, formatIsoDate } from '../src/domain/dates';
import { runPipelineRange } from '../src/cli/commands/pipeline';
import { dailyStartOptions } from '../src/cli/commands/daily-start';
import { SEARCH_ATTRIBUTES, workflowIds } from '../workflows/names';

const config = testConfig({ MARKET_DATA_PROVIDER: 'synthetic' });
const stack = useTestStack(config);
const FROM = '2022-06-30';
const TO = '2022-07-06';
// Independent of the code under test: the 2022 NYSE holiday list (Independence Day observed Mon 07-04) and a wall calendar.
const DAYS = ['2022-06-30', '2022-07-01', '2022-07-05', '2022-07-06'];
const STEPS = ['ingest', 'screen', 'signal', 'rebalance', 'monitor', 'backtest'] as const;

beforeAll(async () => {
  await seedMarketData(stack.db, { from: '2021-01-01', to: TO });
});

/** The run ID of the latest run of every child of every date. */
async function childRuns(): Promise<Record<string, string>> {
  const ids = DAYS.flatMap((d) => [workflowIds.pipeline(d), ...STEPS.map((s) => workflowIds[s](d))]);
  const descs = await Promise.all(ids.map((id) => stack.client.workflow.getHandle(id).describe()));
  return Object.fromEntries(descs.map((d) => [d.workflowId, d.runId]));
}

const snapshots = async () =>
  (
    await stack.db.query<{ d: string; at: string }>(
      `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, created_at::text AS at FROM portfolio_snapshots WHERE snapshot_date BETWEEN $1 AND $2 ORDER BY 1`,
      [FROM, TO],
    )
  ).rows;

function quant(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = join(__dirname, '..');
  return new Promise((resolve) => {
    execFile(
      join(root, 'bin', 'quant'),
      args,
      {
        cwd: root,
        env: { ...stackEnv(), ...env },
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('pipelineRange', () => {
  it('runs each trading day once, in order, continuing as new every two dates', async () => {
    const id = workflowIds.pipelineRange(FROM, TO);
    const handle = await stack.client.workflow.start('pipelineRange', {
      ...dailyStartOptions(config.temporal.taskQueue, id, TO, `range ${FROM} .. ${TO}`),
      args: [{ from: FROM, to: TO, datesPerRun: 2 }],
    });
    const r = await handle.result();
    expect(r).toEqual({ from: FROM, to: TO, tradingDays: 4, lastDate: '2022-07-06', ran: 4, skipped: 0, noTradingData: 0, runs: 1 });

    // The chain: the first run did two dates and continued as new at the third.
    const first = await stack.client.workflow.getHandle(id, handle.firstExecutionRunId).fetchHistory();
    const last = first.events!.at(-1)!;
    expect(last.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const carried = JSON.parse(
      Buffer.from(last.workflowExecutionContinuedAsNewEventAttributes!.input!.payloads![0].data!).toString('utf8'),
    );
    expect(carried.resume).toEqual({ next: '2022-07-05', ran: 2, skipped: 0, noTradingData: 0, runs: 1 });
    const started = (h: typeof first) =>
      h
        .events!.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)
        .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId);
    expect(started(first)).toEqual([workflowIds.pipeline(DAYS[0]), workflowIds.pipeline(DAYS[1])]);
    const second = await stack.client.workflow.getHandle(id).fetchHistory();
    expect(started(second)).toEqual([workflowIds.pipeline(DAYS[2]), workflowIds.pipeline(DAYS[3])]);

    // Each date ran once, as a child of the range, tagged with its own date, each after the one before closed.
    const descs = await Promise.all(DAYS.map((d) => stack.client.workflow.getHandle(workflowIds.pipeline(d)).describe()));
    for (const [i, d] of descs.entries()) {
      expect(d.status.name).toBe('COMPLETED');
      expect(d.parentExecution?.workflowId).toBe(id);
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate)?.toISOString()).toBe(`${DAYS[i]}T00:00:00.000Z`);
      if (i > 0) expect(d.startTime.getTime()).toBeGreaterThanOrEqual(descs[i - 1].closeTime!.getTime());
      // Visibility is written a moment after a run closes: poll.
      await expect
        .poll(async () => (await stack.client.workflow.count(`WorkflowId = '${d.workflowId}'`)).count, { timeout: 10_000 })
        .toBe(1);
    }
    expect((await snapshots()).map((s) => s.d)).toEqual(DAYS);
  });

  it('does no second work when the same range runs again', async () => {
    const before = { runs: await childRuns(), snaps: await snapshots() };
    // Through the command a user types, on this file's worker.
    const cli = await quant(['run', 'pipeline', '--from', FROM, '--to', TO, '--dates-per-run', '2', '-o', 'json'], {
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const r = JSON.parse(cli.stdout);
    expect(r).toMatchObject({ tradingDays: 4, ran: 0, skipped: 4, runs: 1 });
    expect(await childRuns()).toEqual(before.runs);
    expect(await snapshots()).toEqual(before.snaps);
  });

  it('waits for a date running elsewhere, counts it as run, then goes on', async () => {
    const tq = config.temporal.taskQueue;
    // As if `quant run pipeline --date 2022-07-07` were running in another terminal when the range reaches that date.
    const outside = await stack.client.workflow.start('pipeline', {
      ...dailyStartOptions(tq, workflowIds.pipeline('2022-07-07'), '2022-07-07', 'started by hand'),
      args: [{ date: '2022-07-07' }],
    });
    const id = workflowIds.pipelineRange('2022-07-07', '2022-07-11');
    const handle = await stack.client.workflow.start('pipelineRange', {
      ...dailyStartOptions(tq, id, '2022-07-11', 'range'),
      args: [{ from: '2022-07-07', to: '2022-07-11', datesPerRun: 2 }],
    });
    // Thu 07-07, Fri 07-08, Mon 07-11: the one started outside was waited for (ran, not skipped).
    expect(await handle.result()).toMatchObject({ tradingDays: 3, ran: 3, skipped: 0, runs: 1 });
    const [d7, d8] = await Promise.all(
      ['2022-07-07', '2022-07-08'].map((d) => stack.client.workflow.getHandle(workflowIds.pipeline(d)).describe()),
    );
    expect(d7.runId).toBe(outside.firstExecutionRunId);
    expect(d7.parentExecution).toBeUndefined();
    expect(d8.parentExecution?.workflowId).toBe(id);
    expect(d8.startTime.getTime()).toBeGreaterThanOrEqual(d7.closeTime!.getTime());
    const booked = await stack.db.query<{ d: string }>(
      `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d FROM portfolio_snapshots WHERE snapshot_date BETWEEN '2022-07-07' AND '2022-07-11' ORDER BY 1`,
    );
    expect(booked.rows.map((x) => x.d)).toEqual(['2022-07-07', '2022-07-08', '2022-07-11']);

    // Representative history for tests/replay.test.ts (only when QUANT_RECORD_HISTORIES names pipelineRange): the
    // first run holds a date found running (awaitWorkflowRun), a date run as a child, and the continue-as-new.
    recordHistory(id, 'pipelineRange', handle.firstExecutionRunId);
  });

  it('resumes after the range was killed: completed dates are skipped, the interrupted one runs again', async () => {
    const [from, to] = ['2022-07-12', '2022-07-14'];
    const id = workflowIds.pipelineRange(from, to);
    const first = await stack.client.workflow.start('pipelineRange', {
      ...dailyStartOptions(config.temporal.taskQueue, id, to, 'range'),
      args: [{ from, to }],
    });
    const day1 = stack.client.workflow.getHandle(workflowIds.pipeline(from));
    await expect
      .poll(async () => (await day1.describe().catch(() => undefined))?.status.name, { timeout: 120_000, interval: 200 })
      .toBe('COMPLETED');
    const day1Run = (await day1.describe()).runId;
    await first.terminate('killed in a test');

    const r = await runPipelineRange(stack.client, config.temporal.taskQueue, { from, to });
    expect(r.tradingDays).toBe(3);
    expect(r.skipped).toBeGreaterThanOrEqual(1);
    expect(r.ran + r.skipped).toBe(3);
    expect((await day1.describe()).runId).toBe(day1Run);
    for (const d of ['2022-07-13', '2022-07-14'])
      expect((await stack.client.workflow.getHandle(workflowIds.pipeline(d)).describe()).status.name).toBe('COMPLETED');
    const booked = await stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM portfolio_snapshots WHERE snapshot_date BETWEEN $1 AND $2`,
      [from, to],
    );
    expect(booked.rows[0].n).toBe(3);
  });

  it('stops at a failed date, naming it and the step, and starts nothing after it', async () => {
    // WF4 books in date order: 2022-06-28 comes after the book's 2022-07-06 snapshot, so its rebalance fails.
    const err = await runPipelineRange(stack.client, config.temporal.taskQueue, { from: '2022-06-28', to: '2022-06-29' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('PipelineDateFailed');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toContain('daily pipeline for 2022-06-28 failed in rebalance-2022-06-28');
    expect(cause.message).toContain('rebalances are booked in date order');
    await expect(stack.client.workflow.getHandle(workflowIds.pipeline('2022-06-29')).describe()).rejects.toThrow(/not found/i);
  });

  it('refuses from > to non-retryably, in the workflow and in the CLI', async () => {
    const err = await stack.client.workflow
      .execute('pipelineRange', {
        ...dailyStartOptions(config.temporal.taskQueue, workflowIds.pipelineRange(TO, FROM), FROM, 'bad range'),
        args: [{ from: TO, to: FROM }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidInput');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toBe('invalid pipelineRange input: from: must not be after `to`');

    const cli = await quant(['run', 'pipeline', '--from', TO, '--to', FROM]);
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stderr).toContain('--from (from): must not be after `to`');
    const both = await quant(['run', 'pipeline', '--date', FROM, '--from', FROM, '--to', TO]);
    expect(both.code, both.stderr).toBe(2);
    expect(both.stderr).toMatch(/option '--date <YYYY-MM-DD>' cannot be used with option '--from/);
  });

  it('refuses a `to` after the last completed session before any date runs', async () => {
    const future = addDays(formatIsoDate(new Date()), 30);
    const err = await stack.client.workflow
      .execute('pipelineRange', {
        ...dailyStartOptions(config.temporal.taskQueue, workflowIds.pipelineRange(FROM, future), FROM, 'future range'),
        args: [{ from: FROM, to: future }],
      })
      .catch((e: unknown) => e);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('FutureRunDate');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toContain(`to: run date ${future} is after the last completed NYSE session`);
    const history = await stack.client.workflow.getHandle(workflowIds.pipelineRange(FROM, future)).fetchHistory();
    expect(history.events!.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
  });
});
