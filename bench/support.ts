/**
 * What every benchmark shares, so each figure means the same on every run:
 * the machine's load average printed beside the figures (a busy shared
 * machine is the first suspect for a slow figure), and a fresh stack in a
 * fresh data folder (Temporal dev server, embedded Postgres and objects on
 * free ports, removed afterwards), so a second run repeats the work of the
 * first instead of finding it already done; and a worker on that stack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { connectClient } from '../src/cli/fanout-client';
import { buildWorker } from '../src/worker/worker';
import { loadConfig } from '../src/config/load';
import type { Config } from '../src/config/schema';
import { freePort, freePortPair } from '../src/stack/free-port';
import { stackDown, stackUp, type StackEndpoints } from '../src/stack/stack';
import { createPool } from '../src/adapters/postgres/pool';
import { migrate } from '../src/adapters/postgres/migrate';
import type { QuantMetrics } from '../src/adapters/metrics';

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The 1, 5 and 15 minute load averages (runnable processes, /proc/loadavg),
 * rounded to hundredths; compare with the number of cores.
 *
 * @example
 *   JSON.stringify({ wall_s: 1.2, ...loadAverage() }) // {"wall_s":1.2,"load_avg_1m":0.8,"load_avg_5m":...}
 */
export function loadAverage(): { load_avg_1m: number; load_avg_5m: number; load_avg_15m: number } {
  const [one, five, fifteen] = loadavg();
  return { load_avg_1m: r2(one), load_avg_5m: r2(five), load_avg_15m: r2(fifteen) };
}

export interface FreshStack {
  config: Config;
  /** The settings that point a spawned process (a worker) at this stack. */
  env: Record<string, string>;
  endpoints: StackEndpoints;
  dataDir: string;
  /** Stop the stack and delete its data folder. */
  close(): Promise<void>;
}

/**
 * A new embedded stack in a new temporary data folder on free ports, with the
 * schema migrated. Nothing of an earlier run (rows, objects, closed workflow
 * IDs) is there, so what the benchmark times is the full work every time.
 *
 * @example
 *   const s = await freshStack('pipeline', { TEMPORAL_TASK_QUEUE: 'bench-pipeline' });
 *   try { ... } finally { await s.close(); }
 */
export async function freshStack(
  name: string,
  settings: Record<string, string> = {},
  log: (m: string) => void = () => undefined,
): Promise<FreshStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `quant-bench-${name}-`));
  const env: Record<string, string> = {
    ...settings,
    QUANT_DATA_DIR: dataDir,
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    METRICS_PORT: String(await freePortPair()),
  };
  // A fresh stack is embedded: an external Temporal, database or object store would carry an earlier run's state.
  const inherited = { ...process.env };
  for (const k of ['QUANT_PROFILE', 'TEMPORAL_ADDRESS', 'DATABASE_URL', 'OBJECT_STORE', 'OBJECT_STORE_ROOT']) delete inherited[k];
  const config = loadConfig({ ...inherited, ...env });
  const close = async () => {
    await stackDown(config).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const endpoints = await stackUp(config, log);
    const db = createPool(endpoints.databaseUrl, 2);
    try {
      await migrate(db);
    } finally {
      await db.end();
    }
    return { config, env, endpoints, dataDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface BenchWorker {
  /** A client of the stack's Temporal; workflows started on `config.temporal.taskQueue` run on the worker. */
  client: Client;
  /** Stop the worker (letting running tasks finish) and close the client. */
  close(): Promise<void>;
}

/**
 * A worker in this process on the stack's task queue, from a prebuilt
 * workflow bundle (as in production), and a client to start workflows.
 *
 * @example
 *   const w = await startBenchWorker(stack);
 *   try { await runPipeline(w.client, stack.config.temporal.taskQueue, { date }); } finally { await w.close(); }
 */
export async function startBenchWorker(
  stack: Pick<FreshStack, 'config' | 'endpoints' | 'dataDir'>,
  metrics?: QuantMetrics,
): Promise<BenchWorker> {
  const { config, endpoints: e } = stack;
  const bundle = await bundleWorkflows(join(stack.dataDir, 'bench', 'workflow-bundle.js'));
  const w = await buildWorker({
    config,
    temporalAddress: e.temporalAddress,
    databaseUrl: e.databaseUrl,
    workflowBundlePath: bundle.path,
    ...(metrics ? { metrics } : {}),
  });
  const running = w.worker.run();
  const client = await connectClient(e.temporalAddress, config.temporal.namespace);
  return {
    client,
    async close() {
      w.worker.shutdown();
      await running.catch(() => undefined);
      await w.close();
      await client.connection.close();
    },
  };
}
