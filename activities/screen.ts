/**
 * Activities of WF2 `screen`: load prices from `market_data` into a
 * claim-check Parquet, compute per-symbol metrics, then (in parallel, as two
 * activities) cluster and score+rank, merge, store (Postgres in one
 * transaction + `screening/.../screening.parquet`) and write the report.
 * Steps exchange object keys under `work/screen/<date>/`, never price arrays;
 * every key derives from the run date, so a retry overwrites, never duplicates.
 */
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { layout } from '../src/adapters/layout';
import type { ObjectStore } from '../src/adapters/object-store/types';
import { objectStoreAsyncBuffer, readParquet, writeParquet } from '../src/adapters/parquet';
import type { ScreeningRepo, ScreeningResultRow } from '../src/adapters/postgres/screening-repo';
import { chooseK, clusterLabels, standardizeColumns } from '../src/domain/kmeans';
import { fmt, mdTable } from '../src/reports/markdown';
import {
  compositeScores, DEFAULT_FACTOR_WEIGHTS, MOMENTUM_HORIZONS, quintiles, symbolMetrics, zScores,
  type FactorWeights, type SymbolMetrics,
} from '../src/domain/screening';
import { addDays, dateOf, getJson, nan, putJson, withDbFailures } from './daily-common';

export interface ScreenDeps {
  store: ObjectStore;
  screening: ScreeningRepo;
}

/** Bars of the volatility / Sharpe / drawdown window (one trading year). */
export const SCREEN_LOOKBACK_BARS = 252;
/** Calendar days loaded: 253 closes for the 252-day momentum plus holidays and slack. */
export const SCREEN_LOAD_CALENDAR_DAYS = 400;
/** Fewer closes than this (RSI 14 needs 15) and a symbol is left out of the screen and listed as skipped. */
export const SCREEN_MIN_BARS = 20;
export const SCREEN_KMEANS_SEED = 42;

export interface LoadScreenPricesInput {
  date: string;
  calendarDays?: number;
}

export type LoadScreenPricesResult =
  | { status: 'no_trading_data'; date: string }
  | { status: 'ok'; date: string; pricesKey: string; symbols: number; bars: number; firstDate: string; skipped: { symbol: string; bars: number }[] };

export interface SymbolMetricsRecord {
  symbol: string;
  bars: number;
  lastDate: string;
  lastClose: number;
  metrics: SymbolMetrics;
}

export interface ClusterRecord {
  symbol: string;
  cluster: number;
  label: string;
}

export interface ScoreRecord {
  symbol: string;
  momentum: number;
  lowVolatility: number;
  rsi: number;
  sharpe: number;
  composite: number;
  compositeZ: number;
  rank: number;
  quintile: number;
}

export interface MergedScreenRow extends ScreeningResultRow {
  bars: number;
  lastDate: string;
  lastClose: number;
}

export interface ScreenStoreInput {
  date: string;
  mergedKey: string;
  k: number;
  weights: FactorWeights;
}

const work = (date: string, name: string) => layout.dailyWork('screen', dateOf(date), name);
const SECTOR_OF = new Map(DAILY_UNIVERSE.map((c) => [c.symbol, c.sector as string]));

function groupBySymbol(symbols: ArrayLike<string | null>, dates: ArrayLike<number>, values: ArrayLike<number>) {
  const out = new Map<string, { dates: number[]; closes: number[] }>();
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i] as string;
    let g = out.get(s);
    if (!g) out.set(s, (g = { dates: [], closes: [] }));
    g.dates.push(dates[i]);
    g.closes.push(values[i]);
  }
  return out;
}

/**
 * Read adjusted closes of the whole universe from `market_data` and write
 * them (long format: date, symbol, adj_close) to the object store. The four
 * screen steps that follow read that file, not the database.
 */
