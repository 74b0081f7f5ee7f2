/**
 * The Runs page's routes on the real service: each listed run carries the
 * reports its run table names (every daily step's, the newest backtest
 * window of the day, a fan-out's run and portfolio reports) and its Web UI
 * links (a fan-out's children filtered to the ones with a Contract); with
 * Temporal unreachable the fan-out runs are still listed and the answer says
 * why the daily ones are not; a report comes back as HTML with its chart
 * inlined, a key outside reports/ is refused naming `key`, a missing one is
 * 404.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../adapters/object-store';
import type { Db } from '../../adapters/postgres/pool';
import { freePort } from '../../stack/free-port';
import { call, createKey, eventually, startTestService, type TestService } from '../../../tests/api-support';
import { testClient, testConfig, testDb, uniqueName } from '../../../tests/helpers';
import { reportsOfRuns, runReportId } from './run-reports';
import type { RunLine } from './run-list';
import { fanoutChildrenLink } from './runs';

const UI = 'http://ui.test:8233';
/** A day no other test file's runs use: its rows here are this file's alone (its own database). */
const DAY = '2024-07-05';
const line = (kind: RunLine['kind'], workflow: string, run: string): RunLine => ({
  kind,
  workflow,
  workflowId: `${workflow}-${run}`,
  run,
  status: 'completed',
  startedAt: '2026-01-01T00:00:00.000Z',
  closedAt: null,
  detail: '',
  webUi: null,
});

let db: Db;
let client: Client;
const services: TestService[] = [];
beforeAll(async () => {
  db = testDb();
  client = await testClient();
});
afterAll(async () => {
  for (const s of services) await s.close();
  await client?.connection.close();
  await db?.end();
});

async function insertFanoutRun(runKey: string, reportKey: string, aggregateKey: string): Promise<void> {
  await db.query(
    `INSERT INTO fanout_runs (run_key, workflow_id, dataset, dataset_hash, config_hash, num_contracts, status, succeeded, failed, report_key, finished_at)
     VALUES ($1, $2, 'ds', 'h', 'c', 3, 'completed', 3, 0, $3, now())`,
    [runKey, `orchestrator-${runKey}`, reportKey],
  );
  await db.query(
    `INSERT INTO fanout_aggregates (run_key, contracts, total_pnl_pct, equity_key, report_key) VALUES ($1, 3, 1.5, 'fanout/x/portfolio/equity_curve.parquet', $2)`,
    [runKey, aggregateKey],
  );
}

