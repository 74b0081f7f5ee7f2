/**
 * k-means clustering for the screen: column standardisation, k-means++
 * seeding from an explicit seed (so a re-run gives the same clusters),
 * several starts with the best kept (as scikit-learn's n_init), Lloyd iterations, the elbow (distance-from-line) choice of K up to 10,
 * and descriptive cluster labels such as `HiMom-LoVol`.
 */
import { DomainInputError } from './errors';
import { deriveSeed, mulberry32, type Rng } from './random';
import { mean, std, type Series } from './stats';

/**
 * Z-score every column (feature) of a row-major matrix: (x - mean) / std
 * with the population deviation (ddof 0), so each column has mean 0 and
 * deviation 1. A NaN cell becomes 0 (the column mean: an imputation that
 * neither attracts nor repels). A constant column becomes all 0 (it carries
 * no information and must not dominate distances). Empty input -> [].
 *
 * @example
 *   standardizeColumns([[1, 10], [3, 10]]) // [[-1, 0], [1, 0]]
 */
export function standardizeColumns(rows: Series[]): number[][] {
  const n = rows.length;
  if (n === 0) return [];
  const d = rows[0].length;
  const out = rows.map(() => new Array<number>(d).fill(0));
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = rows[i][j];
    const m = mean(col);
    const s = std(col, 0);
    if (!(s > 0)) continue;
    for (let i = 0; i < n; i++) {
      const v = col[i];
      out[i][j] = v === v ? (v - m) / s : 0;
    }
  }
  return out;
}

/** Options for `kmeans`. */
export interface KMeansOptions {
  /** Seed of the k-means++ draws; the same seed and data give the same clustering. */
  seed: number;
  /** Upper bound on Lloyd iterations (default 100). */
  maxIterations?: number;
  /**
   * Independent k-means++ starts; the one with the lowest inertia is kept
   * (default 10, scikit-learn's classic n_init). k = 1 needs only one.
   */
  starts?: number;
}

/** Default number of k-means++ starts, as scikit-learn's `n_init=10`. */
export const KMEANS_STARTS = 10;

/** Result of `kmeans`. */
export interface KMeansResult {
  /** Number of clusters actually formed: min(k, number of distinct points). */
  k: number;
  /** Cluster of each point, 0..k-1. */
  labels: Int32Array;
  /** Cluster centres, k rows of d numbers. */
  centroids: number[][];
  /** Sum of squared distances of points to their centre. */
  inertia: number;
  /** Lloyd iterations run. */
  iterations: number;
  /** Inertia after every assignment step of the kept start; never increases. */
  inertiaHistory: number[];
  /** Number of k-means++ starts that were run. */
  starts: number;
  /** Index (0-based) of the start that was kept: the lowest inertia, the earliest on a tie. */
  bestStart: number;
}

function flatten(points: Series[], d: number): Float64Array {
  const x = new Float64Array(points.length * d);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p.length !== d) {
      throw new DomainInputError('LENGTH_MISMATCH', `k-means point ${i} has ${p.length} features, expected ${d}`);
    }
    for (let j = 0; j < d; j++) {
      const v = p[j];
      if (!Number.isFinite(v)) throw new DomainInputError('INVALID_PARAMETER', `k-means point ${i} feature ${j} is ${v}`);
      x[i * d + j] = v;
    }
  }
  return x;
}

/**
 * k-means (Lloyd's algorithm) with greedy k-means++ seeding (Arthur &
 * Vassilvitskii 2007, as scikit-learn does it), best of several starts: the
 * first centre is a uniformly drawn point; for each next centre
 * 2 + floor(ln k) candidates are drawn with probability proportional to
 * their squared distance to the nearest centre chosen so far, and the one
 * that lowers the total squared distance most is kept. Then assign
 * every point to its nearest centre (ties to the lowest index) and move each
 * centre to the mean of its points, until no assignment changes or
 * maxIterations. A cluster that empties keeps its centre, which keeps the
 * inertia non-increasing. Lloyd's algorithm stops at a local optimum that
 * depends on the seeding, so `starts` (default 10) independent seedings are
 * run and the lowest inertia kept (scikit-learn's `n_init`); start 0 draws
 * from mulberry32(seed), start s > 0 from mulberry32(deriveSeed(seed,
 * 'kmeans-start-s')), so the result is deterministic for a seed. On
 * vega-datasets' penguins (k = 2..10) the kept inertia is within 0.3 % of
 * scikit-learn's n_init=10 (see the test). Cost O(starts n k d) per
 * iteration.
 *
 * Edge cases: no points -> k 0, empty labels; fewer distinct points than k
 * (e.g. identical features) -> only that many clusters are formed, since
 * k-means++ never picks a point at distance 0; k < 1, starts < 1 or
 * non-finite features -> DomainInputError.
 *
 * @example
 *   kmeans([[0, 0], [0, 1], [10, 10], [10, 11]], 2, { seed: 1 }).labels // e.g. [0, 0, 1, 1]
 */
