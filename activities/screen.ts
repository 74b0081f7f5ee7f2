/**
 * Activities of WF2 `screen`: load prices from `market_data` into a
 * claim-check Parquet, compute per-symbol metrics, then (in parallel, as two
 * activities) cluster and score+rank, merge, store (Postgres in one
 * transaction + `screening/.../screening.parquet`) and write the report.
 * The screen itself is the domain's (src/domain/screening.ts, shaped per
 * step by src/domain/screen-day.ts). Steps exchange object keys under
 * `work/screen/<date>/`, never price arrays; every key derives from the run
 * date, so a retry overwrites, never duplicates.
 */
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { layout } from '../src/adapters/layout';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { ScreeningRepo } from '../src/adapters/postgres/screening-repo';
import { readScreenPrices, screeningParquet, screenPricesParquet } from '../src/adapters/tables/screening';
import { addDays, parseIsoDate } from '../src/domain/dates';
import {
  closesBySymbol,
  clusterRecords,
  mergeScreenRows,
  metricsRecords,
  reviveMetricsRecords,
  scoreRecords,
  SCREEN_LOAD_CALENDAR_DAYS,
  SCREEN_LOOKBACK_BARS,
  SCREEN_MIN_BARS,
  selectScreenable,
  type ClusterRecord,
  type ScoreRecord,
  type ScreenedSymbol,
  type SkippedSymbol,
  type SymbolMetricsRecord,
} from '../src/domain/screen-day';
import type { FactorWeights } from '../src/domain/screening';
import { renderScreenReport } from '../src/reports/screen-report';
import { getJson, putJson } from './support/claim-check';
import { withDbFailures } from './support/db-failures';

export interface ScreenDeps {
  store: ObjectStore;
  screening: ScreeningRepo;
  /** Annual risk-free rate of the screen's Sharpe (SCREEN_RISK_FREE_RATE). */
  screenSettings: { riskFreeRate: number };
}

export interface LoadScreenPricesInput {
  date: string;
  calendarDays?: number;
}

export type LoadScreenPricesResult =
  | { status: 'no_trading_data'; date: string }
  | { status: 'ok'; date: string; pricesKey: string; symbols: number; bars: number; firstDate: string; skipped: SkippedSymbol[] };

export interface ScreenStoreInput {
  date: string;
  mergedKey: string;
  k: number;
  weights: FactorWeights;
}

const work = (date: string, name: string) => layout.dailyWork('screen', parseIsoDate(date), name);
const SECTOR_OF = new Map(DAILY_UNIVERSE.map((c) => [c.symbol, c.sector as string]));
const readMetrics = async (store: ObjectStore, key: string) => reviveMetricsRecords(await getJson<SymbolMetricsRecord[]>(store, key));

