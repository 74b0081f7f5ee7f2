/**
 * WF2 `screen` on the real stack: market_data seeded from the synthetic
 * market, the workflow run on the dev server, rows checked in Postgres and
 * Parquet against values computed here independently (momentum, volatility,
 * rank/quintile arithmetic) and against the one-shot domain `screenUniverse`
 * over closes read here from Postgres (the activities run the domain's two
 * halves in parallel and pass them through JSON claim checks; the split
 * must give the same scores and clusters). The domain screen itself is
 * checked against scripts/reference/screening.py in
 * src/domain/screening.test.ts. Also: a weekend date, a short history, and
 * a store that fails mid-transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { startTestWorker, testClient, testConfig, testDb } from './helpers';
import { adjCloses, causeChain, seedMarketData, UNIVERSE_SYMBOLS } from './daily-fixtures';
import { readParquet, parquetSchemaInfo } from '../src/adapters/parquet';
import { createScreeningRepo } from '../src/adapters/postgres/screening-repo';
import { screenUniverse } from '../src/domain/screening';
import { SEARCH_ATTRIBUTES, workflowIds } from '../workflows/names';
import type { ScreenResult } from '../workflows/screen';
import type { Db } from '../src/adapters/postgres/pool';

const config = testConfig();
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let client: Client;
let db: Db;

const D = '2024-06-28'; // a Friday
const SHORT_D = '2023-03-01'; // ~40 bars after the first seeded day
const FAIL_D = '2024-06-27';

beforeAll(async () => {
  db = testDb();
  await seedMarketData(db, { from: '2023-01-03', to: D });
  worker = await startTestWorker(config);
  client = await testClient();
});

afterAll(async () => {
  await db?.query('DROP TRIGGER IF EXISTS screen_fail_drill ON screening_results').catch(() => undefined);
  await worker?.stop();
  await client?.connection.close();
  await db?.end();
});

async function runScreen(date: string, id = workflowIds.screen(date)): Promise<ScreenResult> {
  return client.workflow.execute('screen', {
    taskQueue: config.temporal.taskQueue,
    workflowId: `${id}-${Math.random().toString(36).slice(2, 8)}`,
    args: [{ date }],
    staticSummary: `Screen ${date}`,
  });
}

const std1 = (x: number[]) => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
};

describe('screen (WF2)', () => {
  it('screens 49 symbols: balanced quintiles, ranks consistent with the composite, Parquet readable', async () => {
    const r = await runScreen(D);
    expect(r).toMatchObject({ date: D, status: 'completed', symbols: 49, skipped: [] });
    expect(r.quintileCounts).toEqual([10, 10, 10, 10, 9]);
    expect(r.clusters).toBeGreaterThanOrEqual(1);

    const repo = createScreeningRepo(db);
    const rows = await repo.getScreeningResults(D);
    expect(rows.map((x) => x.symbol).sort()).toEqual([...UNIVERSE_SYMBOLS].sort());
    expect(rows.map((x) => x.rank)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].composite).toBeLessThanOrEqual(rows[i - 1].composite);
    for (const x of rows) expect(x.quintile).toBe(Math.floor(((x.rank - 1) * 5) / 49) + 1);
    // composite_z: mean 0, population deviation 1
    const z = rows.map((x) => x.compositeZ as number);
    expect(z.reduce((a, b) => a + b, 0) / 49).toBeCloseTo(0, 9);
    expect(Math.sqrt(z.reduce((a, b) => a + b * b, 0) / 49)).toBeCloseTo(1, 9);

    // Independent metrics for one symbol: 252-day momentum and annualised volatility of the last 252 simple returns.
    const aapl = await adjCloses(db, 'AAPL', D, '2023-05-01');
    const n = aapl.length;
    const row = rows.find((x) => x.symbol === 'AAPL')!;
    expect(row.metrics.momentum_252).toBeCloseTo(aapl[n - 1] / aapl[n - 253] - 1, 10);
    const rets = aapl
      .slice(n - 253)
      .map((p, i, a) => (i === 0 ? NaN : p / a[i - 1] - 1))
      .slice(1);
    expect(row.metrics.volatility).toBeCloseTo(std1(rets) * Math.sqrt(252), 10);
    expect(row.sector).toBe('Technology');

    // The parallel split equals the one-shot domain screen over the same closes (same symbols order as the activity: by symbol).
    const symbols = [...UNIVERSE_SYMBOLS].sort();
    const loaded = await db.query<{ d: string }>(`SELECT to_char(($1::date - 400), 'YYYY-MM-DD') AS d`, [D]);
    const closesExact = await Promise.all(symbols.map((s) => adjCloses(db, s, D, loaded.rows[0].d)));
    // The worker's Sharpe is net of SCREEN_RISK_FREE_RATE (default 5 %, seed 003).
    const ref = screenUniverse(closesExact, { riskFreeRate: config.screening.riskFreeRate });
    expect(config.screening.riskFreeRate).toBe(0.05);
    expect(r.clusters).toBe(ref.k);
    symbols.forEach((s, i) => {
      const got = rows.find((x) => x.symbol === s)!;
      expect(got.composite).toBeCloseTo(ref.rows[i].composite, 10);
      expect(got.quintile).toBe(ref.rows[i].quintile);
      expect(got.clusterLabel).toBe(ref.rows[i].clusterLabel);
    });

    const run = await repo.getScreeningRun(D);
    expect(run).toMatchObject({
      runDate: D,
      symbols: 49,
      lookbackDays: 252,
      clusters: r.clusters,
      parquetKey: 'screening/year=2024/month=06/day=28/screening.parquet',
    });

    const bytes = await worker.store.get(r.parquetKey!);
    const info = await parquetSchemaInfo(bytes);
    expect(info.numRows).toBe(49);
    expect(info.columns.find((c) => c.name === 'run_date')?.type).toBe('timestamp');
    expect(info.columns.find((c) => c.name === 'composite')?.type).toBe('double');
    const t = await readParquet(bytes, { columns: ['symbol', 'rank', 'quintile', 'composite'] });
    expect((t.columns.symbol as string[])[0]).toBe(rows[0].symbol);
    expect(Array.from(t.columns.rank as Int32Array)).toEqual(rows.map((x) => x.rank));

    const report = new TextDecoder().decode(await worker.store.get(r.reportKey!));
    expect(r.reportKey).toBe('reports/screen/year=2024/month=06/day=28/screen-2024-06-28.md');
    expect(report).toContain(`# Screen ${D}`);
    expect(report).toContain('## Clusters');
  });

  it('sets the daily search attributes and accepts the deterministic ID', async () => {
    const h = await client.workflow.start('screen', {
      taskQueue: config.temporal.taskQueue,
      workflowId: workflowIds.screen(D),
      args: [{ date: D }],
      staticSummary: `Screen ${D}`,
    });
    await h.result();
    const desc = await h.describe();
    expect(desc.typedSearchAttributes.get(SEARCH_ATTRIBUTES.Pipeline)).toBe('daily');
    expect(desc.typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate)?.toISOString()).toBe(`${D}T00:00:00.000Z`);
    expect(h.workflowId).toBe(`screen-${D}`);
  });

  it('gives no_trading_data on a weekend and writes nothing for it', async () => {
    const r = await runScreen('2024-06-29');
    expect(r.status).toBe('no_trading_data');
    expect(await createScreeningRepo(db).getScreeningRun('2024-06-29')).toBeNull();
  });

  it('handles a short history: momentum beyond the history is null, the rest is scored', async () => {
    const r = await runScreen(SHORT_D);
    expect(r.status).toBe('completed');
    expect(r.symbols).toBe(49);
    const rows = await createScreeningRepo(db).getScreeningResults(SHORT_D);
    expect(rows).toHaveLength(49);
    for (const x of rows) {
      expect(x.metrics.momentum_252).toBeNull();
      expect(x.metrics.momentum_21).not.toBeNull();
      expect(Number.isFinite(x.composite)).toBe(true);
    }
  });

  it('a store that fails mid-transaction leaves no partial rows (and a rerun keeps the old rows intact)', async () => {
    await db.query(`CREATE OR REPLACE FUNCTION screen_fail_drill() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'fail drill for %', NEW.symbol USING ERRCODE = 'check_violation'; END $$ LANGUAGE plpgsql`);
    await db.query(`CREATE TRIGGER screen_fail_drill BEFORE INSERT ON screening_results FOR EACH ROW
      WHEN (NEW.symbol = 'MSFT' AND NEW.run_date IN ('${FAIL_D}'::date, '${D}'::date)) EXECUTE FUNCTION screen_fail_drill()`);
    try {
      const before = await db.query('SELECT symbol, composite FROM screening_results WHERE run_date = $1 ORDER BY symbol', [D]);
      for (const date of [FAIL_D, D]) {
        const err = await runScreen(date).catch((e) => e);
        expect(err).toBeInstanceOf(WorkflowFailedError);
        expect(causeChain(err)).toMatch(/fail drill for MSFT/);
      }
      const fresh = await db.query('SELECT count(*)::int AS n FROM screening_results WHERE run_date = $1', [FAIL_D]);
      const freshRun = await db.query('SELECT count(*)::int AS n FROM screening_runs WHERE run_date = $1', [FAIL_D]);
      expect(fresh.rows[0].n).toBe(0);
      expect(freshRun.rows[0].n).toBe(0);
      const after = await db.query('SELECT symbol, composite FROM screening_results WHERE run_date = $1 ORDER BY symbol', [D]);
      expect(after.rows).toEqual(before.rows);
      expect(after.rows).toHaveLength(49);
    } finally {
      await db.query('DROP TRIGGER IF EXISTS screen_fail_drill ON screening_results');
    }
  });
});
