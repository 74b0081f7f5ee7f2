/**
 * Parquet tables of the fan-out: the per-bar result file of one contract
 * (`<CONTRACT>_analysis.parquet`), and the portfolio's equity curve and
 * contract comparison. One home for the column names, types and encodings
 * (signals and trade quality as their labels), so the files read the same
 * whoever writes them, and the aggregation reads back what analysis wrote.
 */
import { readParquet, writeParquet, type ParquetSource } from '../parquet';
import { writeFlatParquet, type FlatColumn } from '../parquet-flat/write-flat';
import { QUALITY_LABELS, SIGNAL_LABELS, signalCode, type SymbolAnalysis } from '../../domain/symbol-analysis';
import type { PortfolioSummary } from '../../domain/fanout-portfolio';

/*
 * Result files are the fan-out's hottest write (one per contract, 418 a run).
 * They go through the flat writer (../parquet-flat), not the general one:
 * required columns from typed arrays, copied into pages as they are, cost a
 * fraction of the general writer's per-value work. Undefined values (the first
 * bar's change and beta) are NaN in DOUBLE columns: pandas and DuckDB read
 * them as missing. No footer statistics (the files are read whole) and no
 * compression: eight of ten columns are continuous doubles, which Snappy
 * shrinks by 7 % for a fifth more encoding time, and every reader supports plain pages.
 */

/** What one contract's result file holds: its bars and the kernel's output over them. */
export interface ContractResultRows {
  timestamps: Float64Array;
  price: Float64Array;
  vix: Float64Array;
  analysis: SymbolAnalysis;
}

/**
 * The columns of one contract's per-bar result: timestamp, price,
 * price_change_pct, spx_change_pct, beta, vix, buy_threshold,
 * sell_threshold, signal (buy/sell/hold), trade_quality (good/bad/neutral).
 * The two label columns are the kernel's codes with their labels.
 */
export function contractResultColumns({ timestamps, price, vix, analysis: a }: ContractResultRows): FlatColumn[] {
  return [
    { name: 'timestamp', type: 'timestamp', data: timestamps },
    { name: 'price', type: 'double', data: price },
    { name: 'price_change_pct', type: 'double', data: a.priceChangePct },
    { name: 'spx_change_pct', type: 'double', data: a.spxChangePct },
    { name: 'beta', type: 'double', data: a.beta },
    { name: 'vix', type: 'double', data: vix },
    { name: 'buy_threshold', type: 'double', data: a.buyThreshold },
    { name: 'sell_threshold', type: 'double', data: a.buyThreshold.map((x) => -x) },
    { name: 'signal', type: 'labels', data: a.signal, labels: SIGNAL_LABELS },
    { name: 'trade_quality', type: 'labels', data: a.quality, labels: QUALITY_LABELS },
  ];
}

/**
 * One contract's per-bar result file (`contractResultColumns`).
 *
 * @example
 *   await store.put(layout.fanoutStaging(prefix, runKey, 'AAPL'), contractResultParquet({ timestamps, price, vix, analysis }));
 */
export function contractResultParquet(rows: ContractResultRows): Uint8Array {
  return writeFlatParquet(contractResultColumns(rows));
}

/** The columns of a result file the portfolio needs, decoded: signal codes and changes (NaN where missing). */
export interface ContractResultSignals {
  /** Only when asked for (the first contract of a run supplies the run's bar times). */
  timestamps?: ArrayLike<number>;
  signal: Int8Array;
  changePct: Float64Array;
}

/**
 * Read back `signal` and `price_change_pct` (and `timestamp` when asked) of a
 * result file written by `contractResultParquet`.
 *
 * @example
 *   const { signal, changePct } = await readContractResultSignals(await objectStoreAsyncBuffer(store, row.resultKey));
 */
export async function readContractResultSignals(
  source: ParquetSource,
  opts: { timestamps?: boolean } = {},
): Promise<ContractResultSignals> {
  const wanted = ['signal', 'price_change_pct'];
  const t = await readParquet(source, { columns: opts.timestamps ? ['timestamp', ...wanted] : wanted });
  const labels = t.columns.signal as ArrayLike<string>;
  const changes = t.columns.price_change_pct as ArrayLike<number | null>;
  // Plain loops: the aggregation decodes every bar of every contract (11.7 M of each for 418 contracts).
  const signal = new Int8Array(labels.length);
  for (let k = 0; k < labels.length; k++) signal[k] = signalCode(labels[k]);
  const changePct = new Float64Array(changes.length);
  for (let k = 0; k < changes.length; k++) changePct[k] = changes[k] ?? NaN;
  return { ...(opts.timestamps ? { timestamps: t.columns.timestamp as ArrayLike<number> } : {}), signal, changePct };
}

/**
 * The portfolio's equity curve: timestamp, portfolio_return_pct, cumulative_pnl_pct.
 *
 * @example
 *   await store.put(layout.fanoutEquity(prefix, runKey), equityCurveParquet(timestamps, portfolio));
 */
export function equityCurveParquet(
  timestamps: ArrayLike<number>,
  p: Pick<PortfolioSummary, 'portfolioReturnPct' | 'cumulativePnlPct'>,
): Uint8Array {
  return writeParquet([
    { name: 'timestamp', type: 'timestamp', data: timestamps },
    { name: 'portfolio_return_pct', type: 'double', data: p.portfolioReturnPct },
    { name: 'cumulative_pnl_pct', type: 'double', data: p.cumulativePnlPct },
  ]);
}

/** One contract of the comparison table. */
export interface ComparisonRow {
  contract: string;
  successRate: number;
  pnlPct: number;
  totalTrades: number;
  avgBeta: number | null;
}

/**
 * The contract comparison: contract, success_rate, pnl_pct, total_trades, avg_beta (nullable).
 *
 * @example
 *   await store.put(layout.fanoutComparison(prefix, runKey), contractComparisonParquet(rows));
 */
export function contractComparisonParquet(rows: readonly ComparisonRow[]): Uint8Array {
  return writeParquet([
    { name: 'contract', type: 'string', data: rows.map((r) => r.contract) },
    { name: 'success_rate', type: 'double', data: rows.map((r) => r.successRate) },
    { name: 'pnl_pct', type: 'double', data: rows.map((r) => r.pnlPct) },
    { name: 'total_trades', type: 'int32', data: rows.map((r) => r.totalTrades) },
    { name: 'avg_beta', type: 'double', data: rows.map((r) => r.avgBeta), nullable: true },
  ]);
}
