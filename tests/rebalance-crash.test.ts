/**
 * Exactly once across a crash: a real worker process is SIGKILLed while
 * `executePaperTrades` holds its transaction open between "orders generated"
 * (trades inserted) and "snapshot taken" (paused there by the
 * `beforeRebalanceCommit` hook that only this test's worker process injects,
 * tests/rebalance-crash-worker.ts); a new worker finishes the run and exactly
 * one set of trades and one snapshot exist, which a manual re-run does not
 * touch. Nothing is lost: what was committed survives the restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { testClient, testConfig, testDb, testEnv, stackEnv } from './helpers';
import { seedMarketData } from './daily-fixtures';
import { createPortfolioRepo } from '../src/adapters/postgres/portfolio-repo';
import { runScreen, runSignal } from '../src/cli/commands/pipeline';
import { runRebalance } from '../src/cli/commands/portfolio';
import { workflowIds } from '../workflows/names';
import type { Db } from '../src/adapters/postgres/pool';

const repoRoot = join(__dirname, '..');
const D = '2024-05-15';
let client: Client;
let db: Db;

beforeAll(async () => {
  client = await testClient();
  db = testDb();
  await db.query('TRUNCATE rebalancing_runs, positions, trades, dividends, portfolio_snapshots');
  await seedMarketData(db, { from: '2023-01-03', to: D });
});
afterAll(async () => {
  await client?.connection.close();
  await db?.end();
});

/** The production worker in its own process, with the pause hook injected (a process, so SIGKILL drops its open transaction). */
function spawnWorker(taskQueue: string, pauseFile: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests', 'rebalance-crash-worker.ts'), pauseFile], {
    cwd: repoRoot,
    env: {
      ...stackEnv(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('rebalance exactly once across a worker crash', () => {
  it('SIGKILL between orders generated and snapshot taken: a new worker finishes, one set of trades', async () => {
    const config = testConfig();
    const tq = config.temporal.taskQueue;
    const pause = join(testEnv().dataDir, `rebalance-pause-${tq}`);
    rmSync(`${pause}.reached`, { force: true });
    let worker = spawnWorker(tq, pause);
    try {
      await runScreen(client, tq, { date: D });
      await runSignal(client, tq, { date: D });
      writeFileSync(pause, 'hold');
      const pending = runRebalance(client, tq, { date: D });
      pending.catch(() => undefined);
      await waitFor(() => existsSync(`${pause}.reached`), 120_000);
      // The trades are inserted but not committed: kill the worker with its transaction open.
      worker.kill('SIGKILL');
      await new Promise((r) => worker.once('exit', r));
      const repo = createPortfolioRepo(db);
      await waitFor(
        async () =>
          (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'`)).rows[0].n === 0,
        30_000,
      );
      expect(await repo.getTrades(D)).toEqual([]);
      expect(await repo.getSnapshot(D)).toBeNull();
      expect((await repo.getRun(D))?.status).toBe('planned');

      rmSync(pause);
      worker = spawnWorker(tq, pause);
      const r = await pending;
      expect(r.status).toBe('executed');
      expect(r.trades).toBeGreaterThan(0);
      const trades = await db.query('SELECT symbol, side, count(*)::int AS n FROM trades WHERE run_date = $1::date GROUP BY symbol, side', [
        D,
      ]);
      expect(trades.rowCount).toBe(r.trades);
      expect(trades.rows.every((x) => x.n === 1)).toBe(true);
      const snaps = await db.query('SELECT count(*)::int AS n FROM portfolio_snapshots WHERE snapshot_date = $1::date', [D]);
      expect(snaps.rows[0].n).toBe(1);
      const positions = await repo.getPositions();
      expect(positions).toHaveLength(r.trades);
      const snap = (await repo.getSnapshot(D))!;
      expect(snap.totalValue).toBeCloseTo(snap.cash + positions.reduce((a, p) => a + p.shares * p.lastPrice, 0), 8);
      // The killed attempt is in the history, and a retry did the booking.
      const hist = await client.workflow.getHandle(workflowIds.rebalance(D)).fetchHistory();
      const failedAttempts = (hist.events ?? []).filter(
        (e) => e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) > 1,
      );
      expect(failedAttempts.length).toBeGreaterThanOrEqual(1);

      // A manual re-run of the date trades nothing.
      const again = await runRebalance(client, tq, { date: D });
      expect(again.status).toBe('already_executed');
      expect((await db.query('SELECT count(*)::int AS n FROM trades WHERE run_date = $1::date', [D])).rows[0].n).toBe(r.trades);
    } finally {
      rmSync(pause, { force: true });
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
  });
});
