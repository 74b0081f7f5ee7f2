/**
 * SIGTERM of `quant worker` (bin/quant, as a user or Kubernetes runs it) in
 * the middle of a fan-out: the worker is one process (no wrapper that kills
 * it early), it stops polling, lets its running activities finish and exits
 * 0 within WORKER_SHUTDOWN_GRACE_SECONDS. Drained means no activity was
 * abandoned: after a new worker finishes the run, no child history holds an
 * activity timeout (an abandoned attempt can only end by timing out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { smallDataset, startTestWorker, testClient, testConfig, testDb, testEnv, uniqueName, stackEnv } from './helpers';
import { followOrchestrator, startOrchestrator } from '../src/cli/fanout-client';
import type { Db } from '../src/adapters/postgres/pool';
import type { FanoutProgress } from '../workflows/fanout-window';
import { workflowIds } from '../workflows/names';
import { freePort } from '../src/stack/free-port';

const repoRoot = join(__dirname, '..');
const GRACE_SECONDS = 20;
let client: Client;
let db: Db;

beforeAll(async () => {
  client = await testClient();
  db = testDb();
});
afterAll(async () => {
  await client?.connection.close();
  await db?.end();
});

/** Command names of the processes whose parent is `pid` (Linux /proc). */
function childCommands(pid: number): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The comm field may hold spaces and parentheses: ppid is the 2nd field after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(readFileSync(`/proc/${entry}/comm`, 'utf8').trim());
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function spawnQuantWorker(taskQueue: string, metricsPort: number, sdkMetricsPort: number): { proc: ChildProcess; lines: string[] } {
  const proc = spawn(join(repoRoot, 'bin', 'quant'), ['worker'], {
    cwd: repoRoot,
    env: {
      ...stackEnv(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      METRICS_PORT: String(metricsPort),
      SDK_METRICS_PORT: String(sdkMetricsPort),
      WORKER_MAX_CONCURRENT_ACTIVITIES: '8',
      WORKER_SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  proc.stderr!.on('data', (chunk: Buffer) => lines.push(`stderr: ${chunk.toString()}`));
  return { proc, lines };
}

const findLine = (lines: string[], msg: string) =>
  lines
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    })
    .find((r) => r?.msg === msg);

describe('SIGTERM of quant worker under load', () => {
  it('is one process, drains its running activities and exits 0 within the grace period', async () => {
    const config = testConfig();
    const contracts = 24;
    const ds = await smallDataset(config, { contracts, bars: 200_000, seed: 17 });
    const runKey = uniqueName('sigterm');
    const metricsPort = await freePort();
    const { proc, lines } = spawnQuantWorker(config.temporal.taskQueue, metricsPort, await freePort());
    const exit = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
      proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    const started = await startOrchestrator(client, config.temporal.taskQueue, {
      numContracts: contracts,
      dataset: ds.dataset,
      runKey,
      maxConcurrentChildren: 8,
      runValidation: false,
    });
    const handle = client.workflow.getHandle(started.workflowId);
    const deadline = Date.now() + 240_000;
    let p: FanoutProgress = { total: 0, completed: 0, failed: 0, running: 0 };
    while (Date.now() < deadline && p.completed < 4) {
      p = await handle.query<FanoutProgress>('progress').catch(() => p);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(p.completed).toBeGreaterThanOrEqual(4);
    expect(p.completed).toBeLessThan(contracts);
    // One process: bin/quant execs node, which runs the worker itself (tsx's esbuild
    // transform service may be a helper child; a second node process may not).
    expect(readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0')).toContain('worker');
    expect(childCommands(proc.pid!).filter((c) => c.startsWith('node') || c === 'tsx')).toEqual([]);

    // Under load: signal while the worker says activities are running (its own gauge, read at scrape time).
    const busy = async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text().catch(() => '');
      const m = /^quant_worker_activities_in_flight (\d+)/m.exec(text);
      return m !== null && Number(m[1]) > 0;
    };
    const busyDeadline = Date.now() + 60_000;
    while (Date.now() < busyDeadline && !(await busy())) await new Promise((r) => setTimeout(r, 20));
    const signalledAt = Date.now();
    proc.kill('SIGTERM');
    const { code, signal, at } = await exit;
    const seconds = (at - signalledAt) / 1000;
    expect({ code, signal }, lines.slice(-10).join('\n')).toEqual({ code: 0, signal: null });
    expect(seconds).toBeLessThan(GRACE_SECONDS);
    const draining = findLine(lines, 'worker draining');
    expect(draining).toMatchObject({ signal: 'SIGTERM', graceSeconds: GRACE_SECONDS });
    expect(draining?.activitiesInFlight).toBeGreaterThan(0);
    expect(findLine(lines, 'worker drained')).toBeDefined();
    process.stderr.write(
      `[worker-shutdown] drained ${String(draining?.activitiesInFlight)} in-flight activities, exited ${seconds.toFixed(2)} s after SIGTERM\n`,
    );

    const next = await startTestWorker(config);
    try {
      const result = await followOrchestrator(client, started.workflowId, () => undefined, 200);
      expect(result).toMatchObject({ total: contracts, succeeded: contracts, failed: 0 });
    } finally {
      await next.stop();
    }
    const rows = await db.query<{ contract: string }>('SELECT contract FROM fanout_results WHERE run_key = $1', [runKey]);
    expect(rows.rowCount).toBe(contracts);
    const timedOut: string[] = [];
    for (const { contract } of rows.rows) {
      const history = await client.workflow.getHandle(workflowIds.analyzeSymbol(contract, runKey)).fetchHistory();
      if ((history.events ?? []).some((e) => e.activityTaskTimedOutEventAttributes)) timedOut.push(contract);
    }
    expect(timedOut).toEqual([]);
  });
});
