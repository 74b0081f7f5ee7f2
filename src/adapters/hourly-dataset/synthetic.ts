/**
 * The deterministic synthetic hourly market behind the fan-out analysis: 418
 * contracts x 28,048 bars by default, plus an SPX index built from them and a
 * VIX that follows market volatility. No network reaches market data here, so
 * this stands in for the real dataset with the same shape and the properties
 * the analysis relies on (beta to the index, volatility clustering, a fear
 * gauge that rises when the market falls).
 *
 * The model, per bar (dt = 1 / (252 x 8) years):
 *   market shock     m_t = e^{h_{t-1}} sqrt(dt) z_t,          regime r_t = e^{h_{t-1}} / s_bar
 *   market log-vol   h_t = h_{t-1} + k_h (ln s_bar - h_{t-1}) dt + xi_h sqrt(dt) w_t,
 *                    corr(w_t, z_t) = rho (leverage: vol rises after the market falls)
 *   sector shock     f_{s,t} = sig_s r_t sqrt(dt) z_{s,t}
 *   contract         ln P_{i,t} = ln P_{i,t-1} + mu_i dt + beta_i m_t + gamma_i f_{s(i),t}
 *                                 + sig_i (0.5 + 0.5 r_t) sqrt(dt) e_{i,t}
 *   the first bar of each day (09:30, after the overnight gap) carries twice the variance.
 *   SPX_t = 1400 x (1/N) sum_i P_{i,t} / P_{i,0}   (equal-weight buy-and-hold index of the constituents)
 *   VIX_t = 100 x sqrt((1.1 e^{h_t})^2 + 0.09^2) x e^{u_t},   u an OU noise (k_u = 50/yr, stationary sd 0.08)
 *   (a variance premium over the market vol with a floor near 10, as the real VIX has)
 * with s_bar = 16 %, k_h = 4/yr, xi_h = 1.0, rho = -0.7; per contract beta in
 * [0.6, 1.4], gamma in [0.6, 1.2], idiosyncratic vol in [12 %, 30 %] a year,
 * drift ~ N(5 %, 3 %), first price log-uniform in [15, 150]; per sector vol in
 * [8 %, 14 %]. Annualised vol of a contract comes out near 20-40 %.
 *
 * Seeds: the market, each sector (by name) and each contract (by symbol) draw
 * from their own stream `deriveSeed(seed, ...)`, so a contract's path does not
 * depend on how many contracts are generated, nor on the order; a shorter run
 * (`bars`) is a prefix of a longer one. SPX, being the index of the
 * constituents present, does depend on which contracts are in the dataset.
 */
import { deriveSeed, mulberry32, normalSampler } from '../../domain/random';
import {
  BARS_PER_DAY,
  DATASET_BARS,
  DATASET_CALENDAR,
  DATASET_FIRST_DAY,
  DATASET_LAST_DAY,
  hourlyBarTimestamps,
} from '../../domain/trading-calendar';
import { HOURLY_UNIVERSE, HOURLY_UNIVERSE_SIZE, universeOf } from './universe';

export interface DatasetContract {
  symbol: string;
  sector: string;
}

export interface GenerateOptions {
  seed: number;
  /** Number of contracts, the first of `universe` (default 418; beyond the universe, synthetic names follow). */
  contracts?: number;
  /** Number of bars from 2000-01-27 09:30 New York (default 28,048; more continue the calendar past 2013-12-20). */
  bars?: number;
  /** Contracts to draw from (default the 418-name HOURLY_UNIVERSE). */
  universe?: readonly DatasetContract[];
}

export interface HourlyDataset {
  /** Bar times, UTC epoch ms. */
  timestamps: Float64Array;
  contracts: DatasetContract[];
  /** One price series per contract, aligned with `timestamps`. */
  prices: Float64Array[];
  spx: Float64Array;
  vix: Float64Array;
}

