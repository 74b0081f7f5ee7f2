/**
 * `npm run bench:drills -- [--contracts 60] [--bars 3000] [--window 4] [--outage 20] [--fault-at 0.8]`:
 * the outage drills of issue 11, each against a fan-out run in the middle of
 * its work, on a throwaway embedded stack (own data dir, free ports) with
 * one real worker process. Prints one JSON object with, per drill, the time
 * from the end of the fault to the end of the run and the run's counts:
 *
 * - baseline: the same run without a fault (its wall time is what the
 *   others compare to);
 * - worker_sigkill: SIGKILL of the worker, a new worker started at once
 *   (`restart_to_finish_s`: the issue asks for < 20 s);
 * - postgres_sigkill: SIGKILL of Postgres, restarted `--outage` s later;
 * - object_store_outage: the fs bucket replaced by a file for `--outage` s.
 *
 * A drill passes when every contract succeeded; the figures are wall times
 * on whatever machine runs it (state the machine when quoting them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../src/config/load';
import { stackDown, stackUp } from '../src/stack/stack';
import { freePort, freePortPair } from '../src/stack/free-port';
import { waitFor } from '../src/stack/processes';
import { createPool } from '../src/adapters/postgres/pool';
import { migrate } from '../src/adapters/postgres/migrate';
import { createObjectStore } from '../src/adapters/object-store';
import { loadAverage } from './support';
import { embeddedPostgresPid, startEmbeddedPostgres } from '../src/stack/postgres';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { ingestHourlyDataset } from '../src/adapters/hourly-dataset/ingest';
import { connectClient, followOrchestrator, startOrchestrator } from '../src/cli/fanout-client';
import type { FanoutProgress } from '../workflows/fanout-window';

const log = (m: string) => process.stderr.write(`[drills] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => Math.round(ms / 100) / 10;

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      contracts: { type: 'string' },
      bars: { type: 'string' },
      window: { type: 'string' },
      outage: { type: 'string' },
      'fault-at': { type: 'string' },
    },
    strict: true,
  });
  const contracts = Number(values.contracts ?? 60);
  const bars = Number(values.bars ?? 3000);
  const window = Number(values.window ?? 4);
  const outageMs = Number(values.outage ?? 20) * 1000;
  // The fault hits when this share of the contracts is done, so what remains after it is mostly recovery, not work.
  const faultAt = Number(values['fault-at'] ?? 0.8);
  const dataDir = mkdtempSync(join(tmpdir(), 'quant-drills-'));
  const env: Record<string, string> = {
    QUANT_DATA_DIR: dataDir,
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    TEMPORAL_TASK_QUEUE: 'drills',
  };
  const config = loadConfig({ ...process.env, ...env });
  const workers: ChildProcess[] = [];
  let client: Client | undefined;
  try {
    const e = await stackUp(config, log);
    const db = createPool(e.databaseUrl, 2);
    await migrate(db);
    await db.end();
    const store = createObjectStore(config);
    const bundle = await bundleWorkflows(join(dataDir, 'workflow-bundle.js'));
    client = await connectClient(e.temporalAddress, config.temporal.namespace);

    const startWorker = async (): Promise<ChildProcess> => {
      const metricsPort = await freePortPair();
      // node --import tsx: one process, so SIGKILL hits the worker itself.
      const w = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'cli', 'main.ts'), 'worker'], {
        env: {
          ...process.env,
          ...env,
          LOG_LEVEL: 'error',
          METRICS_PORT: String(metricsPort),
          WORKFLOW_BUNDLE_PATH: bundle.path,
          WORKER_MAX_CONCURRENT_ACTIVITIES: '8',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      workers.push(w);
      await waitFor('drill worker', async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok, 60_000);
      return w;
    };
    const kill = async (w: ChildProcess) => {
      if (w.exitCode !== null || w.signalCode !== null) return;
      const exited = new Promise((r) => w.once('exit', r));
      w.kill('SIGKILL');
      await exited;
    };

    /** Start a run, wait until a tenth of it is done, apply the fault, and time the run from the fault's end. */
    const drill = async (name: string, fault: (() => Promise<void>) | null) => {
      const ds = await ingestHourlyDataset(store, {
        dataset: `drills-${contracts}x${bars}`,
        provider: 'synthetic',
        seed: 11,
        contracts,
        bars,
      });
      const runKey = `drill-${name.replace(/_/g, '-')}-${Date.now()}`;
      const started = await startOrchestrator(client!, config.temporal.taskQueue, {
        numContracts: contracts,
        dataset: ds.dataset,
        runKey,
        maxConcurrentChildren: window,
      });
      const handle = client!.workflow.getHandle(started.workflowId);
      const t0 = performance.now();
      let p: FanoutProgress = { total: 0, completed: 0, failed: 0, running: 0 };
      while (fault && p.completed < Math.max(2, Math.floor(contracts * faultAt))) {
        if (performance.now() - t0 > 300_000) throw new Error(`${name}: the run made no progress`);
        p = await handle.query<FanoutProgress>('progress').catch(() => p);
        await sleep(100);
      }
      const atFault = p.completed;
      if (fault) log(`${name}: fault at ${atFault}/${contracts} contracts`);
      await fault?.();
      const faultEnded = performance.now();
      // How long the run stalled: from the end of the fault to the next contract completed.
      let firstProgressMs = NaN;
      const watch = (async () => {
        while (fault) {
          const q = await handle.query<FanoutProgress>('progress').catch(() => p);
          if (q.completed > atFault || q.completed + q.failed >= contracts) {
            firstProgressMs = performance.now() - faultEnded;
            return;
          }
          await sleep(200);
        }
      })();
      const result = await followOrchestrator(client!, started.workflowId);
      const finished = performance.now();
      await watch.catch(() => undefined);
      // A run that ended between two polls made its first progress by its end at the latest.
      if (fault && !(firstProgressMs <= finished - faultEnded)) firstProgressMs = finished - faultEnded;
      return {
        completed_at_fault: atFault,
        fault_end_to_first_completion_s: seconds(firstProgressMs),
        fault_end_to_finish_s: seconds(finished - faultEnded),
        run_wall_s: seconds(finished - t0),
        status: result.status,
        succeeded: result.succeeded,
        failed: result.failed,
      };
    };

    let worker = await startWorker();
    // The same run without a fault: what the drills' wall times compare to.
    const baseline = await drill('baseline', null);
    const workerSigkill = await drill('worker_sigkill', async () => {
      await kill(worker);
      worker = await startWorker();
    });
    const postgresSigkill = await drill('postgres_sigkill', async () => {
      process.kill(embeddedPostgresPid(dataDir)!, 'SIGKILL');
      await sleep(outageMs);
      for (let attempt = 1; ; attempt++) {
        try {
          await startEmbeddedPostgres({ dataDir, port: config.postgres.embeddedPort });
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
          await sleep(2000);
        }
      }
    });
    const bucket = join(dataDir, 'objects', config.objectStore.bucket);
    const objectStoreOutage = await drill('object_store_outage', async () => {
      renameSync(bucket, `${bucket}.away`);
      writeFileSync(bucket, 'the object store is down');
      await sleep(outageMs);
      rmSync(bucket);
      renameSync(`${bucket}.away`, bucket);
    });
    const report = {
      contracts,
      bars,
      window,
      outage_s: outageMs / 1000,
      fault_at_share: faultAt,
      baseline_wall_s: baseline.run_wall_s,
      retry_outage_window_s: config.worker.retryOutageWindowSeconds,
      drills: {
        worker_sigkill: {
          ...workerSigkill,
          restart_to_finish_s: workerSigkill.fault_end_to_finish_s,
          added_to_baseline_s: seconds((workerSigkill.run_wall_s - baseline.run_wall_s) * 1000),
        },
        postgres_sigkill: postgresSigkill,
        object_store_outage: objectStoreOutage,
      },
    };
    process.stdout.write(`${JSON.stringify({ ...report, ...loadAverage() }, null, 2)}\n`);
  } finally {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await client?.connection.close().catch(() => undefined);
    await stackDown(config).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
