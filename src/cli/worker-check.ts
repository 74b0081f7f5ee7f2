/**
 * Is anyone going to run the workflow the CLI is about to start? A run with
 * no worker polling its task queue waits in silence forever (the demo's
 * in-process worker exits with the demo), so before starting one the CLI
 * asks the server which workers polled the queue lately (describeTaskQueue,
 * workflow tasks), says so once if none did and waits until one does - or,
 * with `--worker`, runs one in this process for the duration.
 */
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { Config } from '../config/schema';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildWorker } from '../worker/worker';

export interface Poller {
  identity: string;
  /** When the worker last polled (a live one polls at least every minute: a long poll lasts up to ~60 s). */
  lastAccessTime?: Date;
}

/**
 * The server keeps a poller in its list for minutes after the worker is
 * gone; a live worker re-polls within its long-poll timeout (about 60 s on
 * the server), so an older last access means the worker has stopped.
 */
export const LIVE_POLLER_MS = 75_000;

/** Every worker the server has seen polling `taskQueue` for workflow tasks, newest first. */
export async function listPollers(client: Client, taskQueue: string): Promise<Poller[]> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (res.pollers ?? [])
    .map((p) => {
      const ms = optionalTsToMs(p.lastAccessTime);
      return { identity: p.identity ?? '(unknown)', lastAccessTime: ms === undefined ? undefined : new Date(ms) };
    })
    .sort((a, b) => (b.lastAccessTime?.getTime() ?? 0) - (a.lastAccessTime?.getTime() ?? 0));
}

/** The pollers that polled within LIVE_POLLER_MS of `now`. */
export async function livePollers(client: Client, taskQueue: string, now = Date.now()): Promise<Poller[]> {
  return (await listPollers(client, taskQueue)).filter((p) => p.lastAccessTime && now - p.lastAccessTime.getTime() <= LIVE_POLLER_MS);
}

/** The message shown (once) while no worker polls. */
export function noWorkerMessage(taskQueue: string): string {
  return `no worker is polling task queue ${taskQueue}: start one with \`quant worker\` in another terminal (or pass --worker to run one in this process); waiting...`;
}

export interface WaitForWorkerOptions {
  /** Where the message goes (stderr). */
  log?: (line: string) => void;
  /** How often to ask again while waiting. */
  pollMs?: number;
  /** Stop waiting (e.g. Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * Resolve once a worker polls `taskQueue`; while none does, print the
 * message once and ask again every `pollMs`. Returns the worker found and
 * whether it had to wait.
 *
 * @example
 *   await waitForWorker(client, 'quant-workflows', { log: (s) => process.stderr.write(`${s}\n`) });
 */
export async function waitForWorker(
  client: Client,
  taskQueue: string,
  opts: WaitForWorkerOptions = {},
): Promise<{ poller: Poller; waited: boolean }> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const pollMs = opts.pollMs ?? 3000;
  let waited = false;
  for (;;) {
    opts.signal?.throwIfAborted();
    const [live] = await livePollers(client, taskQueue);
    if (live) {
      if (waited) log(`worker ${live.identity} is polling ${taskQueue}: starting`);
      return { poller: live, waited };
    }
    if (!waited) log(noWorkerMessage(taskQueue));
    waited = true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Keep an eye on the queue while a started run is awaited: the server lists
 * a stopped worker for a while (LIVE_POLLER_MS), so one that went away just
 * before the start (the demo's, say) is only noticed here. Says once that no
 * worker polls, and once that one does again.
 *
 * @example
 *   const watch = watchWorkers(client, 'quant-workflows', { log });
 *   try { await handle.result(); } finally { watch.stop(); }
 */
export function watchWorkers(client: Client, taskQueue: string, opts: WaitForWorkerOptions = {}): { stop(): void } {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const pollMs = opts.pollMs ?? 5000;
  let stopped = false;
  let warned = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    if (stopped) return;
    try {
      const [live] = await livePollers(client, taskQueue);
      if (stopped) return;
      if (!live && !warned) log(noWorkerMessage(taskQueue));
      if (live && warned) log(`worker ${live.identity} is polling ${taskQueue} again`);
      warned = !live;
    } catch {
      /* a failed look is no news; the run itself reports a lost server */
    }
    if (!stopped) timer = setTimeout(() => void check(), pollMs).unref();
  };
  timer = setTimeout(() => void check(), pollMs).unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * The `quant stack status` lines about workers: one per worker that polled
 * the queue lately, with its identity and last poll.
 *
 * @example
 *   await workerStatusLines(client, 'quant-workflows', Date.now())
 *   // ['workers      1 polling quant-workflows', '  12345@host  last poll 2026-12-01T10:00:00.000Z (3 s ago)']
 */
export async function workerStatusLines(client: Client, taskQueue: string, now = Date.now()): Promise<string[]> {
  const all = await listPollers(client, taskQueue);
  const live = all.filter((p) => p.lastAccessTime && now - p.lastAccessTime.getTime() <= LIVE_POLLER_MS);
  const lines = [
    `${'workers'.padEnd(12)} ${live.length} polling ${taskQueue}${live.length === 0 ? ' (start one with `quant worker`)' : ''}`,
  ];
  for (const p of live) {
    const ago = Math.round((now - p.lastAccessTime!.getTime()) / 1000);
    lines.push(`  ${p.identity}  last poll ${p.lastAccessTime!.toISOString()} (${ago} s ago)`);
  }
  const gone = all.length - live.length;
  if (gone > 0) lines.push(`  (${gone} more seen earlier, not polling now)`);
  return lines;
}

/** A worker run in this process for one command (`--worker`). */
export interface InProcessWorker {
  stop(): Promise<void>;
}

/**
 * Start a worker on the configured task queue in this process (as the demo
 * does) and keep it polling until `stop()`.
 *
 * @example
 *   const w = await startInProcessWorker(config, e.temporalAddress, e.databaseUrl);
 *   try { await runScreen(...); } finally { await w.stop(); }
 */
export async function startInProcessWorker(config: Config, temporalAddress: string, databaseUrl: string): Promise<InProcessWorker> {
  // The command prints its own story; the SDK's info lines (worker states) would bury it, as in the demo.
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* a runtime already exists in this process (a test, the demo): keep its logger */
  }
  const handle = await buildWorker({ config, temporalAddress, databaseUrl });
  const running = handle.worker.run();
  return {
    async stop() {
      if (handle.worker.getState() === 'RUNNING') handle.worker.shutdown();
      await running.catch(() => undefined);
      await handle.close();
    },
  };
}
