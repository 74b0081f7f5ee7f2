/**
 * WF1 `ingest` and `ingestBackfill` end to end on the real stack (Temporal dev
 * server, embedded Postgres, filesystem store) with the synthetic provider:
 * 49 symbols for a date (rows, Parquet types, report, quality), a weekend, an
 * unknown symbol, a store failure that leaves no rows, and a backfill that
 * equals per-day ingests, writes nothing on a rerun and resumes after a
 * partial run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { testConfig, useTestStack } from './helpers';
import { runIngest, runIngestBackfill } from '../src/cli/commands/ingest';
import { createMarketDataRepo } from '../src/adapters/postgres/market-data-repo';
import { parquetSchemaInfo } from '../src/adapters/parquet';
import { barsFromParquet } from '../src/adapters/tables/market-data';
import { layout } from '../src/adapters/layout';
import { SEARCH_ATTRIBUTES, workflowIds } from '../workflows/names';
import type { Db } from '../src/adapters/postgres/pool';
import type { ObjectStore } from '../src/adapters/object-store/types';

const config = testConfig({ BACKFILL_CHUNK_DAYS: '10' });
const tq = config.temporal.taskQueue;
const stack = useTestStack(config);

/** Make every insert of `date` fail inside Postgres (the store activity's transaction rolls back). */
async function breakDate(date: string): Promise<() => Promise<void>> {
  const fn = `qw_fail_${date.replace(/-/g, '')}`;
  await stack.db.query(
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure for %', NEW.date; END $$ LANGUAGE plpgsql`,
  );
  await stack.db.query(
    `CREATE TRIGGER ${fn} BEFORE INSERT ON market_data FOR EACH ROW WHEN (NEW.date = DATE '${date}') EXECUTE FUNCTION ${fn}()`,
  );
  return async () => {
    await stack.db.query(`DROP TRIGGER IF EXISTS ${fn} ON market_data`);
    await stack.db.query(`DROP FUNCTION IF EXISTS ${fn}()`);
  };
}

describe('WF1 ingest', () => {
  it('ingests 49 symbols for a date: rows, Parquet with proper types, report, quality', async () => {
    const date = '2024-03-15';
    const r = await runIngest(stack.client, tq, { date });
    expect(r).toMatchObject({ date, status: 'completed', provider: 'synthetic', symbols: 49, tradingDays: 1, failures: [] });
    expect(r.barsFetched).toBeGreaterThanOrEqual(45);
    const rows = await createMarketDataRepo(stack.db).countForDate(date);
    expect(rows).toBe(r.rowsWritten + r.rowsUnchanged);
    expect(rows).toBe(r.barsFetched - r.rejectedTicks);
    expect(r.qualityScore).toBeCloseTo(rows / 49, 10);

    const key = layout.marketDataDay('synthetic', new Date(`${date}T00:00:00Z`));
    const bytes = await stack.worker.store.get(key);
    const info = await parquetSchemaInfo(bytes);
    const types = Object.fromEntries(info.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      date: 'timestamp',
      symbol: 'string',
      open: 'double',
      high: 'double',
      low: 'double',
      close: 'double',
      adj_close: 'double',
      volume: 'int64',
    });
    const bars = await barsFromParquet(bytes);
    expect(bars).toHaveLength(rows);
    expect(new Set(bars.map((b) => b.date))).toEqual(new Set([date]));
    const pg = await createMarketDataRepo(stack.db).loadBars(['AAPL'], date, date);
    const { source: _source, ...pgBar } = pg[0];
    expect(bars.find((b) => b.symbol === 'AAPL')).toEqual(pgBar);

    expect(r.reportKey).toBe(`reports/ingest/year=2024/month=03/day=15/ingest-${date}.md`);
    const report = new TextDecoder().decode(await stack.worker.store.get(r.reportKey!));
    expect(report).toContain('# Ingest 2024-03-15');
    expect(report).toContain('quality score');
    const run = await createMarketDataRepo(stack.db).getIngestRun(date);
    expect(run).toMatchObject({ status: 'completed', provider: 'synthetic', symbols: 49, rowsStored: rows, reportKey: r.reportKey });

    const desc = await stack.client.workflow.getHandle(workflowIds.ingest(date)).describe();
    expect(desc.typedSearchAttributes.get(SEARCH_ATTRIBUTES.Pipeline)).toBe('daily');
    expect(desc.typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate)?.toISOString()).toBe(`${date}T00:00:00.000Z`);
    expect(await desc.staticSummary()).toContain('Ingest EOD 2024-03-15');

    // The same date again is an idempotent repeat: nothing changes.
    const again = await runIngest(stack.client, tq, { date });
    expect(again.rowsWritten).toBe(0);
    expect(again.rowsUnchanged).toBe(rows);
  });

  it('a weekend gives no_trading_data, not a failure', async () => {
    const r = await runIngest(stack.client, tq, { date: '2024-03-16' });
    expect(r).toMatchObject({ status: 'no_trading_data', barsFetched: 0, tradingDays: 0 });
    expect(new TextDecoder().decode(await stack.worker.store.get(r.reportKey!))).toContain('No trading data');
    expect(await createMarketDataRepo(stack.db).getIngestRun('2024-03-16')).toMatchObject({ status: 'no_trading_data', rowsStored: 0 });
    // Good Friday is a holiday too.
    expect((await runIngest(stack.client, tq, { date: '2024-03-29' })).status).toBe('no_trading_data');
  });

  it('reports an unknown symbol and ingests the others', async () => {
    const r = await runIngest(stack.client, tq, { date: '2024-03-14', symbols: ['AAPL', 'ZZZZ', 'MSFT'] });
    expect(r.status).toBe('completed');
    expect(r.failures).toEqual([expect.objectContaining({ symbol: 'ZZZZ', type: 'UnknownSymbol' })]);
    expect((await createMarketDataRepo(stack.db).loadBars(['AAPL', 'MSFT'], '2024-03-14', '2024-03-14')).length).toBe(r.barsFetched);
    expect(new TextDecoder().decode(await stack.worker.store.get(r.reportKey!))).toContain('ZZZZ (UnknownSymbol)');
  });

  it('a run whose store fails leaves no rows for its date and is reported', async () => {
    const date = '2024-03-13';
    const repair = await breakDate(date);
    try {
      const err = await runIngest(stack.client, tq, { date }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(String((err as WorkflowFailedError).cause?.message)).toMatch(/ingest 2024-03-13 failed: .*injected failure/);
      expect(await createMarketDataRepo(stack.db).countForDate(date)).toBe(0);
      expect(await createMarketDataRepo(stack.db).getIngestRun(date)).toMatchObject({ status: 'failed' });
    } finally {
      await repair();
    }
    // Repaired, the same date ingests.
    expect((await runIngest(stack.client, tq, { date })).status).toBe('completed');
    expect(await createMarketDataRepo(stack.db).countForDate(date)).toBeGreaterThan(40);
  });
});