export function createScreenActivities(deps: ScreenDeps) {
  const { store, screening } = deps;

  async function readPrices(pricesKey: string) {
    const t = await readParquet(await objectStoreAsyncBuffer(store, pricesKey), { columns: ['date', 'symbol', 'adj_close'] });
    return groupBySymbol(t.columns.symbol as string[], t.columns.date as Float64Array, t.columns.adj_close as Float64Array);
  }

  return {
    async loadScreenPrices(input: LoadScreenPricesInput): Promise<LoadScreenPricesResult> {
      const { date } = input;
      if ((await screening.barsOn(date)) === 0) return { status: 'no_trading_data', date };
      const from = addDays(date, -(input.calendarDays ?? SCREEN_LOAD_CALENDAR_DAYS));
      const rows = await screening.loadAdjCloses(from, date);
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.symbol, (counts.get(r.symbol) ?? 0) + 1);
      const skipped = [...counts].filter(([, n]) => n < SCREEN_MIN_BARS).map(([symbol, bars]) => ({ symbol, bars }));
      const skip = new Set(skipped.map((s) => s.symbol));
      const kept = rows.filter((r) => !skip.has(r.symbol) && Number.isFinite(r.adjClose) && r.adjClose > 0);
      const pricesKey = work(date, 'prices.parquet');
      await store.put(
        pricesKey,
        writeParquet(
          [
            { name: 'date', type: 'timestamp', data: kept.map((r) => Date.parse(`${r.date}T00:00:00Z`)) },
            { name: 'symbol', type: 'string', data: kept.map((r) => r.symbol) },
            { name: 'adj_close', type: 'double', data: kept.map((r) => r.adjClose) },
          ],
          { metadata: { run_date: date, from } },
        ),
      );
      return { status: 'ok', date, pricesKey, symbols: counts.size - skipped.length, bars: kept.length, firstDate: kept[0]?.date ?? date, skipped };
    },

    /** Returns and risk metrics per symbol (domain `symbolMetrics`, 252-bar window) -> metrics.json. */
    async computeScreenMetrics(input: { date: string; pricesKey: string }): Promise<{ metricsKey: string; symbols: number }> {
      const groups = await readPrices(input.pricesKey);
      const records: SymbolMetricsRecord[] = [...groups].map(([symbol, g]) => ({
        symbol,
        bars: g.closes.length,
        lastDate: new Date(g.dates[g.dates.length - 1]).toISOString().slice(0, 10),
        lastClose: g.closes[g.closes.length - 1],
        metrics: symbolMetrics(g.closes, { lookback: SCREEN_LOOKBACK_BARS }),
      }));
      const metricsKey = work(input.date, 'metrics.json');
      await putJson(store, metricsKey, records);
      return { metricsKey, symbols: records.length };
    },

    /**
     * k-means on the standardised features (volatility, 252-day return,
     * Sharpe, drawdown) with the elbow K, as `screenUniverse` does. A symbol
     * with too little history for a feature sits at that feature's mean.
     */
    async clusterSymbols(input: { date: string; metricsKey: string; maxK?: number }): Promise<{ clustersKey: string; k: number; inertias: number[] }> {
      const records = revive(await getJson<SymbolMetricsRecord[]>(store, input.metricsKey));
      const features = standardizeColumns(records.map((r) => [r.metrics.volatility, r.metrics.momentum[252], r.metrics.sharpe, r.metrics.maxDrawdown]));
      const choice = chooseK(features, { seed: SCREEN_KMEANS_SEED, maxK: input.maxK ?? 10 });
      const labels = clusterLabels(choice.result.centroids, 1, 0);
      const out: ClusterRecord[] = records.map((r, i) => {
        const cluster = choice.result.labels[i] ?? 0;
        return { symbol: r.symbol, cluster, label: labels[cluster] ?? 'MidMom-MidVol' };
      });
      const clustersKey = work(input.date, 'clusters.json');
      await putJson(store, clustersKey, out);
      return { clustersKey, k: choice.k, inertias: choice.inertias };
    },

    /** Composite (momentum 30 / low vol 25 / RSI 20 / Sharpe 25 by default), its z-score, rank 1 = best, quintile 1 = best. */
    async scoreSymbols(input: { date: string; metricsKey: string; weights?: Partial<FactorWeights> }): Promise<{ scoresKey: string; weights: FactorWeights }> {
      const records = revive(await getJson<SymbolMetricsRecord[]>(store, input.metricsKey));
      const weights = { ...DEFAULT_FACTOR_WEIGHTS, ...input.weights };
      const { factors, composite } = compositeScores(records.map((r) => r.metrics), weights);
      const q = quintiles(composite);
      const z = zScores(composite);
      const rank = ranksOf(composite);
      const out: ScoreRecord[] = records.map((r, i) => ({
        symbol: r.symbol,
        momentum: factors.momentum[i],
        lowVolatility: factors.lowVolatility[i],
        rsi: factors.rsi[i],
        sharpe: factors.sharpe[i],
        composite: composite[i],
        compositeZ: z[i],
        rank: rank[i],
        quintile: q[i],
      }));
      const scoresKey = work(input.date, 'scores.json');
      await putJson(store, scoresKey, out);
      return { scoresKey, weights };
    },

    /** Join metrics, scores and clusters per symbol, best rank first -> merged.json. */
    async mergeScreening(input: { date: string; metricsKey: string; clustersKey: string; scoresKey: string }): Promise<{ mergedKey: string; symbols: number; quintileCounts: number[] }> {
      const records = revive(await getJson<SymbolMetricsRecord[]>(store, input.metricsKey));
      const clusters = new Map((await getJson<ClusterRecord[]>(store, input.clustersKey)).map((c) => [c.symbol, c]));
      const scores = new Map((await getJson<ScoreRecord[]>(store, input.scoresKey)).map((s) => [s.symbol, s]));
      const sectors = await screening.sectorsAsOf(input.date);
      const rows: MergedScreenRow[] = records.map((r) => {
        const s = scores.get(r.symbol);
        const c = clusters.get(r.symbol);
        if (!s || !c) throw new Error(`merge: ${r.symbol} has no ${s ? 'cluster' : 'score'}`);
        return {
          symbol: r.symbol,
          sector: sectors.get(r.symbol) ?? SECTOR_OF.get(r.symbol) ?? null,
          momentumScore: nullIfNaN(s.momentum),
          lowVolScore: nullIfNaN(s.lowVolatility),
          rsiScore: nullIfNaN(s.rsi),
          sharpeScore: nullIfNaN(s.sharpe),
          composite: nan(s.composite),
          compositeZ: nullIfNaN(s.compositeZ),
          rank: s.rank,
          quintile: s.quintile,
          cluster: c.cluster,
          clusterLabel: c.label,
          metrics: flatMetrics(r.metrics),
          bars: r.bars,
          lastDate: r.lastDate,
          lastClose: r.lastClose,
        };
      });
      rows.sort((a, b) => a.rank - b.rank);
      const quintileCounts = [1, 2, 3, 4, 5].map((k) => rows.filter((r) => r.quintile === k).length);
      const mergedKey = work(input.date, 'merged.json');
      await putJson(store, mergedKey, rows);
      return { mergedKey, symbols: rows.length, quintileCounts };
    },

    /** Parquet `screening/year=.../screening.parquet`, then the date's rows replaced in one transaction. */
    async storeScreening(input: ScreenStoreInput): Promise<{ parquetKey: string; reportKey: string; rows: number }> {
      const rows = await getJson<MergedScreenRow[]>(store, input.mergedKey);
      const parquetKey = layout.screening(dateOf(input.date));
      const reportKey = layout.report('screen', dateOf(input.date), `screen-${input.date}`);
      await store.put(parquetKey, screeningParquet(input.date, rows));
      await withDbFailures(`storing the screening of ${input.date}`, () =>
        screening.replaceScreening(
          { runDate: input.date, symbols: rows.length, lookbackDays: SCREEN_LOOKBACK_BARS, clusters: input.k, weights: { ...input.weights }, parquetKey, reportKey },
          rows.map((r) => ({ ...r, composite: r.composite ?? NaN })),
        ),
      );
      return { parquetKey, reportKey, rows: rows.length };
    },

    async writeScreenReport(input: {
      date: string; mergedKey: string; k: number; inertias: number[]; weights: FactorWeights; skipped: { symbol: string; bars: number }[]; parquetKey: string;
    }): Promise<{ reportKey: string }> {
      const rows = await getJson<MergedScreenRow[]>(store, input.mergedKey);
      const reportKey = layout.report('screen', dateOf(input.date), `screen-${input.date}`);
      await store.put(reportKey, renderScreenReport({ ...input, rows }), { contentType: 'text/markdown' });
      return { reportKey };
    },
  };
}

