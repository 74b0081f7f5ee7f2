/**
 * `npm run bench:pipeline-range [-- --from 2025-02-03 --to 2025-03-18] [--lookback-days 300] [--dates-per-run 25]`:
 * prints ONE JSON object:
 * - pipeline_range_s: `pipeline-range-<from>-<to>` (the daily pipeline,
 *   WF1 -> WF6, for every NYSE trading day of the range, in order; 31 days
 *   by default, WF1 of the first date with `--lookback-days` of history),
 *   client start to result, what `quant run pipeline --from --to` waits for;
 * - pipeline_range_per_date_s: the same divided by the trading days;
 * - pipeline_range_rerun_s: the same range again, where every date is
 *   skipped as already completed (the cost of resuming a finished range);
 * - the range's counts (ran, skipped, runs of the continue-as-new chain) and
 *   the machine's 1-minute load average before and after.
 * Every run does the same work: a fresh data folder (Temporal SQLite,
 * embedded Postgres, object store) on free ports, removed afterwards, unless
 * QUANT_DATA_DIR is set (then that stack is used and kept).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflows } from '../scripts/bundle-workflows';
import { loadConfig } from '../src/config/load';
import { stackDown, stackUp } from '../src/stack/stack';
import { freePort } from '../src/stack/free-port';
import { createPool } from '../src/adapters/postgres/pool';
import { migrate } from '../src/adapters/postgres/migrate';
import { buildWorker } from '../src/worker/worker';
import { connectClient } from '../src/cli/fanout-client';
import { runPipelineRange } from '../src/cli/commands/pipeline';

const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;
const load1 = () => Math.round(loadavg()[0] * 100) / 100;

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      from: { type: 'string', default: '2025-02-03' },
      to: { type: 'string', default: '2025-03-18' },
      'lookback-days': { type: 'string', default: '300' },
      'dates-per-run': { type: 'string' },
    },
    strict: true,
  });
  const fresh = !process.env.QUANT_DATA_DIR;
  const dataDir = fresh ? mkdtempSync(join(tmpdir(), 'quant-bench-range-')) : resolve(process.env.QUANT_DATA_DIR!);
  const config = loadConfig({
    MARKET_DATA_PROVIDER: 'synthetic',
    LOG_LEVEL: 'warn',
    ...process.env,
    QUANT_DATA_DIR: dataDir,
    ...(fresh
      ? {
          TEMPORAL_PORT: String(await freePort()),
          TEMPORAL_UI_PORT: String(await freePort()),
          EMBEDDED_PG_PORT: String(await freePort()),
        }
      : {}),
    TEMPORAL_TASK_QUEUE: 'bench-pipeline-range',
  });
  const e = await stackUp(config, (m) => process.stderr.write(`${m}\n`));
  try {
    const db = createPool(e.databaseUrl, 2);
    await migrate(db);
    await db.end();
    const bundle = await bundleWorkflows(join(dataDir, 'bench', 'workflow-bundle.js'));
    const w = await buildWorker({
      config,
      temporalAddress: e.temporalAddress,
      databaseUrl: e.databaseUrl,
      workflowBundlePath: bundle.path,
    });
    const running = w.worker.run();
    const client = await connectClient(e.temporalAddress, config.temporal.namespace);
    try {
      const input = {
        from: values.from!,
        to: values.to!,
        lookbackDays: Number(values['lookback-days']),
        ...(values['dates-per-run'] ? { datesPerRun: Number(values['dates-per-run']) } : {}),
      };
      const loadBefore = load1();
      const t0 = performance.now();
      const r = await runPipelineRange(client, config.temporal.taskQueue, input);
      const s = seconds(t0);
      const t1 = performance.now();
      const again = await runPipelineRange(client, config.temporal.taskQueue, input);
      const rerun = seconds(t1);
      process.stdout.write(
        `${JSON.stringify({
          pipeline_range_s: s,
          pipeline_range_per_date_s: r.tradingDays ? Math.round((s / r.tradingDays) * 100) / 100 : null,
          pipeline_range_rerun_s: rerun,
          from: r.from,
          to: r.to,
          trading_days: r.tradingDays,
          lookback_days: input.lookbackDays,
          ran: r.ran,
          skipped: r.skipped,
          no_trading_data: r.noTradingData,
          continue_as_new_runs: r.runs,
          rerun_ran: again.ran,
          rerun_skipped: again.skipped,
          load_avg_1m: { before: loadBefore, after: load1() },
        })}\n`,
      );
    } finally {
      w.worker.shutdown();
      await running.catch(() => undefined);
      await w.close();
      await client.connection.close();
    }
  } finally {
    if (fresh) {
      await stackDown(config);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:pipeline-range failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