describe('reportsOfRuns', () => {
  it('names each daily step’s report of its date, the newest backtest window, and a fan-out’s two reports', async () => {
    const key = (w: string) => `reports/${w}/year=2024/month=07/day=05/${w}-${DAY}.md`;
    await db.query(
      `INSERT INTO ingest_runs (run_date, provider, status, symbols, rows_stored, rejected_ticks, report_key) VALUES ($1, 'synthetic', 'completed', 1, 1, 0, $2)`,
      [DAY, key('ingest')],
    );
    await db.query(`INSERT INTO screening_runs (run_date, symbols, lookback_days, weights, report_key) VALUES ($1, 1, 30, '{}', $2)`, [
      DAY,
      key('screen'),
    ]);
    await db.query(`INSERT INTO signal_runs (run_date, symbols, weights, distribution, report_key) VALUES ($1, 1, '{}', '{}', $2)`, [
      DAY,
      key('signal'),
    ]);
    await db.query(
      `INSERT INTO rebalancing_runs (run_date, status, outcome, cash_before, report_key) VALUES ($1, 'executed', 'traded', 1000, $2)`,
      [DAY, key('rebalance')],
    );
    await db.query(`INSERT INTO monitoring_runs (run_date, status, report_key) VALUES ($1, 'completed', $2)`, [DAY, key('monitor')]);
    // Two windows ending on the day: the one written last is the run's.
    await db.query(
      `INSERT INTO backtest_runs (start_date, end_date, run_date, status, initial_capital, report_key, updated_at)
       VALUES ('2024-06-01', $1, $1, 'completed', 1000, 'reports/backtest/old.md', now() - interval '1 day'),
              ('2024-07-01', $1, $1, 'completed', 1000, $2, now())`,
      [DAY, key('backtest')],
    );
    const runKey = uniqueName('run');
    await insertFanoutRun(runKey, `reports/orchestrator/x/${runKey}.md`, `reports/aggregatePortfolio/x/${runKey}.md`);

    const lines = [
      ...['ingest', 'screen', 'signal', 'rebalance', 'monitor', 'backtest', 'pipeline'].map((w) => line('daily', w, DAY)),
      line('daily', 'monitor', '2024-07-08'),
      line('fanout', 'orchestrator', runKey),
    ];
    const reports = await reportsOfRuns(db, lines);
    const of = (l: RunLine) => reports.get(runReportId(l));
    expect(of(lines[0])).toEqual([{ label: 'Ingest report', key: key('ingest') }]);
    expect(of(lines[1])).toEqual([{ label: 'Screening report', key: key('screen') }]);
    expect(of(lines[2])).toEqual([{ label: 'Signal report', key: key('signal') }]);
    expect(of(lines[3])).toEqual([{ label: 'Rebalance report', key: key('rebalance') }]);
    expect(of(lines[4])).toEqual([{ label: 'Monitor report', key: key('monitor') }]);
    expect(of(lines[5])).toEqual([{ label: 'Backtest report', key: key('backtest') }]);
    expect(of(lines[6])).toBeUndefined(); // the pipeline writes none of its own
    expect(of(lines[7])).toBeUndefined(); // no monitoring row that day
    expect(of(lines[8])).toEqual([
      { label: 'Run report', key: `reports/orchestrator/x/${runKey}.md` },
      { label: 'Portfolio report', key: `reports/aggregatePortfolio/x/${runKey}.md` },
    ]);
  });
});

