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
 *   the machine's load average (the 1-minute one also before the run).
 * Every run does the same work: a fresh stack in a fresh data folder on free
 * ports, removed afterwards (bench/support.ts).
 */
import { parseArgs } from 'node:util';
import { runPipelineRange } from '../src/cli/commands/pipeline';
import { freshStack, loadAverage, startBenchWorker } from './support';

const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

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
  const stack = await freshStack(
    'range',
    { MARKET_DATA_PROVIDER: 'synthetic', LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'bench-pipeline-range' },
    (m) => process.stderr.write(`${m}\n`),
  );
  const taskQueue = stack.config.temporal.taskQueue;
  try {
    const { client, close } = await startBenchWorker(stack);
    try {
      const input = {
        from: values.from!,
        to: values.to!,
        lookbackDays: Number(values['lookback-days']),
        ...(values['dates-per-run'] ? { datesPerRun: Number(values['dates-per-run']) } : {}),
      };
      const loadBefore = loadAverage().load_avg_1m;
      const t0 = performance.now();
      const r = await runPipelineRange(client, taskQueue, input);
      const s = seconds(t0);
      const t1 = performance.now();
      const again = await runPipelineRange(client, taskQueue, input);
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
          load_avg_1m_before: loadBefore,
          ...loadAverage(),
        })}\n`,
      );
    } finally {
      await close();
    }
  } finally {
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:pipeline-range failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
