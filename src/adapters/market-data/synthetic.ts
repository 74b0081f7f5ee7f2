/**
 * The seeded synthetic daily market behind the `synthetic` provider: end-of-day
 * OHLCV with adjusted close, quarterly dividends and fundamentals for the
 * 49-name DAILY_UNIVERSE, on the real NYSE calendar (weekends, holidays and
 * unscheduled closures give no bars).
 *
 * The model, per trading day t (dt = 1/252):
 *   market    m_t = 0.16 sqrt(dt) z_t
 *   sector    f_{s,t} = sig_s sqrt(dt) z_{s,t},                  sig_s in [8 %, 14 %]
 *   log total return of symbol i
 *             r_{i,t} = (mu_i - sig^2/2) dt + beta_i m_t + gamma_i f_{s(i),t} + sig_i sqrt(dt) e_{i,t}
 *   price     P_t = P_{t-1} e^{r_t} - D_t   (D_t the dividend going ex on t, q_i/4 x P_{t-1})
 *   adj close A_t = P_t x prod_{ex <= t} (P_{ex-1} e^{r_ex} / P_ex)   (total-return index)
 *   open      (P_{t-1} - D_t) e^{0.3 sd o_t}; high/low widen max/min(open, close) by |N| x 0.5 sd
 *   volume    V_i e^{0.3 v_t}; a bar is missing ("gap") with probability 0.3 %.
 * with beta in [0.6, 1.4], gamma in [0.6, 1.2], sig_i in [12 %, 30 %], mu ~ N(7 %, 3 %),
 * first price log-uniform in [15, 150], 70 % of names paying a yield q in [0.5 %, 4 %].
 *
 * Determinism: every draw of day t comes from its own stream
 * `deriveSeed(seed, "<stream>|<date>")`, and price levels are the cumulative
 * path from a fixed epoch (2000-01-03), so the same symbol and date always
 * give the same bar whatever range was asked for. Adjusted close is anchored
 * at the epoch (A = P on 2000-01-03), so it never changes retroactively; this
 * differs from Yahoo, whose adjusted close is anchored at today.
 *
 * Speed: paths are cached per (seed, symbol) and extended a year at a time;
 * 10 years x 49 names cost about 0.2 s the first time, nothing after.
 */
import { deriveSeed, mulberry32, normalSampler } from '../../domain/random';
import { isTradingDay } from '../../domain/trading-calendar';
import { DAILY_UNIVERSE } from '../hourly-dataset/universe';
import { UnknownSymbolError } from './errors';
import type { DataProvider, Dividend, EodBar, EodResult, Fundamentals, SymbolFailure } from './types';

/** First day of every synthetic path. Requests before it get bars from here on. */
export const SYNTHETIC_EPOCH = '2000-01-03';
const DAY_MS = 86_400_000;
const DT = 1 / 252;
const SQRT_DT = Math.sqrt(DT);
const MARKET_VOL = 0.16;
const GAP_PROBABILITY = 0.003;

export interface SyntheticProviderOptions {
  seed: number;
  /** Symbols and sectors the market knows (default DAILY_UNIVERSE). */
  universe?: readonly { symbol: string; sector: string }[];
  /**
   * `shared` (default): paths live in one process-wide cache, so a worker's
   * many activities compute each path once. `private`: the cache belongs to
   * this provider and is freed with it; for a one-off read in a long-lived
   * process (the API's starting prices), which would otherwise keep about
   * 27 MB of paths since 2000 for its whole life.
   */
  cache?: 'shared' | 'private';
}

interface SymbolParams {
  sector: string;
  beta: number;
  gamma: number;
  sigma: number;
  mu: number;
  p0: number;
  yieldQ: number;
  baseVolume: number;
  exDay: number;
}

interface SymbolPath {
  /** Index into the shared date table of each computed day. */
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  adj: number[];
  volume: number[];
  present: boolean[];
  dividend: number[];
  /** Unrounded state after the last computed day. */
  state: { price: number; factor: number; lastDivKey: number };
}

interface MarketCache {
  dates: string[];
  index: Map<string, number>;
  market: number[];
  sectors: Map<string, number[]>;
  paths: Map<string, SymbolPath>;
  /** Dates computed up to (exclusive), as a year: the table covers [epoch, Jan 1 of `throughYear + 1`). */
  throughYear: number;
}

const sharedCaches = new Map<number, MarketCache>();

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