describe('GET /api/runs', () => {
  it('lists a running daily run from visibility with its report and link, and a fan-out run with its children link', async () => {
    const svc = await startTestService(db, { TEMPORAL_UI_URL: UI });
    services.push(svc);
    const key = await createKey(db, 'read');
    const runKey = uniqueName('run');
    await insertFanoutRun(runKey, `reports/orchestrator/x/${runKey}.md`, `reports/aggregatePortfolio/x/${runKey}.md`);
    await db.query(
      `INSERT INTO screening_runs (run_date, symbols, lookback_days, weights, report_key) VALUES ($1, 1, 30, '{}', $2) ON CONFLICT (run_date) DO NOTHING`,
      [DAY, `reports/screen/year=2024/month=07/day=05/screen-${DAY}.md`],
    );
    // A daily run nobody works on (its task queue has no worker): listed as running until terminated.
    const workflowId = uniqueName(`screen-${DAY}`);
    const handle = await client.workflow.start('screen', {
      taskQueue: uniqueName('tq-nobody'),
      workflowId,
      args: [{ date: DAY }],
      searchAttributes: { Pipeline: ['daily'], RunDate: [new Date(`${DAY}T00:00:00Z`)], RunDay: [DAY] },
    });
    try {
      // Visibility catches up asynchronously.
      const body = await eventually(
        'the daily run in the listing',
        async () => {
          const r = await call(svc.url, key, 'GET', '/api/runs?limit=200');
          return r.body.runs?.some((x: { workflow_id: string }) => x.workflow_id === workflowId) ? r.body : undefined;
        },
        20_000,
      );
      expect(body.missing).toEqual([]);
      expect(body.runs.find((x: { workflow_id: string }) => x.workflow_id === workflowId)).toEqual({
        kind: 'daily',
        workflow: 'screen',
        workflow_id: workflowId,
        run: DAY,
        status: 'running',
        started_at: expect.any(String),
        closed_at: null,
        detail: '',
        web_ui: `${UI}/namespaces/default/workflows/${workflowId}`,
        children_web_ui: null,
        reports: [{ label: 'Screening report', key: `reports/screen/year=2024/month=07/day=05/screen-${DAY}.md` }],
      });
      const fanout = body.runs.find((x: { run: string }) => x.run === runKey);
      expect(fanout).toMatchObject({
        kind: 'fanout',
        workflow: 'orchestrator',
        status: 'completed',
        web_ui: `${UI}/namespaces/default/workflows/orchestrator-${runKey}`,
        children_web_ui: fanoutChildrenLink(UI, 'default', `orchestrator-${runKey}`),
        reports: [
          { label: 'Run report', key: `reports/orchestrator/x/${runKey}.md` },
          { label: 'Portfolio report', key: `reports/aggregatePortfolio/x/${runKey}.md` },
        ],
      });
      const query = decodeURIComponent(new URL(fanout.children_web_ui).searchParams.get('query')!);
      expect(query).toBe(`Pipeline = 'fanout' AND RootWorkflowId = 'orchestrator-${runKey}' AND Contract IS NOT NULL`);
      // Newest first across both kinds.
      const starts = body.runs.map((x: { started_at: string }) => x.started_at);
      expect(starts).toEqual([...starts].sort().reverse());
    } finally {
      await handle.terminate('test done');
    }
  });

  it('with Temporal unreachable, lists the fan-out runs and says why the daily ones are missing', async () => {
    const svc = await startTestService(db, { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    services.push(svc);
    const key = await createKey(db, 'read');
    const r = await call(svc.url, key, 'GET', '/api/runs');
    expect(r.status).toBe(200);
    expect(r.body.missing).toEqual([
      {
        source: 'daily',
        reason: expect.stringMatching(/^daily runs not listed \(Temporal\): Temporal at 127\.0\.0\.1:\d+ is not reachable/),
      },
    ]);
    expect(r.body.runs.length).toBeGreaterThan(0);
    expect(r.body.runs.every((x: { kind: string }) => x.kind === 'fanout')).toBe(true);
    // No UI address configured: no links, rather than broken ones.
    expect(r.body.runs[0]).toMatchObject({ web_ui: null, children_web_ui: null });
  });

  it('refuses a limit out of range, naming it', async () => {
    const svc = services[0];
    const r = await call(svc.url, await createKey(db, 'read'), 'GET', '/api/runs?limit=0');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_request', field: 'limit' });
  });
});

describe('GET /api/runs/report', () => {
  it('renders a report with its chart inlined; refuses a key outside reports/ naming `key`; 404 for a missing one', async () => {
    const svc = services[0];
    const key = await createKey(db, 'read');
    const store = createObjectStore(testConfig());
    const dir = `reports/monitor/${uniqueName('test')}`;
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4" cx="5" cy="5"/></svg>';
    await store.put(`${dir}/chart.svg`, svg);
    await store.put(`${dir}/monitor.md`, '# Monitor\n\n<b>raw</b>\n\n![Equity curve](chart.svg)\n');

    const ok = await call(svc.url, key, 'GET', `/api/runs/report?key=${encodeURIComponent(`${dir}/monitor.md`)}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ key: `${dir}/monitor.md`, title: 'Monitor', charts: { inlined: 1, missing: [] } });
    expect(ok.body.html).toContain('&lt;b&gt;raw&lt;/b&gt;');
    expect(ok.body.html).toContain(`<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" alt="Equity curve">`);

    for (const bad of ['market_data/x.md', 'reports/monitor/../../x.md', `${dir}/chart.svg`]) {
      const r = await call(svc.url, key, 'GET', `/api/runs/report?key=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(r.body, bad).toMatchObject({ error: 'invalid_request', field: 'key' });
    }
    const missing = await call(svc.url, key, 'GET', `/api/runs/report?key=${encodeURIComponent(`${dir}/gone.md`)}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found', field: 'key' });
  });
});