export function kmeans(points: Series[], k: number, options: KMeansOptions): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new DomainInputError('INVALID_PARAMETER', `k must be an integer >= 1, got ${k}`);
  const starts = options.starts ?? KMEANS_STARTS;
  if (!Number.isInteger(starts) || starts < 1)
    throw new DomainInputError('INVALID_PARAMETER', `k-means starts must be an integer >= 1, got ${starts}`);
  const n = points.length;
  if (n === 0)
    return { k: 0, labels: new Int32Array(0), centroids: [], inertia: 0, iterations: 0, inertiaHistory: [], starts: 0, bestStart: 0 };
  const d = points[0].length;
  const x = flatten(points, d);
  const maxIter = options.maxIterations ?? 100;
  // with one cluster every start converges to the overall mean
  const runs = k === 1 ? 1 : starts;
  let best: Omit<KMeansResult, 'starts' | 'bestStart'> | undefined;
  let bestStart = 0;
  for (let s = 0; s < runs; s++) {
    const rng = mulberry32(s === 0 ? options.seed : deriveSeed(options.seed, `kmeans-start-${s}`));
    const r = lloyd(x, n, d, seedCentres(x, n, d, k, rng), maxIter);
    if (!best || r.inertia < best.inertia) {
      best = r;
      bestStart = s;
    }
  }
  return { ...best!, starts: runs, bestStart };
}

/**
 * Greedy k-means++ seeding (scikit-learn's `_kmeans_plusplus`): after a
 * uniform first centre, draw 2 + floor(ln k) candidates by D^2 sampling and
 * keep the one that lowers the potential sum(D^2) most. Indices of up to k
 * distinct points.
 */
function seedCentres(x: Float64Array, n: number, d: number, k: number, rng: Rng): number[] {
  const centres: number[] = [Math.min(n - 1, Math.floor(rng() * n))];
  const d2 = new Float64Array(n);
  const trial = new Float64Array(n);
  const bestTrial = new Float64Array(n);
  const dist = (i: number, c: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = x[i * d + j] - x[c * d + j];
      s += diff * diff;
    }
    return s;
  };
  let total = 0;
  for (let i = 0; i < n; i++) {
    d2[i] = dist(i, centres[0]);
    total += d2[i];
  }
  const trials = 2 + Math.floor(Math.log(k));
  while (centres.length < k) {
    if (!(total > 0)) break;
    let bestPick = -1;
    let bestTotal = Infinity;
    for (let l = 0; l < trials; l++) {
      let u = rng() * total;
      let pick = -1;
      for (let i = 0; i < n; i++) {
        if (d2[i] === 0) continue;
        pick = i;
        u -= d2[i];
        if (u < 0) break;
      }
      let t = 0;
      for (let i = 0; i < n; i++) {
        const s = dist(i, pick);
        trial[i] = s < d2[i] ? s : d2[i];
        t += trial[i];
      }
      if (t < bestTotal) {
        bestTotal = t;
        bestPick = pick;
        bestTrial.set(trial);
      }
    }
    centres.push(bestPick);
    d2.set(bestTrial);
    total = bestTotal;
  }
  return centres;
}

