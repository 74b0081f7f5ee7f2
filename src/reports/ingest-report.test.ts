/**
 * The ingest reports from hand-built runs: each expected line is written
 * out from the run's numbers, not produced by the renderer.
 */
import { describe, expect, it } from 'vitest';
import { renderBackfillReport, renderIngestOutcome, renderIngestReport } from './ingest-report';

describe('renderIngestReport', () => {
  const md = renderIngestReport({
    runDate: '2024-03-15',
    provider: 'file',
    from: '2024-03-15',
    to: '2024-03-15',
    symbols: ['AAPL', 'MSFT'],
    tradingDays: ['2024-03-15'],
    failures: [{ symbol: 'line 3', type: 'MalformedRow', message: 'high | low' }],
    rejected: 1,
    rejectedSample: [{ symbol: 'MSFT', date: '2024-03-15', reason: 'non_positive_price', detail: 'close 0' }],
    stored: { written: 1, unchanged: 0 },
    parquet: { files: 1 },
    rows: 1,
    quality: 0.5,
    perSymbol: [
      { symbol: 'AAPL', expected: 1, present: 1, score: 1 },
      { symbol: 'MSFT', expected: 1, present: 0, score: 0 },
    ],
    stale: [{ symbol: 'MSFT', lastDate: null, tradingDaysBehind: 3 }],
  });
  it('summary, failures (pipes made slashes), rejected ticks, stale symbols, completeness', () => {
    expect(md.split('\n')[2]).toBe('Provider: file · window 2024-03-15 .. 2024-03-15 (1 trading day) · symbols requested: 2');
    expect(md).toContain('| rows written / unchanged in Postgres | 1 / 0 |');
    expect(md).toContain('| quality score | 0.5000 |');
    expect(md).toContain('| symbols failed | line 3 (MalformedRow) |');
    expect(md).toContain('| line 3 | MalformedRow | high / low |');
    expect(md).toContain('| MSFT | 2024-03-15 | non_positive_price | close 0 |');
    expect(md).toContain('| MSFT | none | 3 |');
    expect(md).toContain('| MSFT | 1 | 0 | 0.000 |');
  });
});

describe('renderIngestOutcome', () => {
  it('says why there are no bars', () => {
    expect(renderIngestOutcome({ runDate: '2024-03-16', provider: 'synthetic', symbols: 49, status: 'no_trading_data' })).toBe(
      '# Ingest 2024-03-16\n\nProvider: synthetic · symbols requested: 49\n\nNo trading data: 2024-03-16 is not an NYSE trading day (weekend or holiday). Nothing was fetched or stored.\n',
    );
    expect(renderIngestOutcome({ runDate: 'd', provider: 'p', symbols: 1, status: 'failed', error: 'boom' })).toContain(
      'FAILED: boom. No rows were committed',
    );
  });
});

describe('renderBackfillReport', () => {
  it('counts the chunks by outcome and lists them', () => {
    const md = renderBackfillReport({
      from: '2024-01-02',
      to: '2024-03-28',
      provider: 'synthetic',
      symbols: 49,
      chunks: [
        { n: 0, from: '2024-01-02', to: '2024-02-14', status: 'completed', rows: 1470, quality: 1 },
        { n: 1, from: '2024-02-15', to: '2024-03-28', status: 'failed', error: 'db down' },
      ],
    });
    expect(md).toContain('chunks: 2 (completed 1, skipped as already done 0, failed 1)');
    expect(md).toContain('| 0 | 2024-01-02 | 2024-02-14 | completed | 1470 | 1.0000 |  |');
    expect(md).toContain('| 1 | 2024-02-15 | 2024-03-28 | failed |  |  | db down |');
  });
});
