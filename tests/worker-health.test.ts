/**
 * Outages are visible (issue 11, point 12): `quant worker` checks Postgres
 * and the object store in the background; stopping either turns /readyz to
 * 503 and logs one warning within seconds, bringing it back logs a recovery
 * line and /readyz answers 200 again. Every line the process writes is JSON,
 * the Temporal SDK core's own lines included (forwarded through our logger).
 * Postgres is the test stack's real embedded server, stopped and started
 * again; the object store is a filesystem store whose bucket folder is
 * replaced by a file for the outage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv, uniqueName, stackEnv } from './helpers';
import { freePort } from '../src/stack/free-port';
import { startEmbeddedPostgres, stopEmbeddedPostgres } from '../src/stack/postgres';

const repoRoot = join(__dirname, '..');
let proc: ChildProcess;
let metricsUrl: string;
const lines: string[] = [];
const storeRoot = mkdtempSync(join(tmpdir(), 'quant-health-store-'));
const bucketDir = join(storeRoot, 'quant-data');

const records = () =>
  lines.map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      return { unparsed: l };
    }
  });

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last lines:\n${lines.slice(-15).join('\n')}`);
}

const readyz = async () => (await fetch(`${metricsUrl}/readyz`).catch(() => undefined))?.status;
const logged = (msg: string, dependency: string, after: number) =>
  records().find((r) => r.msg === msg && r.dependency === dependency && Date.parse(String(r.time)) >= after);

beforeAll(async () => {
  mkdirSync(bucketDir, { recursive: true });
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}`;
  proc = spawn(join(repoRoot, 'bin', 'quant'), ['worker'], {
    cwd: repoRoot,
    env: {
      ...stackEnv(),
      TEMPORAL_TASK_QUEUE: uniqueName('tq'),
      OBJECT_STORE_ROOT: storeRoot,
      METRICS_PORT: String(port),
      SDK_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  proc.stderr!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  await until('/readyz 200', async () => ((await readyz()) === 200 ? true : undefined), 120_000);
}, 180_000);

afterAll(async () => {
  if (proc && proc.exitCode === null) {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
  rmSync(storeRoot, { recursive: true, force: true });
});

describe('dependency outages of a running worker', () => {
  it('an object-store outage: /readyz 503 and a warning within seconds, then a recovery line', async () => {
    const t0 = Date.now();
    renameSync(bucketDir, `${bucketDir}.away`);
    writeFileSync(bucketDir, 'not a folder');
    const warned = await until('object store warning', () => logged('dependency unavailable', 'objectStore', t0));
    const warnSeconds = (Date.parse(String(warned.time)) - t0) / 1000;
    expect(warnSeconds).toBeLessThan(10);
    await until('/readyz 503', async () => ((await readyz()) === 503 ? true : undefined), 10_000);
    expect(await (await fetch(`${metricsUrl}/readyz`)).text()).toMatch(/not ready: objectStore down since/);

    const t1 = Date.now();
    rmSync(bucketDir);
    renameSync(`${bucketDir}.away`, bucketDir);
    const recovered = await until('object store recovery', () => logged('dependency recovered', 'objectStore', t1));
    expect(recovered.downSeconds).toBeGreaterThan(0);
    await until('/readyz 200', async () => ((await readyz()) === 200 ? true : undefined), 10_000);
    process.stderr.write(
      `[worker-health] object store: warning ${warnSeconds.toFixed(1)} s after the outage began, recovery ${((Date.parse(String(recovered.time)) - t1) / 1000).toFixed(1)} s after it ended\n`,
    );
  });

  it('a Postgres outage: /readyz 503 and a warning within seconds, then a recovery line', async () => {
    const e = testEnv();
    const port = Number(new URL(e.databaseUrl).port);
    const t0 = Date.now();
    await stopEmbeddedPostgres(e.dataDir);
    try {
      const warned = await until('postgres warning', () => logged('dependency unavailable', 'postgres', t0));
      const warnSeconds = (Date.parse(String(warned.time)) - t0) / 1000;
      expect(warnSeconds).toBeLessThan(10);
      await until('/readyz 503', async () => ((await readyz()) === 503 ? true : undefined), 10_000);
      process.stderr.write(`[worker-health] postgres: warning ${warnSeconds.toFixed(1)} s after the stop began\n`);
    } finally {
      await startEmbeddedPostgres({ dataDir: e.dataDir, port });
    }
    const t1 = Date.now();
    await until('postgres recovery', () => logged('dependency recovered', 'postgres', t0));
    await until('/readyz 200', async () => ((await readyz()) === 200 ? true : undefined), 10_000);
    process.stderr.write(`[worker-health] postgres: ready again ${((Date.now() - t1) / 1000).toFixed(1)} s after the restart\n`);
  });

  it('writes only JSON lines, the SDK core lines among them', () => {
    const bad = records().filter((r) => 'unparsed' in r);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(records().some((r) => r.sdkComponent === 'core')).toBe(true);
  });
});
