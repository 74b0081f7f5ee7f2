/**
 * Activities of WF1 `ingest` and its backfill: fetch end-of-day bars from the
 * configured provider, validate ticks, store to Postgres and to hive-partitioned
 * Parquet (two activities the workflow runs in parallel), check quality,
 * record the run and write the report. The rules are the domain's
 * (src/domain/ingest-day.ts, tick-validation.ts), the reports
 * src/reports/ingest-report.ts's. Bars travel between steps as object
 * keys (claim check: `work/ingest/staging/<runKey>/...`), never through
 * workflow history; every write is idempotent (upserts on (symbol, date),
 * object keys from the inputs).
 */
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { layout } from '../src/adapters/layout';
import type { DataProvider, SymbolFailure } from '../src/adapters/market-data/types';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { MarketDataRepo, StoreBarsResult } from '../src/adapters/postgres/market-data-repo';
import { barsFromParquet, barsToParquet } from '../src/adapters/tables/market-data';
import { parseIsoDate } from '../src/domain/dates';
import {
  backfillSpans,
  barsByDate,
  completedRunRecords,
  knownSymbols,
  malformedRowFailures,
  mergeDayBars,
  outcomeRunRecord,
  resolveFetchWindow,
  stalenessWindow,
  type BackfillChunkOutcome,
  type BackfillSpan,
  type FetchRequest,
} from '../src/domain/ingest-day';
import { qualityScore, staleSymbols, validateTicks, type RejectedTick } from '../src/domain/tick-validation';
import { renderBackfillReport, renderIngestOutcome, renderIngestReport } from '../src/reports/ingest-report';
import { asActivityFailure } from './support/failures';
import { heartbeat } from './support/heartbeat';

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

