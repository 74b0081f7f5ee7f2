/**
 * The CLI's run commands on the real dev server: with no worker polling, a
 * run says so once and waits, and proceeds when a worker starts; `--worker`
 * runs one in-process; `stack status` lists the worker polling; a run that
 * fails for a domain reason prints the cause and the failed step (exit 1)
 * instead of a stack; and a run tagged with `RunDay` is found by an
 * equality query (where Datetime equality on the dev server finds nothing).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { smallDataset, startTestWorker, testClient, testConfig, testEnv, uniqueName, stackEnv } from './helpers';
import { runWorkflowCommand } from '../src/cli/with-client';
import { noWorkerMessage, watchWorkers, workerStatusLines } from '../src/cli/worker-check';
import { runScreen } from '../src/cli/commands/pipeline';
import { schedulesCommands } from '../src/cli/commands/schedules';
import { workflowIds } from '../workflows/names';
import { freePort } from '../src/stack/free-port';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ScreenResult } from '../workflows/screen';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clients: Client[] = [];
const stops: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const stop of stops) await stop();
  for (const c of clients) await c.connection.close();
});

async function client(): Promise<Client> {
  const c = await testClient();
  clients.push(c);
  return c;
}

/** Run IDs are per date; a date with no bars keeps each screen quick (no_trading_data). */
const NO_BARS_DATE = '2024-07-05';

describe('a run with no worker polling', () => {
  it('says so once, waits without starting, and proceeds when a worker starts', async () => {
    // A task queue of its own, so no other test's worker polls it.
    const config = testConfig({ TEMPORAL_TASK_QUEUE: uniqueName('tq-noworker') });
    const tq = config.temporal.taskQueue;
    const lines: string[] = [];
    const workflowId = `${workflowIds.screen(NO_BARS_DATE)}-${uniqueName('w')}`;
    let result: ScreenResult | undefined;
    const run = runWorkflowCommand(
      config,
      { workflowId, workflowType: 'screen', log: (l) => lines.push(l), workerPollMs: 200 },
      async (c) => {
        result = await c.workflow.execute('screen', { taskQueue: tq, workflowId, args: [{ date: NO_BARS_DATE }] });
      },
    );
    await sleep(2_000);
    expect(lines).toEqual([noWorkerMessage(tq)]);
    expect(lines[0]).toMatch(new RegExp(`^no worker is polling task queue ${tq}: start one with \`quant worker\` in another terminal`));
    // Still waiting: nothing was started.
    const c = await client();
    await expect(c.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    const worker = await startTestWorker(config);
    stops.push(() => worker.stop());
    expect(await run).toBeUndefined();
    expect(result?.date).toBe(NO_BARS_DATE);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^worker .+ is polling .+: starting$/);

    // `quant stack status` lists it.
    const status = await workerStatusLines(c, tq);
    expect(status[0]).toMatch(new RegExp(`^workers +1 polling ${tq}$`));
    expect(status[1]).toMatch(/^ {2}\S+ {2}last poll \d{4}-\d\d-\d\dT.* \(\d+ s ago\)$/);
  });

  it('while a run is awaited, a queue without a live worker is said once, and a worker coming back too', async () => {
    const config = testConfig({ TEMPORAL_TASK_QUEUE: uniqueName('tq-watch') });
    const c = await client();
    const lines: string[] = [];
    const watch = watchWorkers(c, config.temporal.taskQueue, { log: (l) => lines.push(l), pollMs: 200 });
    try {
      await sleep(1_500);
      expect(lines).toEqual([noWorkerMessage(config.temporal.taskQueue)]);
      const worker = await startTestWorker(config);
      stops.push(() => worker.stop());
      for (let i = 0; i < 50 && lines.length < 2; i++) await sleep(200);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^worker .+ is polling .+ again$/);
    } finally {
      watch.stop();
    }
  });

  it('--worker runs one in this process for the duration', async () => {
    const config = testConfig({ TEMPORAL_TASK_QUEUE: uniqueName('tq-inproc'), WORKFLOW_BUNDLE_PATH: testEnv().bundlePath });
    const lines: string[] = [];
    const workflowId = `${workflowIds.screen(NO_BARS_DATE)}-${uniqueName('w')}`;
    const code = await runWorkflowCommand(
      config,
      { workflowId, workflowType: 'screen', inProcessWorker: true, log: (l) => lines.push(l) },
      async (c) => {
        await c.workflow.execute('screen', { taskQueue: config.temporal.taskQueue, workflowId, args: [{ date: NO_BARS_DATE }] });
      },
    );
    expect(code).toBeUndefined();
    expect(lines).toEqual([]);
    const c = await client();
    expect((await c.workflow.getHandle(workflowId).describe()).status.name).toBe('COMPLETED');
  });
});

describe('a failed run', () => {
  it('prints the root cause and the failed step, not a stack, and exits 1', async () => {
    const config = testConfig();
    const worker = await startTestWorker(config);
    stops.push(() => worker.stop());
    const ds = await smallDataset(config, { contracts: 2, bars: 50 });
    const runKey = uniqueName('run');
    const workflowId = workflowIds.analyzeSymbol('NOPE', runKey);
    const lines: string[] = [];
    const code = await runWorkflowCommand(config, { workflowId, workflowType: 'analyzeSymbol', log: (l) => lines.push(l) }, async (c) => {
      await c.workflow.execute('analyzeSymbol', {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        args: [{ runKey, contract: 'NOPE', dataset: ds.dataset, outputPrefix: 'fanout' }],
      });
    });
    expect(code).toBe(1);
    const text = lines.join('\n');
    expect(text).toContain(`quant: run ${workflowId} failed`);
    expect(text).toMatch(/ {2}cause: .*NOPE.*\(UnknownContract, not retryable\)/);
    expect(text).toContain('  step:  activity loadContract');
    expect(text).not.toMatch(/WorkflowFailedError|\n\s+at /);
  });
});

