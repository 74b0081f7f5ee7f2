/**
 * The ingest rules, with expected sessions worked out by hand from the NYSE
 * 2024 calendar (Good Friday 2024-03-29 closed) and expected rows written
 * out from the inputs.
 */
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors';
import {
  backfillSpans,
  barsByDate,
  completedRunRecords,
  knownSymbols,
  malformedRowFailures,
  mergeDayBars,
  outcomeRunRecord,
  recordedFailures,
  resolveFetchWindow,
  stalenessWindow,
} from './ingest-day';

describe('resolveFetchWindow', () => {
  it('defaults: the universe, just `to`', () => {
    expect(resolveFetchWindow({ to: '2024-03-18' }, ['AAPL', 'MSFT'])).toEqual({
      symbols: ['AAPL', 'MSFT'],
      from: '2024-03-18',
      days: ['2024-03-18'],
    });
  });
  it('a lookback counts trading days back over the holiday', () => {
    expect(resolveFetchWindow({ to: '2024-04-01', lookbackDays: 2, symbols: ['BRK.B'] }, [])).toEqual({
      symbols: ['BRK.B'],
      from: '2024-03-27',
      days: ['2024-03-27', '2024-03-28', '2024-04-01'],
    });
  });
  it('requireTradingDay: a weekend `to` has no days even with a lookback', () => {
    expect(resolveFetchWindow({ to: '2024-03-16', lookbackDays: 3, requireTradingDay: true }, ['A']).days).toEqual([]);
    expect(resolveFetchWindow({ to: '2024-03-16', lookbackDays: 1 }, ['A']).days).toEqual(['2024-03-15']);
  });
  it('bad input is an InvalidInputError naming the field', () => {
    const bad =
      (req: Parameters<typeof resolveFetchWindow>[0], symbols = ['A']) =>
      () =>
        resolveFetchWindow(req, symbols);
    expect(bad({ to: '2024-02-30' })).toThrow(new InvalidInputError('to must be a date YYYY-MM-DD, got "2024-02-30"'));
    expect(bad({ to: '2024-03-18', from: '18/03/2024' })).toThrow(/^from must be a date/);
    expect(bad({ to: '2024-03-18', lookbackDays: 1.5 })).toThrow('lookbackDays must be an integer 0..3650, got 1.5');
    expect(bad({ to: '2024-03-18', lookbackDays: 3651 })).toThrow(/lookbackDays/);
    expect(bad({ to: '2024-03-18' }, [])).toThrow('no symbols to ingest');
    expect(bad({ to: '2024-03-18', symbols: ['AAPL', 'DROP TABLE'] })).toThrow('symbol "DROP TABLE" is not a ticker');
    expect(bad({ to: '2024-03-18', from: '2024-03-19' })).toThrow('from 2024-03-19 is after to 2024-03-18');
    try {
      resolveFetchWindow({ to: 'x' }, ['A']);
    } catch (err) {
      expect(err).toMatchObject({ type: 'InvalidInput', retryable: false });
    }
  });
});

describe('malformedRowFailures', () => {
  it('lists the first 100 rows and sums up the rest', () => {
    const rows = Array.from({ length: 103 }, (_, i) => ({ line: i + 2, message: `bad ${i}` }));
    const f = malformedRowFailures(rows);
    expect(f).toHaveLength(101);
    expect(f[0]).toEqual({ symbol: 'line 2', type: 'MalformedRow', message: 'bad 0' });
    expect(f[100]).toEqual({ symbol: '+3 lines', type: 'MalformedRow', message: 'further malformed rows not listed' });
    expect(malformedRowFailures([])).toEqual([]);
  });
});

describe('day files', () => {
  it('barsByDate sorts the dates and keeps input order within a day', () => {
    const m = barsByDate([
      { date: '2024-03-15', symbol: 'B' },
      { date: '2024-03-14', symbol: 'A' },
      { date: '2024-03-15', symbol: 'A' },
    ]);
    expect([...m.keys()]).toEqual(['2024-03-14', '2024-03-15']);
    expect(m.get('2024-03-15')!.map((b) => b.symbol)).toEqual(['B', 'A']);
  });
  it('mergeDayBars keeps other symbols of the existing file, replaces the fresh ones, sorts by symbol', () => {
    const existing = [
      { symbol: 'MSFT', v: 1 },
      { symbol: 'AAPL', v: 1 },
    ];
    expect(
      mergeDayBars(existing, [
        { symbol: 'AAPL', v: 2 },
        { symbol: 'XOM', v: 2 },
      ]),
    ).toEqual([
      { symbol: 'AAPL', v: 2 },
      { symbol: 'MSFT', v: 1 },
      { symbol: 'XOM', v: 2 },
    ]);
  });
});

