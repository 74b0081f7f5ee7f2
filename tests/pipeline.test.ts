/**
 * The daily pipeline for one date, end to end on the real stack:
 * `pipeline-<date>` runs WF1 `ingest` (synthetic provider, with a year of
 * lookback), then WF2 `screen`, then WF3 `signal` as children, in order;
 * every stage's rows and reports exist afterwards, and a weekend date stops
 * after WF1 with no_trading_data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { recordHistory, testConfig, useTestStack } from './helpers';
import { runPipeline } from '../src/cli/commands/pipeline';
import { createScreeningRepo } from '../src/adapters/postgres/screening-repo';
import { createSignalRepo } from '../src/adapters/postgres/signal-repo';
import { SEARCH_ATTRIBUTES, workflowIds } from '../workflows/names';
import type { Db } from '../src/adapters/postgres/pool';

const config = testConfig({ MARKET_DATA_PROVIDER: 'synthetic' });
const D = '2025-03-14'; // a Friday, a date no other test file seeds
const stack = useTestStack(config);

describe('pipeline (WF1 -> WF6)', () => {
  it('runs ingest, screen and signal for one date, in order, as children', async () => {
    const r = await runPipeline(stack.client, config.temporal.taskQueue, { date: D, lookbackDays: 300 });
    expect(r.status).toBe('completed');
    expect(r.ingest).toMatchObject({ status: 'completed', symbols: 49, failures: 0 });
    expect(r.screen).toMatchObject({ status: 'completed', symbols: 49, quintileCounts: [10, 10, 10, 10, 9] });
    expect(r.signal).toMatchObject({ status: 'completed', symbols: 20 });

    const bars = await stack.db.query<{ n: number; days: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT date)::int AS days FROM market_data WHERE date BETWEEN ($1::date - 500) AND $1::date`,
      [D],
    );
    expect(bars.rows[0].days).toBeGreaterThanOrEqual(300);
    expect((await createScreeningRepo(stack.db).getScreeningResults(D)).length).toBe(49);
    expect((await createSignalRepo(stack.db).getSignalResults(D)).length).toBe(20);
    for (const key of [r.ingest.reportKey, r.screen!.reportKey, r.signal!.reportKey])
      expect(await stack.worker.store.exists(key!)).toBe(true);

    // Children ran in order: each started after the previous one closed.
    const ids = [workflowIds.ingest(D), workflowIds.screen(D), workflowIds.signal(D)];
    const descs = await Promise.all(ids.map((id) => stack.client.workflow.getHandle(id).describe()));
    for (const d of descs) {
      expect(d.status.name).toBe('COMPLETED');
      expect(d.parentExecution?.workflowId).toBe(workflowIds.pipeline(D));
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.Pipeline)).toBe('daily');
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate)?.toISOString()).toBe(`${D}T00:00:00.000Z`);
    }
    expect(descs[1].startTime.getTime()).toBeGreaterThanOrEqual(descs[0].closeTime!.getTime());
    expect(descs[2].startTime.getTime()).toBeGreaterThanOrEqual(descs[1].closeTime!.getTime());

    // WF4-WF6 ran after WF3, in order, and each completed.
    const later = await Promise.all(
      [workflowIds.rebalance(D), workflowIds.monitor(D), workflowIds.backtest(D)].map((id) =>
        stack.client.workflow.getHandle(id).describe(),
      ),
    );
    for (const d of later) {
      expect(d.status.name).toBe('COMPLETED');
      expect(d.parentExecution?.workflowId).toBe(workflowIds.pipeline(D));
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate)?.toISOString()).toBe(`${D}T00:00:00.000Z`);
    }
    expect(later[0].startTime.getTime()).toBeGreaterThanOrEqual(descs[2].closeTime!.getTime());
    expect(later[1].startTime.getTime()).toBeGreaterThanOrEqual(later[0].closeTime!.getTime());
    expect(later[2].startTime.getTime()).toBeGreaterThanOrEqual(later[1].closeTime!.getTime());

    // Representative daily histories for tests/replay.test.ts.
    // Written only when QUANT_RECORD_HISTORIES names the type (tests/histories/<type>/v<N>.json).
    for (const type of ['pipeline', 'ingest', 'screen', 'signal', 'rebalance', 'monitor', 'backtest'] as const)
      recordHistory(workflowIds[type](D), type);
  });

  it('stops after WF1 on a weekend with no_trading_data', async () => {
    const r = await runPipeline(stack.client, config.temporal.taskQueue, { date: '2025-03-15' });
    expect(r).toMatchObject({ status: 'no_trading_data', screen: null, signal: null });
    expect(r.ingest.status).toBe('no_trading_data');
  });
});