/** The parameters a contract was generated with, for tests that check estimates against the truth. */
export interface ContractTruth {
  beta: number;
  gamma: number;
  idioVol: number;
  drift: number;
  firstPrice: number;
}

export const SPX_BASE = 1400;
const DT = 1 / (252 * BARS_PER_DAY);
const SQRT_DT = Math.sqrt(DT);
const VOL_MEAN = 0.16;
const LOGVOL_KAPPA = 4;
const LOGVOL_XI = 1.0;
const LEVERAGE_RHO = -0.7;
const VIX_PREMIUM = 1.1;
const VIX_FLOOR = 0.09;
const VIX_NOISE_KAPPA = 50;
const VIX_NOISE_SD = 0.08;
/** Overnight bar: twice the variance of an intraday hour. */
const OVERNIGHT_SCALE = Math.SQRT2;

/** Bar timestamps for `bars` bars from the dataset's first day, continuing the calendar if needed. */
export function barTimestamps(bars: number): Float64Array {
  const std = hourlyBarTimestamps(DATASET_FIRST_DAY, DATASET_LAST_DAY, DATASET_CALENDAR);
  if (bars <= std.length) return std.slice(0, bars);
  // ~250 trading days a year; pad generously, then cut
  const extraDays = Math.ceil((bars - std.length) / BARS_PER_DAY);
  const last = new Date(Date.parse(`${DATASET_LAST_DAY}T00:00:00Z`) + Math.ceil((extraDays * 366) / 245 + 10) * 86_400_000);
  return hourlyBarTimestamps(DATASET_FIRST_DAY, last.toISOString().slice(0, 10), DATASET_CALENDAR).slice(0, bars);
}

interface MarketPaths {
  shock: Float64Array;
  regime: Float64Array;
  logVol: Float64Array;
}

function marketPaths(seed: number, bars: number): MarketPaths {
  const z = normalSampler(mulberry32(deriveSeed(seed, 'market')));
  const shock = new Float64Array(bars);
  const regime = new Float64Array(bars);
  const logVol = new Float64Array(bars);
  const mean = Math.log(VOL_MEAN);
  let h = mean;
  const rhoC = Math.sqrt(1 - LEVERAGE_RHO * LEVERAGE_RHO);
  for (let t = 0; t < bars; t++) {
    const zm = z();
    const zh = LEVERAGE_RHO * zm + rhoC * z();
    // The bar's shock uses the volatility known at its start; updating h first
    // would correlate the vol with its own shock and drag the market down by
    // about sigma * xi * rho (~11 %) a year.
    const vol = Math.exp(h);
    regime[t] = vol / VOL_MEAN;
    const gap = t % BARS_PER_DAY === 0 ? OVERNIGHT_SCALE : 1;
    shock[t] = t === 0 ? 0 : vol * SQRT_DT * gap * zm;
    if (t > 0) h += LOGVOL_KAPPA * (mean - h) * DT + LOGVOL_XI * SQRT_DT * zh;
    // VIX at the bar's close sees the updated vol, leverage response included.
    logVol[t] = h;
  }
  return { shock, regime, logVol };
}

function sectorShocks(seed: number, sector: string, regime: Float64Array): Float64Array {
  const rng = mulberry32(deriveSeed(seed, `sector:${sector}`));
  const vol = 0.08 + 0.06 * rng();
  const z = normalSampler(rng);
  const out = new Float64Array(regime.length);
  for (let t = 1; t < out.length; t++) {
    const gap = t % BARS_PER_DAY === 0 ? OVERNIGHT_SCALE : 1;
    out[t] = vol * regime[t] * SQRT_DT * gap * z();
  }
  return out;
}

/** The per-contract parameters: the first draws of the contract's own stream. */
export function contractTruth(seed: number, symbol: string): ContractTruth {
  const rng = mulberry32(deriveSeed(seed, `contract:${symbol}`));
  return contractParams(rng);
}