describe('ingestBackfill', () => {
  it('equals per-day ingests, and a rerun writes nothing', async () => {
    const repo = createMarketDataRepo(stack.db);
    // Two per-day ingests inside the range first.
    await runIngest(stack.client, tq, { date: '2024-01-10' });
    await runIngest(stack.client, tq, { date: '2024-02-07' });
    const before = await stack.db.query(
      `SELECT symbol, date, adj_close, ingested_at FROM market_data WHERE date IN ('2024-01-10', '2024-02-07') ORDER BY symbol, date`,
    );

    const r = await runIngestBackfill(stack.client, tq, { from: '2024-01-01', to: '2024-02-29' });
    // 41 trading days (Jan 1, MLK and Presidents' Day closed) in chunks of 10.
    expect(r).toMatchObject({ chunks: 5, completed: 5, skipped: 0, failed: 0 });
    const count = await stack.db.query(
      `SELECT count(*)::int AS n, max(ingested_at) AS last FROM market_data WHERE date BETWEEN '2024-01-01' AND '2024-02-29'`,
    );
    expect(count.rows[0].n).toBe(r.rowsStored);
    expect(r.rowsStored).toBeGreaterThan(41 * 49 * 0.98);
    // The per-day rows are exactly the backfill's: same values, not rewritten.
    const after = await stack.db.query(
      `SELECT symbol, date, adj_close, ingested_at FROM market_data WHERE date IN ('2024-01-10', '2024-02-07') ORDER BY symbol, date`,
    );
    expect(after.rows).toEqual(before.rows);
    const files = await stack.worker.store.list('market_data/source=synthetic/year=2024/month=02/');
    expect(files.length).toBe(20);
    expect(await stack.worker.store.exists(r.reportKey)).toBe(true);
    const chunk = await stack.client.workflow.getHandle(workflowIds.ingestBackfillChunk('2024-01-01-2024-02-29', 0)).describe();
    expect(chunk.status.name).toBe('COMPLETED');

    const runsBefore = await stack.db.query(
      `SELECT max(updated_at) AS u, count(*)::int AS n FROM ingest_runs WHERE run_date BETWEEN '2024-01-01' AND '2024-02-29'`,
    );
    const rerun = await runIngestBackfill(stack.client, tq, { from: '2024-01-01', to: '2024-02-29' });
    expect(rerun).toMatchObject({ chunks: 5, completed: 0, skipped: 5, rowsStored: 0 });
    const count2 = await stack.db.query(
      `SELECT count(*)::int AS n, max(ingested_at) AS last FROM market_data WHERE date BETWEEN '2024-01-01' AND '2024-02-29'`,
    );
    expect(count2.rows[0]).toEqual(count.rows[0]);
    const runsAfter = await stack.db.query(
      `SELECT max(updated_at) AS u, count(*)::int AS n FROM ingest_runs WHERE run_date BETWEEN '2024-01-01' AND '2024-02-29'`,
    );
    expect(runsAfter.rows[0]).toEqual(runsBefore.rows[0]);
  });

  it('resumes after a partial backfill: only the failed chunk runs again', async () => {
    const from = '2023-06-01';
    const to = '2023-07-31';
    const repair = await breakDate('2023-06-20'); // in chunk 1 (June 15..29)
    let err: unknown;
    try {
      err = await runIngestBackfill(stack.client, tq, { from, to, symbols: ['AAPL', 'KO', 'XOM'] }).catch((e: unknown) => e);
    } finally {
      await repair();
    }
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(String((err as WorkflowFailedError).cause?.message)).toMatch(/1 of 5 chunks failed \(first: chunk 1/);
    expect(await createMarketDataRepo(stack.db).countForDate('2023-06-20')).toBe(0);

    const r = await runIngestBackfill(stack.client, tq, { from, to, symbols: ['AAPL', 'KO', 'XOM'] });
    expect(r).toMatchObject({ chunks: 5, completed: 1, skipped: 4, failed: 0 });
    expect(await createMarketDataRepo(stack.db).countForDate('2023-06-20')).toBe(3);
  });
});