export interface FetchMarketDataInput extends FetchRequest {
  /** The run's workflow ID: names its staging files. */
  runKey: string;
  /** Default: the 49-name DAILY_UNIVERSE. */
  symbols?: string[];
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

export type StorePostgresResult = StoreBarsResult;

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

export interface BackfillChunk extends BackfillSpan {
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
  chunks: BackfillChunkOutcome[];
}

const PARQUET = { contentType: 'application/vnd.apache.parquet' };

export function createIngestActivities(deps: IngestDeps) {
  const { store, marketDataRepo: repo, marketDataProvider: provider, ingestSettings: settings } = deps;

  const readBars = async (key: string) => barsFromParquet(await store.get(key), key);

  return {
    /** Step 1: fetch from the provider and park the bars in a staging Parquet file. */
    async fetchMarketData(input: FetchMarketDataInput): Promise<FetchMarketDataResult> {
      return asActivityFailure(async () => {
        const { symbols, from, days } = resolveFetchWindow(
          input,
          DAILY_UNIVERSE.map((c) => c.symbol),
        );
        const base = { provider: provider.name, symbols, from, to: input.to, tradingDays: days };
        if (days.length === 0) return { ...base, stagingKey: null, bars: 0, failures: [] };
        heartbeat({ stage: 'fetch', symbols: symbols.length });
        const r = await provider.fetchEod(symbols, days[0], days[days.length - 1]);
        const stagingKey = layout.ingestStaging(input.runKey, 'raw.parquet');
        await store.put(stagingKey, barsToParquet(r.bars, { source: provider.name, from, to: input.to }), PARQUET);
        // Malformed file rows are reported with their line numbers (capped: the result travels through history).
        return { ...base, stagingKey, bars: r.bars.length, failures: [...r.failures, ...malformedRowFailures(r.rejectedRows ?? [])] };
      });
    },

    /** Step 2: drop impossible ticks; the kept bars go to a second staging file. */
    async validateMarketData(input: { runKey: string; stagingKey: string }): Promise<ValidateMarketDataResult> {
      return asActivityFailure(async () => {
        const bars = await readBars(input.stagingKey);
        const { kept, rejected } = validateTicks(bars, { maxSpreadBps: settings.maxSpreadBps });
        const validatedKey = layout.ingestStaging(input.runKey, 'validated.parquet');
        await store.put(validatedKey, barsToParquet(kept, { source: provider.name }), PARQUET);
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
     * from the existing file (`mergeDayBars`), so a partial-universe rerun loses nothing.
     */
    async storeMarketDataParquet(input: { validatedKey: string; source: string }): Promise<StoreParquetResult> {
      return asActivityFailure(async () => {
        const keys: string[] = [];
        for (const [date, dayBars] of barsByDate(await readBars(input.validatedKey))) {
          const key = layout.marketDataDay(input.source, parseIsoDate(date));
          const rows = mergeDayBars((await store.exists(key)) ? await readBars(key) : [], dayBars);
          await store.put(key, barsToParquet(rows, { source: input.source, date }), PARQUET);
          keys.push(key);
          if (keys.length % 50 === 0) heartbeat({ stage: 'parquet', files: keys.length });
        }
        return { files: keys.length, keys: keys.length <= 5 ? keys : [keys[0], keys[keys.length - 1]] };
      });
    },

    /** Step 4: completeness and staleness, the ingest_runs rows, the report, the chunk marker; staging files removed. */
    async checkIngestQuality(input: QualityCheckInput): Promise<QualityCheckResult> {
      return asActivityFailure(async () => {
        const symbols = knownSymbols(input.symbols, input.failures);
        const bars = await readBars(input.validatedKey);
        const q = qualityScore(symbols, input.tradingDays, bars);
        // Staleness looks at what the hot store holds now, so a symbol missing today but present yesterday counts 1 day behind.
        const last = await repo.lastBarDates(symbols, input.runDate);
        const stale = staleSymbols(last, stalenessWindow(input.runDate, settings.staleAfterDays), settings.staleAfterDays);
        const lowQuality = q.perSymbol.filter((s) => s.score < 1).map((s) => ({ symbol: s.symbol, score: s.score }));
        const reportKey = input.reportName ? layout.report('ingest', parseIsoDate(input.runDate), input.reportName) : null;
        const parquetKey = input.parquet.keys[input.parquet.keys.length - 1] ?? null;
        const done = {
          ...input,
          symbols: symbols.length,
          bars,
          quality: q.overall,
          stale: stale.map((s) => s.symbol),
          parquetKey,
          reportKey,
        };
        await repo.upsertIngestRuns(completedRunRecords(done, input.runRows, (d) => layout.marketDataDay(input.provider, parseIsoDate(d))));
        if (reportKey) {
          const report = renderIngestReport({ ...input, rows: bars.length, quality: q.overall, perSymbol: q.perSymbol, stale });
          await store.put(reportKey, report, { contentType: 'text/markdown' });
        }
        if (input.markerKey) {
          const marker = { runKey: input.runKey, from: input.from, to: input.to, rows: bars.length, quality: q.overall };
          await store.put(input.markerKey, JSON.stringify(marker), { contentType: 'application/json' });
        }
        for (const name of ['raw.parquet', 'validated.parquet']) await store.delete(layout.ingestStaging(input.runKey, name));
        return { qualityScore: q.overall, staleSymbols: stale.map((s) => s.symbol), lowQualitySymbols: lowQuality.slice(0, 50), reportKey };
      });
    },

    /** A run without bars: a weekend/holiday (`no_trading_data`) or a failure after retries. Recorded and reported. */
    async recordIngestOutcome(input: RecordOutcomeInput): Promise<{ reportKey: string }> {
      return asActivityFailure(async () => {
        const reportKey = layout.report('ingest', parseIsoDate(input.runDate), input.reportName);
        const report = renderIngestOutcome({ ...input, provider: provider.name, symbols: input.symbols.length });
        await store.put(reportKey, report, { contentType: 'text/markdown' });
        await repo.upsertIngestRuns([outcomeRunRecord({ ...input, provider: provider.name, symbols: input.symbols.length, reportKey })]);
        return { reportKey };
      });
    },

    /** Split [from, to] into chunks of `chunkDays` trading days (`backfillSpans`); `done` marks chunks a previous run completed. */
    async planBackfill(input: PlanBackfillInput): Promise<{ chunks: BackfillChunk[]; tradingDays: number }> {
      return asActivityFailure(async () => {
        const { spans, tradingDays } = backfillSpans(input.from, input.to, input.chunkDays ?? settings.backfillChunkDays);
        const chunks: BackfillChunk[] = [];
        for (const span of spans) {
          const markerKey = layout.ingestChunkMarker(input.backfillKey, span.n);
          chunks.push({ ...span, markerKey, done: await store.exists(markerKey) });
        }
        return { chunks, tradingDays };
      });
    },

    async writeBackfillReport(input: BackfillReportInput): Promise<{ reportKey: string }> {
      return asActivityFailure(async () => {
        const reportKey = layout.report('ingest', parseIsoDate(input.to), `ingest-backfill-${input.backfillKey}`);
        await store.put(reportKey, renderBackfillReport({ ...input, provider: provider.name }), { contentType: 'text/markdown' });
        return { reportKey };
      });
    },
  };
}

/** Re-exported for workflows' type imports. */
export type { SymbolFailure } from '../src/adapters/market-data/types';
