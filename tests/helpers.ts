/**
 * Shared helpers for integration tests: the config and endpoints of the stack
 * the global setup started, a real worker on a per-file task queue (workflow
 * bundle built once), a client, unique names, and small synthetic datasets.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { recordHistory as recordFixture } from './histories';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config/load';
import type { Config } from '../src/config/schema';
import { buildWorker, type WorkerHandle } from '../src/worker/worker';
import { createObjectStore } from '../src/adapters/object-store';
import { createPool, type Db } from '../src/adapters/postgres/pool';
import { ingestHourlyDataset } from '../src/adapters/hourly-dataset/ingest';
import { waitFor } from '../src/stack/processes';

export function testEnv() {
  const need = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set: run integration tests through vitest (tests/global-setup.ts)`);
    return v;
  };
  return {
    dataDir: need('QUANT_TEST_DATA_DIR'),
    temporalAddress: need('QUANT_TEST_TEMPORAL_ADDRESS'),
    databaseUrl: need('QUANT_TEST_DATABASE_URL'),
    bundlePath: need('QUANT_TEST_WORKFLOW_BUNDLE'),
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Config for a test: the global stack, a task queue of its own, overrides as env-style settings. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const e = testEnv();
  return loadConfig({
    QUANT_DATA_DIR: e.dataDir,
    TEMPORAL_ADDRESS: e.temporalAddress,
    DATABASE_URL: e.databaseUrl,
    TEMPORAL_TASK_QUEUE: uniqueName('tq'),
    ...overrides,
  });
}

/**
 * The environment of a `quant` child process on the global test stack (data dir, Temporal, Postgres and the
 * prebuilt workflow bundle) over this process's own; callers add their task queue and ports.
 */
export function stackEnv(): NodeJS.ProcessEnv {
  const e = testEnv();
  return {
    ...process.env,
    QUANT_DATA_DIR: e.dataDir,
    TEMPORAL_ADDRESS: e.temporalAddress,
    DATABASE_URL: e.databaseUrl,
    WORKFLOW_BUNDLE_PATH: e.bundlePath,
  };
}

/**
 * A worker in a process of its own on the test stack, polling `taskQueue`.
 * `node --import tsx` keeps the worker in that one process, so a SIGKILL hits
 * the worker itself. `ready()` resolves once its health endpoint says it polls.
 */
export function spawnWorkerProcess(taskQueue: string, metricsPort: number, env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'cli', 'main.ts'), 'worker'], {
    cwd: join(__dirname, '..'),
    env: { ...stackEnv(), TEMPORAL_TASK_QUEUE: taskQueue, METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    proc,
    async ready(timeoutMs = 60_000): Promise<void> {
      await waitFor(`worker on :${metricsPort}`, async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok, timeoutMs);
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await exited;
    },
  };
}

/** A worker on the test stack; `databaseUrl` points it at another Postgres (a test's own server). */
export async function startTestWorker(
  config: Config,
  databaseUrl?: string,
): Promise<WorkerHandle & { running: Promise<void>; stop(): Promise<void> }> {
  const e = testEnv();
  const handle = await buildWorker({
    config,
    temporalAddress: e.temporalAddress,
    databaseUrl: databaseUrl ?? e.databaseUrl,
    workflowBundlePath: e.bundlePath,
    overrides: { shutdownGraceTime: '1s' },
  });
  const running = handle.worker.run();
  return {
    ...handle,
    running,
    async stop() {
      if (handle.worker.getState() === 'RUNNING') handle.worker.shutdown();
      await running.catch(() => undefined);
      await handle.close();
    },
  };
}

export async function testClient(): Promise<Client> {
  const connection = await Connection.connect({ address: testEnv().temporalAddress });
  return new Client({ connection });
}

export function testDb(): Db {
  return createPool(testEnv().databaseUrl, 4);
}

/** A small synthetic dataset in the test object store; same parameters -> reused. */
export async function smallDataset(config: Config, opts: { contracts: number; bars: number; seed?: number; name?: string }) {
  const store = createObjectStore(config);
  const name = opts.name ?? `syn-${opts.contracts}x${opts.bars}-${opts.seed ?? 7}`;
  const r = await ingestHourlyDataset(store, {
    dataset: name,
    provider: 'synthetic',
    seed: opts.seed ?? 7,
    contracts: opts.contracts,
    bars: opts.bars,
  });
  return { store, ...r };
}

