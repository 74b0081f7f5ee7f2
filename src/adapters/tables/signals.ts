/**
 * The Parquet table of the `signal` workflow (WF3):
 * `signals/year=.../signals.parquet`, one row per candidate, best combined
 * score first. One home for the column names and types, so the file reads
 * the same whoever writes it.
 */
import type { CombinedSignal } from '../../domain/signal-day';
import { writeParquet } from '../parquet';

/**
 * The day's signals as Parquet.
 *
 * @example
 *   await store.put(layout.signals(day), signalsParquet(date, rows));
 */
export function signalsParquet(date: string, rows: readonly CombinedSignal[]): Uint8Array {
  return writeParquet(
    [
      { name: 'run_date', type: 'timestamp', data: rows.map(() => Date.parse(`${date}T00:00:00Z`)) },
      { name: 'symbol', type: 'string', data: rows.map((r) => r.symbol) },
      { name: 'sector', type: 'string', data: rows.map((r) => r.sector), nullable: true },
      { name: 'quintile', type: 'int32', data: rows.map((r) => r.quintile) },
      { name: 'technical_score', type: 'double', data: rows.map((r) => r.technicalScore) },
      { name: 'fundamental_score', type: 'double', data: rows.map((r) => r.fundamentalScore) },
      { name: 'sentiment_score', type: 'double', data: rows.map((r) => r.sentimentScore) },
      { name: 'has_sentiment', type: 'boolean', data: rows.map((r) => r.hasSentiment) },
      { name: 'news_count', type: 'int32', data: rows.map((r) => r.newsCount) },
      { name: 'combined_score', type: 'double', data: rows.map((r) => r.combinedScore) },
      { name: 'signal', type: 'string', data: rows.map((r) => r.signal) },
      { name: 'close', type: 'double', data: rows.map((r) => r.close), nullable: true },
    ],
    { metadata: { workflow: 'signal', run_date: date } },
  );
}
