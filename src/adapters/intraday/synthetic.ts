/**
 * The seeded synthetic intraday market behind the `synthetic` intraday
 * provider: 1-, 5- and 15-minute bars of the regular session (09:30-16:00
 * New York) on NYSE trading days, for the 49 names of DAILY_UNIVERSE and the
 * seed's pair ATEN / INGM (51 symbols). Weekends, holidays, closures and
 * times outside the session give no bars.
 *
 * Intervals, and why they always agree: a (symbol, day) is generated at the
 * 5-minute step (78 bars). 15m bars are aggregated from those (first open,
 * highest high, lowest low, last close, summed volume). 1m bars refine each
 * 5m bar into five minutes constrained to it (same open and close, the
 * five highs reach exactly its high and the lows its low, the volumes add
 * up to its volume), so aggregating the 1m bars gives the 5m bars back.
 * The 5m step keeps the common case cheap (see Speed); the refinement runs
 * only when 1m bars are asked for, from a stream of its own, so it never
 * changes a 5m or 15m bar.
 *
 * DAILY_UNIVERSE names agree with the daily synthetic market of the same
 * seed: the first bar opens at that day's daily open, the last bar closes at
 * its daily close, and the volumes add up to its daily volume. Between open
 * and close the log price is a Brownian bridge in "business time":
 *   increments  dX_j = sigma_d sqrt(w_j) z_j,  j = 0..77 (5m bars), z ~ N(0, 1)
 *   bridge      X_j = ln(open) + S_j - W_j (S_78 - ln(close / open)),  S_j = sum_{i<j} dX_i,  W_j = sum_{i<j} w_i
 *   sigma_d     the day's volatility: Parkinson's estimate from the daily bar,
 *               ln(high / low) / sqrt(4 ln 2), kept within [0.5 %, 8 %]
 *               (a wide daily bar makes a choppy day);
 *   w           the U-shaped intraday profile, defined per minute k = 0..389:
 *               m(u) = 1 + 1.5 (2u - 1)^2 with u = (k + 0.5) / 390 is the minute's
 *               volatility multiple, its variance share m^2 / sum m^2, and a 5m
 *               bar's share the sum over its minutes. So volatility is about 2.5x
 *               as high in the first and last minutes as at midday (~2.2x for the
 *               first and last 5m bars).
 * A bar's high and low are the exact extremes of a Brownian bridge between
 * its open and close with the bar's variance v (log price, U1, U2 uniform):
 *   max = (a + b + sqrt((b - a)^2 - 2 v ln U1)) / 2,   min = (a + b - sqrt((b - a)^2 - 2 v ln U2)) / 2
 * so they are as wide as the path itself; they are not forced to meet the
 * daily bar's high and low (the daily market draws those on their own).
 * Volume follows the same U: a bar's share of the daily volume is
 * proportional to its m (summed over its minutes) x e^{0.3 z'}, rounded so
 * the shares add up exactly.
 * A day on which the daily market has no bar for a name (its rare "gap",
 * 0.3 %) has no intraday bars for it either, as a feed that lost a symbol.
 *
 * 1m refinement of a 5m bar (o, h, l, c, v): interior minute boundaries by
 * the Brownian bridge from ln o to ln c with the minutes' variances, held
 * within [ln l, ln h]; each minute's extremes by the formula above with its
 * own variance, within [l, h]; then the minute with the highest high is set
 * to h and the one with the lowest low to l; volume split by the minutes' m.
 *
 * The pair (seed 002 "ATEN-INGM": spread mean $4.930, std $0.538):
 *   INGM  a random walk: daily ln C_d = ln C_{d-1} + 0.30 sqrt(1/252) e_d from
 *         $20.00 on 2024-01-02 (walked backwards before it, so every date is
 *         reachable and recent prices stay near $20), open C_{d-1} e^{0.3 sd o_d};
 *         intraday the bridge above with sigma_d = 30 % / sqrt(252).
 *   ATEN  = INGM + s at every 5m boundary, s an Ornstein-Uhlenbeck spread with
 *         mean 4.93, stationary std 0.538 and a half-life of 30 minutes, stepped
 *         exactly: s_{j+1} = mu + phi (s_j - mu) + 0.538 sqrt(1 - phi^2) z,
 *         phi = 2^(-5/30); each day starts from the stationary law
 *         N(4.93, 0.538^2) (a night is many half-lives). ATEN's extremes use
 *         the bridge formula in price, with the variance of both parts.
 *   So ATEN - INGM at 5m and 15m closes has the seed's mean and std, and a
 *   z-score on a 20-bar window (the seed's entry 2, exit 0.5) sees entries
 *   and exits every day. (At 1m the two are refined apart: the spread at a
 *   minute inside a 5m bar is close to, not exactly, the OU.)
 * Prices are rounded to cents; rounding is monotone, so ranges stay consistent.
 *
 * Determinism: every draw of a (symbol, day) comes from its own stream
 * `deriveSeed(seed, "intraday|<symbol>|<date>")` (and `...|1m` for the
 * refinement; both Box-Muller outputs are used), so a bar never depends on
 * the range or interval asked for.
 *
 * Speed: a (symbol, day) costs ~30-60 us at 5m and is cached: the most
 * recent 2,048 (40 days of all 51 symbols), ~6 MB, up to ~40 MB when they
 * were also asked for at 1m. Once the daily market is warm (its first call
 * computes every path since 2000, ~0.5 s, once per process), 51 symbols x
 * 2 days of 5m bars take a few ms, and ~1 ms when cached; 1m costs about 5x.
 */
