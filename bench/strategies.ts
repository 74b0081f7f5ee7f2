/**
 * `npm run bench:strategies`: one trading day of 5-minute bars (the seeded
 * synthetic market of `--date`, default 2025-03-14: 49 symbols and the
 * ATEN/INGM pair) replayed through every signal cycle against the local
 * paper broker, on a fresh embedded stack, as `quant run intraday-replay`
 * runs it (the `tradingDay` workflow: bars, the cycles with their hourly
 * risk checks, the end of day). Prints ONE JSON object: `replay_day_s`
 * (wall time of the whole workflow, from start to result), `cycles_s` (the
 * replay step alone), `cycles`, `signals`, `orders` (executed), `rejected`,
 * `p95_cycle_ms` and `max_cycle_ms` (one cycle: mark the venue, the risk
 * check on the hour, every strategy, validate, place), `end_of_day_pnl`.
 * Goal: the day in under 20 s, each cycle's p95 under 250 ms.
 */
import { parseArgs } from 'node:util';
import { freshStack, loadAverage, startBenchWorker } from './support';
import { tradingDay } from '../workflows';
import { workflowIds } from '../workflows/names';

async function main() {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { date: { type: 'string' } }, strict: true });
  const date = values.date ?? '2025-03-14';
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const stack = await freshStack('strategies', { LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'bench-strategies' }, log);
  let closeWorker = async () => undefined as void;
  try {
    const worker = await startBenchWorker(stack);
    closeWorker = worker.close;
    const t0 = performance.now();
    const r = await worker.client.workflow.execute(tradingDay, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: workflowIds.tradingDay(date, 'bench'),
      args: [{ date, tag: 'bench' }],
    });
    const total = (performance.now() - t0) / 1000;
    const result = {
      date,
      replay_day_s: Math.round(total * 100) / 100,
      cycles: r.replay.cycles,
      signals: r.replay.signals,
      orders: r.replay.executed,
      rejected: r.replay.rejected,
      pairs_not_placed: r.replay.notPlaced,
      p95_cycle_ms: Math.round(r.replay.p95CycleMs * 10) / 10,
      max_cycle_ms: Math.round(r.replay.maxCycleMs * 10) / 10,
      risk_checks: r.replay.riskChecks,
      bars_stored: r.bars.bars?.stored ?? 0,
      end_of_day_pnl: r.endOfDay.day ? Math.round(r.endOfDay.day.pnl * 100) / 100 : null,
      ...loadAverage(),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await closeWorker();
    await stack.close();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:strategies failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
