/**
 * The daily screen (WF2) as the workflow runs it, step by step: which
 * symbols have enough history, per-symbol metric records, the scoring and
 * clustering halves as records keyed by symbol (two activities run them in
 * parallel), and the merge into one row per symbol, best rank first. The
 * formulas live in screening.ts; this module shapes their inputs and
 * outputs for the steps, which exchange them as JSON (NaN travels as null).
 */
import { formatIsoDate } from './dates';
import { clusterUniverse, MOMENTUM_HORIZONS, scoreUniverse, symbolMetrics, type FactorWeights, type SymbolMetrics } from './screening';

/** Bars of the volatility / Sharpe / drawdown window (one trading year). */
export const SCREEN_LOOKBACK_BARS = 252;
/** Calendar days loaded: 253 closes for the 252-day momentum plus holidays and slack. */
export const SCREEN_LOAD_CALENDAR_DAYS = 400;
/** Fewer closes than this (RSI 14 needs 15) and a symbol is left out of the screen and listed as skipped. */
export const SCREEN_MIN_BARS = 20;

/** A symbol left out for a short history. */
export interface SkippedSymbol {
  symbol: string;
  bars: number;
}

/** Metrics of one symbol at its last bar, with where that bar is. */
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

/** One merged row of the screen: what is stored (Postgres, Parquet) and reported. */
export interface ScreenedSymbol {
  symbol: string;
  sector: string | null;
  momentumScore: number | null;
  lowVolScore: number | null;
  rsiScore: number | null;
  sharpeScore: number | null;
  /** NaN (null after JSON) when the symbol could not be scored. */
  composite: number;
  compositeZ: number | null;
  rank: number;
  quintile: number;
  cluster: number | null;
  clusterLabel: string | null;
  /** momentum_10..momentum_252, volatility, rsi, sharpe, max_drawdown; null when undefined. */
  metrics: Record<string, number | null>;
  bars: number;
  lastDate: string;
  lastClose: number;
}

/**
 * The rows worth screening: a symbol with fewer than `minBars` rows is
 * skipped (and listed), and of the others only finite, positive closes are
 * kept. `symbols` counts the symbols kept. Input order is kept.
 *
 * @example
 *   selectScreenable(rows, SCREEN_MIN_BARS).skipped // [{ symbol: 'NEWCO', bars: 12 }]
 */
export function selectScreenable<R extends { symbol: string; adjClose: number }>(
  rows: readonly R[],
  minBars: number,
): { kept: R[]; skipped: SkippedSymbol[]; symbols: number } {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.symbol, (counts.get(r.symbol) ?? 0) + 1);
  const skipped = [...counts].filter(([, n]) => n < minBars).map(([symbol, bars]) => ({ symbol, bars }));
  const skip = new Set(skipped.map((s) => s.symbol));
  const kept = rows.filter((r) => !skip.has(r.symbol) && Number.isFinite(r.adjClose) && r.adjClose > 0);
  return { kept, skipped, symbols: counts.size - skipped.length };
}

/**
 * Long-format prices (one row per symbol and date, oldest first per symbol)
 * grouped into one close series per symbol, in order of first appearance.
 */
export function closesBySymbol(
  symbols: ArrayLike<string | null>,
  dates: ArrayLike<number>,
  closes: ArrayLike<number>,
): Map<string, { dates: number[]; closes: number[] }> {
  const out = new Map<string, { dates: number[]; closes: number[] }>();
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i] as string;
    let g = out.get(s);
    if (!g) out.set(s, (g = { dates: [], closes: [] }));
    g.dates.push(dates[i]);
    g.closes.push(closes[i]);
  }
  return out;
}

/**
 * `symbolMetrics` over each symbol's series (window `lookback` bars, Sharpe
 * net of the annual `riskFreeRate`, default 0), with its last bar's date
 * (epoch ms -> YYYY-MM-DD) and close.
 */
export function metricsRecords(
  groups: Map<string, { dates: number[]; closes: number[] }>,
  lookback: number,
  riskFreeRate = 0,
): SymbolMetricsRecord[] {
  return [...groups].map(([symbol, g]) => ({
    symbol,
    bars: g.closes.length,
    lastDate: formatIsoDate(new Date(g.dates[g.dates.length - 1])),
    lastClose: g.closes[g.closes.length - 1],
    metrics: symbolMetrics(g.closes, { lookback, riskFreeRate }),
  }));
}

