/**
 * The rules of WF1 `ingest` and its backfill that are not tick validation
 * (tick-validation.ts): which window and symbols a request means and when it
 * is bad input, how malformed file rows are reported, how a day's Parquet
 * file merges a rerun with what it held, the per-day completeness of a
 * backfill chunk, and how a backfill splits into chunks. Bad input is an
 * `InvalidInputError` whose message names the field.
 */
import { isIsoDate, tradingDaysBack } from './dates';
import { InvalidInputError } from './errors';
import { isTradingDay, tradingDays } from './trading-calendar';

/** Longest lookback a daily ingest accepts, in trading days (about 14 years). */
export const MAX_LOOKBACK_DAYS = 3650;
/** Malformed file rows listed one by one; the rest are summed up in one line (the list travels through history). */
export const MALFORMED_ROWS_LISTED = 100;

const TICKER = /^[A-Za-z0-9.^=-]{1,20}$/;

/** A per-symbol failure as providers report them. */
export interface IngestFailure {
  symbol: string;
  type: string;
  message: string;
}

/**
 * `value` must be a real calendar date `YYYY-MM-DD`, else an
 * InvalidInputError naming `field`.
 */
export function assertIsoDate(field: string, value: string): void {
  if (!isIsoDate(value)) throw new InvalidInputError(`${field} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
}

/** What a fetch was asked for (the activity's input, without its run key). */
export interface FetchRequest {
  /** Last day (the run date of a daily ingest). */
  to: string;
  /** First day; default: `lookbackDays` trading days before `to` (0 = just `to`). */
  from?: string;
  lookbackDays?: number;
  /** Default: the caller's universe. */
  symbols?: readonly string[];
  /** Daily ingest: a non-trading `to` is "no trading data" even when the lookback has days. */
  requireTradingDay?: boolean;
}

/**
 * The window and symbols of a fetch: `symbols` default to
 * `defaultSymbols`; `from` defaults to `lookbackDays` trading days before
 * `to` (0 = just `to`); the trading days are those of [from, to], none when
 * `requireTradingDay` is set and `to` is not one (a daily run on a weekend
 * or holiday). Throws InvalidInputError naming the field for: a date that
 * is not a date, a lookback that is not an integer 0..3650, no symbols, a
 * symbol that is not a ticker, or `from` after `to`.
 *
 * @example
 *   resolveFetchWindow({ to: '2024-03-18', lookbackDays: 1 }, ['AAPL']).days // ['2024-03-15', '2024-03-18']
 */
export function resolveFetchWindow(
  req: FetchRequest,
  defaultSymbols: readonly string[],
): { symbols: string[]; from: string; days: string[] } {
  assertIsoDate('to', req.to);
  if (req.from !== undefined) assertIsoDate('from', req.from);
  const lookback = req.lookbackDays ?? 0;
  if (!Number.isInteger(lookback) || lookback < 0 || lookback > MAX_LOOKBACK_DAYS) {
    throw new InvalidInputError(`lookbackDays must be an integer 0..${MAX_LOOKBACK_DAYS}, got ${lookback}`);
  }
  const symbols = [...(req.symbols ?? defaultSymbols)];
  if (symbols.length === 0) throw new InvalidInputError('no symbols to ingest');
  const badSymbol = symbols.find((s) => !TICKER.test(s));
  if (badSymbol !== undefined) throw new InvalidInputError(`symbol ${JSON.stringify(badSymbol)} is not a ticker`);
  const from = req.from ?? tradingDaysBack(req.to, lookback);
  if (from > req.to) throw new InvalidInputError(`from ${from} is after to ${req.to}`);
  const days = req.requireTradingDay && !isTradingDay(req.to) ? [] : tradingDays(from, req.to);
  return { symbols, from, days };
}

/**
 * Malformed file rows as failures (`line N`, type `MalformedRow`): the first
 * 100 listed, the rest summed up in one more entry.
 */
export function malformedRowFailures(rejected: readonly { line: number; message: string }[]): IngestFailure[] {
  const listed: IngestFailure[] = rejected
    .slice(0, MALFORMED_ROWS_LISTED)
    .map((row) => ({ symbol: `line ${row.line}`, type: 'MalformedRow', message: row.message }));
  if (rejected.length > MALFORMED_ROWS_LISTED) {
    listed.push({
      symbol: `+${rejected.length - MALFORMED_ROWS_LISTED} lines`,
      type: 'MalformedRow',
      message: 'further malformed rows not listed',
    });
  }
  return listed;
}

/** Bars split by date, dates ascending, each day's bars in input order. */
export function barsByDate<B extends { date: string }>(bars: readonly B[]): Map<string, B[]> {
  const m = new Map<string, B[]>();
  for (const b of bars) {
    let list = m.get(b.date);
    if (!list) m.set(b.date, (list = []));
    list.push(b);
  }
  return new Map([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A day file after a (possibly partial-universe) rerun: the fresh bars,
 * plus the existing bars of symbols the rerun did not bring, sorted by
 * symbol. Nothing of another symbol is lost; nothing is duplicated.
 */
export function mergeDayBars<B extends { symbol: string }>(existing: readonly B[], fresh: readonly B[]): B[] {
  const mine = new Set(fresh.map((b) => b.symbol));
  const rows = [...existing.filter((b) => !mine.has(b.symbol)), ...fresh];
  return rows.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

/** Completeness of one day: bars stored / symbols expected; 1 when no symbol was expected. */
export const dayCompleteness = (bars: number, symbols: number): number => (symbols ? bars / symbols : 1);

/** The trading days over which staleness is judged: the run date and the `staleAfterDays + 1` sessions before it. */
export const stalenessWindow = (runDate: string, staleAfterDays: number): string[] =>
  tradingDays(tradingDaysBack(runDate, staleAfterDays + 1), runDate);

/** Failures as recorded on the run row and in reports: messages cut to `maxMessage` characters. */
export const recordedFailures = (failures: readonly IngestFailure[], maxMessage = 300): IngestFailure[] =>
  failures.map((f) => ({ symbol: f.symbol, type: f.type, message: f.message.slice(0, maxMessage) }));

/** One chunk of a backfill: consecutive trading days. */
export interface BackfillSpan {
  n: number;
  from: string;
  to: string;
  days: number;
}

/**
 * The trading days of [from, to] in chunks of `chunkDays` (the last may be
 * shorter), numbered from 0. Throws InvalidInputError naming the field for
 * a date that is not a date, `from` after `to`, or a chunk size that is not
 * a positive integer.
 *
 * @example
 *   backfillSpans('2024-03-11', '2024-03-15', 2) // 0: 11..12, 1: 13..14, 2: 15..15
 */
export function backfillSpans(from: string, to: string, chunkDays: number): { spans: BackfillSpan[]; tradingDays: number } {
  assertIsoDate('from', from);
  assertIsoDate('to', to);
  if (from > to) throw new InvalidInputError(`from ${from} is after to ${to}`);
  if (!Number.isInteger(chunkDays) || chunkDays < 1) throw new InvalidInputError(`chunkDays must be a positive integer, got ${chunkDays}`);
  const days = tradingDays(from, to);
  const spans: BackfillSpan[] = [];
  for (let i = 0, n = 0; i < days.length; i += chunkDays, n++) {
    const part = days.slice(i, i + chunkDays);
    spans.push({ n, from: part[0], to: part[part.length - 1], days: part.length });
  }
  return { spans, tradingDays: days.length };
}

/** The requested symbols a provider did not reject as unknown: the ones quality and staleness are judged on. */
export function knownSymbols(symbols: readonly string[], failures: readonly IngestFailure[]): string[] {
  const unknown = new Set(failures.filter((f) => f.type === 'UnknownSymbol').map((f) => f.symbol));
  return symbols.filter((s) => !unknown.has(s));
}

/** One `ingest_runs` row: the record of one run date. */
export interface IngestRunRecord {
  runDate: string;
  provider: string;
  status: 'completed' | 'no_trading_data' | 'failed';
  symbols: number;
  rowsStored: number;
  rejectedTicks: number;
  qualityScore: number | null;
  staleSymbols: string[];
  failedSymbols: IngestFailure[];
  parquetKey: string | null;
  reportKey: string | null;
}

/** What a completed ingest (a daily run, or a backfill chunk) recorded. */
export interface CompletedIngest {
  runDate: string;
  provider: string;
  /** Known symbols (`knownSymbols`). */
  symbols: number;
  tradingDays: readonly string[];
  bars: readonly { date: string }[];
  rejected: number;
  quality: number;
  stale: readonly string[];
  failures: readonly IngestFailure[];
  /** The run's last Parquet file (single) and report (null: none). */
  parquetKey: string | null;
  reportKey: string | null;
}

/**
 * The `ingest_runs` rows of a completed ingest. 'single' (a daily run): one
 * row for the run date with the run's quality, stale symbols and report.
 * 'perDay' (a backfill chunk): one row per trading day, each with its own
 * bar count, completeness (`dayCompleteness`) and Parquet file
 * (`dayParquetKey`), no report. Failures are recorded cut (`recordedFailures`).
 */
export function completedRunRecords(
  x: CompletedIngest,
  mode: 'single' | 'perDay',
  dayParquetKey: (date: string) => string,
): IngestRunRecord[] {
  const common = { provider: x.provider, status: 'completed' as const, symbols: x.symbols, failedSymbols: recordedFailures(x.failures) };
  if (mode === 'single') {
    const { runDate, rejected: rejectedTicks, quality: qualityScore, parquetKey, reportKey } = x;
    return [
      { ...common, runDate, rowsStored: x.bars.length, rejectedTicks, qualityScore, staleSymbols: [...x.stale], parquetKey, reportKey },
    ];
  }
  const perDay = barsByDate(x.bars);
  return x.tradingDays.map((d) => {
    const stored = perDay.get(d)?.length ?? 0;
    const qualityScore = dayCompleteness(stored, x.symbols);
    return {
      ...common,
      runDate: d,
      rowsStored: stored,
      rejectedTicks: 0,
      qualityScore,
      staleSymbols: [],
      parquetKey: dayParquetKey(d),
      reportKey: null,
    };
  });
}

/** The `ingest_runs` row of a run without bars: a non-trading day, or a failure (its error cut to 500 characters). */
export function outcomeRunRecord(x: {
  runDate: string;
  provider: string;
  status: 'no_trading_data' | 'failed';
  symbols: number;
  error?: string;
  reportKey: string;
}): IngestRunRecord {
  const failedSymbols = x.error ? [{ symbol: '*', type: 'IngestFailed', message: x.error.slice(0, 500) }] : [];
  const { runDate, provider, status, symbols, reportKey } = x;
  return {
    runDate,
    provider,
    status,
    symbols,
    rowsStored: 0,
    rejectedTicks: 0,
    qualityScore: null,
    staleSymbols: [],
    failedSymbols,
    parquetKey: null,
    reportKey,
  };
}

/** One backfill chunk's outcome: carried through continue-as-new and listed in the backfill report. */
export interface BackfillChunkOutcome {
  n: number;
  from: string;
  to: string;
  status: 'completed' | 'skipped' | 'failed';
  rows?: number;
  quality?: number;
  error?: string;
}