import { deriveSeed, mulberry32, type Rng } from '../../domain/random';
import { isTradingDay, newYorkToUtc, tradingDays } from '../../domain/trading-calendar';
import { aggregateBars, SESSION_OPEN_MINUTES_ET } from '../../domain/intraday-bars';
import { BAR_INTERVAL_MS } from '../../domain/strategies/types';
import { DAILY_UNIVERSE } from '../hourly-dataset/universe';
import { createSyntheticProvider } from '../market-data/synthetic';
import type { DataProvider, EodBar } from '../market-data/types';
import type { IntradayBar, IntradayFailure, IntradayProvider, IntradayResult } from './types';
import { INTRADAY_PAIR_SYMBOLS } from './universe';

export { INTRADAY_PAIR_SYMBOLS, INTRADAY_SYMBOLS } from './universe';

/** The pair's spread ATEN - INGM: the seed's statistics and our half-life. */
export const PAIR_SPREAD = Object.freeze({ mean: 4.93, std: 0.538, halfLifeMinutes: 30 });

const MINUTES = 390;
const BARS = 78;
const PER = 5;
const DAY_MS = 86_400_000;
const MIN_DAY_VOL = 0.005;
const MAX_DAY_VOL = 0.08;
const PARKINSON = 1 / Math.sqrt(4 * Math.LN2);
const INGM = { anchorDate: '2024-01-02', anchorClose: 20, annualVol: 0.3, baseVolume: 1.5e6 };
const INGM_DAY_VOL = INGM.annualVol / Math.sqrt(252);
const ATEN_BASE_VOLUME = 0.9e6;
const CACHE_LIMIT = 2048;

/** Minute k's volatility multiple m(u) = 1 + 1.5 (2u - 1)^2 (the U). */
const U_MINUTE = Float64Array.from({ length: MINUTES }, (_, k) => 1 + 1.5 * (2 * ((k + 0.5) / MINUTES) - 1) ** 2);
/** Variance share of each minute, summing to 1. */
const VAR_MINUTE = (() => {
  const total = U_MINUTE.reduce((s, m) => s + m * m, 0);
  return U_MINUTE.map((m) => (m * m) / total);
})();
const sumPerBar = (x: Float64Array) =>
  Float64Array.from({ length: BARS }, (_, j) => x.subarray(j * PER, (j + 1) * PER).reduce((s, v) => s + v, 0));
