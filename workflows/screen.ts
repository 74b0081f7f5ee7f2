/**
 * `screen` (WF2): the daily multi-factor screen for one run date. Load
 * prices -> metrics -> (cluster || score and rank) -> merge -> store ->
 * report. Only object keys and small summaries pass between the steps.
 * A date without bars in `market_data` ends as `no_trading_data`, not as a
 * failure. ID `screen-<date>`; `Pipeline = 'daily'`, `RunDate = <date>`.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FactorWeights } from '../src/domain/screening';
import { PIPELINE_DAILY } from './names';
import { resolveRunDate } from './run-date';
import { tagRun } from './tag-run';
import { screenInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY } from './activity-options';

export interface ScreenInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
  /** Factor weights override (default momentum 30, low vol 25, RSI 20, Sharpe 25). */
  weights?: Partial<FactorWeights>;
}

export interface ScreenResult {
  date: string;
  status: 'completed' | 'no_trading_data';
  symbols: number;
  skipped: string[];
  clusters: number;
  quintileCounts: number[];
  parquetKey: string | null;
  reportKey: string | null;
}

// Infrastructure faults are retried through the worker's outage window; data errors fail at once.
const acts = proxyActivities<Activities>(LONG_ACTIVITY);

export async function screen(input: ScreenInput = {}): Promise<ScreenResult> {
  validateInput('screen', screenInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_DAILY, runDate: date });
  setCurrentDetails(`loading prices up to ${date}`);
  const loaded = await acts.loadScreenPrices.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `load prices up to ${date} from market_data` },
    [{ date }],
  );
  if (loaded.status === 'no_trading_data') {
    setCurrentDetails(`no trading data on ${date}`);
    return {
      date,
      status: 'no_trading_data',
      symbols: 0,
      skipped: [],
      clusters: 0,
      quintileCounts: [0, 0, 0, 0, 0],
      parquetKey: null,
      reportKey: null,
    };
  }
  setCurrentDetails(`metrics for ${loaded.symbols} symbols`);
  const metrics = await acts.computeScreenMetrics.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `returns and metrics (${loaded.symbols} symbols, ${loaded.bars} bars)` },
    [{ date, pricesKey: loaded.pricesKey }],
  );
  setCurrentDetails('clustering and scoring');
  const [clusters, scores] = await Promise.all([
    acts.clusterSymbols.executeWithOptions({ startToCloseTimeout: '5 minutes', summary: `k-means, elbow K (${metrics.symbols} symbols)` }, [
      { date, metricsKey: metrics.metricsKey },
    ]),
    acts.scoreSymbols.executeWithOptions({ startToCloseTimeout: '5 minutes', summary: 'composite score, z-scores, ranks, quintiles' }, [
      { date, metricsKey: metrics.metricsKey, weights: input.weights },
    ]),
  ]);
  const merged = await acts.mergeScreening.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `merge scores and ${clusters.k} clusters` },
    [{ date, metricsKey: metrics.metricsKey, clustersKey: clusters.clustersKey, scoresKey: scores.scoresKey }],
  );
  setCurrentDetails('storing');
  const stored = await acts.storeScreening.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `store ${merged.symbols} rows (Postgres + Parquet)` },
    [{ date, mergedKey: merged.mergedKey, k: clusters.k, weights: scores.weights }],
  );
  const report = await acts.writeScreenReport.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `report screen-${date}.md` },
    [
      {
        date,
        mergedKey: merged.mergedKey,
        k: clusters.k,
        inertias: clusters.inertias,
        weights: scores.weights,
        skipped: loaded.skipped,
        parquetKey: stored.parquetKey,
      },
    ],
  );
  setCurrentDetails(`done: ${merged.symbols} symbols, K = ${clusters.k}`);
  return {
    date,
    status: 'completed',
    symbols: merged.symbols,
    skipped: loaded.skipped.map((s) => s.symbol),
    clusters: clusters.k,
    quintileCounts: merged.quintileCounts,
    parquetKey: stored.parquetKey,
    reportKey: report.reportKey,
  };
}
