/**
 * The multi-factor stock screen (the `screen` workflow): per-symbol metrics
 * (momentum over 10/21/63/126/252 days, 252-day volatility, RSI, Sharpe,
 * drawdown), cross-sectional z-scores, a weighted composite score
 * (momentum 30, low volatility 25, RSI 20, Sharpe 25 by default), quintiles
 * with Q1 the best, and k-means clusters with an elbow choice of K.
 */
import { DomainInputError } from './errors';
import { rsi } from './indicators/rsi';
import { chooseK, clusterLabels, standardizeColumns } from './kmeans';
import { simpleReturns } from './returns';
import { annualizedVolatility, maxDrawdown, sharpeRatio } from './risk';
import { mean, std, type Series } from './stats';

/** Momentum horizons in trading days. */
export const MOMENTUM_HORIZONS = [10, 21, 63, 126, 252] as const;

/** Metrics of one symbol at its last bar. */
export interface SymbolMetrics {
  /** p_last / p_{last-h} - 1 for h = 10, 21, 63, 126, 252; NaN without enough history. */
  momentum: Record<(typeof MOMENTUM_HORIZONS)[number], number>;
  /** Annualised volatility of the last `lookback` daily returns. */
  volatility: number;
  /** RSI(14) at the last bar (Wilder, TA-Lib seeding). */
  rsi: number;
  /** RSI contrarian score (50 - RSI) / 50 in [-1, 1]: oversold is bullish. */
  rsiScore: number;
  /** Annualised Sharpe of the last `lookback` returns. */
  sharpe: number;
  /** Max drawdown (positive fraction) over the last `lookback` returns. */
  maxDrawdown: number;
}

/** Options of the screen. */
export interface ScreenOptions {
  /** Window of the volatility, Sharpe and drawdown, in bars (default 252). */
  lookback?: number;
  periodsPerYear?: number;
  /** Annual risk-free rate for the Sharpe ratio (default 0). */
  riskFreeRate?: number;
  weights?: Partial<FactorWeights>;
  /** k-means seed (default 42) and largest K (default 10). */
  seed?: number;
  maxK?: number;
}

/**
 * Metrics of one symbol from its closing prices (oldest first):
 * - momentum_h = p_last / p_{last-h} - 1 (NaN if fewer than h + 1 closes or
 *   a price is missing or non-positive);
 * - volatility, Sharpe and max drawdown over the last min(lookback, n - 1)
 *   simple returns (conventions of risk.ts; NaN with fewer than 2 returns);
 * - RSI(14) over the full series and the contrarian score (50 - RSI) / 50.
 * Empty input -> all NaN. Constant prices -> momentum 0, volatility 0,
 * Sharpe NaN, drawdown 0, RSI 50, score 0. O(n).
 *
 * @example
 *   symbolMetrics(closes).momentum[252]
 */
export function symbolMetrics(closes: Series, options: ScreenOptions = {}): SymbolMetrics {
  const n = closes.length;
  const lookback = options.lookback ?? 252;
  const p = options.periodsPerYear ?? 252;
  const last = n > 0 ? closes[n - 1] : NaN;
  const mom = (h: number) => {
    if (n - 1 - h < 0) return NaN;
    const a = closes[n - 1 - h];
    return a > 0 && last > 0 ? last / a - 1 : NaN;
  };
  const start = Math.max(0, n - 1 - lookback);
  const window = simpleReturns(Array.prototype.slice.call(closes, start) as number[]);
  const r = n > 0 ? rsi(closes, 14)[n - 1] : NaN;
  return {
    momentum: { 10: mom(10), 21: mom(21), 63: mom(63), 126: mom(126), 252: mom(252) },
    volatility: annualizedVolatility(window, p),
    rsi: r,
    rsiScore: (50 - r) / 50,
    sharpe: sharpeRatio(window, { periodsPerYear: p, riskFreeRate: options.riskFreeRate ?? 0 }),
    maxDrawdown: window.length === 0 ? NaN : maxDrawdown(window).maxDrawdown,
  };
}

/**
 * Cross-sectional z-scores: (x - mean) / std over the non-NaN values, with
 * the population deviation (ddof 0, scipy.stats.zscore's default) so the
 * result has mean 0 and deviation exactly 1. NaN stays NaN. Fewer than 2
 * values, or all equal -> all NaN (no ranking information).
 *
 * @example
 *   zScores([1, 2, 3]) // [-1.2247, 0, 1.2247]
 */
export function zScores(values: Series): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  const m = mean(values);
  const s = std(values, 0);
  if (!(s > 0)) return out;
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - m) / s;
  return out;
}

/** Weights of the composite; they are normalised by their sum. */
export interface FactorWeights {
  momentum: number;
  lowVolatility: number;
  rsi: number;
  sharpe: number;
}

