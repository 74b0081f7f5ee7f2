/**
 * `npm run bench:fanout -- --contracts N [--bars B] [--window W] [--workers K] [--profile DIR]`:
 * the fan-out end to end on the embedded stack with K worker processes
 * (default 1) on one task queue, printing one JSON object: contracts, bars,
 * wall_s (orchestrator start to result), aggregate_s, worker_cpu_s (all
 * workers), temporal_server_cpu_s, worker_peak_rss_mb (the largest VmHWM of
 * any worker), per_worker (CPU, peak RSS and analyze activities of each),
 * largest_history (events and bytes of the largest history of any workflow
 * of the run: orchestrator, shards and children) and kernel_bars_per_s (the
 * analysis kernel alone over up to 418 of the same contracts).
 * Up to 418 contracts it uses the default dataset of the default data dir,
 * generated once and shared with the demo; above that (`--contracts 10000
 * --bars 2000`) a synthetic dataset of exactly that size, generated once
 * under its own name. The dataset is input, not work timed. Every run
 * analyses under a new run key, so its children, rows and result files are
 * new and a second run does the same work as the first. load_avg_1m/5m/15m
 * say how busy the machine was.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { temporalServerPid } from '../src/stack/temporal-server';
import { join, resolve } from 'node:path';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { waitFor } from '../src/stack/processes';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load';
import { stackUp } from '../src/stack/stack';
import { createPool } from '../src/adapters/postgres/pool';
import { migrate } from '../src/adapters/postgres/migrate';
import { createObjectStore } from '../src/adapters/object-store';
import { readContractSeries, readDatasetManifest } from '../src/adapters/hourly-dataset/store';
import { ingestHourlyDataset } from '../src/adapters/hourly-dataset/ingest';
import { analyzeSymbolBars } from '../src/domain/symbol-analysis';
import { connectClient, followOrchestrator, runAggregate, startOrchestrator } from '../src/cli/fanout-client';
import { loadAverage } from './support';
import type { Client } from '@temporalio/client';
import { workflowIds } from '../workflows/names';
import { HOURLY_UNIVERSE_SIZE } from '../src/adapters/hourly-dataset/universe';
import { DATASET_BARS } from '../src/domain/trading-calendar';

/** user + system CPU seconds of a process so far (/proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

type ActivityTimes = Record<string, { count: number; sum_s: number }>;

/** Count and total seconds per activity type, from one worker's latency histogram. */
async function activityTimes(metricsPort: number): Promise<ActivityTimes> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const out: ActivityTimes = {};
  for (const m of text.matchAll(/^quant_activity_duration_seconds_sum\{activity="([^"]+)"\} ([\d.e+-]+)$/gm)) {
    const count = Number(new RegExp(`^quant_activity_duration_seconds_count\\{activity="${m[1]}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    out[m[1]] = { count, sum_s: Number(m[2]) };
  }
  return out;
}

function mergeActivityTimes(all: ActivityTimes[]): Record<string, { count: number; mean_ms: number }> {
  const total: ActivityTimes = {};
  for (const times of all) {
    for (const [name, t] of Object.entries(times)) {
      const acc = (total[name] ??= { count: 0, sum_s: 0 });
      acc.count += t.count;
      acc.sum_s += t.sum_s;
    }
  }
  return Object.fromEntries(
    Object.entries(total).map(([name, t]) => [
      name,
      { count: t.count, mean_ms: Math.round((t.sum_s / Math.max(1, t.count)) * 10000) / 10 },
    ]),
  );
}

/**
 * The largest history of the run, in events and bytes, against Temporal's
 * limits (51,200 events, 50 MB): the orchestrator and its shards are
 * described one by one, the children are read from visibility (every
 * `analyzeSymbol` started since the run began; the bench's runs do not overlap).
 */
async function largestHistory(client: Client, orchestratorId: string, runKey: string, shards: number, since: Date) {
  const ids = [
    orchestratorId,
    ...Array.from({ length: shards }, (_, i) => workflowIds.subOrchestrator(runKey, String(i).padStart(3, '0'))),
  ];
  let largest = { workflow_id: '', events: 0, bytes: 0 };
  const consider = (id: string, events: number, bytes: number) => {
    if (bytes > largest.bytes || (bytes === largest.bytes && events > largest.events)) largest = { workflow_id: id, events, bytes };
  };
  for (const id of ids) {
    const d = await client.workflow.getHandle(id).describe();
    consider(id, d.historyLength, d.historySize ?? 0);
  }
  let children = 0;
  let maxChildEvents = 0;
  for await (const w of client.workflow.list({ query: `WorkflowType = 'analyzeSymbol' AND StartTime >= '${since.toISOString()}'` })) {
    if (!w.workflowId.endsWith(`-${runKey}`)) continue;
    children++;
    maxChildEvents = Math.max(maxChildEvents, w.historyLength);
    consider(w.workflowId, w.historyLength, w.historySize ?? 0);
  }
  return {
    ...largest,
    events_share_of_limit: Math.round((largest.events / 51_200) * 10000) / 10000,
    bytes_share_of_limit: Math.round((largest.bytes / (50 * 1024 * 1024)) * 10000) / 10000,
    children_listed: children,
    max_child_events: maxChildEvents,
  };
}

/**
 * A workflow left running on the queue (an interrupted bench, a demo) would
 * share the workers with the measured run and inflate every figure.
 */
async function refuseIfBusy(client: Client, taskQueue: string) {
  const running: string[] = [];
  for await (const w of client.workflow.list({ query: `ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'` }))
    running.push(w.workflowId);
  if (running.length > 0) {
    throw new Error(
      `${running.length} workflow(s) still running on task queue ${taskQueue} (${running.slice(0, 3).join(', ')}): ` +
        `they would share the workers with the bench. Let them finish or terminate them ` +
        `(temporal workflow terminate --query "ExecutionStatus='Running' AND TaskQueue='${taskQueue}'")`,
    );
  }
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      contracts: { type: 'string' },
      bars: { type: 'string' },
      window: { type: 'string' },
      workers: { type: 'string' },
      profile: { type: 'string' },
    },
    strict: true,
  });
  const contracts = Number(values.contracts ?? 10);
  const workerCount = Number(values.workers ?? 1);
  if (!Number.isInteger(workerCount) || workerCount < 1) throw new Error(`--workers must be a positive integer, got ${values.workers}`);
  const config = loadConfig();
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const e = await stackUp(config, log);
  const db = createPool(e.databaseUrl, 2);
  await migrate(db);
  await db.end();
  const store = createObjectStore(config);
  // More contracts than the universe has: a synthetic dataset of exactly that many (the generator names the extra ones).
  const beyondUniverse = contracts > HOURLY_UNIVERSE_SIZE;
  const dataset = beyondUniverse
    ? `bench-${contracts}c-${values.bars ?? DATASET_BARS}b`
    : values.bars
      ? `bench-${values.bars}`
      : config.fanout.defaultDataset;
  const ds = await ingestHourlyDataset(store, {
    dataset,
    provider: 'synthetic',
    seed: config.data.seed,
    bars: values.bars ? Number(values.bars) : undefined,
    contracts: beyondUniverse ? contracts : undefined,
  });
  log(`dataset ${dataset}: ${ds.contracts} x ${ds.bars} (${ds.skipped ? 'existing' : 'generated'})`);

  // Like production: the worker loads a prebuilt bundle, and timing starts once it reports ready.
  const bundle = await bundleWorkflows(join(resolve(config.dataDir), 'bench', 'workflow-bundle.js'));
  const metricsPort = Number(process.env.METRICS_PORT ?? 19564);
  // --profile DIR: a V8 CPU profile of the worker process (written when it exits), to see where a contract's time goes.
  const profileFlags = values.profile ? ['--cpu-prof', '--cpu-prof-dir', resolve(values.profile)] : [];
  // BENCH_WORKER_LOG_LEVEL=info shows the workers' logs (e.g. activity failures that a run retried past).
  const workerLogLevel = process.env.BENCH_WORKER_LOG_LEVEL;
  const workers = Array.from({ length: workerCount }, (_, i) => {
    // Each worker listens on METRICS_PORT and the next port (the SDK's own metrics), hence the step of 2.
    const port = metricsPort + 2 * i;
    const proc = spawn(process.execPath, [...profileFlags, '--import', 'tsx', join(__dirname, '..', 'src', 'cli', 'main.ts'), 'worker'], {
      env: { ...process.env, LOG_LEVEL: workerLogLevel ?? 'warn', METRICS_PORT: String(port), WORKFLOW_BUNDLE_PATH: bundle.path },
      // The worker logs JSON lines to stdout: shown (on stderr, beside the figures on stdout) only when asked for.
      stdio: ['ignore', workerLogLevel ? 2 : 'ignore', 'inherit'],
    });
    return { proc, port, peak: 0 };
  });
  const stopWorkers = () =>
    Promise.all(
      workers.map((w) => {
        if (w.proc.exitCode !== null) return undefined;
        w.proc.kill('SIGTERM');
        return new Promise((r) => w.proc.once('exit', r));
      }),
    );
  try {
    for (const w of workers)
      await waitFor(`bench worker :${w.port}`, async () => (await fetch(`http://127.0.0.1:${w.port}/readyz`)).ok, 60_000);
  } catch (err) {
    await stopWorkers();
    throw err;
  }
  const samplePeaks = () => {
    for (const w of workers) {
      try {
        w.peak = Math.max(w.peak, peakRssMb(w.proc.pid!));
      } catch {
        /* exited */
      }
    }
  };
  const sampler = setInterval(samplePeaks, 200);
  const client = await connectClient(e.temporalAddress, config.temporal.namespace);
  try {
    await refuseIfBusy(client, config.temporal.taskQueue);
    const runKey = `bench-${contracts}c-${ds.bars}b-${Date.now()}`;
    const serverPid = temporalServerPid(config.dataDir);
    const cpu0 = { workers: workers.map((w) => cpuSeconds(w.proc.pid)), server: cpuSeconds(serverPid) };
    const t0 = performance.now();
    const started = await startOrchestrator(client, config.temporal.taskQueue, {
      numContracts: contracts,
      dataset,
      runKey,
      runValidation: false,
      maxConcurrentChildren: values.window ? Number(values.window) : config.fanout.maxConcurrentChildren,
      // As `quant run orchestrator` does: FANOUT_MAX_CHILDREN_PER_PARENT sets the shard size.
      maxChildrenPerParent: config.fanout.maxChildrenPerParent,
    });
    const result = await followOrchestrator(client, started.workflowId);
    const wall = (performance.now() - t0) / 1000;
    const workerCpu = workers.map((w, i) => cpuSeconds(w.proc.pid) - cpu0.workers[i]);
    const serverCpu = cpuSeconds(serverPid) - cpu0.server;
    // Where the time went, from the workers' own activity-latency histograms.
    const perWorkerActivities = await Promise.all(workers.map((w) => activityTimes(w.port)));
    const activitySeconds = mergeActivityTimes(perWorkerActivities);
    const largest = await largestHistory(client, started.workflowId, runKey, result.shards, new Date(Date.now() - wall * 1000 - 60_000));
    const t1 = performance.now();
    await runAggregate(client, config.temporal.taskQueue, runKey);
    const aggregate = (performance.now() - t1) / 1000;
    samplePeaks();

    // The kernel alone, over the same contracts' series held in memory (at most the universe's 418, to bound memory).
    const names = (await readDatasetManifest(store, dataset)).contracts
      .slice(0, Math.min(contracts, HOURLY_UNIVERSE_SIZE))
      .map((c) => c.symbol);
    const series = [];
    for (const c of names) series.push(await readContractSeries(store, dataset, c));
    let bars = 0;
    const k0 = performance.now();
    let reps = 0;
    while (performance.now() - k0 < 2000) {
      for (const s of series) {
        analyzeSymbolBars({ price: s.price, spx: s.spx, vix: s.vix });
        bars += s.price.length;
      }
      reps++;
    }
    const kernelSeconds = (performance.now() - k0) / 1000;
    process.stdout.write(
      JSON.stringify({
        contracts,
        bars: ds.bars,
        succeeded: result.succeeded,
        failed: result.failed,
        wall_s: Math.round(wall * 100) / 100,
        aggregate_s: Math.round(aggregate * 100) / 100,
        workers: workerCount,
        worker_peak_rss_mb: Math.max(...workers.map((w) => w.peak)),
        kernel_bars_per_s: Math.round(bars / kernelSeconds),
        kernel_reps: reps,
        window: values.window ? Number(values.window) : config.fanout.maxConcurrentChildren,
        shards: result.shards,
        max_children_per_parent: config.fanout.maxChildrenPerParent,
        worker_cpu_s: round1(workerCpu.reduce((a, b) => a + b, 0)),
        temporal_server_cpu_s: round1(serverCpu),
        worker_cpu_ms_per_contract: Math.round((workerCpu.reduce((a, b) => a + b, 0) * 1000) / contracts),
        temporal_server_cpu_ms_per_contract: Math.round((serverCpu * 1000) / contracts),
        largest_history: largest,
        ...loadAverage(),
        per_worker: workers.map((w, i) => ({
          cpu_s: round1(workerCpu[i]),
          peak_rss_mb: w.peak,
          analyze_activities: perWorkerActivities[i].analyzeContract?.count ?? 0,
        })),
        activities: activitySeconds,
      }) + '\n',
    );
  } finally {
    clearInterval(sampler);
    await stopWorkers();
    await client.connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
