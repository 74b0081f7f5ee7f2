/**
 * `features` on the real stack: market_data seeded from the synthetic
 * market, the workflow run on the dev server (and once through
 * `quant run features`), rows checked in Postgres: SMA 20 and the volume
 * ratio recomputed here by hand from the stored bars, the other features
 * against the domain's featureRows (checked against TA-Lib and pandas in
 * src/domain/features.test.ts) on bars read here. Also: a symbol without a
 * bar on the date is skipped by name, a re-run replaces rather than adds,
 * and a weekend has no trading data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Db } from '../src/adapters/postgres/pool';
import { DAILY_FEATURE_SET, featureRows } from '../src/domain/features';
import type { FeaturesResult } from '../workflows/features';
import { featureHistoryStart } from '../activities/features';
import { workflowIds } from '../workflows/names';
import { seedMarketData, UNIVERSE_SYMBOLS } from './daily-fixtures';
import { recordHistory, runQuant, testConfig, useTestStack } from './helpers';

const config = testConfig();
const stack = useTestStack(config);
let client: Client;
let db: Db;

const D = '2024-06-28'; // a Friday
const MISSING = UNIVERSE_SYMBOLS[5];

beforeAll(async () => {
  ({ client, db } = stack);
  await seedMarketData(db, { from: '2023-01-03', to: D });
  await db.query('DELETE FROM market_data WHERE symbol = $1 AND date = $2', [MISSING, D]);
});

const runFeatures = (
  date: string,
  workflowId = `${workflowIds.features(date)}-${Math.random().toString(36).slice(2, 8)}`,
): Promise<FeaturesResult> => client.workflow.execute('features', { taskQueue: config.temporal.taskQueue, workflowId, args: [{ date }] });

/** The bars the activity computes from: its history window (featureHistoryStart) up to D. */
async function storedBars(symbol: string) {
  const r = await db.query<{ date: string; adj_close: number; volume: string }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, adj_close, volume FROM market_data WHERE symbol = $1 AND date BETWEEN $2 AND $3 ORDER BY date`,
    [symbol, featureHistoryStart(D), D],
  );
  return r.rows.map((x) => ({ date: x.date, close: Number(x.adj_close), volume: Number(x.volume) }));
}

async function storedFeatures(date: string): Promise<Map<string, Record<string, number | null>>> {
  const r = await db.query(`SELECT symbol, features FROM feature_store WHERE date = $1 AND feature_set = $2 AND feature_set_version = 1`, [
    date,
    DAILY_FEATURE_SET.name,
  ]);
  return new Map(r.rows.map((x) => [x.symbol, x.features]));
}

describe('features workflow', () => {
  it("writes every universe symbol's features for the date, skipping the one without a bar", async () => {
    const r = await runFeatures(D, workflowIds.features(D));
    // The replay fixture of this workflow: QUANT_RECORD_HISTORIES=features.
    recordHistory(workflowIds.features(D), 'features');
    expect(r).toMatchObject({
      date: D,
      status: 'completed',
      featureSet: 'daily-indicators',
      featureSetVersion: 1,
      symbols: UNIVERSE_SYMBOLS.length,
      written: UNIVERSE_SYMBOLS.length - 1,
      universeRemoved: [],
      skipped: [{ symbol: MISSING, reason: `no bar on ${D}` }],
      warmingUp: [],
    });
    expect(r.universeAdded).toEqual([...UNIVERSE_SYMBOLS].sort());

    const stored = await storedFeatures(D);
    expect(stored.size).toBe(UNIVERSE_SYMBOLS.length - 1);
    expect(stored.has(MISSING)).toBe(false);
    for (const symbol of [UNIVERSE_SYMBOLS[0], UNIVERSE_SYMBOLS[17]]) {
      const bars = await storedBars(symbol);
      const f = stored.get(symbol)!;
      // By hand: SMA 20 of the last 20 adjusted closes; today's volume over the mean of the 20 days before.
      const last20 = bars.slice(-20).map((b) => b.close);
      expect(f.sma_20).toBeCloseTo(last20.reduce((a, b) => a + b, 0) / 20, 9);
      const prior20 = bars.slice(-21, -1).map((b) => b.volume);
      expect(f.volume_ratio_20).toBeCloseTo(bars.at(-1)!.volume / (prior20.reduce((a, b) => a + b, 0) / 20), 9);
      expect(f.close).toBeCloseTo(bars.at(-1)!.close, 9);
      // Every other feature: the domain's rows over the same window give the same values.
      const expected = featureRows(bars, DAILY_FEATURE_SET.definition, D)[0].features;
      for (const [k, v] of Object.entries(expected)) expect(f[k], `${symbol} ${k}`).toBeCloseTo(v!, 9);
    }
  });

  it('replaces the rows on a re-run (through quant run features), and finds no trading data on a weekend', async () => {
    const ran = await runQuant(['run', 'features', '--date', D, '-o', 'json'], config.temporal.taskQueue);
    expect(ran.status, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ status: 'completed', written: UNIVERSE_SYMBOLS.length - 1, universeAdded: [] });
    const n = await db.query('SELECT count(*) AS n FROM feature_store WHERE date = $1', [D]);
    expect(Number(n.rows[0].n)).toBe(UNIVERSE_SYMBOLS.length - 1);

    const weekend = await runFeatures('2024-06-29');
    expect(weekend).toMatchObject({ status: 'no_trading_data', written: 0 });
    expect(weekend.skipped).toHaveLength(UNIVERSE_SYMBOLS.length);
  });
});