function symbolParams(seed: number, symbol: string, sector: string): SymbolParams {
  const rng = mulberry32(deriveSeed(seed, `daily-params|${symbol}`));
  const z = normalSampler(mulberry32(deriveSeed(seed, `daily-params-z|${symbol}`)));
  const pays = rng() < 0.7;
  return {
    sector,
    beta: 0.6 + 0.8 * rng(),
    gamma: 0.6 + 0.6 * rng(),
    sigma: 0.12 + 0.18 * rng(),
    mu: 0.07 + 0.03 * z(),
    p0: Math.exp(Math.log(15) + (Math.log(150) - Math.log(15)) * rng()),
    yieldQ: pays ? 0.005 + 0.035 * rng() : (rng(), 0),
    baseVolume: 5e6 * Math.exp(0.8 * z()),
    exDay: 8 + Math.floor(rng() * 12),
  };
}

function sectorVol(seed: number, sector: string): number {
  return 0.08 + 0.06 * mulberry32(deriveSeed(seed, `daily-sector-vol|${sector}`))();
}

function dayNormal(seed: number, stream: string, date: string): number {
  return normalSampler(mulberry32(deriveSeed(seed, `${stream}|${date}`)))();
}

function cacheFor(caches: Map<number, MarketCache>, seed: number): MarketCache {
  let c = caches.get(seed);
  if (!c) {
    c = { dates: [], index: new Map(), market: [], sectors: new Map(), paths: new Map(), throughYear: 1999 };
    caches.set(seed, c);
  }
  return c;
}

/** Extend the shared date table and market draws through the end of `year`. */
function extendDates(seed: number, c: MarketCache, year: number): void {
  if (year <= c.throughYear) return;
  const start = Date.parse(`${c.throughYear + 1 === 2000 ? SYNTHETIC_EPOCH : `${c.throughYear + 1}-01-01`}T00:00:00Z`);
  const end = Date.parse(`${year}-12-31T00:00:00Z`);
  for (let t = start; t <= end; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (!isTradingDay(date)) continue;
    c.index.set(date, c.dates.length);
    c.dates.push(date);
    c.market.push(MARKET_VOL * SQRT_DT * dayNormal(seed, 'daily-market', date));
  }
  c.throughYear = year;
}

function sectorShocks(seed: number, c: MarketCache, sector: string): number[] {
  let s = c.sectors.get(sector);
  if (!s) {
    s = [];
    c.sectors.set(sector, s);
  }
  if (s.length < c.dates.length) {
    const vol = sectorVol(seed, sector);
    for (let i = s.length; i < c.dates.length; i++) s.push(vol * SQRT_DT * dayNormal(seed, `daily-sector|${sector}`, c.dates[i]));
  }
  return s;
}

function extendPath(seed: number, c: MarketCache, symbol: string, p: SymbolParams): SymbolPath {
  let path = c.paths.get(symbol);
  if (!path) {
    path = {
      open: [],
      high: [],
      low: [],
      close: [],
      adj: [],
      volume: [],
      present: [],
      dividend: [],
      state: { price: p.p0, factor: 1, lastDivKey: -1 },
    };
    c.paths.set(symbol, path);
  }
  if (path.close.length >= c.dates.length) return path;
  const sector = sectorShocks(seed, c, p.sector);
  const symSeed = deriveSeed(seed, `daily-symbol|${symbol}`);
  const sd = p.sigma * SQRT_DT;
  const drift = (p.mu - (p.sigma * p.sigma) / 2) * DT;
  const st = path.state;
  for (let i = path.close.length; i < c.dates.length; i++) {
    const date = c.dates[i];
    const rng = mulberry32(deriveSeed(symSeed, date));
    const z = normalSampler(rng);
    const e = z();
    const o = z();
    const h = z();
    const l = z();
    const v = z();
    const gap = rng() < GAP_PROBABILITY;
    const r = drift + p.beta * c.market[i] + p.gamma * sector[i] + sd * e;
    const prev = st.price;
    const grown = prev * Math.exp(r);
    // Quarterly dividends: Feb, May, Aug, Nov, first trading day on or after the symbol's ex-day.
    const month = Number(date.slice(5, 7));
    const dom = Number(date.slice(8, 10));
    const divKey = Number(date.slice(0, 4)) * 100 + month;
    let div = 0;
    if (p.yieldQ > 0 && month % 3 === 2 && dom >= p.exDay && st.lastDivKey !== divKey) {
      div = round((p.yieldQ / 4) * prev, 2);
      st.lastDivKey = divKey;
    }
    const close = grown - div;
    if (div > 0) st.factor *= grown / close;
    const open = (prev - div) * Math.exp(0.3 * sd * o);
    const high = Math.max(open, close) * Math.exp(0.5 * sd * Math.abs(h));
    const low = Math.min(open, close) * Math.exp(-0.5 * sd * Math.abs(l));
    st.price = close;
    path.open.push(round(open, 2));
    path.high.push(round(high, 2));
    path.low.push(round(low, 2));
    const closeRounded = round(close, 2);
    path.close.push(closeRounded);
    path.adj.push(round(closeRounded * st.factor, 4));
    path.volume.push(Math.round(p.baseVolume * Math.exp(0.3 * v)));
    path.present.push(!gap);
    path.dividend.push(div);
  }
  return path;
}

