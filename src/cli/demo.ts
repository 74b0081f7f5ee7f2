/**
 * `npm run demo`: everything a new user needs to see the fan-out work, in one
 * command. Brings up the embedded stack, migrates, generates the synthetic
 * dataset if missing, runs a worker in this process, runs `orchestrator` for
 * N contracts with validation and then `aggregatePortfolio`, and prints the
 * summary table, the report locations and the Web UI links. The stack stays
 * up for browsing until `quant stack down`.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../config/schema';
import { stackUp } from '../stack/stack';
import { createPool } from '../adapters/postgres/pool';
import { migrate } from '../adapters/postgres/migrate';
import { createFanoutRepo } from '../adapters/postgres/fanout-repo';
import { createObjectStore } from '../adapters/object-store';
import { ingestHourlyDataset } from '../adapters/hourly-dataset/ingest';
import { buildWorker } from '../worker/worker';
import { connectClient, defaultRunKey, followOrchestrator, runAggregate, startOrchestrator } from './fanout-client';
import { createProgressPrinter } from './progress';
import { fmt, mdTable } from '../reports/markdown';
import { serve } from './commands/api';
import { seedDashboardDemo } from './dashboard-demo';

const log = (s: string) => process.stdout.write(`${s}\n`);

export async function runDemo(config: Config, opts: { contracts: number; dashboard?: boolean }): Promise<void> {
  if (opts.dashboard) return runDashboardDemo(config);
  // The demo prints its own story; the SDK's info logs (bundler output, worker states) would bury it.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  log('1/5 starting the embedded stack (first run builds the Temporal CLI with go install: a few minutes)');
  const e = await stackUp(config, log);
  const db = createPool(e.databaseUrl, 4);
  const handle = await (async () => {
    await migrate(db);
    const store = createObjectStore(config);
    log(`2/5 dataset "${config.fanout.defaultDataset}" (generated once; 418 contracts x 28,048 hourly bars)`);
    const t0 = Date.now();
    const ds = await ingestHourlyDataset(store, { dataset: config.fanout.defaultDataset, provider: 'synthetic', seed: config.data.seed });
    log(
      `    ${ds.skipped ? 'found' : 'generated'} ${ds.contracts} contracts x ${ds.bars} bars in ${((Date.now() - t0) / 1000).toFixed(1)} s (sha256 ${ds.datasetHash.slice(0, 12)}...)`,
    );
    log('3/5 starting a worker on task queue ' + config.temporal.taskQueue);
    return buildWorker({ config, temporalAddress: e.temporalAddress, databaseUrl: e.databaseUrl });
  })();
  const client = await connectClient(e.temporalAddress, config.temporal.namespace);
  try {
    await handle.worker.runUntil(async () => {
      const input = {
        numContracts: opts.contracts,
        runIngestion: false,
        runValidation: true,
        dataset: config.fanout.defaultDataset,
        outputPrefix: config.fanout.outputPrefix,
        failContracts: [],
        maxConcurrentChildren: config.fanout.maxConcurrentChildren,
      };
      const runKey = defaultRunKey(input, new Date());
      const started = await startOrchestrator(client, config.temporal.taskQueue, { ...input, runKey });
      log(`4/5 orchestrator ${started.workflowId}: ${opts.contracts} analyzeSymbol children`);
      const bar = createProgressPrinter();
      const result = await followOrchestrator(client, started.workflowId, (p) => bar.update(p)).finally(() => bar.end());
      log('5/5 aggregatePortfolio');
      const agg = await runAggregate(client, config.temporal.taskQueue, runKey);
      const rows = await createFanoutRepo(db).listResults(runKey);
      log('');
      log(
        mdTable(
          ['Contract', 'Bars', 'Trades', 'Good', 'Bad', 'Success %', 'Avg beta', 'Avg VIX', 'P&L %'],
          rows.map((r) => [
            r.contract,
            r.bars,
            r.totalTrades,
            r.goodTrades,
            r.badTrades,
            fmt(r.successRate),
            fmt(r.avgBeta, 3),
            fmt(r.avgVix),
            fmt(r.pnlPct),
          ]),
        ),
      );
      log('');
      log(`run ${runKey}: ${result.succeeded} succeeded, ${result.failed} failed, validation ${result.validation}`);
      log(
        `portfolio: total P&L ${fmt(agg.totalPnlPct)} %, Sharpe ${fmt(agg.sharpe, 3)}, win rate ${agg.winRate === null ? 'n/a' : fmt(agg.winRate * 100) + ' %'}`,
      );
      const store = createObjectStore(config);
      log(`run report:       ${store.locate(result.reportKey)}`);
      log(`portfolio report: ${store.locate(agg.reportKey)}`);
      if (e.uiUrl) {
        log(`Web UI:           ${e.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${started.workflowId}`);
        log(
          `children by contract: ${e.uiUrl}/namespaces/${config.temporal.namespace}/workflows?query=${encodeURIComponent("Pipeline='fanout' AND Contract='AAPL'")}`,
        );
      }
      log('The stack stays up for browsing; stop it with: npx quant stack down');
    });
  } finally {
    await client.connection.close();
    await handle.close();
    await db.end();
  }
}

/**
 * `npm run demo:dashboard` (`quant demo --dashboard`): the embedded stack, a worker in this process, the
 * dashboard's demo data through the real workflows (dashboard-demo.ts), then the execution service with its
 * dashboard until Ctrl-C, with a fresh key to sign in with.
 */
async function runDashboardDemo(config: Config): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  log('1/3 starting the embedded stack (first run builds the Temporal CLI with go install: a few minutes)');
  const e = await stackUp(config, log);
  const db = createPool(e.databaseUrl, 4);
  await migrate(db).finally(() => db.end());
  log(`2/3 the dashboard's data, through the workflows on a worker in this process (about a minute the first time)`);
  const handle = await buildWorker({ config, temporalAddress: e.temporalAddress, databaseUrl: e.databaseUrl });
  const client = await connectClient(e.temporalAddress, config.temporal.namespace);
  try {
    await handle.worker.runUntil(() => seedDashboardDemo(client, config, log));
  } finally {
    await client.connection.close();
    await handle.close();
  }
  if (e.uiUrl) log(`    runs in the Web UI: ${e.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
  log('3/3 the execution service and its dashboard (Ctrl-C stops it; the stack stays up until "npx quant stack down")');
  await serve(config, { demoKey: `dashboard-demo-${new Date().toISOString().slice(0, 10)}` });
}
