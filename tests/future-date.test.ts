/**
 * Future run dates and the rollback of the paper book (issue 11, point 3).
 * A run date after the last completed NYSE session is refused before
 * anything is written: by the CLI (exit 2, before a workflow starts) and by
 * the workflows themselves (FutureRunDate, before any activity). A book that
 * was already booked ahead (as the drill's `run pipeline --date 2027-06-01`
 * did before this check) is undone by `quant portfolio rollback --to D --yes`
 * in one logged transaction; without --yes it only says what it would undo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { startTestWorker, testClient, testConfig, testDb, testEnv, stackEnv } from './helpers';
import { createPortfolioRepo, type ExecutionPlan } from '../src/adapters/postgres/portfolio-repo';
import type { MarkedPosition, PlannedOrder } from '../src/domain/rebalance-day';
import { addDays, formatIsoDate } from '../src/domain/dates';
import type { Db } from '../src/adapters/postgres/pool';

const repoRoot = join(__dirname, '..');
// Thirty days after today is after the last completed session whatever the clock says.
const FUTURE = addDays(formatIsoDate(new Date()), 30);

function quant(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(repoRoot, 'bin', 'quant'),
      args,
      {
        cwd: repoRoot,
        env: stackEnv(),
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db?.end();
});

const count = async (sql: string, params: unknown[] = []) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n;

describe('a run date after the last completed session', () => {
  it('is refused by the CLI with exit 2 before any workflow starts', async () => {
    for (const args of [
      ['run', 'pipeline', '--date', FUTURE],
      ['run', 'rebalance', '--date', FUTURE],
      ['run', 'ingest', '--date', FUTURE],
    ]) {
      const r = await quant(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`run date ${FUTURE} is after the last completed NYSE session`);
    }
    const client = await testClient();
    try {
      await expect(client.workflow.getHandle(`pipeline-${FUTURE}`).describe()).rejects.toThrow(/not found/i);
    } finally {
      await client.connection.close();
    }
  });

  it('is refused by the pipeline and rebalance workflows before anything is written', async () => {
    const config = testConfig();
    const worker = await startTestWorker(config);
    const client = await testClient();
    try {
      for (const workflow of ['pipeline', 'rebalance'] as const) {
        const run = client.workflow.execute(workflow, {
          taskQueue: config.temporal.taskQueue,
          workflowId: `${workflow}-future-${FUTURE}-${config.temporal.taskQueue}`,
          args: [{ date: FUTURE }],
        });
        const err = await run.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(WorkflowFailedError);
        const cause = (err as WorkflowFailedError).cause as { type?: string; nonRetryable?: boolean; message: string };
        expect(cause).toMatchObject({ type: 'FutureRunDate', nonRetryable: true });
        expect(cause.message).toContain(`run date ${FUTURE} is after the last completed NYSE session`);
      }
      await expect(client.workflow.getHandle(`ingest-${FUTURE}`).describe()).rejects.toThrow(/not found/i);
      expect(await count('market_data WHERE date >= $1::date', [FUTURE])).toBe(0);
      expect(await count('rebalancing_runs WHERE run_date >= $1::date', [FUTURE])).toBe(0);
      expect(await count('trades')).toBe(0);
    } finally {
      await client.connection.close();
      await worker.stop();
    }
  });
});

// Whole-share orders at round prices with a zero cost, so every figure below follows by hand.
const noCost = { commission: 0, spread: 0, exchangeFee: 0, marketImpact: 0, total: 0 };
const order = (symbol: string, side: 'buy' | 'sell', shares: number, price: number): PlannedOrder => ({
  symbol,
  side,
  shares,
  price,
  notional: shares * price,
  cost: { notional: shares * price, ...noCost },
  score: 50,
  expectedAlpha: 0,
  netAlpha: 0,
});
const held = (symbol: string, shares: number, avgCost: number, price: number, priceDate: string): MarkedPosition => ({
  symbol,
  shares,
  avgCost,
  lastPrice: price,
  lastPriceDate: priceDate,
  sector: 'Technology',
  price,
  priceDate,
  marketValue: shares * price,
  stale: false,
});

async function book(
  date: string,
  base: { date: string | null; shares: Record<string, number> },
  orders: PlannedOrder[],
  positions: MarkedPosition[],
  cash: number,
) {
  const repo = createPortfolioRepo(db);
  const positionsValue = positions.reduce((a, p) => a + p.marketValue, 0);
  await repo.upsertPlannedRun({
    runDate: date,
    outcome: 'traded',
    signalsUsed: 1,
    targetWeights: {},
    orders: orders.length,
    cashBefore: 0,
    cashAfter: cash,
    infeasible: false,
    infeasibleReason: null,
    flags: [],
    costs: 0,
    dividends: 0,
    targetWeightsKey: null,
    tradeOrdersKey: null,
    reportKey: null,
  });
  const plan: ExecutionPlan = {
    runDate: date,
    baseSnapshotDate: base.date,
    baseShares: base.shares,
    dividends: [],
    orders,
    positions,
    cash,
    positionsValue,
    totalValue: cash + positionsValue,
    costs: 0,
    dividendCash: 0,
  };
  return repo.executeRebalance(plan);
}

describe('quant portfolio rollback', () => {
  it('shows what it would undo without --yes, then undoes the book after the date in one logged transaction', async () => {
    const d1 = '2026-11-20';
    const d2 = '2026-11-24';
    await book(d1, { date: null, shares: {} }, [order('AAPL', 'buy', 10, 200)], [held('AAPL', 10, 200, 200, d1)], 23_000);
    await book(
      d2,
      { date: d1, shares: { AAPL: 10 } },
      [order('MSFT', 'buy', 5, 400)],
      [held('AAPL', 10, 200, 210, d2), held('MSFT', 5, 400, 400, d2)],
      21_000,
    );
    // What the drill left behind: a booking dated in the future.
    await book(
      FUTURE,
      { date: d2, shares: { AAPL: 10, MSFT: 5 } },
      [order('AAPL', 'sell', 10, 250)],
      [held('MSFT', 5, 400, 420, FUTURE)],
      23_500,
    );

    const dry = await quant(['portfolio', 'rollback', '--to', d1]);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain(
      `would undo 2 trades, 0 dividends, 2 snapshots and 2 rebalancing runs dated after ${d1} (${d2}, ${FUTURE}); positions restored from the snapshot of ${d1}`,
    );
    expect(dry.stderr).toContain('add --yes');
    expect(await count('trades')).toBe(3);
    expect(await count('portfolio_rollbacks')).toBe(0);

    const done = await quant(['portfolio', 'rollback', '--to', d1, '--yes']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('rolled back 2 trades');

    const repo = createPortfolioRepo(db);
    expect((await db.query<{ d: string }>("SELECT to_char(run_date, 'YYYY-MM-DD') AS d FROM trades")).rows).toEqual([{ d: d1 }]);
    expect((await repo.latestSnapshot())?.snapshotDate).toBe(d1);
    expect(await count('rebalancing_runs WHERE run_date > $1::date', [d1])).toBe(0);
    expect(await repo.getPositions()).toEqual([
      { symbol: 'AAPL', shares: 10, avgCost: 200, lastPrice: 200, lastPriceDate: d1, sector: 'Technology' },
    ]);
    const log = await db.query(
      "SELECT to_char(to_date, 'YYYY-MM-DD') AS to_date, to_char(restored_from, 'YYYY-MM-DD') AS restored_from, trades, snapshots, runs, removed_dates FROM portfolio_rollbacks",
    );
    expect(log.rows).toEqual([{ to_date: d1, restored_from: d1, trades: 2, snapshots: 2, runs: 2, removed_dates: [d2, FUTURE] }]);

    // The book is unlocked: the next real date books on top of d1.
    const next = await book(d2, { date: d1, shares: { AAPL: 10 } }, [], [held('AAPL', 10, 200, 205, d2)], 23_000);
    expect(next).toMatchObject({ alreadyExecuted: false, trades: 0 });
  });
});
