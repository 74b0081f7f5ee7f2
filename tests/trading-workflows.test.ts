/**
 * Temporal's part of the execution service on the real dev server, with a
 * real worker whose broker comes from the config (the default: the local
 * paper venue, here a fresh account open 24/7). The test plays the API
 * process: it trades the same paper account through its own venue instance
 * and records its orders in trading_orders, so the worker's read-only view
 * must see what the API's venue wrote.
 *
 * - `reconciliation` books a fill the API never booked, continues as new
 *   after its iterations with its totals, and stops on its signal.
 * - `riskAnalysis` writes symbol_correlations equal to the values of
 *   scripts/reference/correlations.py (Python's statistics.correlation on
 *   the same closes) and a report whose -10 % shock is the sum of qty x
 *   price x -0.1 over the account's positions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHistory, testConfig, testEnv, uniqueName, useTestStack } from './helpers';
import { createPaperBroker, type PaperBroker } from '../src/adapters/broker/paper';
import { createManualPriceFeed, type ManualPriceFeed } from '../src/adapters/price-feed/manual';
import { waitForStatus } from '../src/adapters/broker/contract';
import { createPool, type Db } from '../src/adapters/postgres/pool';
import { reconciliation, riskAnalysis } from '../workflows';
import { reconciliationStatusQuery, stopReconciliationSignal } from '../workflows/reconciliation';
import { workflowIds } from '../workflows/names';

const account = uniqueName('acct');
const config = testConfig({ PAPER_ACCOUNT: account, PAPER_MARKET_HOURS: 'always' });
const ctx = useTestStack(config);

/** The API process's venue on the same account. */
let api: { db: Db; feed: ManualPriceFeed; broker: PaperBroker };

beforeAll(async () => {
  const db = createPool(testEnv().databaseUrl, 2);
  const feed = createManualPriceFeed();
  const broker = await createPaperBroker({
    db,
    feed,
    account,
    startingCash: config.paper.startingCash,
    spreadBps: config.paper.spreadBps,
    slippageBps: config.paper.slippageBps,
    outsideHours: 'queue',
    marketHours: 'always',
  });
  api = { db, feed, broker };
});

afterAll(async () => {
  await api?.broker.close();
  await api?.feed.close();
  await api?.db.end();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('reconciliation workflow', () => {
  it('books a fill the API missed, continues as new with its totals, and stops on its signal', async () => {
    api.feed.set('AAPL', 100);
    const clientOrderId = uniqueName('wf-order');
    const placed = await api.broker.submitOrder({ clientOrderId, symbol: 'AAPL', side: 'buy', qty: 7, type: 'market', timeInForce: 'day' });
    const filled = await waitForStatus(api.broker, placed.id, 'filled');
    // The API recorded and acknowledged the order, then died before it booked the fill.
    const row = await ctx.db.query(
      `INSERT INTO trading_orders (client_order_id, broker, broker_order_id, strategy_id, symbol, side, qty, order_type, status)
       VALUES ($1, 'paper', $2, 'moving_average_crossover', 'AAPL', 'buy', 7, 'market', 'new') RETURNING id`,
      [clientOrderId, placed.id],
    );

    const workflowId = uniqueName(workflowIds.reconciliation('paper'));
    const handle = await ctx.client.workflow.start(reconciliation, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [{ intervalSeconds: 1, iterationsPerRun: 2 }],
      staticSummary: 'reconcile the paper account every second (test)',
    });
    const firstRunId = handle.firstExecutionRunId;

    const latest = ctx.client.workflow.getHandle(workflowId);
    const secondRunId = await waitFor('continue-as-new', async () => {
      const d = await latest.describe();
      return d.runId !== firstRunId ? d.runId : undefined;
    });
    const firstHistory = await ctx.client.workflow.getHandle(workflowId, firstRunId).fetchHistory();
    const lastEvent = firstHistory.events!.at(-1)!;
    expect(lastEvent.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId).toBe(secondRunId);

    const status = await waitFor('the second run to reconcile once', async () => {
      const s = await latest.query(reconciliationStatusQuery);
      return s.last ? s : undefined;
    });
    expect(status.totals.runs).toBe(1);
    expect(status.totals.iterations).toBeGreaterThanOrEqual(2);
    expect(status.totals.booked).toBe(1);
    expect(status.totals.halted).toBe(0);

    // Booked once, at the venue's own fill price.
    const fills = await ctx.db.query(`SELECT execution_id, qty, price FROM order_fills WHERE order_id = $1`, [row.rows[0].id]);
    expect(fills.rows).toEqual([{ execution_id: `recon-${placed.id}-7`, qty: 7, price: filled.filledAvgPrice }]);
    const order = await ctx.db.query(`SELECT status, filled_qty FROM trading_orders WHERE id = $1`, [row.rows[0].id]);
    expect(order.rows[0]).toEqual({ status: 'filled', filled_qty: 7 });
    expect((await ctx.db.query(`SELECT halted FROM trading_state`)).rows[0].halted).toBe(false);

    await latest.signal(stopReconciliationSignal);
    const result = await latest.result();
    expect(result.totals.runs).toBe(1);
    expect(result.last?.outcome).toBe('in_sync');
    recordHistory(workflowId, 'reconciliation');
  });

  it('rejects a bad input, naming the field', async () => {
    const handle = await ctx.client.workflow.start(reconciliation, {
      workflowId: uniqueName('reconciliation-bad'),
      taskQueue: config.temporal.taskQueue,
      args: [{ intervalSeconds: 0 } as never],
    });
    await expect(handle.result()).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringContaining('intervalSeconds') },
    });
  });
});