/** Lloyd iterations from the given seed points. */
function lloyd(x: Float64Array, n: number, d: number, centres: number[], maxIter: number): Omit<KMeansResult, 'starts' | 'bestStart'> {
  const kk = centres.length;
  const cen = new Float64Array(kk * d);
  for (let c = 0; c < kk; c++) for (let j = 0; j < d; j++) cen[c * d + j] = x[centres[c] * d + j];

  const labels = new Int32Array(n).fill(-1);
  const sums = new Float64Array(kk * d);
  const counts = new Int32Array(kk);
  const history: number[] = [];
  let iterations = 0;
  let inertia = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations++;
    let changed = false;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < kk; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = x[i * d + j] - cen[c * d + j];
          s += diff * diff;
        }
        if (s < bestD) {
          bestD = s;
          best = c;
        }
      }
      if (labels[i] !== best) {
        labels[i] = best;
        changed = true;
      }
      inertia += bestD;
    }
    history.push(inertia);
    if (!changed) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += x[i * d + j];
    }
    for (let c = 0; c < kk; c++) {
      if (counts[c] === 0) continue;
      for (let j = 0; j < d; j++) cen[c * d + j] = sums[c * d + j] / counts[c];
    }
  }
  const centroids: number[][] = [];
  for (let c = 0; c < kk; c++) centroids.push(Array.from(cen.subarray(c * d, c * d + d)));
  return { k: kk, labels, centroids, inertia, iterations, inertiaHistory: history };
}

/**
 * Elbow choice of K by the distance-from-line heuristic: put the points
 * (k, inertia_k) for k = 1..K on a unit square (k scaled to (k-1)/(K-1),
 * inertia to (I_k - I_K) / (I_1 - I_K)), draw the line from the first to the
 * last point, and choose the k farthest below it (the knee). Scaling first
 * keeps the choice independent of the inertia's units. `inertias[i]` is the
 * inertia for k = i + 1. Fewer than 3 candidates, or no drop in inertia ->
 * 1. Ties -> the smaller k. Empty -> 0.
 *
 * @example
 *   elbowK([100, 30, 20, 15, 12]) // 2
 */
export function elbowK(inertias: readonly number[]): number {
  const m = inertias.length;
  if (m === 0) return 0;
  if (m < 3) return 1;
  const first = inertias[0];
  const last = inertias[m - 1];
  const span = first - last;
  if (!(span > 0)) return 1;
  let best = 1;
  let bestDist = 0;
  for (let i = 0; i < m; i++) {
    const xk = i / (m - 1);
    const yk = (inertias[i] - last) / span;
    const dist = 1 - xk - yk; // proportional to the distance below the line x + y = 1
    if (dist > bestDist + 1e-12) {
      bestDist = dist;
      best = i + 1;
    }
  }
  return best;
}

/** Result of `chooseK`. */
export interface KChoice {
  k: number;
  /** Inertia for k = 1..maxK (index k - 1). */
  inertias: number[];
  /** The clustering for the chosen k. */
  result: KMeansResult;
}

/**
 * Run k-means (best of `starts` seedings each) for k = 1..min(maxK, n) with
 * the same seed and pick K with `elbowK`. maxK defaults to 10. No points -> k 0.
 *
 * @example
 *   chooseK(standardizeColumns(features), { seed: 42 }).k
 */
export function chooseK(points: Series[], options: KMeansOptions & { maxK?: number }): KChoice {
  const maxK = Math.min(options.maxK ?? 10, points.length);
  if (maxK < 1) return { k: 0, inertias: [], result: kmeans(points, 1, options) };
  const results: KMeansResult[] = [];
  for (let k = 1; k <= maxK; k++) results.push(kmeans(points, k, options));
  const inertias = results.map((r) => r.inertia);
  const k = elbowK(inertias);
  return { k: results[k - 1].k, inertias, result: results[k - 1] };
}

/**
 * Descriptive labels from standardised centroids: for the momentum
 * coordinate `HiMom` (> +0.25 sd), `LoMom` (< -0.25 sd) or `MidMom`, and
 * likewise `HiVol` / `LoVol` / `MidVol`, joined as `HiMom-LoVol`. Clusters
 * that would share a label get `-2`, `-3`... in cluster order so labels
 * stay unique.
 *
 * @example
 *   clusterLabels([[1, -1], [-1, 1]], 0, 1) // ['HiMom-LoVol', 'LoMom-HiVol']
 */
export function clusterLabels(centroids: number[][], momentumIndex: number, volatilityIndex: number): string[] {
  const level = (v: number) => (v > 0.25 ? 'Hi' : v < -0.25 ? 'Lo' : 'Mid');
  const seen = new Map<string, number>();
  return centroids.map((c) => {
    const base = `${level(c[momentumIndex])}Mom-${level(c[volatilityIndex])}Vol`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}