export const DEFAULT_FACTOR_WEIGHTS: FactorWeights = { momentum: 0.3, lowVolatility: 0.25, rsi: 0.2, sharpe: 0.25 };

/** Factor z-scores and the composite for a cross-section. */
export interface CompositeScores {
  factors: Record<keyof FactorWeights, Float64Array>;
  composite: Float64Array;
}

/**
 * Composite score of every symbol:
 * composite = sum_f w_f z_f / sum_f w_f over the factors
 * - momentum: z of the mean of the per-horizon z-scores (each horizon
 *   standardised first so the 252-day figure does not swamp the 10-day one);
 * - lowVolatility: z of -volatility. Seed 003 names the factor "inverse
 *   252-day annualized volatility"; -volatility gives the same ranks, but
 *   1/volatility is convex: the quietest names (and a constant series, whose
 *   1/0 is Infinity and would make every z-score NaN) get z-scores far from
 *   the rest, so the factor's 25 % would mostly sort one or two outliers.
 *   Linear in volatility, the factor spreads its weight over the universe;
 *   the composite differs from the seed's, the factor's ranks do not;
 * - rsi: z of the contrarian score (50 - RSI) / 50;
 * - sharpe: z of the Sharpe ratio.
 * A NaN factor z-score (missing data, or a factor equal for everybody)
 * counts as 0, the cross-sectional average. Weights must be finite,
 * non-negative and not all 0, else DomainInputError. Empty input -> empty.
 *
 * @example
 *   compositeScores(metrics, { momentum: 0.5 }).composite
 */
export function compositeScores(metrics: SymbolMetrics[], weights: Partial<FactorWeights> = {}): CompositeScores {
  const w = { ...DEFAULT_FACTOR_WEIGHTS, ...weights };
  const total = w.momentum + w.lowVolatility + w.rsi + w.sharpe;
  for (const [k, v] of Object.entries(w)) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new DomainInputError('INVALID_PARAMETER', `factor weight ${k} is ${v}`);
  }
  if (!(total > 0)) throw new DomainInputError('INVALID_PARAMETER', 'factor weights sum to 0');
  const n = metrics.length;
  const horizonZ = MOMENTUM_HORIZONS.map((h) => zScores(metrics.map((m) => m.momentum[h])));
  const momRaw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let c = 0;
    for (const z of horizonZ) {
      if (z[i] === z[i]) {
        s += z[i];
        c++;
      }
    }
    momRaw[i] = c === 0 ? NaN : s / c;
  }
  const factors = {
    momentum: zScores(momRaw),
    lowVolatility: zScores(metrics.map((m) => -m.volatility)),
    rsi: zScores(metrics.map((m) => m.rsiScore)),
    sharpe: zScores(metrics.map((m) => m.sharpe)),
  };
  const composite = new Float64Array(n);
  const z0 = (v: number) => (v === v ? v : 0);
  for (let i = 0; i < n; i++) {
    composite[i] =
      (w.momentum * z0(factors.momentum[i]) +
        w.lowVolatility * z0(factors.lowVolatility[i]) +
        w.rsi * z0(factors.rsi[i]) +
        w.sharpe * z0(factors.sharpe[i])) /
      total;
  }
  return { factors, composite };
}

/**
 * Quintiles by score, Q1 the best (highest score): rank the symbols from
 * best (rank 0) to worst, then quintile = floor(rank * 5 / n) + 1, so the
 * five groups differ in size by at most one. Ties keep input order; NaN
 * scores rank last. Empty -> empty; fewer than 5 symbols leave some
 * quintiles empty. O(n log n) in the number of symbols.
 *
 * @example
 *   quintiles([0.1, 0.5, -0.2, 0.3, 0]) // [3, 1, 5, 2, 4]
 */
export function quintiles(scores: Series): Int8Array {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const key = (i: number) => (scores[i] === scores[i] ? scores[i] : -Infinity);
  order.sort((a, b) => key(b) - key(a) || a - b);
  const q = new Int8Array(n);
  for (let r = 0; r < n; r++) q[order[r]] = Math.floor((r * 5) / n) + 1;
  return q;
}

/**
 * Rank of every score, 1 = highest; ties keep input order and NaN ranks
 * last: the order `quintiles` uses, so quintile = floor((rank - 1) * 5 / n) + 1.
 * Empty -> empty. O(n log n).
 *
 * @example
 *   ranksOf([0.1, 0.5, NaN, 0.3]) // [3, 1, 4, 2]
 */
export function ranksOf(scores: Series): number[] {
  const n = scores.length;
  const key = (i: number) => (scores[i] === scores[i] ? scores[i] : -Infinity);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
  const rank = new Array<number>(n);
  order.forEach((i, r) => (rank[i] = r + 1));
  return rank;
}