describe('quality inputs', () => {
  it('knownSymbols drops symbols the provider called unknown', () => {
    expect(
      knownSymbols(
        ['A', 'ZZZZ', 'B'],
        [
          { symbol: 'ZZZZ', type: 'UnknownSymbol', message: '' },
          { symbol: 'B', type: 'ProviderError', message: '' },
        ],
      ),
    ).toEqual(['A', 'B']);
  });
  it('stalenessWindow: the run date and staleAfterDays + 1 sessions before it', () => {
    expect(stalenessWindow('2024-04-01', 1)).toEqual(['2024-03-27', '2024-03-28', '2024-04-01']);
  });
  it('recordedFailures cuts messages', () => {
    expect(recordedFailures([{ symbol: 'A', type: 'T', message: 'x'.repeat(400) }])[0].message).toHaveLength(300);
  });
});

describe('ingest_runs records', () => {
  const done = {
    runDate: '2024-03-15',
    provider: 'synthetic',
    symbols: 2,
    tradingDays: ['2024-03-14', '2024-03-15'],
    bars: [{ date: '2024-03-14' }, { date: '2024-03-14' }, { date: '2024-03-15' }],
    rejected: 1,
    quality: 0.75,
    stale: ['B'],
    failures: [{ symbol: 'ZZZZ', type: 'UnknownSymbol', message: 'unknown' }],
    parquetKey: 'p/last',
    reportKey: 'r/ingest.md',
  };
  it('single: one row for the run date', () => {
    expect(completedRunRecords(done, 'single', () => 'unused')).toEqual([
      {
        runDate: '2024-03-15',
        provider: 'synthetic',
        status: 'completed',
        symbols: 2,
        rowsStored: 3,
        rejectedTicks: 1,
        qualityScore: 0.75,
        staleSymbols: ['B'],
        failedSymbols: done.failures,
        parquetKey: 'p/last',
        reportKey: 'r/ingest.md',
      },
    ]);
  });
  it('perDay: one row per trading day with its completeness (bars / symbols) and file', () => {
    const rows = completedRunRecords(done, 'perDay', (d) => `md/${d}`);
    expect(rows.map((r) => [r.runDate, r.rowsStored, r.qualityScore, r.parquetKey, r.reportKey, r.rejectedTicks])).toEqual([
      ['2024-03-14', 2, 1, 'md/2024-03-14', null, 0],
      ['2024-03-15', 1, 0.5, 'md/2024-03-15', null, 0],
    ]);
    expect(completedRunRecords({ ...done, symbols: 0 }, 'perDay', (d) => d)[0].qualityScore).toBe(1);
  });
  it('outcome: no bars, the error cut to 500 characters', () => {
    const r = outcomeRunRecord({
      runDate: '2024-03-16',
      provider: 'synthetic',
      status: 'failed',
      symbols: 49,
      error: 'e'.repeat(600),
      reportKey: 'r',
    });
    expect(r).toMatchObject({
      rowsStored: 0,
      qualityScore: null,
      parquetKey: null,
      failedSymbols: [{ symbol: '*', type: 'IngestFailed' }],
    });
    expect(r.failedSymbols[0].message).toHaveLength(500);
    expect(outcomeRunRecord({ runDate: 'd', provider: 'p', status: 'no_trading_data', symbols: 1, reportKey: 'r' }).failedSymbols).toEqual(
      [],
    );
  });
});

describe('backfillSpans', () => {
  it('chunks the trading days, the last one shorter', () => {
    expect(backfillSpans('2024-03-25', '2024-04-02', 3)).toEqual({
      spans: [
        { n: 0, from: '2024-03-25', to: '2024-03-27', days: 3 },
        { n: 1, from: '2024-03-28', to: '2024-04-02', days: 3 },
      ],
      tradingDays: 6,
    });
    expect(backfillSpans('2024-03-16', '2024-03-17', 5)).toEqual({ spans: [], tradingDays: 0 });
  });
  it('bad input names the field', () => {
    expect(() => backfillSpans('2024-04-02', '2024-03-25', 3)).toThrow('from 2024-04-02 is after to 2024-03-25');
    expect(() => backfillSpans('2024-03-25', '2024-04-02', 0)).toThrow('chunkDays must be a positive integer, got 0');
    expect(() => backfillSpans('2024-3-25', '2024-04-02', 1)).toThrow(/^from must be a date/);
  });
});
