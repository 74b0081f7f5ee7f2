/**
 * The object-store key layout (DESIGN.md "Object store layout"), in one place.
 * Keys derive only from inputs (run key, contract, date), so a retried write
 * lands on the same key.
 */
import type { BarInterval } from '../domain/strategies/types';

function datePath(date: Date): string {
  const y = date.getUTCFullYear();
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `year=${y}/month=${m}/day=${d}`;
}

/**
 * Every workflow that writes a report, by its folder under reports/ (its
 * workflow type). `layout.report` takes only these, so a new report writer
 * cannot be missed by `quant report`.
 */
export const REPORT_WORKFLOWS = [
  'ingest',
  'screen',
  'signal',
  'rebalance',
  'monitor',
  'backtest',
  'riskAnalysis',
  'orchestrator',
  'validateData',
  'aggregatePortfolio',
  'performance',
  'portfolioRisk',
  'endOfDay',
] as const;
export type ReportWorkflow = (typeof REPORT_WORKFLOWS)[number];

export const layout = {
  /** The load -> analyze claim check (series-blob format), deleted once the result is saved. */
  fanoutInput: (prefix: string, runKey: string, contract: string) => `${prefix}/${runKey}/input/${contract}.f64`,
  fanoutManifest: (prefix: string, runKey: string) => `${prefix}/${runKey}/input/manifest.json`,
  fanoutStaging: (prefix: string, runKey: string, contract: string) => `${prefix}/${runKey}/staging/${contract}_analysis.parquet`,
  fanoutResult: (prefix: string, runKey: string, contract: string) => `${prefix}/${runKey}/results/${contract}_analysis.parquet`,
  fanoutEquity: (prefix: string, runKey: string) => `${prefix}/${runKey}/portfolio/equity_curve.parquet`,
  fanoutComparison: (prefix: string, runKey: string) => `${prefix}/${runKey}/portfolio/contract_comparison.parquet`,
  /** screening/year=YYYY/month=MM/day=DD/screening.parquet (WF2) */
  screening: (date: Date) => `screening/${datePath(date)}/screening.parquet`,
  /** signals/year=YYYY/month=MM/day=DD/signals.parquet (WF3) */
  signals: (date: Date) => `signals/${datePath(date)}/signals.parquet`,
  /** rebalancing/year=YYYY/month=MM/day=DD/{target_weights,trade_orders}.parquet (WF4) */
  rebalancing: (date: Date, name: 'target_weights' | 'trade_orders') => `rebalancing/${datePath(date)}/${name}.parquet`,
  /** Claim-check intermediates of a daily workflow: work/<workflow>/year=.../<name>; overwritten by a rerun of the same date. */
  dailyWork: (workflow: string, date: Date, name: string) => `work/${workflow}/${datePath(date)}/${name}`,
  /** market_data/source=<provider>/year=YYYY/month=MM/day=DD/market_data.parquet (WF1: one file per trading day, every symbol of that day) */
  marketDataDay: (source: string, date: Date) => `market_data/source=${source}/${datePath(date)}/market_data.parquet`,
  /**
   * intraday/source=<provider>/year=YYYY/month=MM/day=DD/bars_<interval>.parquet: one file per session and bar
   * length, every symbol of that day (issue 14); `date` is the New York trading day (YYYY-MM-DD or its UTC midnight).
   */
  intradayBars: (source: string, date: string | Date, interval: BarInterval) =>
    `intraday/source=${source}/${datePath(typeof date === 'string' ? new Date(`${date}T00:00:00Z`) : date)}/bars_${interval}.parquet`,
  /** WF1 claim-check files of one run (raw and validated bars), keyed by the run's workflow ID. */
  ingestStaging: (runKey: string, name: string) => `work/ingest/staging/${runKey}/${name}`,
  /** Completion marker of one backfill chunk: a rerun of the backfill skips chunks that have one. */
  ingestChunkMarker: (backfillKey: string, chunk: number) =>
    `work/ingest/backfill/${backfillKey}/chunk-${String(chunk).padStart(4, '0')}.json`,
  /** reports/<workflow>/year=YYYY/month=MM/day=DD/<name>.md */
  report: (workflow: ReportWorkflow, date: Date, name: string) => `reports/${workflow}/${datePath(date)}/${name}.md`,
  /** A file that a report links to, next to it: reports/<workflow>/year=.../<file> (e.g. an SVG chart). */
  reportAsset: (workflow: ReportWorkflow, date: Date, file: string) => `reports/${workflow}/${datePath(date)}/${file}`,
};