/** The scoring half of the screen (`scoreUniverse`). */
export interface UniverseScores extends CompositeScores {
  /** The weights used: the defaults overridden by the caller's. */
  weights: FactorWeights;
  /** Cross-sectional z-score of the composite (`zScores`). */
  compositeZ: Float64Array;
  /** 1 = best composite (`ranksOf`). */
  rank: number[];
  /** 1 = best fifth (`quintiles`). */
  quintile: Int8Array;
}

/**
 * Composite score (`compositeScores`), its z-score, rank and quintile for
 * every symbol of a cross-section. Same edge cases as `compositeScores`.
 *
 * @example
 *   scoreUniverse(metrics, { sharpe: 0 }).rank
 */
export function scoreUniverse(metrics: SymbolMetrics[], weights: Partial<FactorWeights> = {}): UniverseScores {
  const { factors, composite } = compositeScores(metrics, weights);
  return {
    weights: { ...DEFAULT_FACTOR_WEIGHTS, ...weights },
    factors,
    composite,
    compositeZ: zScores(composite),
    rank: ranksOf(composite),
    quintile: quintiles(composite),
  };
}

/** Default k-means seed and largest K of the screen's clustering. */
export const SCREEN_KMEANS_SEED = 42;
export const SCREEN_MAX_K = 10;

/** The clustering half of the screen (`clusterUniverse`). */
export interface UniverseClusters {
  /** Chosen K and the inertia curve k = 1..maxK. */
  k: number;
  inertias: number[];
  /** Cluster index and label of every symbol, in input order. */
  cluster: number[];
  label: string[];
}

/**
 * k-means on the standardised features (volatility, 252-day return, Sharpe,
 * max drawdown; a missing feature sits at its column's mean), seeded from
 * `seed` (default 42), K by the elbow up to maxK (default 10), each cluster
 * labelled like `HiMom-LoVol` from its return and volatility coordinates.
 * Empty -> k 0, no labels.
 *
 * @example
 *   clusterUniverse(metrics, { maxK: 6 }).label
 */
export function clusterUniverse(metrics: SymbolMetrics[], options: { seed?: number; maxK?: number } = {}): UniverseClusters {
  const features = standardizeColumns(metrics.map((m) => [m.volatility, m.momentum[252], m.sharpe, m.maxDrawdown]));
  const choice = chooseK(features, { seed: options.seed ?? SCREEN_KMEANS_SEED, maxK: options.maxK ?? SCREEN_MAX_K });
  const names = clusterLabels(choice.result.centroids, 1, 0);
  const cluster = metrics.map((_, i) => choice.result.labels[i] ?? 0);
  return { k: choice.k, inertias: choice.inertias, cluster, label: cluster.map((c) => names[c] ?? 'MidMom-MidVol') };
}

/** One row of the screen. */
export interface ScreenRow {
  metrics: SymbolMetrics;
  composite: number;
  compositeZ: number;
  rank: number;
  quintile: number;
  cluster: number;
  clusterLabel: string;
}

/** Result of `screenUniverse`. */
export interface ScreenResult {
  rows: ScreenRow[];
  factors: CompositeScores['factors'];
  /** Chosen K and the inertia curve k = 1..maxK. */
  k: number;
  inertias: number[];
}

/** Feature order of the clustering: volatility, 252-day return, Sharpe, drawdown. */
export const CLUSTER_FEATURES = ['volatility', 'return252', 'sharpe', 'maxDrawdown'] as const;

/**
 * The whole screen over a universe of close series (one per symbol, oldest
 * first): metrics (`symbolMetrics`), composite score, rank and quintile
 * (`scoreUniverse`) and clusters (`clusterUniverse`). The `screen` workflow
 * runs the same two halves as parallel activities. Empty universe -> no
 * rows, k 0.
 *
 * @example
 *   screenUniverse(closesBySymbol, { riskFreeRate: 0.02 }).rows[0].quintile
 */
export function screenUniverse(closes: Series[], options: ScreenOptions = {}): ScreenResult {
  const metrics = closes.map((c) => symbolMetrics(c, options));
  const scores = scoreUniverse(metrics, options.weights);
  const clusters = clusterUniverse(metrics, options);
  const rows = metrics.map((m, i) => ({
    metrics: m,
    composite: scores.composite[i],
    compositeZ: scores.compositeZ[i],
    rank: scores.rank[i],
    quintile: scores.quintile[i],
    cluster: clusters.cluster[i],
    clusterLabel: clusters.label[i],
  }));
  return { rows, factors: scores.factors, k: clusters.k, inertias: clusters.inertias };
}
