/**
 * `models` on the real stack: the built-in models plus a momentum version
 * whose config names a feature the stored set lacks (rsi_10), run for one
 * date after `features`, with WF3's scores for three symbols written here.
 * Checked in Postgres and in Temporal: one child per version, tagged with
 * `Model`; the failing version fails alone, with the missing feature named,
 * and keeps no signals; the others' signals equal the domain strategies'
 * output on the stored inputs (the strategies are worked by hand in
 * src/domain/model-strategies.test.ts); a re-run replaces, not adds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { createFeatureStoreRepo } from '../src/adapters/postgres/feature-store-repo';
import { createModelRepo } from '../src/adapters/postgres/model-repo';
import type { Db } from '../src/adapters/postgres/pool';
import { parseModelConfig } from '../src/config/model-kinds';
import { DAILY_FEATURE_SET } from '../src/domain/features';
import {
  combinedScoreSignals,
  enhancedMomentumSignals,
  type EnhancedMomentumConfig,
  type CombinedScoreConfig,
} from '../src/domain/model-strategies';
import type { ModelsResult } from '../workflows/models';
import { SEARCH_ATTRIBUTES, workflowIds } from '../workflows/names';
import { seedMarketData, UNIVERSE_SYMBOLS } from './daily-fixtures';
import { recordHistory, runQuant, testConfig, useTestStack } from './helpers';

const config = testConfig();
const stack = useTestStack(config);
let client: Client;
let db: Db;

const D = '2024-06-28';
const SCORES = [
  { symbol: UNIVERSE_SYMBOLS[0], technical: 80, fundamental: 70, sentiment: 50 },
  { symbol: UNIVERSE_SYMBOLS[1], technical: 20, fundamental: 30, sentiment: 40 },
  { symbol: UNIVERSE_SYMBOLS[2], technical: 50, fundamental: 50, sentiment: 50 },
];

beforeAll(async () => {
  ({ client, db } = stack);
  await seedMarketData(db, { from: '2023-01-03', to: D });
  await db.query(`INSERT INTO signal_runs (run_date, symbols, weights, distribution) VALUES ($1, 3, '{}', '{}')`, [D]);
  for (const s of SCORES)
    await db.query(
      `INSERT INTO signal_results (run_date, symbol, technical_score, fundamental_score, sentiment_score, has_sentiment, combined_score, signal)
       VALUES ($1, $2, $3, $4, $5, true, 0, 'hold')`,
      [D, s.symbol, s.technical, s.fundamental, s.sentiment],
    );
  const models = createModelRepo(db);
  await models.registerBuiltIns();
  await models.register({ name: 'momentum-rsi10', kind: 'enhancedMomentum', config: { rsiPeriod: 10 } });
  await client.workflow.execute('features', {
    taskQueue: config.temporal.taskQueue,
    workflowId: workflowIds.features(D),
    args: [{ date: D }],
  });
});

async function storedSignals(name: string) {
  const r = await db.query(
    `SELECT s.symbol, s.action, s.confidence, s.expected_return, s.position_size, s.stop_loss, s.model_id
       FROM model_signals s JOIN model_runs r ON r.id = s.model_run_id JOIN models m ON m.id = r.model_id
      WHERE m.name = $1 AND r.run_date = $2 ORDER BY s.symbol`,
    [name, D],
  );
  return r.rows;
}

describe('models workflow', () => {
  let result: ModelsResult;

  it('runs every active version as its own child; the one missing its feature fails alone, naming it', async () => {
    result = await client.workflow.execute('models', {
      taskQueue: config.temporal.taskQueue,
      workflowId: workflowIds.models(D),
      args: [{ date: D }],
    });
    // No MLFLOW_TRACKING_URI here: tracking is off, nothing is sent and nothing recorded (tests/tracking.test.ts has it on).
    expect(result).toMatchObject({ date: D, tracking: 'off', completed: 2, failed: 1 });
    const byName = Object.fromEntries(result.models.map((m) => [m.name, m]));
    expect(byName['combined-score']).toMatchObject({ status: 'completed', tracking: 'off', signals: 3, buys: 1, sells: 1, holds: 1 });
    expect((await db.query('SELECT count(*)::int AS n FROM experiment_tracking')).rows[0].n).toBe(0);
    expect(byName['enhanced-momentum']).toMatchObject({ status: 'completed', signals: UNIVERSE_SYMBOLS.length });
    expect(byName['momentum-rsi10']).toMatchObject({ status: 'failed', workflowId: workflowIds.modelRun('momentum-rsi10', 1, D) });
    expect((byName['momentum-rsi10'] as { error: string }).error).toMatch(/feature "rsi_10" is not in the feature set/);

    const runs = await db.query(
      `SELECT m.name, r.status, r.signal_count, r.error, r.workflow_id FROM model_runs r JOIN models m ON m.id = r.model_id WHERE r.run_date = $1 ORDER BY m.name`,
      [D],
    );
    expect(runs.rows.map((r) => [r.name, r.status, r.signal_count])).toEqual([
      ['combined-score', 'completed', 3],
      ['enhanced-momentum', 'completed', UNIVERSE_SYMBOLS.length],
      ['momentum-rsi10', 'failed', 0],
    ]);
    expect(runs.rows[2].error).toContain('rsi_10');
    expect(await storedSignals('momentum-rsi10')).toEqual([]);

    // The child carries Model = name@version for the Web UI's filter.
    const child = await client.workflow.getHandle(workflowIds.modelRun('enhanced-momentum', 1, D)).describe();
    expect(child.typedSearchAttributes.get(SEARCH_ATTRIBUTES.Model)).toBe('enhanced-momentum@1');
    // Replay fixtures of both workflows: QUANT_RECORD_HISTORIES=models,modelRun.
    recordHistory(workflowIds.models(D), 'models');
    recordHistory(workflowIds.modelRun('enhanced-momentum', 1, D), 'modelRun');
  });

  it("stores exactly the strategies' signals on the stored inputs, each with its model version", async () => {
    const models = await createModelRepo(db).list();
    const momentum = models.find((m) => m.name === 'enhanced-momentum')!;
    const combined = models.find((m) => m.name === 'combined-score')!;
    const set = await createFeatureStoreRepo(db).ensureFeatureSet(DAILY_FEATURE_SET.name, DAILY_FEATURE_SET.definition);
    const features = await createFeatureStoreRepo(db).featuresOn(set, D);
    const inputs = {
      date: D,
      features,
      scores: new Map(SCORES.map((s) => [s.symbol, { technical: s.technical, fundamental: s.fundamental, sentiment: s.sentiment }])),
      dailyBars: new Map(),
    };
    const expectedMomentum = enhancedMomentumSignals(
      inputs,
      parseModelConfig('enhancedMomentum', momentum.config) as unknown as EnhancedMomentumConfig,
    );
    const stored = await storedSignals('enhanced-momentum');
    expect(stored.map((s) => [s.symbol, s.action])).toEqual(expectedMomentum.map((s) => [s.symbol, s.action]));
    stored.forEach((s, i) => {
      expect(s.model_id).toBe(momentum.id);
      expect(s.confidence).toBeCloseTo(expectedMomentum[i].confidence, 12);
      if (expectedMomentum[i].stopLoss === null) expect(s.stop_loss).toBeNull();
      else expect(s.stop_loss).toBeCloseTo(expectedMomentum[i].stopLoss!, 9);
    });
    const expectedCombined = combinedScoreSignals(
      inputs,
      parseModelConfig('combinedScore', combined.config) as unknown as CombinedScoreConfig,
    );
    expect((await storedSignals('combined-score')).map((s) => [s.symbol, s.action, Number(s.confidence.toFixed(12))])).toEqual(
      expectedCombined.map((s) => [s.symbol, s.action, Number(s.confidence.toFixed(12))]),
    );
  });

  it('replaces a date on a re-run through quant run models, and lists the last run per version', async () => {
    const ran = await runQuant(['run', 'models', '--date', D, '-o', 'json'], config.temporal.taskQueue);
    expect(ran.status, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ completed: 2, failed: 1 });
    expect(await storedSignals('enhanced-momentum')).toHaveLength(UNIVERSE_SYMBOLS.length);
    const listed = await createModelRepo(db).list();
    expect(listed.find((m) => m.name === 'momentum-rsi10')).toMatchObject({ lastRunDate: D, lastRunStatus: 'failed' });
  });
});