/** Per 5m bar: variance share, its square root, and volume weight. */
const VAR_BAR = sumPerBar(VAR_MINUTE);
const SD_BAR = VAR_BAR.map(Math.sqrt);
const U_BAR = sumPerBar(U_MINUTE);

export interface SyntheticIntradayOptions {
  seed: number;
  /** The daily market the universe names follow (default: the synthetic daily provider of the same seed). */
  daily?: DataProvider;
}

/** One (symbol, day) as 5m bars (index j = bar starting 09:30 + 5j min) and what its 1m refinement needs. */
interface DayPath {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Variance of ln price per unit of VAR_MINUTE share (sigma_d^2 for bridge names; ATEN's in log terms). */
  logVar: number;
  /** The 1m bars, once asked for. */
  minutes?: DayPath;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Standard normals by Box-Muller, both outputs used (cos then sin). */
function normals(rng: Rng): () => number {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return z;
    }
    let u = rng();
    while (u <= Number.EPSILON) u = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * rng();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/** -ln U for U uniform in (0, 1]: the exponential draw of the bridge extremes. */
const expDraw = (rng: Rng) => -Math.log(1 - rng());

function emptyPath(n: number, logVar: number): DayPath {
  return {
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    logVar,
  };
}

/** Split `total` over `weights` x e^{0.3 z}, with cumulative rounding so the parts add up to `total` exactly. */
function splitVolume(total: number, weights: ArrayLike<number>, z: () => number, out: Float64Array, at = 0): void {
  const n = weights.length;
  const raw = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += raw[k] = weights[k] * Math.exp(0.3 * z());
  let cum = 0;
  let given = 0;
  for (let k = 0; k < n; k++) {
    cum += raw[k];
    const upTo = Math.round((total * cum) / sum);
    out[at + k] = upTo - given;
    given = upTo;
  }
}

/** 5m bars of a bridge-following name: open to close as the log bridge, extremes in log space, U volume. */
function bridgePath(day: { open: number; close: number; volume: number }, sigma: number, rng: Rng): DayPath {
  const z = normals(rng);
  const sigma2 = sigma * sigma;
  const x = new Float64Array(BARS + 1);
  const x0 = Math.log(day.open);
  const x1 = Math.log(day.close);
  let s = 0;
  for (let j = 0; j < BARS; j++) x[j + 1] = s += sigma * SD_BAR[j] * z();
  const shift = s - (x1 - x0);
  let w = 0;
  for (let j = 0; j <= BARS; j++) {
    x[j] = x0 + x[j] - w * shift;
    if (j < BARS) w += VAR_BAR[j];
  }
  const p = emptyPath(BARS, sigma2);
  let o = day.open;
  for (let j = 0; j < BARS; j++) {
    const a = x[j];
    const b = j === BARS - 1 ? x1 : x[j + 1];
    const c = j === BARS - 1 ? day.close : round2(Math.exp(b));
    const d2 = (b - a) * (b - a);
    const v2 = 2 * sigma2 * VAR_BAR[j];
    p.open[j] = o;
    p.close[j] = c;
    p.high[j] = Math.max(o, c, round2(Math.exp((a + b + Math.sqrt(d2 + v2 * expDraw(rng))) / 2)));
    p.low[j] = Math.min(o, c, round2(Math.exp((a + b - Math.sqrt(d2 + v2 * expDraw(rng))) / 2)));
    o = c;
  }
  splitVolume(day.volume, U_BAR, z, p.volume);
  return p;
}

/** The 1m bars of a day: each 5m bar refined into five minutes that aggregate back to it (see the top of the file). */
function refine(p: DayPath, rng: Rng): DayPath {
  const z = normals(rng);
  const m = emptyPath(MINUTES, p.logVar);
  const y = new Float64Array(PER + 1);
  const v = new Float64Array(PER);
  for (let j = 0; j < BARS; j++) {
    const [o, h, l, c] = [p.open[j], p.high[j], p.low[j], p.close[j]];
    const lo = Math.log(l);
    const hi = Math.log(h);
    let rest = 0;
    for (let i = 0; i < PER; i++) rest += v[i] = p.logVar * VAR_MINUTE[j * PER + i];
    y[0] = Math.log(o);
    y[PER] = Math.log(c);
    // Sequential Brownian bridge: y_{i+1} | y_i ~ N(y_i + (y_end - y_i) v_i / R_i, v_i (R_i - v_i) / R_i), R_i the variance left.
    for (let i = 0; i < PER - 1; i++) {
      const mean = y[i] + ((y[PER] - y[i]) * v[i]) / rest;
      const next = mean + Math.sqrt((v[i] * (rest - v[i])) / rest) * z();
      y[i + 1] = Math.min(hi, Math.max(lo, next));
      rest -= v[i];
    }
    let top = 0;
    let bottom = 0;
    for (let i = 0; i < PER; i++) {
      const k = j * PER + i;
      const mo = i === 0 ? o : m.close[k - 1];
      const mc = i === PER - 1 ? c : round2(Math.exp(y[i + 1]));
      const d2 = (y[i + 1] - y[i]) ** 2;
      m.open[k] = mo;
      m.close[k] = mc;
      m.high[k] = Math.min(h, Math.max(mo, mc, round2(Math.exp((y[i] + y[i + 1] + Math.sqrt(d2 + 2 * v[i] * expDraw(rng))) / 2))));
      m.low[k] = Math.max(l, Math.min(mo, mc, round2(Math.exp((y[i] + y[i + 1] - Math.sqrt(d2 + 2 * v[i] * expDraw(rng))) / 2))));
      if (m.high[k] > m.high[j * PER + top]) top = i;
      if (m.low[k] < m.low[j * PER + bottom]) bottom = i;
    }
    m.high[j * PER + top] = h;
    m.low[j * PER + bottom] = l;
    splitVolume(p.volume[j], U_MINUTE.subarray(j * PER, (j + 1) * PER), z, m.volume, j * PER);
  }
  return m;
}

/** The pair's daily INGM series for one seed, over whole years around the anchor. */
interface PairDaily {
  firstYear: number;
  lastYear: number;
  days: Map<string, { open: number; close: number; volume: number }>;
}

function buildPairDaily(seed: number, firstYear: number, lastYear: number): PairDaily {
  const anchorYear = Number(INGM.anchorDate.slice(0, 4));
  const lo = Math.min(firstYear, anchorYear);
  const hi = Math.max(lastYear, anchorYear);
  const all = tradingDays(`${lo}-01-01`, `${hi}-12-31`);
  const draws = all.map((date) => {
    const z = normals(mulberry32(deriveSeed(seed, `intraday-ingm-daily|${date}`)));
    return { e: z(), o: z(), v: z() };
  });
  // ln C_i = ln C_{i-1} + sd e_i, forwards and backwards from the anchor.
  const sd = INGM_DAY_VOL;
  const a = all.indexOf(INGM.anchorDate);
  const closes = new Float64Array(all.length);
  closes[a] = INGM.anchorClose;
  for (let i = a + 1; i < all.length; i++) closes[i] = closes[i - 1] * Math.exp(sd * draws[i].e);
  for (let i = a - 1; i >= 0; i--) closes[i] = closes[i + 1] / Math.exp(sd * draws[i + 1].e);
  const days = new Map<string, { open: number; close: number; volume: number }>();
  for (let i = 0; i < all.length; i++) {
    const prev = i > 0 ? closes[i - 1] : closes[0] / Math.exp(sd * draws[0].e);
    days.set(all[i], {
      open: round2(prev * Math.exp(0.3 * sd * draws[i].o)),
      close: round2(closes[i]),
      volume: Math.round(INGM.baseVolume * Math.exp(0.3 * draws[i].v)),
    });
  }
  return { firstYear: lo, lastYear: hi, days };
}

const pairDailyCache = new Map<number, PairDaily>();

function ingmDay(seed: number, date: string) {
  const year = Number(date.slice(0, 4));
  let c = pairDailyCache.get(seed);
  if (!c || year < c.firstYear || year > c.lastYear) {
    c = buildPairDaily(seed, Math.min(year, c?.firstYear ?? year), Math.max(year, c?.lastYear ?? year));
    pairDailyCache.set(seed, c);
  }
  return c.days.get(date);
}

/** INGM and ATEN of one day (ATEN needs INGM's prices). */
function pairPaths(seed: number, date: string): { INGM: DayPath; ATEN: DayPath } | undefined {
  const day = ingmDay(seed, date);
  if (!day) return undefined;
  const ingm = bridgePath(day, INGM_DAY_VOL, mulberry32(deriveSeed(seed, `intraday|INGM|${date}`)));

  const rng = mulberry32(deriveSeed(seed, `intraday|ATEN|${date}`));
  const z = normals(rng);
  const { mean, std, halfLifeMinutes } = PAIR_SPREAD;
  const phi = 2 ** (-PER / halfLifeMinutes);
  const shock = std * Math.sqrt(1 - phi * phi);
  let s = mean + std * z();
  // The 1m refinement's log variance per unit of minute share, at the day's ATEN level: INGM's part plus the
  // spread's one-minute shock spread evenly (390 minutes), over level^2.
  const level = day.open + mean;
  const spreadMinute = std * std * (1 - 2 ** (-2 / halfLifeMinutes));
  const aten = emptyPath(BARS, ((INGM_DAY_VOL * day.open) ** 2 + MINUTES * spreadMinute) / (level * level));
  for (let j = 0; j < BARS; j++) {
    const next = mean + phi * (s - mean) + shock * z();
    // From INGM's rounded prices, so ATEN - INGM is the spread to the cent.
    const a = ingm.open[j] + s;
    const b = ingm.close[j] + next;
    const o = j === 0 ? round2(a) : aten.close[j - 1];
    const c = round2(b);
    const v2 = 2 * ((ingm.open[j] * INGM_DAY_VOL) ** 2 * VAR_BAR[j] + shock * shock);
    aten.open[j] = o;
    aten.close[j] = c;
    aten.high[j] = Math.max(o, c, round2((a + b + Math.sqrt((b - a) ** 2 + v2 * expDraw(rng))) / 2));
    aten.low[j] = Math.min(o, c, round2((a + b - Math.sqrt((b - a) ** 2 + v2 * expDraw(rng))) / 2));
    s = next;
  }
  splitVolume(Math.round(ATEN_BASE_VOLUME * Math.exp(0.3 * z())), U_BAR, z, aten.volume);
  return { INGM: ingm, ATEN: aten };
}

/** Paths by `seed|symbol|date`; a Map keeps insertion order, so the oldest entry goes first when full. */
const pathCache = new Map<string, DayPath | null>();

function remember(key: string, path: DayPath | null): DayPath | null {
  if (pathCache.size >= CACHE_LIMIT) pathCache.delete(pathCache.keys().next().value!);
  pathCache.set(key, path);
  return path;
}

/** The bars of `p` (5m, or 1m with `step` 60,000) whose start lies in [from, to). */
function emit(symbol: string, date: string, p: DayPath, step: number, from: number, to: number, out: IntradayBar[]): void {
  const open = newYorkToUtc(date, SESSION_OPEN_MINUTES_ET);
  for (let j = 0; j < p.open.length; j++) {
    const ts = open + j * step;
    if (ts < from || ts >= to) continue;
    out.push({ symbol, ts, open: p.open[j], high: p.high[j], low: p.low[j], close: p.close[j], volume: p.volume[j] });
  }
}

/**
 * The synthetic intraday provider (name `synthetic`, as the daily one).
 *
 * @example
 *   const p = createSyntheticIntradayProvider({ seed: 20000127 });
 *   const open = Date.parse('2024-03-04T14:30:00Z'); // 09:30 New York
 *   const { bars } = await p.fetchBars(['AAPL', 'ATEN', 'INGM'], open, open + 6.5 * 3_600_000, '5m'); // 3 x 78 bars
 */
export function createSyntheticIntradayProvider(opts: SyntheticIntradayOptions): IntradayProvider {
  const seed = opts.seed;
  const daily = opts.daily ?? createSyntheticProvider({ seed });
  const universe = new Set(DAILY_UNIVERSE.map((c) => c.symbol));
  const pair = new Set<string>(INTRADAY_PAIR_SYMBOLS);
  const knows = (s: string) => universe.has(s) || pair.has(s);

  return {
    name: 'synthetic',
    async fetchBars(symbols, from, to, interval): Promise<IntradayResult> {
      if (!Object.hasOwn(BAR_INTERVAL_MS, interval)) throw new RangeError(`interval must be 1m, 5m or 15m, got ${String(interval)}`);
      if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`from and to must be epoch ms, got ${from}..${to}`);
      const bars: IntradayBar[] = [];
      const failures: IntradayFailure[] = symbols
        .filter((s) => !knows(s))
        .map((symbol) => ({ symbol, reason: `${symbol}: not in the synthetic intraday universe` }));
      const known = [...new Set(symbols.filter(knows))];
      if (to <= from || known.length === 0) return { bars, failures };

      // A session lies inside one UTC day (13:30-21:00 UTC), so the UTC dates of [from, to) are the candidate sessions.
      const dates: string[] = [];
      for (let t = Math.floor(from / DAY_MS) * DAY_MS; t < to; t += DAY_MS) {
        const date = new Date(t).toISOString().slice(0, 10);
        if (isTradingDay(date)) dates.push(date);
      }
      if (dates.length === 0) return { bars, failures };

      // The daily market caches its paths, so asking again costs lookups; a path evicted here meanwhile is rebuilt from it.
      const dailyBars = new Map<string, EodBar>();
      const fromDaily = known.filter((s) => universe.has(s));
      if (fromDaily.length > 0) {
        const r = await daily.fetchEod(fromDaily, dates[0], dates[dates.length - 1]);
        for (const b of r.bars) dailyBars.set(`${b.symbol}|${b.date}`, b);
      }

      const pathOf = (symbol: string, date: string): DayPath | null => {
        const key = `${seed}|${symbol}|${date}`;
        const hit = pathCache.get(key);
        if (hit !== undefined) return hit;
        if (pair.has(symbol)) {
          const both = pairPaths(seed, date);
          remember(`${seed}|INGM|${date}`, both?.INGM ?? null);
          remember(`${seed}|ATEN|${date}`, both?.ATEN ?? null);
          return both ? both[symbol as (typeof INTRADAY_PAIR_SYMBOLS)[number]] : null;
        }
        const d = dailyBars.get(`${symbol}|${date}`);
        if (!d) return remember(key, null);
        const sigma = Math.min(MAX_DAY_VOL, Math.max(MIN_DAY_VOL, Math.log(d.high / d.low) * PARKINSON));
        return remember(key, bridgePath(d, sigma, mulberry32(deriveSeed(seed, `intraday|${symbol}|${date}`))));
      };

      for (const symbol of known) {
        const own: IntradayBar[] = [];
        for (const date of dates) {
          const p = pathOf(symbol, date);
          if (!p) continue;
          if (interval === '1m') {
            p.minutes ??= refine(p, mulberry32(deriveSeed(seed, `intraday|${symbol}|${date}|1m`)));
            emit(symbol, date, p.minutes, 60_000, from, to, own);
          } else if (interval === '5m') emit(symbol, date, p, 300_000, from, to, own);
          else {
            // Whole 15m buckets only: a bucket cut by `from` would aggregate part of itself.
            const five: IntradayBar[] = [];
            emit(symbol, date, p, 300_000, Math.floor(from / 900_000) * 900_000, Math.ceil(to / 900_000) * 900_000, five);
            for (const b of aggregateBars(five, '15m')) if (b.ts >= from && b.ts < to) own.push(b);
          }
        }
        bars.push(...own);
      }
      return { bars, failures };
    },
  };
}