function contractParams(rng: () => number): ContractTruth {
  const beta = 0.6 + 0.8 * rng();
  const gamma = 0.6 + 0.6 * rng();
  const idioVol = 0.12 + 0.18 * rng();
  const drift = 0.05 + 0.03 * normalSampler(rng)();
  const firstPrice = Math.exp(Math.log(15) + (Math.log(150) - Math.log(15)) * rng());
  return { beta, gamma, idioVol, drift, firstPrice };
}

/**
 * Generate the dataset. Deterministic from `seed`.
 *
 * @example
 *   const ds = generateHourlyDataset({ seed: 42, contracts: 10, bars: 800 });
 *   ds.prices[0].length; // 800
 */
export function generateHourlyDataset(opts: GenerateOptions): HourlyDataset {
  const bars = opts.bars ?? DATASET_BARS;
  const universe = opts.universe ?? HOURLY_UNIVERSE;
  const n = opts.contracts ?? (opts.universe ? opts.universe.length : HOURLY_UNIVERSE_SIZE);
  if (!Number.isInteger(opts.seed)) throw new RangeError(`seed must be an integer, got ${opts.seed}`);
  if (!Number.isInteger(bars) || bars < 2) throw new RangeError(`bars must be an integer >= 2, got ${bars}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`contracts must be a positive integer, got ${n}`);
  if (opts.universe && n > opts.universe.length)
    throw new RangeError(`contracts (${n}) exceeds the given universe (${opts.universe.length})`);
  const chosen = n <= universe.length ? universe.slice(0, n) : universeOf(n);
  const contracts = chosen.map((c) => ({ symbol: c.symbol, sector: c.sector as string }));
  const seen = new Set<string>();
  for (const c of contracts) {
    if (seen.has(c.symbol)) throw new Error(`duplicate contract symbol ${c.symbol}`);
    seen.add(c.symbol);
  }

  const timestamps = barTimestamps(bars);
  const market = marketPaths(opts.seed, bars);
  const sectors = new Map<string, Float64Array>();
  for (const c of contracts) if (!sectors.has(c.sector)) sectors.set(c.sector, sectorShocks(opts.seed, c.sector, market.regime));

  const prices: Float64Array[] = [];
  const index = new Float64Array(bars);
  for (const c of contracts) {
    const rng = mulberry32(deriveSeed(opts.seed, `contract:${c.symbol}`));
    const p = contractParams(rng);
    const z = normalSampler(rng);
    const sector = sectors.get(c.sector)!;
    const path = new Float64Array(bars);
    const { shock, regime } = market;
    let logP = Math.log(p.firstPrice);
    path[0] = p.firstPrice;
    index[0] += 1;
    const driftDt = p.drift * DT;
    const idio = p.idioVol * SQRT_DT;
    for (let t = 1; t < bars; t++) {
      const gap = t % BARS_PER_DAY === 0 ? OVERNIGHT_SCALE : 1;
      logP += driftDt + p.beta * shock[t] + p.gamma * sector[t] + idio * (0.5 + 0.5 * regime[t]) * gap * z();
      const price = Math.exp(logP);
      path[t] = price;
      index[t] += price / p.firstPrice;
    }
    prices.push(path);
  }

  const spx = new Float64Array(bars);
  for (let t = 0; t < bars; t++) spx[t] = (SPX_BASE * index[t]) / n;

  const vixRng = normalSampler(mulberry32(deriveSeed(opts.seed, 'vix')));
  const vix = new Float64Array(bars);
  const uXi = VIX_NOISE_SD * Math.sqrt(2 * VIX_NOISE_KAPPA);
  let u = 0;
  for (let t = 0; t < bars; t++) {
    if (t > 0) u += -VIX_NOISE_KAPPA * u * DT + uXi * SQRT_DT * vixRng();
    const implied = VIX_PREMIUM * Math.exp(market.logVol[t]);
    vix[t] = 100 * Math.sqrt(implied * implied + VIX_FLOOR * VIX_FLOOR) * Math.exp(u);
  }
  return { timestamps, contracts, prices, spx, vix };
}
