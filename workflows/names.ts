/**
 * Names that workflows, the CLI, the worker and the stack must agree on:
 * search attribute keys, workflow types, workflow ID builders. Kept here
 * (workflow-safe: no Node imports) so every side imports the same constants.
 */
import { defineSearchAttributeKey } from '@temporalio/common';

export const SEARCH_ATTRIBUTES = {
  Contract: defineSearchAttributeKey('Contract', 'KEYWORD'),
  RunDate: defineSearchAttributeKey('RunDate', 'DATETIME'),
  /**
   * The same business date as a Keyword ('2026-12-01'): equality on a Datetime
   * (`RunDate = '2026-12-01T00:00:00Z'`) finds nothing on the dev server's
   * SQLite visibility store, so `RunDay = '2026-12-01'` is the one to query with.
   */
  RunDay: defineSearchAttributeKey('RunDay', 'KEYWORD'),
  Pipeline: defineSearchAttributeKey('Pipeline', 'KEYWORD'),
  /** A registered model version, `name@version`, on its model runs. */
  Model: defineSearchAttributeKey('Model', 'KEYWORD'),
} as const;

/** Registration form for the operator service / `--search-attribute` flags. */
export const SEARCH_ATTRIBUTE_TYPES: Record<string, 'Keyword' | 'Datetime'> = {
  Contract: 'Keyword',
  RunDate: 'Datetime',
  RunDay: 'Keyword',
  Pipeline: 'Keyword',
  Model: 'Keyword',
};

export const PIPELINE_FANOUT = 'fanout';
/** The daily pipeline (WF1..WF6); every run sets `Pipeline = 'daily'`. */
export const PIPELINE_DAILY = 'daily';
/** The model pipeline (features, model runs, performance); every run sets `Pipeline = 'models'`. */
export const PIPELINE_MODELS = 'models';
/** The execution service's workflows (reconciliation, risk analysis); every run sets `Pipeline = 'trading'`. */
export const PIPELINE_TRADING = 'trading';
/** The intraday strategies (bars, signal cycles, risk checks, end of day, replays); every run sets `Pipeline = 'intraday'`. */
export const PIPELINE_INTRADAY = 'intraday';

/** Run keys are embedded in IDs and object keys, so they are restricted to a safe alphabet. */
export const RUN_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const workflowIds = {
  orchestrator: (runKey: string) => `orchestrator-${runKey}`,
  subOrchestrator: (runKey: string, shard: string) => `orchestrator-${runKey}-shard-${shard}`,
  analyzeSymbol: (contract: string, runKey: string) => `analyze-${contract}-${runKey}`,
  ingestMarketData: (runKey: string) => `ingest-market-data-${runKey}`,
  validateData: (runKey: string) => `validate-data-${runKey}`,
  aggregatePortfolio: (runKey: string) => `aggregate-${runKey}`,
  ingest: (date: string) => `ingest-${date}`,
  /** `key` is `<from>-<to>`, plus a symbols hash when not the default universe. */
  ingestBackfill: (key: string) => `ingest-backfill-${key}`,
  ingestBackfillChunk: (key: string, n: number) => `ingest-backfill-${key}-chunk-${n}`,
  screen: (date: string) => `screen-${date}`,
  signal: (date: string) => `signal-${date}`,
  pipeline: (date: string) => `pipeline-${date}`,
  /** The daily pipeline over [from, to], one `pipeline-<date>` child per trading day. */
  pipelineRange: (from: string, to: string) => `pipeline-range-${from}-${to}`,
  monitor: (date: string) => `monitor-${date}`,
  /** The model pipeline's feature computation for `date`. */
  features: (date: string) => `features-${date}`,
  /** Every active model version for `date`, one `modelRun` child each. */
  models: (date: string) => `models-${date}`,
  modelRun: (name: string, version: number, date: string) => `model-run-${name}-v${version}-${date}`,
  /** The models' performance test for `date`. */
  performance: (date: string) => `performance-${date}`,
  /** features, models and performance over [from, to], one trading day after another. */
  modelPipeline: (from: string, to: string) => `model-pipeline-${from}-${to}`,
  /** The daily backtest ending on `date` (its row is keyed by the resolved (start, end) window). */
  backtest: (date: string) => `backtest-${date}`,
  rebalance: (date: string) => `rebalance-${date}`,
  /** The long-running reconciliation loop, one per broker (`paper`, `alpaca`). */
  reconciliation: (broker: string) => `reconciliation-${broker}`,
  /** The on-demand risk analysis as of `date`. */
  riskAnalysis: (date: string) => `risk-analysis-${date}`,
  /** Intraday bars of a session up to a New York time (`0945`), or the whole session (`close`). */
  intradayData: (date: string, upTo: string) => `intraday-data-${date}-${upTo}`,
  /** One signal cycle; `book` is `live` or `replay`. Instant as `YYYYMMDDTHHMMZ`. */
  strategySignals: (book: string, instant: string) => `strategy-signals-${book}-${instant}`,
  portfolioRisk: (book: string, instant: string) => `portfolio-risk-${book}-${instant}`,
  endOfDay: (book: string, date: string) => `end-of-day-${book}-${date}`,
  /** A replayed trading day (bars, every cycle, end of day); `tag` tells replays of one day apart. */
  tradingDay: (date: string, tag?: string) => `trading-day-${date}${tag ? `-${tag}` : ''}`,
};

/** A cycle instant in workflow IDs: `20250314T1835Z` (UTC, to the minute). */
export function instantId(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
}
