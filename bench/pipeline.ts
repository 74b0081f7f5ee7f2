/**
 * `npm run bench:pipeline [-- --date 2025-06-27]`: the daily pipeline on the
 * embedded stack with an in-process worker (prebuilt bundle, like
 * production), printing ONE JSON object:
 * - wf1_3_s: `pipeline-<date>` = WF1 ingest (49 symbols, the date plus 252
 *   trading days of lookback: a year of history) -> WF2 screen -> WF3 signal,
 *   client start to result;
 * - backfill_10y_s: `ingestBackfill` of 10 years x 49 symbols (chunked),
 *   every chunk written (`backfill_chunks_skipped` is 0);
 * - headlines_per_s: the sentiment classifier over the held-out headlines;
 * - load_avg_1m/5m/15m: how busy the machine was.
 * Every run starts its own stack in a fresh temporary data folder on free
 * ports (bench/support.ts), so a second run does the same work as the first
 * rather than finding the date's rows and the backfill's chunks already there.
 * Uses MARKET_DATA_PROVIDER (synthetic by default) and whatever news keys are set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runPipeline } from '../src/cli/commands/pipeline';
import { runIngestBackfill } from '../src/cli/commands/ingest';
import { createSentimentClassifier, measureClassifierThroughput } from '../src/adapters/sentiment';
import { freshStack, loadAverage, startBenchWorker } from './support';

const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

/** Headlines of the held-out set (data/sentiment/test.csv: "label","text"). */
function heldOutHeadlines(): string[] {
  const text = readFileSync(join(__dirname, '..', 'data', 'sentiment', 'test.csv'), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => {
      const m = /^"[^"]*","(.*)"$/.exec(l.trim());
      return (m ? m[1] : l.split(',').slice(1).join(',')).replace(/""/g, '"');
    });
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { date: { type: 'string' }, 'skip-backfill': { type: 'boolean' } },
    strict: true,
  });
  const date = values.date ?? '2025-06-27';
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const stack = await freshStack(
    'pipeline',
    { MARKET_DATA_PROVIDER: process.env.MARKET_DATA_PROVIDER ?? 'synthetic', LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'bench-pipeline' },
    log,
  );
  const { config } = stack;
  const result: Record<string, unknown> = { date, symbols: 49, provider: config.marketData.provider };
  let closeWorker = async () => undefined as void;
  try {
    const worker = await startBenchWorker(stack);
    closeWorker = worker.close;
    const { client } = worker;
    let t0 = performance.now();
    const p = await runPipeline(client, config.temporal.taskQueue, { date, lookbackDays: 252 });
    result.wf1_3_s = seconds(t0);
    result.wf1_3_status = p.status;
    result.wf1_3_rows = { ingest: p.ingest.rowsWritten, screen: p.screen?.symbols ?? 0, signal: p.signal?.symbols ?? 0 };

    if (values['skip-backfill']) {
      result.backfill_10y_s = null;
      result.backfill_reason = 'skipped (--skip-backfill)';
    } else {
      t0 = performance.now();
      const b = await runIngestBackfill(client, config.temporal.taskQueue, { from: '2015-01-01', to: '2024-12-31' });
      result.backfill_10y_s = seconds(t0);
      result.backfill_rows = b.rowsStored;
      result.backfill_chunks = b.chunks;
      result.backfill_chunks_skipped = b.skipped;
      result.backfill_chunks_failed = b.failed;
    }

    const clf = await createSentimentClassifier(config);
    try {
      const t = await measureClassifierThroughput(clf, heldOutHeadlines(), { rounds: 20 });
      result.headlines_per_s = Math.round(t.headlinesPerSecond);
      result.classifier = clf.modelName;
    } finally {
      await clf.close();
    }
    Object.assign(result, loadAverage());
  } finally {
    await closeWorker();
    await stack.close();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:pipeline failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
