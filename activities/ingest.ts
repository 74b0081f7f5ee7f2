/**
 * Activities of WF1 `ingest` and its backfill: fetch end-of-day bars from the
 * configured provider, validate ticks, store to Postgres and to hive-partitioned
 * Parquet (two activities the workflow runs in parallel), check quality,
 * record the run and write the report. Bars travel between steps as object
 * keys (claim check: `work/ingest/staging/<runKey>/...`), never through
 * workflow history; every write is idempotent (upserts on (symbol, date),
 * object keys from the inputs).
 */
import { Context } from '@temporalio/activity';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { MarketDataRepo } from '../src/adapters/postgres/market-data-repo';
import type { DataProvider, EodBar, SymbolFailure } from '../src/adapters/market-data/types';
import { barsFromParquet, barsToParquet } from '../src/adapters/market-data/bars-parquet';
import { layout } from '../src/adapters/layout';
import { isTradingDay, tradingDays } from '../src/domain/trading-calendar';
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { qualityScore, staleSymbols, validateTicks, type RejectedTick } from '../src/domain/tick-validation';
import { asActivityFailure, invalidInput } from './support/failures';

export interface IngestSettings {
  maxSpreadBps: number;
  staleAfterDays: number;
  backfillChunkDays: number;
}

export interface IngestDeps {
  store: ObjectStore;
  marketDataRepo: MarketDataRepo;
  marketDataProvider: DataProvider;
  ingestSettings: IngestSettings;
}

export interface FetchMarketDataInput {
  /** The run's workflow ID: names its staging files. */
  runKey: string;
  /** Last day (the run date of a daily ingest). */
  to: string;
  /** First day; default: `lookbackDays` trading days before `to` (0 = just `to`). */
  from?: string;
  lookbackDays?: number;
  /** Default: the 49-name DAILY_UNIVERSE. */
  symbols?: string[];
  /** Daily ingest: a non-trading `to` is "no trading data" even when the lookback has days. */
  requireTradingDay?: boolean;
}

export interface FetchMarketDataResult {
  provider: string;
  /** The symbols requested (the default universe resolved). */
  symbols: string[];
  from: string;
  to: string;
  tradingDays: string[];
  /** null when there was nothing to fetch (no trading day in range). */
  stagingKey: string | null;
  bars: number;
  failures: SymbolFailure[];
}

export interface ValidateMarketDataResult {
  validatedKey: string;
  kept: number;
  rejected: number;
  /** The first rejected ticks, for the report. */
  rejectedSample: RejectedTick[];
}

export interface StorePostgresResult {
  written: number;
  unchanged: number;
}

export interface StoreParquetResult {
  files: number;
  keys: string[];
}

export interface QualityCheckInput {
  runKey: string;
  runDate: string;
  provider: string;
  from: string;
  to: string;
  symbols: string[];
  tradingDays: string[];
  failures: SymbolFailure[];
  validatedKey: string;
  rejected: number;
  rejectedSample: RejectedTick[];
  stored: StorePostgresResult;
  parquet: StoreParquetResult;
  /** 'single': one ingest_runs row for runDate; 'perDay': one per trading day (backfill chunks). */
  runRows: 'single' | 'perDay';
  /** Write the markdown report under reports/ingest/... with this name (no report when absent). */
  reportName?: string;
  /** Backfill: write this completion marker last. */
  markerKey?: string;
}

export interface QualityCheckResult {
  qualityScore: number;
  staleSymbols: string[];
  lowQualitySymbols: { symbol: string; score: number }[];
  reportKey: string | null;
}

export interface RecordOutcomeInput {
  runDate: string;
  status: 'no_trading_data' | 'failed';
  symbols: string[];
  error?: string;
  reportName: string;
}

export interface BackfillChunk {
  n: number;
  from: string;
  to: string;
  days: number;
  markerKey: string;
  done: boolean;
}

export interface PlanBackfillInput {
  from: string;
  to: string;
  backfillKey: string;
  chunkDays?: number;
}