/** `bin/quant` against the test stack, on `taskQueue`; resolves with its exit code and output. */
function quant(argv: string[], env: Record<string, string>, onStderr?: (text: string) => void) {
  const proc = spawn(join(__dirname, '..', 'bin', 'quant'), argv, {
    cwd: join(__dirname, '..'),
    env: {
      ...stackEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    onStderr?.(stderr);
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((r) =>
    proc.on('exit', (code) => r({ code, stdout, stderr })),
  );
}

describe('quant run (the command line)', () => {
  it('waits with one message while no worker polls, then runs when one starts', async () => {
    const config = testConfig({ TEMPORAL_TASK_QUEUE: uniqueName('tq-cli') });
    const tq = config.temporal.taskQueue;
    let sawMessage!: () => void;
    const messaged = new Promise<void>((r) => (sawMessage = r));
    const done = quant(['run', 'screen', '--date', NO_BARS_DATE, '-o', 'json'], { TEMPORAL_TASK_QUEUE: tq }, (text) => {
      if (text.includes('no worker is polling')) sawMessage();
    });
    await messaged;
    const worker = await startTestWorker(config);
    stops.push(() => worker.stop());
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stderr.match(/no worker is polling task queue/g)).toHaveLength(1);
    expect(r.stderr).toContain(`no worker is polling task queue ${tq}: start one with \`quant worker\` in another terminal`);
    // The result JSON is stdout's alone.
    expect(JSON.parse(r.stdout)).toMatchObject({ date: NO_BARS_DATE });
    // `quant stack status` lists the worker polling, with its last poll.
    const status = await quant(['stack', 'status'], { TEMPORAL_TASK_QUEUE: tq });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^workers +1 polling ${tq}\n {2}\\S+ {2}last poll \\d{4}-.*s ago\\)$`, 'm'));
  });

  it('a failed run prints its cause and step and exits 1', async () => {
    const config = testConfig();
    const worker = await startTestWorker(config);
    stops.push(() => worker.stop());
    const ds = await smallDataset(config, { contracts: 2, bars: 50 });
    const r = await quant(['run', 'analyze-symbol', '--contract', 'NOPE', '--dataset', ds.dataset], {
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /quant: run analyze-NOPE-reprocess-\d{8} failed\n {2}cause: .*NOPE.*\(UnknownContract, not retryable\)\n {2}step: {2}activity loadContract/,
    );
    expect(r.stderr).not.toMatch(/WorkflowFailedError|\n\s+at /);
  });
});

describe('quant worker with its metrics port taken', () => {
  it('names the setting to change and exits 2 without a stack', async () => {
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(port, r));
    try {
      const proc = spawn(join(__dirname, '..', 'bin', 'quant'), ['worker'], {
        cwd: join(__dirname, '..'),
        env: {
          ...stackEnv(),
          TEMPORAL_TASK_QUEUE: uniqueName('tq'),
          METRICS_PORT: String(port),
          SDK_METRICS_PORT: String(await freePort()),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((r) => proc.on('exit', r));
      expect(code).toBe(2);
      expect(stderr).toMatch(
        new RegExp(`METRICS_PORT: cannot listen on [0-9.:]+:${port} \\(EADDRINUSE: another process uses it; choose a free port\\)`),
      );
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});

describe('a schedule not found', () => {
  it('is named, with the command that lists schedules (exit 1, no stack)', async () => {
    const config = testConfig();
    const id = uniqueName('no-such-schedule');
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    try {
      expect(await schedulesCommands.pause(id, {}, config)).toBe(1);
      expect(await schedulesCommands.trigger(id, config)).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toBe(
      `quant: schedule "${id}" not found in namespace default; see the schedules there with: quant schedules list\n`.repeat(2),
    );
  });
});

describe('RunDay', () => {
  it('a run tagged with RunDay is found by an equality query', async () => {
    const config = testConfig();
    const worker = await startTestWorker(config);
    stops.push(() => worker.stop());
    const c = await client();
    // The CLI's own start path (dailyStartOptions) and the workflow's tagRun both set it.
    const r = await runScreen(c, config.temporal.taskQueue, { date: NO_BARS_DATE });
    expect(r.date).toBe(NO_BARS_DATE);
    const query = `RunDay = '${NO_BARS_DATE}' AND TaskQueue = '${config.temporal.taskQueue}'`;
    let ids: string[] = [];
    // Visibility catches up asynchronously.
    for (let i = 0; i < 40 && ids.length === 0; i++) {
      ids = [];
      for await (const w of c.workflow.list({ query })) ids.push(w.workflowId);
      if (ids.length === 0) await sleep(250);
    }
    expect(ids).toEqual([workflowIds.screen(NO_BARS_DATE)]);
    const none: string[] = [];
    for await (const w of c.workflow.list({ query: `RunDay = '2024-07-04' AND TaskQueue = '${config.temporal.taskQueue}'` }))
      none.push(w.workflowId);
    expect(none).toEqual([]);
  });
});
