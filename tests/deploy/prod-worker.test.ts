/**
 * The production worker as the image runs it: `tsc` output plus the workflow
 * bundle made by `scripts/bundle-workflows.ts` (the image's `npm run build`),
 * started as `node dist/src/cli/main.js worker` with the cluster profile and
 * WORKFLOW_BUNDLE_PATH, against the test stack's Temporal dev server and
 * Postgres. It runs one fan-out, then its /metrics must show our metrics and
 * the SDK's, its logs must be JSON lines with run IDs and no secrets, and
 * SIGTERM must drain it cleanly. A worker with missing settings must exit
 * with one message naming every missing setting.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { freePortPair } from '../../src/stack/free-port';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { followOrchestrator, startOrchestrator } from '../../src/cli/fanout-client';
import { smallDataset, testClient, testConfig, testEnv, uniqueName } from '../helpers';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
// Inside the repo (.cache/ is git-ignored) so the compiled files find node_modules and sql/
// by walking up, as /app/dist does in the image.
const out = join(root, '.cache', 'prod-dist');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

async function waitFor(url: string, status: number, timeoutMs: number, proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`worker exited with ${proc.exitCode} before ${url} answered ${status}`);
    try {
      if ((await fetch(url)).status === status) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
}

function exited(proc: ChildProcess): Promise<number | null> {
  return proc.exitCode !== null ? Promise.resolve(proc.exitCode) : new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await run(bin('tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root });
  await run(bin('tsx'), [join(root, 'scripts', 'bundle-workflows.ts'), join(out, 'workflow-bundle.js')], { cwd: root });
}, 300_000);

describe('production worker from the prebuilt bundle', () => {
  const config = testConfig();
  let client: Client;
  let worker: ChildProcess;
  let metricsUrl: string;
  const stdout: string[] = [];
  const stderr: string[] = [];

  beforeAll(async () => {
    const e = testEnv();
    const port = await freePortPair();
    metricsUrl = `http://127.0.0.1:${port}`;
    expect(existsSync(join(out, 'workflow-bundle.js'))).toBe(true);
    worker = spawn(process.execPath, [join(out, 'src', 'cli', 'main.js'), 'worker'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        QUANT_PROFILE: 'cluster',
        QUANT_DATA_DIR: e.dataDir,
        TEMPORAL_ADDRESS: e.temporalAddress,
        TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
        DATABASE_URL: e.databaseUrl,
        WORKFLOW_BUNDLE_PATH: join(out, 'workflow-bundle.js'),
        METRICS_PORT: String(port),
        LOG_LEVEL: 'debug',
        WORKER_SHUTDOWN_GRACE_SECONDS: '5',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    worker.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      stdout.push(...lines.filter(Boolean));
    });
    worker.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    try {
      await waitFor(`${metricsUrl}/readyz`, 200, 120_000, worker);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nstderr:\n${stderr.join('')}\nstdout:\n${stdout.slice(-20).join('\n')}`);
    }
    client = await testClient();
  }, 180_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGKILL');
      await exited(worker);
    }
    await client?.connection.close();
  });

  it('serves health and (before any run) our metric names', async () => {
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(200);
    const body = await (await fetch(`${metricsUrl}/metrics`)).text();
    for (const name of [
      'quant_contracts_analyzed_total',
      'quant_workflow_runs_total',
      'quant_trades_total',
      'quant_data_quality_score',
      'quant_activity_duration_seconds',
    ]) {
      expect(body).toContain(`# TYPE ${name} `);
    }
  });

  it('runs a fan-out, then /metrics shows its runs, contracts, activity latency and the SDK metrics', async () => {
    const ds = await smallDataset(config, { contracts: 3, bars: 200, seed: 21 });
    const runKey = uniqueName('prod');
    const started = await startOrchestrator(client, config.temporal.taskQueue, {
      numContracts: 3,
      dataset: ds.dataset,
      runValidation: true,
      failContracts: [],
      runKey,
      maxConcurrentChildren: 3,
    });
    const result = await followOrchestrator(client, started.workflowId, () => undefined, 200);
    expect(result).toMatchObject({ total: 3, succeeded: 3, failed: 0 });

    const body = await (await fetch(`${metricsUrl}/metrics`)).text();
    expect(body).toMatch(/^quant_workflow_runs_total\{workflow="orchestrator",outcome="completed"\} 1$/m);
    expect(body).toMatch(/^quant_workflow_runs_total\{workflow="analyzeSymbol",outcome="completed"\} 3$/m);
    expect(body).toMatch(/^quant_workflow_runs_total\{workflow="validateData",outcome="completed"\} 1$/m);
    expect(body).toMatch(/^quant_contracts_analyzed_total 3$/m);
    expect(body).toMatch(/^quant_data_quality_score\{dataset="[^"]+"\} (0(\.\d+)?|1)$/m);
    expect(body).toMatch(/^quant_activity_duration_seconds_count\{activity="validateDataset"\} 1$/m);
    // The SDK runtime's own metrics, fetched from its loopback exporter and appended.
    expect(body).toMatch(/^temporal_workflow_task_schedule_to_start_latency\w*\{/m);
    expect(body).not.toContain('temporal sdk metrics unavailable');
  });

  it('logs JSON lines with workflow and run IDs and never the database password', () => {
    const records = stdout.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r).toMatchObject({ level: expect.any(String), msg: expect.any(String), time: expect.any(String) });
    expect(records.some((r) => typeof r.workflowId === 'string' && typeof r.runId === 'string' && typeof r.activity === 'string')).toBe(
      true,
    );
    const password = new URL(testEnv().databaseUrl).password;
    if (password) expect(stdout.join('\n')).not.toContain(password);
  });

  it('drains on SIGTERM and exits 0', async () => {
    worker.kill('SIGTERM');
    const code = await exited(worker);
    expect(code).toBe(0);
  }, 60_000);
});

describe('production worker with missing settings', () => {
  it('exits non-zero with one message naming every missing setting', async () => {
    const proc = spawn(process.execPath, [join(out, 'src', 'cli', 'main.js'), 'worker'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, QUANT_PROFILE: 'cluster', OBJECT_STORE: 's3' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await exited(proc);
    expect(code).not.toBe(0);
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'])
      expect(output).toContain(name);
  }, 60_000);
});