/** JSON turned NaN into null; the domain expects NaN. */
function revive(records: SymbolMetricsRecord[]): SymbolMetricsRecord[] {
  for (const r of records) {
    const m = r.metrics as unknown as Record<string, unknown>;
    for (const k of ['volatility', 'rsi', 'rsiScore', 'sharpe', 'maxDrawdown']) m[k] = nan(m[k] as number | null);
    for (const h of MOMENTUM_HORIZONS) r.metrics.momentum[h] = nan(r.metrics.momentum[h] as number | null);
  }
  return records;
}

const nullIfNaN = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

function flatMetrics(m: SymbolMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const h of MOMENTUM_HORIZONS) out[`momentum_${h}`] = nullIfNaN(m.momentum[h]);
  out.volatility = nullIfNaN(m.volatility);
  out.rsi = nullIfNaN(m.rsi);
  out.sharpe = nullIfNaN(m.sharpe);
  out.max_drawdown = nullIfNaN(m.maxDrawdown);
  return out;
}

/** Rank 1 = highest score, ties in input order, NaN last: the order `quintiles` uses, so quintile = floor((rank-1)*5/n)+1. */
export function ranksOf(scores: ArrayLike<number>): number[] {
  const n = scores.length;
  const key = (i: number) => (scores[i] === scores[i] ? scores[i] : -Infinity);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
  const rank = new Array<number>(n);
  order.forEach((i, r) => (rank[i] = r + 1));
  return rank;
}