/** Index of the first trading day in the table on or after `date` (table length if none). */
function lowerBound(c: MarketCache, date: string): number {
  let lo = 0;
  let hi = c.dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.dates[mid] < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The synthetic provider (name `synthetic`).
 *
 * @example
 *   const p = createSyntheticProvider({ seed: 20000127 });
 *   const { bars } = await p.fetchEod(['AAPL', 'MSFT'], '2024-01-02', '2024-01-31');
 */
export function createSyntheticProvider(opts: SyntheticProviderOptions): DataProvider {
  const seed = opts.seed;
  const caches = opts.cache === 'private' ? new Map<number, MarketCache>() : sharedCaches;
  const universe = new Map((opts.universe ?? DAILY_UNIVERSE).map((c) => [c.symbol, c.sector]));
  const params = new Map<string, SymbolParams>();
  const paramsOf = (symbol: string): SymbolParams => {
    let p = params.get(symbol);
    if (!p) {
      const sector = universe.get(symbol);
      if (sector === undefined) throw new UnknownSymbolError(symbol, 'not in the synthetic universe');
      p = symbolParams(seed, symbol, sector);
      params.set(symbol, p);
    }
    return p;
  };
  const range = (from: string, to: string): { c: MarketCache; lo: number; hi: number } => {
    if (!ISO_DATE.test(from) || !ISO_DATE.test(to)) throw new RangeError(`dates must be YYYY-MM-DD, got ${from}..${to}`);
    const c = cacheFor(caches, seed);
    extendDates(seed, c, Number(to.slice(0, 4)));
    return {
      c,
      lo: lowerBound(c, from < SYNTHETIC_EPOCH ? SYNTHETIC_EPOCH : from),
      hi: lowerBound(c, to > c.dates[c.dates.length - 1] ? '9999' : `${to}\u0000`),
    };
  };

  return {
    name: 'synthetic',
    async fetchEod(symbols, from, to): Promise<EodResult> {
      const bars: EodBar[] = [];
      const failures: SymbolFailure[] = [];
      if (to < from) return { bars, failures };
      const { c, lo, hi } = range(from, to);
      for (const symbol of symbols) {
        if (!universe.has(symbol)) {
          failures.push({ symbol, type: 'UnknownSymbol', message: `${symbol}: not in the synthetic universe` });
          continue;
        }
        const path = extendPath(seed, c, symbol, paramsOf(symbol));
        for (let i = lo; i < hi; i++) {
          if (!path.present[i]) continue;
          bars.push({
            symbol,
            date: c.dates[i],
            open: path.open[i],
            high: path.high[i],
            low: path.low[i],
            close: path.close[i],
            adjClose: path.adj[i],
            volume: path.volume[i],
          });
        }
      }
      return { bars, failures };
    },

    async fetchFundamentals(symbol): Promise<Fundamentals> {
      const p = paramsOf(symbol);
      const rng = mulberry32(deriveSeed(seed, `daily-fundamentals|${symbol}`));
      // About one field in twenty is missing, as with real providers; missing counts as neutral downstream.
      const maybe = (x: number) => (rng() < 0.05 ? null : x);
      return {
        symbol,
        sector: p.sector,
        peRatio: maybe(round(8 + 32 * rng(), 2)),
        dividendYield: p.yieldQ > 0 ? round(p.yieldQ, 4) : 0,
        roe: maybe(round(0.05 + 0.3 * rng(), 4)),
        debtToEquity: maybe(round(0.1 + 2.4 * rng(), 3)),
        currentRatio: maybe(round(0.6 + 1.9 * rng(), 3)),
      };
    },

    async fetchDividends(symbol, from, to): Promise<Dividend[]> {
      const p = paramsOf(symbol);
      if (to < from) return [];
      const { c, lo, hi } = range(from, to);
      const path = extendPath(seed, c, symbol, p);
      const out: Dividend[] = [];
      for (let i = lo; i < hi; i++) if (path.dividend[i] > 0) out.push({ symbol, date: c.dates[i], amount: path.dividend[i] });
      return out;
    },
  };
}
