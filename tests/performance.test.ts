/**
 * `performance` on the real stack: features and models run for six trading
 * days through their workflows, then the performance test (holding period 2
 * days, one evaluation enough to flag a negative Sharpe) on the last day.
 * Checked against the domain's modelPerformance (worked against empyrical in
 * src/domain/model-performance.test.ts) on signals and closes read here by
 * SQL: the stored rows, the ranking order, the underperformers, the report
 * and chart in the object store, `quant rankings` and `quant models list`.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/adapters/notify/types';
import type { Client } from '@temporalio/client';
import { createObjectStore } from '../src/adapters/object-store';
import { createModelRepo } from '../src/adapters/postgres/model-repo';
import type { Db } from '../src/adapters/postgres/pool';
import { addDays } from '../src/domain/dates';
import { modelPerformance, type JudgedSignal } from '../src/domain/model-performance';
import type { PerformanceResult } from '../workflows/models';
import { workflowIds } from '../workflows/names';
import { seedMarketData } from './daily-fixtures';
import { recordHistory, runQuant, testConfig, useTestStack } from './helpers';

const config = testConfig({ MODELS_HOLDING_DAYS: '2', MODELS_UNDERPERFORM_DAYS: '1', MODELS_UNDERPERFORM_SHARPE: '0' });
// A loopback webhook receiver (ALERT_WEBHOOK_URL), set before the stack's hook builds the worker.
const webhook: { body: { text: string; alerts: Alert[] } }[] = [];
let receiver: Server;
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      webhook.push({ body: JSON.parse(data) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  config.alerts.webhookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/test`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));
const stack = useTestStack(config);
let client: Client;
let db: Db;

const DAYS = ['2024-06-24', '2024-06-25', '2024-06-26', '2024-06-27', '2024-06-28', '2024-07-01'];
const D = DAYS.at(-1)!;

const run = <T>(type: string, date: string): Promise<T> =>
  client.workflow.execute(type, {
    taskQueue: config.temporal.taskQueue,
    workflowId: `${type}-${date}-${Math.random().toString(36).slice(2, 8)}`,
    args: [{ date }],
  });

beforeAll(async () => {
  ({ client, db } = stack);
  await seedMarketData(db, { from: '2023-01-03', to: D });
  const models = createModelRepo(db);
  await models.registerBuiltIns();
  await models.register({ name: 'momentum-tight', kind: 'enhancedMomentum', config: { rsiOverbought: 60 } });
  for (const day of DAYS) {
    await run('features', day);
    await run('models', day);
  }
});

describe('performance workflow', () => {
  let result: PerformanceResult;

  it("stores every active version's performance as the domain computes it from the stored signals and closes", async () => {
    result = await client.workflow.execute('performance', {
      taskQueue: config.temporal.taskQueue,
      workflowId: workflowIds.performance(D),
      args: [{ date: D }],
    });
    expect(result.models).toBe(3);
    // The replay fixture: QUANT_RECORD_HISTORIES=performance.
    recordHistory(workflowIds.performance(D), 'performance');
    const active = (await createModelRepo(db).list()).filter((m) => m.status === 'active');
    const from = addDays(D, -config.models.lookbackDays);
    const closes = new Map<string, { dates: string[]; closes: number[] }>();
    for (const r of (
      await db.query(
        `SELECT symbol, to_char(date, 'YYYY-MM-DD') AS d, adj_close FROM market_data WHERE date BETWEEN $1 AND $2 ORDER BY symbol, date`,
        [from, D],
      )
    ).rows) {
      const c = closes.get(r.symbol) ?? closes.set(r.symbol, { dates: [], closes: [] }).get(r.symbol)!;
      c.dates.push(r.d);
      c.closes.push(Number(r.adj_close));
    }
    let judged = 0;
    for (const m of active) {
      const signals: JudgedSignal[] = (
        await db.query(
          `SELECT to_char(r.run_date, 'YYYY-MM-DD') AS d, s.symbol, s.action, s.confidence FROM model_signals s JOIN model_runs r ON r.id = s.model_run_id
            WHERE r.model_id = $1 AND r.status = 'completed' ORDER BY r.run_date, s.symbol`,
          [m.id],
        )
      ).rows.map((x) => ({ runDate: x.d, symbol: x.symbol, action: x.action, confidence: Number(x.confidence) }));
      const expected = modelPerformance(signals, closes, D, { holdingDays: 2, riskFreeRate: 0.02 });
      judged += expected.signalCount;
      const row = (await db.query('SELECT * FROM model_performance WHERE model_id = $1 AND date = $2', [m.id, D])).rows[0];
      expect(row.holding_period_days).toBe(2);
      expect(row.signal_count).toBe(expected.signalCount);
      for (const [col, v] of [
        ['sharpe', expected.sharpe],
        ['total_return', expected.totalReturn],
        ['max_drawdown', expected.maxDrawdown],
        ['win_rate', expected.winRate],
      ] as const) {
        if (v === null) expect(row[col], `${m.name} ${col}`).toBeNull();
        else expect(Number(row[col]), `${m.name} ${col}`).toBeCloseTo(v, 9);
      }
    }
    expect(result.signalsJudged).toBe(judged);
    expect(judged).toBeGreaterThan(0);
  });

  it('ranks by Sharpe (the version without signals last), flags the negative ones, and writes the report', async () => {
    const sharpes = result.rankings.map((r) => r.sharpe);
    const withSharpe = sharpes.filter((s): s is number => s !== null);
    expect(withSharpe).toEqual([...withSharpe].sort((a, b) => b - a));
    // combined-score has no WF3 scores here, so no signals and no Sharpe: last.
    expect(result.rankings.at(-1)).toMatchObject({ name: 'combined-score', sharpe: null, signals: 0 });
    expect(result.underperformers.map((u) => u.model).sort()).toEqual(
      result.rankings
        .filter((r) => r.sharpe !== null && r.sharpe < 0)
        .map((r) => `${r.name}@${r.version}`)
        .sort(),
    );
    // The underperformers reached the webhook, once, as one document.
    expect(result.underperformers.length).toBeGreaterThan(0);
    expect(webhook).toHaveLength(1);
    expect(webhook[0].body.alerts.map((a) => [a.severity, a.source, a.at, a.details?.model])).toEqual(
      result.underperformers.map((u) => ['warning', 'performance', D, u.model]),
    );
    expect(webhook[0].body.text).toContain(`underperforms: ${result.underperformers[0].reason}`);
    expect(result.topPerformers).toEqual(
      result.rankings
        .filter((r) => r.sharpe !== null && r.sharpe > 0)
        .slice(0, 3)
        .map((r) => `${r.name}@${r.version}`),
    );

    const store = createObjectStore(config);
    const report = Buffer.from(await store.get(result.reportKey)).toString('utf8');
    expect(report).toContain(`# Model performance ${D}`);
    for (const r of result.rankings) expect(report).toContain(`${r.name}@${r.version}`);
    expect(Buffer.from(await store.get(result.chartKey)).toString('utf8')).toMatch(/^<svg/);
  });

  it('shows through quant rankings and quant models list', async () => {
    const ranked = await runQuant(['rankings', '--date', D, '-o', 'json'], config.temporal.taskQueue);
    expect(ranked.status, ranked.stderr).toBe(0);
    expect(JSON.parse(ranked.stdout)).toMatchObject({ date: D, score: 'sharpe', rankings: result.rankings });
    const table = await runQuant(['rankings'], config.temporal.taskQueue);
    expect(table.stdout).toContain(`chart: `);
    const listed = await createModelRepo(db).list();
    for (const r of result.rankings) expect(listed.find((m) => m.id === r.model_id)).toMatchObject({ lastRank: r.rank, lastRankDate: D });
  });
});