function screeningParquet(date: string, rows: MergedScreenRow[]): Uint8Array {
  const d = (f: (r: MergedScreenRow) => number | null | undefined) => rows.map((r) => nullIfNaN(f(r)));
  return writeParquet(
    [
      { name: 'run_date', type: 'timestamp', data: rows.map(() => Date.parse(`${date}T00:00:00Z`)) },
      { name: 'symbol', type: 'string', data: rows.map((r) => r.symbol) },
      { name: 'sector', type: 'string', data: rows.map((r) => r.sector), nullable: true },
      { name: 'rank', type: 'int32', data: rows.map((r) => r.rank) },
      { name: 'quintile', type: 'int32', data: rows.map((r) => r.quintile) },
      { name: 'composite', type: 'double', data: d((r) => r.composite), nullable: true },
      { name: 'composite_z', type: 'double', data: d((r) => r.compositeZ), nullable: true },
      { name: 'momentum_score', type: 'double', data: d((r) => r.momentumScore), nullable: true },
      { name: 'low_vol_score', type: 'double', data: d((r) => r.lowVolScore), nullable: true },
      { name: 'rsi_score', type: 'double', data: d((r) => r.rsiScore), nullable: true },
      { name: 'sharpe_score', type: 'double', data: d((r) => r.sharpeScore), nullable: true },
      { name: 'cluster', type: 'int32', data: rows.map((r) => r.cluster ?? 0) },
      { name: 'cluster_label', type: 'string', data: rows.map((r) => r.clusterLabel ?? '') },
      ...(['momentum_10', 'momentum_21', 'momentum_63', 'momentum_126', 'momentum_252', 'volatility', 'rsi', 'sharpe', 'max_drawdown'] as const).map(
        (k) => ({ name: k, type: 'double' as const, data: d((r) => r.metrics[k]), nullable: true }),
      ),
      { name: 'last_close', type: 'double', data: rows.map((r) => r.lastClose) },
      { name: 'bars', type: 'int32', data: rows.map((r) => r.bars) },
    ],
    { metadata: { workflow: 'screen', run_date: date } },
  );
}

function renderScreenReport(x: {
  date: string; rows: MergedScreenRow[]; k: number; inertias: number[]; weights: FactorWeights; skipped: { symbol: string; bars: number }[]; parquetKey: string;
}): string {
  const { rows } = x;
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${fmt(v * 100, 1)} %`);
  const line = (r: MergedScreenRow) => [
    r.rank, r.symbol, r.sector ?? '-', fmt(r.composite, 3), `Q${r.quintile}`, r.clusterLabel ?? '-',
    pct(r.metrics.momentum_252), pct(r.metrics.volatility), fmt(r.metrics.rsi, 1), fmt(r.metrics.sharpe, 2), r.bars,
  ];
  const head = ['rank', 'symbol', 'sector', 'composite', 'quintile', 'cluster', '252d return', 'volatility', 'RSI', 'Sharpe', 'bars'];
  const byCluster = new Map<string, MergedScreenRow[]>();
  for (const r of rows) byCluster.set(r.clusterLabel ?? '-', [...(byCluster.get(r.clusterLabel ?? '-') ?? []), r]);
  const avg = (a: (number | null)[]) => {
    const f = a.filter((v): v is number => v !== null && Number.isFinite(v));
    return f.length ? f.reduce((s, v) => s + v, 0) / f.length : null;
  };
  return [
    `# Screen ${x.date}`,
    '',
    `${rows.length} symbols screened${x.skipped.length ? `, ${x.skipped.length} skipped for short history (${x.skipped.map((s) => `${s.symbol}: ${s.bars} bars`).join(', ')})` : ''}.`,
    `Weights: momentum ${x.weights.momentum}, low volatility ${x.weights.lowVolatility}, RSI ${x.weights.rsi}, Sharpe ${x.weights.sharpe}. Window ${SCREEN_LOOKBACK_BARS} bars.`,
    `Results: \`${x.parquetKey}\`.`,
    '',
    '## Quintiles',
    '',
    mdTable(['quintile', 'symbols', 'mean composite'], [1, 2, 3, 4, 5].map((q) => {
      const g = rows.filter((r) => r.quintile === q);
      return [`Q${q}`, g.length, fmt(avg(g.map((r) => r.composite)), 3)];
    })),
    '',
    `## Clusters (K = ${x.k} by the elbow; inertia k=1..${x.inertias.length}: ${x.inertias.map((v) => fmt(v, 1)).join(', ')})`,
    '',
    mdTable(['cluster', 'symbols', 'mean 252d return', 'mean volatility', 'members'], [...byCluster].map(([label, g]) => [
      label, g.length, pct(avg(g.map((r) => r.metrics.momentum_252))), pct(avg(g.map((r) => r.metrics.volatility))), g.map((r) => r.symbol).join(' '),
    ])),
    '',
    '## Top 10',
    '',
    mdTable(head, rows.slice(0, 10).map(line)),
    '',
    '## All symbols',
    '',
    mdTable(head, rows.map(line)),
    '',
  ].join('\n');
}
