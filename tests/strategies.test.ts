/**
 * The intraday strategies on the real stack (Temporal dev server, embedded
 * Postgres, the filesystem object store, a real worker), on the seeded
 * synthetic intraday market of 2025-03-14 (a Friday) and the strategies
 * `sql/014_strategy_kinds.sql` registers:
 *
 * - a replayed day is deterministic: two replays into two books store the
 *   same signals and orders (the digest of the stored rows), and a re-run of
 *   one replay places nothing new;
 * - a worker SIGKILLed mid-replay duplicates no order: another worker
 *   resumes the day at the cycle it was in, and no strategy has two orders
 *   for one symbol in one cycle;
 * - a pair whose second leg the venue refuses leaves no open leg (leg 1 is
 *   flattened, the report says so);
 * - a critical risk violation halts the next cycles' orders;
 * - `quant run strategies --at` prints one cycle's signals, decisions and
 *   orders, and runs one activity per strategy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { WorkflowFailedError, type ApplicationFailure, type Client } from '@temporalio/client';
import { historySteps, recordHistory, runQuant, stackEnv, testClient, testConfig, testDb, testEnv, uniqueName } from './helpers';
import { BrokerError } from '../src/adapters/broker/types';
import type { PaperBroker } from '../src/adapters/broker/paper';
import type { Db } from '../src/adapters/postgres/pool';
import { buildWorker } from '../src/worker/worker';
import type { Config } from '../src/config/schema';
import { endOfDay, portfolioRisk, strategySignals, tradingDay } from '../workflows';
import { workflowIds } from '../workflows/names';

const DATE = '2025-03-14';
const repoRoot = join(__dirname, '..');
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

async function withWorker<T>(config: Config, fn: () => Promise<T>, wrapDeskBroker?: (b: PaperBroker) => PaperBroker): Promise<T> {
  const e = testEnv();
  const handle = await buildWorker({
    config,
    temporalAddress: e.temporalAddress,
    databaseUrl: e.databaseUrl,
    workflowBundlePath: e.bundlePath,
    overrides: { shutdownGraceTime: '1s' },
    ...(wrapDeskBroker ? { wrapDeskBroker } : {}),
  });
  const running = handle.worker.run();
  try {
    return await fn();
  } finally {
    handle.worker.shutdown();
    await running.catch(() => undefined);
    await handle.close();
  }
}

async function replay(config: Config, tag: string, strategies?: string[]) {
  const workflowId = uniqueName(workflowIds.tradingDay(DATE, tag));
  const result = await client.workflow.execute(tradingDay, {
    taskQueue: config.temporal.taskQueue,
    workflowId,
    args: [{ date: DATE, tag, ...(strategies ? { strategies } : {}) }],
  });
  return { ...result, workflowId };
}

const ordersOf = async (book: string) =>
  (await db.query(`SELECT count(*)::int AS n FROM trading_orders WHERE broker = $1`, [book])).rows[0].n as number;

describe('a replayed trading day', () => {
  it('stores the same signals and orders twice, and a re-run places nothing new', async () => {
    const config = testConfig();
    await withWorker(config, async () => {
      const a = await replay(config, 'det-a');
      const b = await replay(config, 'det-b');
      // 78 five-minute bars from 09:30; a cycle at each close inside the session: 09:35 .. 15:55.
      expect(a.replay.cycles).toBe(77);
      expect(a.replay.signals).toBeGreaterThan(0);
      expect(a.replay.executed).toBeGreaterThan(0);
      expect(a.replay.riskChecks).toBe(6); // 10:00 .. 15:00
      expect(b.replay.digest).toBe(a.replay.digest);
      expect(b.replay.executed).toBe(a.replay.executed);
      expect(await ordersOf(a.replay.book)).toBe(await ordersOf(b.replay.book));
      expect(a.endOfDay.day?.strategies.length).toBeGreaterThan(0);
      // The day's orders are counted by the replayed instant of their signals, not by when the replay wrote them.
      expect(a.endOfDay.day!.strategies.reduce((n, x) => n + x.orders, 0)).toBe(await ordersOf(a.replay.book));

      const before = await ordersOf(a.replay.book);
      const again = await replay(config, 'det-a');
      expect(again.replay.digest).toBe(a.replay.digest);
      expect(await ordersOf(a.replay.book)).toBe(before);
      recordHistory(again.workflowId, 'tradingDay');
    });
  });
});

describe('a worker killed mid-replay', () => {
  it('duplicates no order: another worker resumes the day from the cycle it was in', async () => {
    const config = testConfig();
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'worker'], {
      cwd: repoRoot,
      env: { ...stackEnv(), TEMPORAL_TASK_QUEUE: config.temporal.taskQueue, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const workflowId = uniqueName(workflowIds.tradingDay(DATE, 'crash'));
    const handle = await client.workflow.start(tradingDay, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [{ date: DATE, tag: 'crash' }],
    });
    const book = `replay:${DATE}:crash`;
    // Kill it once the day is well under way (orders placed, cycles left).
    const deadline = Date.now() + 120_000;
    while ((await ordersOf(book)) < 5) {
      if (Date.now() > deadline) throw new Error('the replay never placed 5 orders');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atKill = await ordersOf(book);

    const result = await withWorker(config, () => handle.result());
    // The day's step ran twice: the killed worker's attempt and the one that finished it.
    const attempts = (await handle.fetchHistory()).events!.filter(
      (e) => e.activityTaskStartedEventAttributes && Number(e.activityTaskStartedEventAttributes.attempt) > 1,
    );
    expect(attempts.length).toBeGreaterThan(0);
    // Every order the killed worker placed is still there, once: the resumed attempt answered its keys from them.
    expect(await ordersOf(book)).toBeGreaterThanOrEqual(atKill);
    expect(result.replay.cycles).toBe(77);
    // No strategy placed two orders for one symbol in one cycle (a pair's unwind is the one second order, under its own key).
    const dup = await db.query(
      `SELECT count(*)::int AS n FROM (SELECT s.strategy_id, s.symbol, s.signal_ts FROM trading_orders o JOIN trading_signals s ON s.id = o.signal_id
        WHERE o.broker = $1 AND s.idempotency_key NOT LIKE '%:unwind' GROUP BY 1, 2, 3 HAVING count(*) > 1) d`,
      [book],
    );
    expect(dup.rows[0].n).toBe(0);
  });
});

describe('a pair trade whose second leg is refused', () => {
  it('flattens the first leg: no single-leg position is left open', async () => {
    const config = testConfig();
    // The venue refuses every INGM order (a symbol the broker cannot trade today).
    const refuseIngm = (venue: PaperBroker): PaperBroker => ({
      ...venue,
      submitOrder: (req) =>
        req.symbol === 'INGM'
          ? Promise.reject(new BrokerError('AssetNotTradable', 'INGM is not tradable today', false))
          : venue.submitOrder(req),
    });
    const r = await withWorker(config, () => replay(config, 'leg2', ['pairs_aten_ingm']), refuseIngm);
    expect(r.replay.unwound).toBeGreaterThan(0);
    const net = await db.query(
      `SELECT f.symbol, sum(CASE WHEN f.side = 'buy' THEN f.qty ELSE -f.qty END)::int AS qty
         FROM order_fills f JOIN trading_orders o ON o.id = f.order_id WHERE o.broker = $1 GROUP BY f.symbol`,
      [r.replay.book],
    );
    if (net.rows.some((r) => r.qty !== 0))
      console.log(
        JSON.stringify(
          (
            await db.query(
              `SELECT s.idempotency_key, s.outcome, o.side, o.qty, o.status, o.filled_qty, o.stop_loss, o.take_profit FROM trading_signals s LEFT JOIN trading_orders o ON o.signal_id = s.id WHERE starts_with(s.idempotency_key, $1) ORDER BY s.id`,
              [r.replay.book + '|'],
            )
          ).rows,
          null,
          1,
        ),
        JSON.stringify(r.replay, null, 1),
      );
    for (const row of net.rows) expect({ symbol: row.symbol, qty: row.qty }).toEqual({ symbol: row.symbol, qty: 0 });
    const ingm = await db.query(
      `SELECT count(*)::int AS n FROM order_fills f JOIN trading_orders o ON o.id = f.order_id WHERE o.broker = $1 AND f.symbol = 'INGM'`,
      [r.replay.book],
    );
    expect(ingm.rows[0].n).toBe(0);
    const unwinds = await db.query(`SELECT count(*)::int AS n FROM trading_signals WHERE idempotency_key LIKE $1`, [
      `${r.replay.book}|%:unwind`,
    ]);
    expect(unwinds.rows[0].n).toBe(r.replay.unwound);
  });
});

describe('a critical risk violation', () => {
  it('halts the orders of every cycle after the check that found it', async () => {
    // Any loss at all is critical: the spread paid on the first orders is enough.
    const config = testConfig({ RISK_MAX_DRAWDOWN: '0.00001', RISK_CRITICAL_DRAWDOWN: '0.00002' });
    const r = await withWorker(config, () => replay(config, 'halt'));
    expect(r.replay.haltedAt).not.toBeNull();
    const after = await db.query(
      `SELECT s.outcome, v.rule, v.reason FROM trading_signals s LEFT JOIN risk_violations v ON v.signal_id = s.id
        WHERE starts_with(s.idempotency_key, $1) AND s.signal_ts > $2`,
      [`${r.replay.book}|`, r.replay.haltedAt],
    );
    const before = await db.query(
      `SELECT count(*)::int AS n FROM trading_signals WHERE starts_with(idempotency_key, $1) AND signal_ts <= $2 AND outcome = 'executed'`,
      [`${r.replay.book}|`, r.replay.haltedAt],
    );
    expect(before.rows[0].n).toBeGreaterThan(0);
    // Every signal after the halt was refused by it: alone (trading_halted), or as a pair whose legs the halt would refuse.
    expect(after.rows.length).toBeGreaterThan(0);
    for (const row of after.rows) {
      expect(row.outcome).toBe('rejected');
      if (row.rule !== 'trading_halted')
        expect(row).toMatchObject({ rule: 'pair_leg_refused', reason: expect.stringContaining('trading_halted') });
    }
    const checks = await db.query(`SELECT critical, halted FROM book_risk_checks WHERE book = $1 AND critical`, [r.replay.book]);
    expect(checks.rows.length).toBeGreaterThan(0);
  });
});

describe('quant run strategies --at', () => {
  it('prints one cycle: signals, risk decisions and orders, one activity per strategy', async () => {
    const config = testConfig();
    await withWorker(config, async () => {
      const r = await runQuant(['run', 'strategies', '--at', '2025-03-14T14:35:00-04:00'], config.temporal.taskQueue);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('cycle 2025-03-14T18:35:00.000Z on book replay:2025-03-14');
      const id = `${workflowIds.strategySignals('replay', '20250314T1835Z')}`;
      const steps = historySteps(await client.workflow.getHandle(id).fetchHistory()).map((s) => s.type);
      const strategies = (await db.query(`SELECT count(*)::int AS n FROM strategy_config WHERE enabled AND kind IS NOT NULL`)).rows[0].n;
      expect(steps.filter((s) => s === 'runCycleStrategy').length).toBe(strategies);
      expect(steps.at(-1)).toBe('executeCycleSignals');
      recordHistory(id, 'strategySignals');
    });
  });
});

describe('portfolioRisk and endOfDay on a book', () => {
  it('checks the book at an instant (stored, reported), skips outside the session, and closes the day consistently', async () => {
    const config = testConfig();
    await withWorker(config, async () => {
      const day = await replay(config, 'close');
      const book = { kind: 'replay' as const, tag: 'close' };
      const checkId = uniqueName(workflowIds.portfolioRisk('replay', '20250314T1900Z'));
      const r = await client.workflow.execute(portfolioRisk, {
        taskQueue: config.temporal.taskQueue,
        workflowId: checkId,
        args: [{ at: '2025-03-14T15:00:00-04:00', book }],
      });
      expect(r.skipped).toBeNull();
      expect(r.check?.book).toBe(day.replay.book);
      const row = await db.query(`SELECT critical, report_key FROM book_risk_checks WHERE book = $1 AND checked_at = $2`, [
        day.replay.book,
        new Date('2025-03-14T19:00:00Z'),
      ]);
      expect(row.rows[0].report_key).toBe(r.check?.reportKey);
      recordHistory(checkId, 'portfolioRisk');

      const early = await client.workflow.execute(portfolioRisk, {
        taskQueue: config.temporal.taskQueue,
        workflowId: uniqueName('portfolio-risk-early'),
        args: [{ at: '2025-03-14T09:00:00-04:00', book }],
      });
      expect(early.skipped).toContain('before the first bar closes');

      const eodId = uniqueName(workflowIds.endOfDay('replay', DATE));
      const eod = await client.workflow.execute(endOfDay, {
        taskQueue: config.temporal.taskQueue,
        workflowId: eodId,
        args: [{ date: DATE, book }],
      });
      const stored = await db.query(
        `SELECT strategy, pnl FROM strategy_day_results WHERE book = $1 AND session_date = $2 ORDER BY strategy`,
        [day.replay.book, DATE],
      );
      const total = stored.rows.find((x) => x.strategy === '*');
      expect(total.pnl).toBeCloseTo(eod.day!.pnl, 6);
      // The total is the sum of the strategies' P&L (attribution adds up).
      const parts = stored.rows.filter((x) => x.strategy !== '*').reduce((s, x) => s + x.pnl, 0);
      expect(parts).toBeCloseTo(total.pnl, 6);
      // A re-run of the day's close gives the same numbers (one row per strategy, replaced).
      expect(eod.day!.pnl).toBeCloseTo(day.endOfDay.day!.pnl, 6);
      recordHistory(eodId, 'endOfDay');
      recordHistory(workflowIds.intradayData(DATE, 'close'), 'intradayData');
    });
  });
});

describe('the live book', () => {
  it('refuses a cycle at an instant that is not now, naming the setting, without retrying', async () => {
    const config = testConfig();
    await withWorker(config, async () => {
      const err = await client.workflow
        .execute(strategySignals, {
          taskQueue: config.temporal.taskQueue,
          workflowId: uniqueName('strategy-signals-live-past'),
          args: [{ at: '2025-03-14T14:35:00-04:00', book: { kind: 'live' } }],
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause?.cause as ApplicationFailure;
      expect(cause.type).toBe('LiveInstantNotNow');
      expect(cause.nonRetryable).toBe(true);
      expect(cause.message).toContain('API_MAX_SIGNAL_AGE_SECONDS');
      expect((await db.query(`SELECT count(*)::int AS n FROM trading_orders WHERE broker = 'paper:strategies'`)).rows[0].n).toBe(0);
    });
  });
});