export function createScreenActivities(deps: ScreenDeps) {
  const { store, screening } = deps;

  return {
    /**
     * Read adjusted closes of the whole universe from `market_data` and write
     * them (long format: date, symbol, adj_close) to the object store. The
     * four screen steps that follow read that file, not the database.
     */
    async loadScreenPrices(input: LoadScreenPricesInput): Promise<LoadScreenPricesResult> {
      const { date } = input;
      if ((await screening.barsOn(date)) === 0) return { status: 'no_trading_data', date };
      const from = addDays(date, -(input.calendarDays ?? SCREEN_LOAD_CALENDAR_DAYS));
      const { kept, skipped, symbols } = selectScreenable(await screening.loadAdjCloses(from, date), SCREEN_MIN_BARS);
      const pricesKey = work(date, 'prices.parquet');
      await store.put(pricesKey, screenPricesParquet(kept, { runDate: date, from }));
      return { status: 'ok', date, pricesKey, symbols, bars: kept.length, firstDate: kept[0]?.date ?? date, skipped };
    },

    /** Returns and risk metrics per symbol (domain `symbolMetrics`, 252-bar window, Sharpe net of the configured rf) -> metrics.json. */
    async computeScreenMetrics(input: { date: string; pricesKey: string }): Promise<{ metricsKey: string; symbols: number }> {
      const p = await readScreenPrices(store, input.pricesKey);
      const records = metricsRecords(
        closesBySymbol(p.symbols, p.dates, p.adjCloses),
        SCREEN_LOOKBACK_BARS,
        deps.screenSettings.riskFreeRate,
      );
      const metricsKey = work(input.date, 'metrics.json');
      await putJson(store, metricsKey, records);
      return { metricsKey, symbols: records.length };
    },

    /** k-means with the elbow K (domain `clusterUniverse`) -> clusters.json. */
    async clusterSymbols(input: {
      date: string;
      metricsKey: string;
      maxK?: number;
    }): Promise<{ clustersKey: string; k: number; inertias: number[] }> {
      const { clusters, k, inertias } = clusterRecords(await readMetrics(store, input.metricsKey), { maxK: input.maxK });
      const clustersKey = work(input.date, 'clusters.json');
      await putJson(store, clustersKey, clusters);
      return { clustersKey, k, inertias };
    },

    /** Composite (momentum 30 / low vol 25 / RSI 20 / Sharpe 25 by default), its z-score, rank 1 = best, quintile 1 = best (domain `scoreUniverse`). */
    async scoreSymbols(input: {
      date: string;
      metricsKey: string;
      weights?: Partial<FactorWeights>;
    }): Promise<{ scoresKey: string; weights: FactorWeights }> {
      const { scores, weights } = scoreRecords(await readMetrics(store, input.metricsKey), input.weights);
      const scoresKey = work(input.date, 'scores.json');
      await putJson(store, scoresKey, scores);
      return { scoresKey, weights };
    },

    /** Join metrics, scores and clusters per symbol, best rank first -> merged.json. */
    async mergeScreening(input: {
      date: string;
      metricsKey: string;
      clustersKey: string;
      scoresKey: string;
    }): Promise<{ mergedKey: string; symbols: number; quintileCounts: number[] }> {
      const records = await readMetrics(store, input.metricsKey);
      const clusters = await getJson<ClusterRecord[]>(store, input.clustersKey);
      const scores = await getJson<ScoreRecord[]>(store, input.scoresKey);
      const sectors = await screening.sectorsAsOf(input.date);
      const { rows, quintileCounts } = mergeScreenRows(records, scores, clusters, (s) => sectors.get(s) ?? SECTOR_OF.get(s) ?? null);
      const mergedKey = work(input.date, 'merged.json');
      await putJson(store, mergedKey, rows);
      return { mergedKey, symbols: rows.length, quintileCounts };
    },

    /** Parquet `screening/year=.../screening.parquet`, then the date's rows replaced in one transaction. */
    async storeScreening(input: ScreenStoreInput): Promise<{ parquetKey: string; reportKey: string; rows: number }> {
      const rows = await getJson<ScreenedSymbol[]>(store, input.mergedKey);
      const day = parseIsoDate(input.date);
      const parquetKey = layout.screening(day);
      const reportKey = layout.report('screen', day, `screen-${input.date}`);
      await store.put(parquetKey, screeningParquet(input.date, rows));
      await withDbFailures(`storing the screening of ${input.date}`, () =>
        screening.replaceScreening(
          {
            runDate: input.date,
            symbols: rows.length,
            lookbackDays: SCREEN_LOOKBACK_BARS,
            clusters: input.k,
            weights: { ...input.weights },
            parquetKey,
            reportKey,
          },
          rows.map((r) => ({ ...r, composite: r.composite ?? NaN })),
        ),
      );
      return { parquetKey, reportKey, rows: rows.length };
    },

    async writeScreenReport(input: {
      date: string;
      mergedKey: string;
      k: number;
      inertias: number[];
      weights: FactorWeights;
      skipped: SkippedSymbol[];
      parquetKey: string;
    }): Promise<{ reportKey: string }> {
      const rows = await getJson<ScreenedSymbol[]>(store, input.mergedKey);
      const reportKey = layout.report('screen', parseIsoDate(input.date), `screen-${input.date}`);
      await store.put(reportKey, renderScreenReport({ ...input, rows }), { contentType: 'text/markdown' });
      return { reportKey };
    },
  };
}
