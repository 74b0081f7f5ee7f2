/**
 * `npm run bench:fanout -- --contracts N [--bars B] [--window W] [--profile DIR]`: the
 * fan-out end to end on the embedded stack with one worker process, printing
 * one JSON object: contracts, bars, wall_s (orchestrator start to result),
 * aggregate_s, worker_peak_rss_mb (VmHWM of the worker process) and
 * kernel_bars_per_s (the analysis kernel alone over the same contracts).
 * Uses the default data dir, so the full dataset is generated once and shared
 * with the demo; the dataset is input, not work timed. Every run analyses
 * under a new run key, so its children, rows and result files are new and a
 * second run does the same work as the first. load_avg_1m/5m/15m say how busy
 * the machine was.
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

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { contracts: { type: 'string' }, bars: { type: 'string' }, window: { type: 'string' }, profile: { type: 'string' } },
    strict: true,
  });
  const contracts = Number(values.contracts ?? 10);
  const config = loadConfig();
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const e = await stackUp(config, log);
  const db = createPool(e.databaseUrl, 2);
  await migrate(db);
  await db.end();
  const store = createObjectStore(config);
  const dataset = values.bars ? `bench-${values.bars}` : config.fanout.defaultDataset;
  const ds = await ingestHourlyDataset(store, {
    dataset,
    provider: 'synthetic',
    seed: config.data.seed,
    bars: values.bars ? Number(values.bars) : undefined,
  });
  log(`dataset ${dataset}: ${ds.contracts} x ${ds.bars} (${ds.skipped ? 'existing' : 'generated'})`);

  // Like production: the worker loads a prebuilt bundle, and timing starts once it reports ready.
  const bundle = await bundleWorkflows(join(resolve(config.dataDir), 'bench', 'workflow-bundle.js'));
  const metricsPort = Number(process.env.METRICS_PORT ?? 19564);
  // --profile DIR: a V8 CPU profile of the worker process (written when it exits), to see where a contract's time goes.
  const profileFlags = values.profile ? ['--cpu-prof', '--cpu-prof-dir', resolve(values.profile)] : [];
  const worker = spawn(process.execPath, [...profileFlags, '--import', 'tsx', join(__dirname, '..', 'src', 'cli', 'main.ts'), 'worker'], {
    env: { ...process.env, LOG_LEVEL: 'warn', METRICS_PORT: String(metricsPort), WORKFLOW_BUNDLE_PATH: bundle.path },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor('bench worker', async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok, 60_000);
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, peakRssMb(worker.pid!));
    } catch {
      /* exited */
    }
  }, 200);
  const client = await connectClient(e.temporalAddress, config.temporal.namespace);
  try {
    const runKey = `bench-${contracts}c-${ds.bars}b-${Date.now()}`;
    const serverPid = temporalServerPid(config.dataDir);
    const cpu0 = { worker: cpuSeconds(worker.pid), server: cpuSeconds(serverPid) };
    const t0 = performance.now();
    const started = await startOrchestrator(client, config.temporal.taskQueue, {
      numContracts: contracts,
      dataset,
      runKey,
      runValidation: false,
      maxConcurrentChildren: values.window ? Number(values.window) : config.fanout.maxConcurrentChildren,
    });
    const result = await followOrchestrator(client, started.workflowId);
    const wall = (performance.now() - t0) / 1000;
    const cpu = { worker: cpuSeconds(worker.pid) - cpu0.worker, server: cpuSeconds(serverPid) - cpu0.server };
    // Where the time went, from the worker's own activity-latency histogram.
    const metricsText = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const activitySeconds: Record<string, { count: number; mean_ms: number }> = {};
    for (const m of metricsText.matchAll(/^quant_activity_duration_seconds_sum\{activity="([^"]+)"\} ([\d.e+-]+)$/gm)) {
      const count = Number(
        new RegExp(`^quant_activity_duration_seconds_count\\{activity="${m[1]}"\\} (\\d+)$`, 'm').exec(metricsText)?.[1] ?? 0,
      );
      activitySeconds[m[1]] = { count, mean_ms: Math.round((Number(m[2]) / Math.max(1, count)) * 10000) / 10 };
    }
    const t1 = performance.now();
    await runAggregate(client, config.temporal.taskQueue, runKey);
    const aggregate = (performance.now() - t1) / 1000;
    peak = Math.max(peak, peakRssMb(worker.pid!));

    // The kernel alone, over the same contracts' series held in memory.
    const names = (await readDatasetManifest(store, dataset)).contracts.slice(0, contracts).map((c) => c.symbol);
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
        worker_peak_rss_mb: peak,
        kernel_bars_per_s: Math.round(bars / kernelSeconds),
        kernel_reps: reps,
        window: values.window ? Number(values.window) : config.fanout.maxConcurrentChildren,
        worker_cpu_s: Math.round(cpu.worker * 10) / 10,
        temporal_server_cpu_s: Math.round(cpu.server * 10) / 10,
        ...loadAverage(),
        activities: activitySeconds,
      }) + '\n',
    );
  } finally {
    clearInterval(sampler);
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await client.connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