export interface BackfillReportInput {
  backfillKey: string;
  from: string;
  to: string;
  symbols: number;
  chunks: { n: number; from: string; to: string; status: 'completed' | 'skipped' | 'failed'; rows?: number; quality?: number; error?: string }[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const asDate = (d: string) => new Date(`${d}T00:00:00Z`);
const DAY_MS = 86_400_000;

function assertDate(name: string, d: string): void {
  if (!ISO_DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) {
    throw invalidInput(`${name} must be a date YYYY-MM-DD, got ${JSON.stringify(d)}`);
  }
}

/** The trading day `n` sessions before `date` (date itself counts as 0 when it trades). */
function tradingDaysBack(date: string, n: number): string {
  let t = Date.parse(`${date}T00:00:00Z`);
  let d = date;
  let left = n;
  while (left > 0) {
    t -= DAY_MS;
    d = new Date(t).toISOString().slice(0, 10);
    if (isTradingDay(d)) left--;
  }
  return d;
}

function mdTable(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Split bars by date, in date order. */
function byDate(bars: readonly EodBar[]): Map<string, EodBar[]> {
  const m = new Map<string, EodBar[]>();
  for (const b of bars) {
    let list = m.get(b.date);
    if (!list) m.set(b.date, (list = []));
    list.push(b);
  }
  return new Map([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function createIngestActivities(deps: IngestDeps) {
  const { store, marketDataRepo: repo, marketDataProvider: provider, ingestSettings: settings } = deps;

  const readBars = async (key: string) => barsFromParquet(await store.get(key), key);

  return {
    /** Step 1: fetch from the provider and park the bars in a staging Parquet file. */
    async fetchMarketData(input: FetchMarketDataInput): Promise<FetchMarketDataResult> {
      return asActivityFailure(async () => {
        assertDate('to', input.to);
        if (input.from !== undefined) assertDate('from', input.from);
        const lookback = input.lookbackDays ?? 0;
        if (!Number.isInteger(lookback) || lookback < 0 || lookback > 3650) throw invalidInput(`lookbackDays must be an integer 0..3650, got ${lookback}`);
        const symbols = input.symbols ?? DAILY_UNIVERSE.map((c) => c.symbol);
        if (symbols.length === 0) throw invalidInput('no symbols to ingest');
        const badSymbol = symbols.find((s) => !/^[A-Za-z0-9.^=-]{1,20}$/.test(s));
        if (badSymbol !== undefined) throw invalidInput(`symbol ${JSON.stringify(badSymbol)} is not a ticker`);
        const from = input.from ?? tradingDaysBack(input.to, lookback);
        if (from > input.to) throw invalidInput(`from ${from} is after to ${input.to}`);
        const days = input.requireTradingDay && !isTradingDay(input.to) ? [] : tradingDays(from, input.to);
        if (days.length === 0) return { provider: provider.name, symbols, from, to: input.to, tradingDays: [], stagingKey: null, bars: 0, failures: [] };
        Context.current().heartbeat({ stage: 'fetch', symbols: symbols.length });
        const r = await provider.fetchEod(symbols, days[0], days[days.length - 1]);
        const stagingKey = layout.ingestStaging(input.runKey, 'raw.parquet');
        await store.put(stagingKey, barsToParquet(r.bars, { source: provider.name, from, to: input.to }), { contentType: 'application/vnd.apache.parquet' });
        // Malformed file rows are reported with their line numbers (capped: the result travels through history).
        const rejected = r.rejectedRows ?? [];
        const rowFailures: SymbolFailure[] = rejected.slice(0, 100).map((row) => ({ symbol: `line ${row.line}`, type: 'MalformedRow', message: row.message }));
        if (rejected.length > 100) rowFailures.push({ symbol: `+${rejected.length - 100} lines`, type: 'MalformedRow', message: 'further malformed rows not listed' });
        return { provider: provider.name, symbols, from, to: input.to, tradingDays: days, stagingKey, bars: r.bars.length, failures: [...r.failures, ...rowFailures] };
      });
    },

    /** Step 2: drop impossible ticks; the kept bars go to a second staging file. */
    async validateMarketData(input: { runKey: string; stagingKey: string }): Promise<ValidateMarketDataResult> {
      return asActivityFailure(async () => {
        const bars = await readBars(input.stagingKey);
        const { kept, rejected } = validateTicks(bars, { maxSpreadBps: settings.maxSpreadBps });
        const validatedKey = layout.ingestStaging(input.runKey, 'validated.parquet');
        await store.put(validatedKey, barsToParquet(kept, { source: provider.name }), { contentType: 'application/vnd.apache.parquet' });
        return { validatedKey, kept: kept.length, rejected: rejected.length, rejectedSample: rejected.slice(0, 20) };
      });
    },

    /** Step 3a: UPSERT into market_data, all rows in one transaction. */
    async storeMarketDataPostgres(input: { validatedKey: string; source: string }): Promise<StorePostgresResult> {
      return asActivityFailure(async () => repo.storeBars(await readBars(input.validatedKey), input.source));
    },

    /**
     * Step 3b: one Parquet file per trading day. A day's file holds every
     * symbol of that day: rows of symbols this run did not fetch are kept
     * from the existing file, so a partial-universe rerun loses nothing.
     */
    async storeMarketDataParquet(input: { validatedKey: string; source: string }): Promise<StoreParquetResult> {
      return asActivityFailure(async () => {
        const bars = await readBars(input.validatedKey);
        const keys: string[] = [];
        let i = 0;
        for (const [date, dayBars] of byDate(bars)) {
          const key = layout.marketDataDay(input.source, asDate(date));
          let rows = dayBars;
          if (await store.exists(key)) {
            const mine = new Set(dayBars.map((b) => b.symbol));
            rows = [...(await readBars(key)).filter((b) => !mine.has(b.symbol)), ...dayBars];
          }
          rows.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
          await store.put(key, barsToParquet(rows, { source: input.source, date }), { contentType: 'application/vnd.apache.parquet' });
          keys.push(key);
          if (++i % 50 === 0) Context.current().heartbeat({ stage: 'parquet', files: i });
        }
        return { files: keys.length, keys: keys.length <= 5 ? keys : [keys[0], keys[keys.length - 1]] };
      });
    },

    /** Step 4: completeness and staleness, the ingest_runs rows, the report, the chunk marker; staging files removed. */
    async checkIngestQuality(input: QualityCheckInput): Promise<QualityCheckResult> {
      return asActivityFailure(async () => {
        const unknown = new Set(input.failures.filter((f) => f.type === 'UnknownSymbol').map((f) => f.symbol));
        const symbols = input.symbols.filter((s) => !unknown.has(s));
        const bars = await readBars(input.validatedKey);
        const q = qualityScore(symbols, input.tradingDays, bars);
        // Staleness looks at what the hot store holds now, so a symbol missing today but present yesterday counts 1 day behind.
        const last = await repo.lastBarDates(symbols, input.runDate);
        const window = tradingDays(tradingDaysBack(input.runDate, settings.staleAfterDays + 1), input.runDate);
        const stale = staleSymbols(last, window, settings.staleAfterDays);
        const lowQuality = q.perSymbol.filter((s) => s.score < 1).map((s) => ({ symbol: s.symbol, score: s.score }));
        const reportKey = input.reportName ? layout.report('ingest', asDate(input.runDate), input.reportName) : null;
        const failed = input.failures.map((f) => ({ symbol: f.symbol, type: f.type, message: f.message.slice(0, 300) }));
        const parquetKey = input.parquet.keys[input.parquet.keys.length - 1] ?? null;
        if (input.runRows === 'single') {
          await repo.upsertIngestRuns([{
            runDate: input.runDate, provider: input.provider, status: 'completed', symbols: symbols.length, rowsStored: bars.length,
            rejectedTicks: input.rejected, qualityScore: q.overall, staleSymbols: stale.map((s) => s.symbol), failedSymbols: failed, parquetKey, reportKey,
          }]);
        } else {
          const perDay = byDate(bars);
          await repo.upsertIngestRuns(input.tradingDays.map((d) => ({
            runDate: d, provider: input.provider, status: 'completed' as const, symbols: symbols.length, rowsStored: perDay.get(d)?.length ?? 0,
            rejectedTicks: 0, qualityScore: symbols.length ? (perDay.get(d)?.length ?? 0) / symbols.length : 1, staleSymbols: [], failedSymbols: failed,
            parquetKey: layout.marketDataDay(input.provider, asDate(d)), reportKey: null,
          })));
        }
        if (reportKey) {
          await store.put(reportKey, renderIngestReport(input, q.overall, q.perSymbol, stale, bars.length), { contentType: 'text/markdown' });
        }
        if (input.markerKey) {
          await store.put(input.markerKey, JSON.stringify({ runKey: input.runKey, from: input.from, to: input.to, rows: bars.length, quality: q.overall }), { contentType: 'application/json' });
        }
        for (const name of ['raw.parquet', 'validated.parquet']) await store.delete(layout.ingestStaging(input.runKey, name));
        return { qualityScore: q.overall, staleSymbols: stale.map((s) => s.symbol), lowQualitySymbols: lowQuality.slice(0, 50), reportKey };
      });
    },

    /** A run without bars: a weekend/holiday (`no_trading_data`) or a failure after retries. Recorded and reported. */
    async recordIngestOutcome(input: RecordOutcomeInput): Promise<{ reportKey: string }> {
      return asActivityFailure(async () => {
        const reportKey = layout.report('ingest', asDate(input.runDate), input.reportName);
        const what = input.status === 'no_trading_data'
          ? `No trading data: ${input.runDate} is not an NYSE trading day (weekend or holiday). Nothing was fetched or stored.`
          : `FAILED: ${input.error ?? 'unknown error'}. No rows were committed for this run (the Postgres store is one transaction).`;
        await store.put(reportKey, `# Ingest ${input.runDate}\n\nProvider: ${provider.name} · symbols requested: ${input.symbols.length}\n\n${what}\n`, { contentType: 'text/markdown' });
        await repo.upsertIngestRuns([{
          runDate: input.runDate, provider: provider.name, status: input.status, symbols: input.symbols.length, rowsStored: 0, rejectedTicks: 0,
          qualityScore: null, staleSymbols: [], failedSymbols: input.error ? [{ symbol: '*', type: 'IngestFailed', message: input.error.slice(0, 500) }] : [],
          parquetKey: null, reportKey,
        }]);
        return { reportKey };
      });
    },

    /** Split [from, to] into chunks of `chunkDays` trading days; `done` marks chunks a previous run completed. */
    async planBackfill(input: PlanBackfillInput): Promise<{ chunks: BackfillChunk[]; tradingDays: number }> {
      return asActivityFailure(async () => {
        assertDate('from', input.from);
        assertDate('to', input.to);
        if (input.from > input.to) throw invalidInput(`from ${input.from} is after to ${input.to}`);
        const size = input.chunkDays ?? settings.backfillChunkDays;
        if (!Number.isInteger(size) || size < 1) throw invalidInput(`chunkDays must be a positive integer, got ${size}`);
        const days = tradingDays(input.from, input.to);
        const chunks: BackfillChunk[] = [];
        for (let i = 0, n = 0; i < days.length; i += size, n++) {
          const part = days.slice(i, i + size);
          const markerKey = layout.ingestChunkMarker(input.backfillKey, n);
          chunks.push({ n, from: part[0], to: part[part.length - 1], days: part.length, markerKey, done: await store.exists(markerKey) });
        }
        return { chunks, tradingDays: days.length };
      });
    },

    async writeBackfillReport(input: BackfillReportInput): Promise<{ reportKey: string }> {
      return asActivityFailure(async () => {
        const reportKey = layout.report('ingest', asDate(input.to), `ingest-backfill-${input.backfillKey}`);
        const count = (s: string) => input.chunks.filter((c) => c.status === s).length;
        const body = [
          `# Ingest backfill ${input.from} .. ${input.to}`,
          '',
          `Provider: ${provider.name} · symbols: ${input.symbols} · chunks: ${input.chunks.length} (completed ${count('completed')}, skipped as already done ${count('skipped')}, failed ${count('failed')})`,
          '',
          mdTable(['chunk', 'from', 'to', 'status', 'rows', 'quality', 'error'], input.chunks.map((c) => [c.n, c.from, c.to, c.status, c.rows ?? '', c.quality === undefined ? '' : c.quality.toFixed(4), c.error ?? ''])),
          '',
        ].join('\n');
        await store.put(reportKey, body, { contentType: 'text/markdown' });
        return { reportKey };
      });
    },
  };
}

function renderIngestReport(
  input: QualityCheckInput,
  overall: number,
  perSymbol: { symbol: string; expected: number; present: number; score: number }[],
  stale: { symbol: string; lastDate: string | null; tradingDaysBehind: number }[],
  rows: number,
): string {
  const lines = [
    `# Ingest ${input.runDate}`,
    '',
    `Provider: ${input.provider} · window ${input.from} .. ${input.to} (${input.tradingDays.length} trading day${input.tradingDays.length === 1 ? '' : 's'}) · symbols requested: ${input.symbols.length}`,
    '',
    '## Summary',
    '',
    mdTable(['measure', 'value'], [
      ['bars stored (valid)', rows],
      ['rows written / unchanged in Postgres', `${input.stored.written} / ${input.stored.unchanged}`],
      ['Parquet files', input.parquet.files],
      ['ticks rejected', input.rejected],
      ['quality score', overall.toFixed(4)],
      ['stale symbols', stale.length ? stale.map((s) => s.symbol).join(', ') : 'none'],
      ['symbols failed', input.failures.length ? input.failures.map((f) => `${f.symbol} (${f.type})`).join(', ') : 'none'],
    ]),
    '',
  ];
  if (input.failures.length) {
    lines.push('## Symbol failures', '', mdTable(['symbol', 'type', 'message'], input.failures.map((f) => [f.symbol, f.type, f.message.replace(/\|/g, '/').slice(0, 200)])), '');
  }
  if (input.rejectedSample.length) {
    lines.push('## Rejected ticks (first 20)', '', mdTable(['symbol', 'date', 'reason', 'detail'], input.rejectedSample.map((r) => [r.symbol, r.date, r.reason, r.detail])), '');
  }
  if (stale.length) {
    lines.push('## Stale symbols', '', mdTable(['symbol', 'last bar', 'trading days behind'], stale.map((s) => [s.symbol, s.lastDate ?? 'none', s.tradingDaysBehind])), '');
  }
  lines.push('## Completeness per symbol', '', mdTable(['symbol', 'expected days', 'bars', 'score'], perSymbol.map((s) => [s.symbol, s.expected, s.present, s.score.toFixed(3)])), '');
  return lines.join('\n');
}

/** Re-exported for workflows' type imports. */
export type { SymbolFailure } from '../src/adapters/market-data/types';
