/**
 * The reports of WF1 `ingest`: the run report (what was fetched, stored and
 * rejected, the quality score, stale and failed symbols, completeness per
 * symbol), the short report of a run without bars (a non-trading day or a
 * failure), and the backfill report (one line per chunk). Pure functions of
 * the run's numbers.
 */
import type { IngestFailure } from '../domain/ingest-day';
import type { RejectedTick, StaleSymbol, SymbolQuality } from '../domain/tick-validation';
import { mdTable } from './markdown';
import type { BackfillChunkOutcome } from '../domain/ingest-day';

/** What the ingest run report shows. */
export interface IngestReportInput {
  runDate: string;
  provider: string;
  from: string;
  to: string;
  symbols: readonly string[];
  tradingDays: readonly string[];
  failures: readonly IngestFailure[];
  rejected: number;
  rejectedSample: readonly RejectedTick[];
  stored: { written: number; unchanged: number };
  parquet: { files: number };
  /** Valid bars stored. */
  rows: number;
  quality: number;
  perSymbol: readonly SymbolQuality[];
  stale: readonly StaleSymbol[];
}

/**
 * The Markdown report of an ingest run that stored bars.
 *
 * @example
 *   await store.put(reportKey, renderIngestReport({ ...input, rows: bars.length, quality: q.overall, perSymbol: q.perSymbol, stale }));
 */
export function renderIngestReport(x: IngestReportInput): string {
  const days = x.tradingDays.length;
  const lines = [
    `# Ingest ${x.runDate}`,
    '',
    `Provider: ${x.provider} · window ${x.from} .. ${x.to} (${days} trading day${days === 1 ? '' : 's'}) · symbols requested: ${x.symbols.length}`,
    '',
    '## Summary',
    '',
    mdTable(
      ['measure', 'value'],
      [
        ['bars stored (valid)', x.rows],
        ['rows written / unchanged in Postgres', `${x.stored.written} / ${x.stored.unchanged}`],
        ['Parquet files', x.parquet.files],
        ['ticks rejected', x.rejected],
        ['quality score', x.quality.toFixed(4)],
        ['stale symbols', x.stale.length ? x.stale.map((s) => s.symbol).join(', ') : 'none'],
        ['symbols failed', x.failures.length ? x.failures.map((f) => `${f.symbol} (${f.type})`).join(', ') : 'none'],
      ],
    ),
    '',
  ];
  if (x.failures.length) {
    const rows = x.failures.map((f) => [f.symbol, f.type, f.message.replace(/\|/g, '/').slice(0, 200)]);
    lines.push('## Symbol failures', '', mdTable(['symbol', 'type', 'message'], rows), '');
  }
  if (x.rejectedSample.length) {
    const rows = x.rejectedSample.map((r) => [r.symbol, r.date, r.reason, r.detail]);
    lines.push('## Rejected ticks (first 20)', '', mdTable(['symbol', 'date', 'reason', 'detail'], rows), '');
  }
  if (x.stale.length) {
    const rows = x.stale.map((s) => [s.symbol, s.lastDate ?? 'none', s.tradingDaysBehind]);
    lines.push('## Stale symbols', '', mdTable(['symbol', 'last bar', 'trading days behind'], rows), '');
  }
  const completeness = x.perSymbol.map((s) => [s.symbol, s.expected, s.present, s.score.toFixed(3)]);
  lines.push('## Completeness per symbol', '', mdTable(['symbol', 'expected days', 'bars', 'score'], completeness), '');
  return lines.join('\n');
}

/**
 * The report of a run without bars: a non-trading day, or a failure after
 * retries (nothing committed: the Postgres store is one transaction).
 */
export function renderIngestOutcome(x: {
  runDate: string;
  provider: string;
  symbols: number;
  status: 'no_trading_data' | 'failed';
  error?: string;
}): string {
  const what =
    x.status === 'no_trading_data'
      ? `No trading data: ${x.runDate} is not an NYSE trading day (weekend or holiday). Nothing was fetched or stored.`
      : `FAILED: ${x.error ?? 'unknown error'}. No rows were committed for this run (the Postgres store is one transaction).`;
  return `# Ingest ${x.runDate}\n\nProvider: ${x.provider} · symbols requested: ${x.symbols}\n\n${what}\n`;
}

/** The Markdown report of a backfill: counts by outcome, then one line per chunk. */
export function renderBackfillReport(x: {
  from: string;
  to: string;
  provider: string;
  symbols: number;
  chunks: readonly BackfillChunkOutcome[];
}): string {
  const count = (s: BackfillChunkOutcome['status']) => x.chunks.filter((c) => c.status === s).length;
  return [
    `# Ingest backfill ${x.from} .. ${x.to}`,
    '',
    `Provider: ${x.provider} · symbols: ${x.symbols} · chunks: ${x.chunks.length} (completed ${count('completed')}, skipped as already done ${count('skipped')}, failed ${count('failed')})`,
    '',
    mdTable(
      ['chunk', 'from', 'to', 'status', 'rows', 'quality', 'error'],
      x.chunks.map((c) => [c.n, c.from, c.to, c.status, c.rows ?? '', c.quality === undefined ? '' : c.quality.toFixed(4), c.error ?? '']),
    ),
    '',
  ].join('\n');
}