/** The clustering half (`clusterUniverse`) as one record per symbol. */
export function clusterRecords(
  records: SymbolMetricsRecord[],
  options: { seed?: number; maxK?: number } = {},
): { clusters: ClusterRecord[]; k: number; inertias: number[] } {
  const c = clusterUniverse(
    records.map((r) => r.metrics),
    options,
  );
  return {
    clusters: records.map((r, i) => ({ symbol: r.symbol, cluster: c.cluster[i], label: c.label[i] })),
    k: c.k,
    inertias: c.inertias,
  };
}

/** The scoring half (`scoreUniverse`) as one record per symbol. */
export function scoreRecords(
  records: SymbolMetricsRecord[],
  weights: Partial<FactorWeights> = {},
): { scores: ScoreRecord[]; weights: FactorWeights } {
  const s = scoreUniverse(
    records.map((r) => r.metrics),
    weights,
  );
  const scores = records.map((r, i) => ({
    symbol: r.symbol,
    momentum: s.factors.momentum[i],
    lowVolatility: s.factors.lowVolatility[i],
    rsi: s.factors.rsi[i],
    sharpe: s.factors.sharpe[i],
    composite: s.composite[i],
    compositeZ: s.compositeZ[i],
    rank: s.rank[i],
    quintile: s.quintile[i],
  }));
  return { scores, weights: s.weights };
}

/** A finite number, else null (NaN, +-Infinity and missing all read as "no value"). */
export const nullIfNaN = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** null (a NaN that went through JSON) back to NaN. */
export const nanIfNull = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

/** The metrics as flat columns (`momentum_252`, `max_drawdown`, ...), undefined values null. */
export function flatMetrics(m: SymbolMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const h of MOMENTUM_HORIZONS) out[`momentum_${h}`] = nullIfNaN(m.momentum[h]);
  out.volatility = nullIfNaN(m.volatility);
  out.rsi = nullIfNaN(m.rsi);
  out.sharpe = nullIfNaN(m.sharpe);
  out.max_drawdown = nullIfNaN(m.maxDrawdown);
  return out;
}

/** Metric records read back from JSON: the nulls JSON made of NaN become NaN again, as the domain expects. Mutates and returns `records`. */
export function reviveMetricsRecords(records: SymbolMetricsRecord[]): SymbolMetricsRecord[] {
  for (const r of records) {
    const m = r.metrics as unknown as Record<string, unknown>;
    for (const k of ['volatility', 'rsi', 'rsiScore', 'sharpe', 'maxDrawdown']) m[k] = nanIfNull(m[k] as number | null);
    for (const h of MOMENTUM_HORIZONS) r.metrics.momentum[h] = nanIfNull(r.metrics.momentum[h] as number | null);
  }
  return records;
}

/**
 * Join metrics, scores and clusters per symbol into the screen's rows, best
 * rank first, with the count of symbols in each quintile. The sector comes
 * from `sectorOf` (null when unknown). A symbol without a score or a
 * cluster is a broken step, not data: it throws.
 */
export function mergeScreenRows(
  records: readonly SymbolMetricsRecord[],
  scores: readonly ScoreRecord[],
  clusters: readonly ClusterRecord[],
  sectorOf: (symbol: string) => string | null,
): { rows: ScreenedSymbol[]; quintileCounts: number[] } {
  const bySymbolScore = new Map(scores.map((s) => [s.symbol, s]));
  const bySymbolCluster = new Map(clusters.map((c) => [c.symbol, c]));
  const rows: ScreenedSymbol[] = records.map((r) => {
    const s = bySymbolScore.get(r.symbol);
    const c = bySymbolCluster.get(r.symbol);
    if (!s || !c) throw new Error(`merge: ${r.symbol} has no ${s ? 'cluster' : 'score'}`);
    return {
      symbol: r.symbol,
      sector: sectorOf(r.symbol),
      momentumScore: nullIfNaN(s.momentum),
      lowVolScore: nullIfNaN(s.lowVolatility),
      rsiScore: nullIfNaN(s.rsi),
      sharpeScore: nullIfNaN(s.sharpe),
      composite: nanIfNull(s.composite),
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
  return { rows, quintileCounts };
}
