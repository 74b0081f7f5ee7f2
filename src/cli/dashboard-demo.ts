/**
 * The dashboard's demo data: what `quant demo --dashboard` runs before it
 * serves the dashboard, and what the dashboard's browser tests run first, so
 * that no page is empty. Everything goes through the real workflows on a
 * worker polling `taskQueue`: a short daily pipeline history (WF1-WF6 for
 * every trading day of the range, prices from the configured provider), the
 * model pipeline over the same days, one replayed intraday trading day on its
 * own book, and a small fan-out run with its aggregate. Each step is
 * idempotent (completed dates are skipped, a finished replay is not redone),
 * so running the demo again only adds what is missing.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config/schema';
import { tradingDays } from '../domain/trading-calendar';
import { replayBook } from '../domain/strategy-book/books';
import { runPipelineRange } from './commands/pipeline';
import { runModelPipeline } from './commands/models';
import { runTradingDay } from './commands/strategies-run';
import { defaultRunKey, followOrchestrator, runAggregate, startOrchestrator } from './fanout-client';

export interface DemoSeed {
  /** Trading days the daily pipeline ran (`pipeline-<date>`), oldest first. */
  pipelineDates: string[];
  /** Days the model pipeline (features, models, performance) ran, oldest first. */
  modelDates: string[];
  /** The intraday day replayed, and the book it traded (`replay:<date>`). */
  replayDate: string;
  replayBook: string;
  /** The fan-out run (`orchestrator-<runKey>`) and its contracts. */
  fanoutRunKey: string;
  fanoutWorkflowId: string;
  fanoutContracts: number;
}

/** Two weeks of March 2025: inside the synthetic market and the seeds' intraday pair data. */
export const DEMO_DAYS = { from: '2025-03-03', to: '2025-03-14', replayDate: '2025-03-14', lookbackDays: 300, contracts: 10 } as const;

export async function seedDashboardDemo(
  client: Client,
  config: Config,
  log: (line: string) => void,
  days: { from: string; to: string; replayDate: string; lookbackDays: number; contracts: number } = DEMO_DAYS,
  /** The fan-out's run key; default: the one `quant run orchestrator` would derive for the same input today. */
  fanoutRunKey?: string,
): Promise<DemoSeed> {
  const taskQueue = config.temporal.taskQueue;
  let t0 = Date.now();
  const took = () => {
    const s = ((Date.now() - t0) / 1000).toFixed(1);
    t0 = Date.now();
    return `${s} s`;
  };
  log(`  daily pipeline ${days.from} .. ${days.to} (WF1-WF6 per trading day, ${days.lookbackDays} days of prices before the first)`);
  const range = await runPipelineRange(client, taskQueue, { from: days.from, to: days.to, lookbackDays: days.lookbackDays });
  log(`    ${range.ran} ran, ${range.skipped} already done (${took()})`);
  log(`  model pipeline ${days.from} .. ${days.to} (features, every active model, performance and rankings)`);
  const models = await runModelPipeline(client, taskQueue, { from: days.from, to: days.to });
  log(`    ${models.tradingDays} trading days (${took()})`);
  log(`  intraday replay of ${days.replayDate} on book ${replayBook(days.replayDate).name}`);
  const replay = await runTradingDay(client, taskQueue, { date: days.replayDate });
  log(`    ${replay.replay.cycles} cycles, ${replay.replay.executed} orders, ${replay.replay.rejected} signals rejected (${took()})`);
  const input = {
    numContracts: days.contracts,
    runIngestion: true,
    runValidation: true,
    dataset: config.fanout.defaultDataset,
    outputPrefix: config.fanout.outputPrefix,
    maxConcurrentChildren: config.fanout.maxConcurrentChildren,
  };
  const runKey = fanoutRunKey ?? defaultRunKey(input, new Date());
  const started = await startOrchestrator(client, taskQueue, { ...input, runKey });
  log(`  fan-out ${started.workflowId}: ${days.contracts} analyzeSymbol children`);
  const fanout = await followOrchestrator(client, started.workflowId);
  await runAggregate(client, taskQueue, runKey, config.fanout.outputPrefix);
  log(`    ${fanout.succeeded} succeeded, ${fanout.failed} failed, then aggregatePortfolio (${took()})`);
  return {
    pipelineDates: tradingDays(days.from, days.to),
    modelDates: tradingDays(days.from, days.to),
    replayDate: days.replayDate,
    replayBook: replayBook(days.replayDate).name,
    fanoutRunKey: runKey,
    fanoutWorkflowId: started.workflowId,
    fanoutContracts: days.contracts,
  };
}