describe('riskAnalysis workflow', () => {
  /** The closes of scripts/reference/correlations.py. */
  async function storeReferenceCloses(): Promise<string> {
    const rows: [string, string, number][] = [];
    let last = '';
    for (let t = 0; t < 90; t++) {
      const date = new Date(Date.UTC(2026, 0, 1 + t)).toISOString().slice(0, 10);
      rows.push(['A', date, 100 + 10 * Math.sin(t / 3) + 0.1 * t], ['B', date, 50 + 3 * Math.cos(t / 5) + (0.02 * t * t) / 10]);
      if (t % 7 !== 0) rows.push(['C', date, 20 + (t % 5) - 0.05 * t]);
      last = date;
    }
    await ctx.db.query(
      `INSERT INTO market_data (symbol, date, open, high, low, close, adj_close, volume, source)
       SELECT s, d, c, c, c, c, c, 1000, 'test' FROM unnest($1::text[], $2::date[], $3::float8[]) AS t(s, d, c)`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
    );
    return last;
  }

  it('refreshes symbol_correlations from 60 daily returns and writes the stress report', async () => {
    const asOf = await storeReferenceCloses();
    api.feed.set('A', 100);
    const buy = await api.broker.submitOrder({
      clientOrderId: uniqueName('risk'),
      symbol: 'A',
      side: 'buy',
      qty: 10,
      type: 'market',
      timeInForce: 'day',
    });
    await waitForStatus(api.broker, buy.id, 'filled');
    // The account also holds the first test's AAPL: both positions are stressed.
    const held = await api.broker.listPositions();
    expect(held.map((p) => p.symbol)).toEqual(['A', 'AAPL']);
    const expectedShock10 = held.reduce((sum, p) => sum + p.qty * p.avgEntryPrice * -0.1, 0);

    const workflowId = uniqueName(workflowIds.riskAnalysis(asOf));
    const result = await ctx.client.workflow.execute(riskAnalysis, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [{ date: asOf, window: 60 }],
      staticSummary: `risk analysis ${asOf} (test)`,
    });
    expect(result).toMatchObject({ date: asOf, symbols: 3, pairs: 3 });

    const stored = await ctx.db.query(
      `SELECT symbol_a, symbol_b, correlation, observations, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM symbol_correlations ORDER BY 1, 2`,
    );
    expect(stored.rows.map((r) => [r.symbol_a, r.symbol_b, r.observations, r.as_of])).toEqual([
      ['A', 'B', 60, asOf],
      ['A', 'C', 60, asOf],
      ['B', 'C', 60, asOf],
    ]);
    expect(stored.rows[0].correlation).toBeCloseTo(-0.19596867605292154, 12);
    expect(stored.rows[1].correlation).toBeCloseTo(-0.06924594725154487, 12);
    expect(stored.rows[2].correlation).toBeCloseTo(0.025906299391634725, 12);

    // The worker's view prices positions at their entry price (it sees no ticks): sum of qty x entry x -0.1.
    const shock10 = result.stress.scenarios.find((s) => s.name === 'market -10%')!;
    expect(shock10.pnl).toBeCloseTo(expectedShock10, 9);
    expect(result.stress.positions).toBe(2);
    const report = new TextDecoder().decode(await ctx.worker.store.get(result.reportKey));
    expect(report).toContain(`# Risk analysis ${asOf}`);
    expect(report).toContain(`| market -10% | every price moves -10% at once | ${expectedShock10.toFixed(2)} |`);
    recordHistory(workflowId, 'riskAnalysis');
  });
});