/**
 * Save a finished run as the next replay fixture of its workflow type, when
 * QUANT_RECORD_HISTORIES asks for that type (tests/histories.ts); otherwise a no-op.
 */
export function recordHistory(workflowId: string, workflowType: string, runId?: string): string | undefined {
  return recordFixture(workflowId, workflowType, testEnv().temporalAddress, runId);
}

/**
 * The usual per-file fixture: a real worker on the file's own task queue, a
 * client and a Postgres pool, started before the tests and closed after.
 * Read the fields inside tests (they are set in beforeAll).
 */
export function useTestStack(config: Config) {
  const ctx = {} as { worker: Awaited<ReturnType<typeof startTestWorker>>; client: Client; db: Db };
  beforeAll(async () => {
    ctx.db = testDb();
    ctx.worker = await startTestWorker(config);
    ctx.client = await testClient();
  });
  afterAll(async () => {
    await ctx.worker?.stop();
    await ctx.client?.connection.close();
    await ctx.db?.end();
  });
  return ctx;
}

/**
 * `quant ...` as a user runs it (the real CLI entry in a child process),
 * against the global stack and `taskQueue`; async, so a worker the test runs
 * in this process keeps working meanwhile.
 */
export function runQuant(args: string[], taskQueue: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const repoRoot = join(__dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
    cwd: repoRoot,
    env: {
      ...stackEnv(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** One step a workflow ran, read from its history. */
export interface HistoryStep {
  /** The activity type (`loadContract`). */
  type: string;
  /** A local activity (a marker in the history) rather than an activity task. */
  local: boolean;
  /** It ended in a failure that the workflow saw (not retried further). */
  failed: boolean;
  /** The worker that ran it (`<pid>@<host>`): the activity task's poller, or for a local activity the worker that completed the workflow task recording it. */
  identity?: string;
  /** Activity tasks only: the heartbeat timeout it was scheduled with, in seconds. */
  heartbeatTimeoutSeconds?: number;
}

type HistoryEvent = NonNullable<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']>[number];

/**
 * The activity steps of a history, in the order they were scheduled: activity
 * tasks from their scheduled/started/failed events, local activities from
 * their `core_local_activity` markers (whose data names the activity type).
 *
 * @example
 *   historySteps(await handle.fetchHistory()).map((s) => s.type); // ['loadContract', 'analyzeContract', 'saveContractResult']
 */
export function historySteps(history: { events?: HistoryEvent[] | null }): HistoryStep[] {
  const steps: HistoryStep[] = [];
  const byScheduledId = new Map<string, HistoryStep>();
  let lastTaskIdentity: string | undefined;
  for (const e of history.events ?? []) {
    if (e.workflowTaskCompletedEventAttributes) lastTaskIdentity = e.workflowTaskCompletedEventAttributes.identity ?? undefined;
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const step: HistoryStep = {
        type: scheduled.activityType?.name ?? '',
        local: false,
        failed: false,
        heartbeatTimeoutSeconds: scheduled.heartbeatTimeout ? Number(scheduled.heartbeatTimeout.seconds ?? 0) : undefined,
      };
      byScheduledId.set(String(e.eventId), step);
      steps.push(step);
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const step = byScheduledId.get(String(started.scheduledEventId));
      if (step) step.identity = started.identity ?? undefined;
    }
    const failed = e.activityTaskFailedEventAttributes;
    if (failed) {
      const step = byScheduledId.get(String(failed.scheduledEventId));
      if (step) step.failed = true;
    }
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      // Bytes from the client; base64 in a history saved as JSON (tests/histories).
      const payload: Uint8Array | string | null | undefined = marker.details?.data?.payloads?.[0]?.data;
      const bytes = typeof payload === 'string' ? Buffer.from(payload, 'base64') : payload ? Buffer.from(payload) : undefined;
      const data = bytes ? (JSON.parse(bytes.toString('utf8')) as { activity_type?: string }) : {};
      steps.push({ type: data.activity_type ?? '', local: true, failed: marker.failure != null, identity: lastTaskIdentity });
    }
  }
  return steps;
}
