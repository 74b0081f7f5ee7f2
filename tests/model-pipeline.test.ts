/**
 * `modelPipeline` on the real stack: six trading days (a weekend inside)
 * with two dates per run, so the range continues as new twice; every date's
 * features, model runs and performance rows are there afterwards, and the
 * counts add up (enhanced-momentum completes every day; combined-score fails
 * every day, since no WF3 scores exist here, without stopping the range).
 * A range whose end is before its start is refused by the CLI, naming the
 * option, before anything runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { createModelRepo } from '../src/adapters/postgres/model-repo';
import type { Db } from '../src/adapters/postgres/pool';
import type { ModelPipelineResult } from '../workflows/model-pipeline';
import { workflowIds } from '../workflows/names';
import { seedMarketData } from './daily-fixtures';
import { recordHistory, runQuant, testConfig, useTestStack } from './helpers';

const config = testConfig({ MODELS_HOLDING_DAYS: '1' });
const stack = useTestStack(config);
let client: Client;
let db: Db;

const FROM = '2024-06-24';
const TO = '2024-07-01'; // Mon..Mon: six trading days
const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);

beforeAll(async () => {
  ({ client, db } = stack);
  await seedMarketData(db, { from: '2023-01-03', to: TO });
  await createModelRepo(db).registerBuiltIns();
});

describe('modelPipeline', () => {
  it('runs features, models and performance for every trading day in order, continuing as new', async () => {
    const handle = await client.workflow.start('modelPipeline', {
      taskQueue: config.temporal.taskQueue,
      workflowId: workflowIds.modelPipeline(FROM, TO),
      args: [{ from: FROM, to: TO, datesPerRun: 2 }],
    });
    const r = (await handle.result()) as ModelPipelineResult;
    expect(r).toMatchObject({
      from: FROM,
      to: TO,
      tradingDays: 6,
      dates: 6,
      noTradingData: 0,
      modelRunsCompleted: 6,
      modelRunsFailed: 6,
      runs: 2,
    });
    expect(r.lastRankings!.map((x) => x.name)).toEqual(['enhanced-momentum', 'combined-score']);
    expect(await count(`SELECT count(DISTINCT date) AS n FROM feature_store`)).toBe(6);
    expect(await count(`SELECT count(*) AS n FROM model_runs WHERE status = 'completed'`)).toBe(6);
    expect(await count(`SELECT count(*) AS n FROM model_runs WHERE status = 'failed'`)).toBe(6);
    expect(await count(`SELECT count(*) AS n FROM performance_reports`)).toBe(6);
    // Holding one day: the last report judges the momentum signals of the five days before it.
    const last = await db.query(`SELECT rankings FROM performance_reports WHERE report_date = $1`, [TO]);
    expect(last.rows[0].rankings[0]).toMatchObject({ name: 'enhanced-momentum', rank: 1 });
    expect(last.rows[0].rankings[0].signals).toBeGreaterThan(0);
    // The replay fixture: QUANT_RECORD_HISTORIES=modelPipeline (the first run of the chain).
    recordHistory(workflowIds.modelPipeline(FROM, TO), 'modelPipeline', handle.firstExecutionRunId);
  });

  it('refuses a range that ends before it starts, naming the option', async () => {
    const r = await runQuant(['run', 'model-pipeline', '--from', TO, '--to', FROM], config.temporal.taskQueue);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--from.*must not be after `to`/);
  });
});
