/**
 * Benchmark of the pure domain library; prints one JSON object.
 *
 * - screening_s: the whole screen (metrics, composite scores, quintiles,
 *   k-means with the elbow search over K = 1..10) for 500 symbols x 2,520
 *   daily closes of a seeded synthetic market; median of 3 runs after a
 *   warm-up. Target < 1 s.
 * - kernel_bars_per_s: `analyzeSymbolBars` over 418 contracts x 28,048
 *   hourly bars (seeded random walks, shared SPX and VIX), median of 3 runs
 *   after a warm-up. Target >= 20 M bars/s.
 * - indicators_bars_per_s: SMA 50 + EMA 20 + RSI 14 + MACD + Bollinger over
 *   the same 500 x 2,520 closes, in bars per second of input.
 *
 * - linear_scaling_8x: time(8 M bars) / time(1 M bars) for the indicators
 *   plus performanceSummary on one long series; ~8 means linear.
 *
 * Run with `npm run bench:domain`. Data generation is outside the timings;
 * load_avg_1m/5m/15m say how busy the machine was.
 */
import { performance } from 'node:perf_hooks';
import { bollingerBands, ema, macd, rsi, sma } from '../src/domain/indicators';
import { mulberry32, normalSampler } from '../src/domain/random';
import { simpleReturns } from '../src/domain/returns';
import { performanceSummary } from '../src/domain/risk';
import { screenUniverse } from '../src/domain/screening';
import { analyzeSymbolBars } from '../src/domain/symbol-analysis';
import { loadAverage } from './support';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(fn: () => void, runs = 3): number {
  fn(); // warm-up: JIT and allocation paths
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push((performance.now() - t0) / 1000);
  }
  return median(t);
}

/** Daily closes with a market factor, per-symbol drift and volatility. */
function syntheticUniverse(symbols: number, days: number, seed: number): Float64Array[] {
  const rng = mulberry32(seed);
  const z = normalSampler(rng);
  const market = new Float64Array(days);
  for (let t = 1; t < days; t++) market[t] = 0.0003 + 0.01 * z();
  return Array.from({ length: symbols }, () => {
    const beta = 0.5 + rng();
    const drift = (rng() - 0.5) * 0.0006;
    const vol = 0.005 + rng() * 0.025;
    const p = new Float64Array(days);
    p[0] = 20 + rng() * 200;
    for (let t = 1; t < days; t++) p[t] = p[t - 1] * Math.exp(drift + beta * market[t] + vol * z());
    return p;
  });
}

const SYMBOLS = 500;
const DAYS = 2520;
const universe = syntheticUniverse(SYMBOLS, DAYS, 42);
let screenK = 0;
const screeningS = time(() => {
  screenK = screenUniverse(universe, { seed: 42 }).k;
});

const indicatorsS = time(() => {
  for (const c of universe) {
    sma(c, 50);
    ema(c, 20);
    rsi(c, 14);
    macd(c);
    bollingerBands(c, 20, 2);
  }
});

const CONTRACTS = 418;
const BARS = 28_048;
const rng = mulberry32(7);
const z = normalSampler(rng);
const spx = new Float64Array(BARS);
const vix = new Float64Array(BARS);
spx[0] = 4000;
vix[0] = 16;
for (let t = 1; t < BARS; t++) {
  spx[t] = spx[t - 1] * (1 + 0.002 * z());
  vix[t] = Math.max(9, vix[t - 1] + 0.05 * (16 - vix[t - 1]) + 0.4 * z());
}
const prices = Array.from({ length: CONTRACTS }, () => {
  const p = new Float64Array(BARS);
  p[0] = 50 + rng() * 300;
  const b = 0.5 + rng();
  for (let t = 1; t < BARS; t++) p[t] = p[t - 1] * (1 + b * (spx[t] / spx[t - 1] - 1) + 0.003 * z());
  return p;
});
let trades = 0;
const kernelS = time(() => {
  trades = 0;
  for (const price of prices) trades += analyzeSymbolBars({ price, spx, vix }).summary.totalTrades;
});

function allOnOne(p: Float64Array): void {
  sma(p, 50);
  ema(p, 20);
  rsi(p, 14);
  macd(p);
  bollingerBands(p, 20, 2);
  performanceSummary(simpleReturns(p));
}
const long = new Float64Array(8_000_000);
long[0] = 100;
for (let t = 1; t < long.length; t++) long[t] = long[t - 1] * (1 + 0.01 * z());
const t1 = time(() => allOnOne(long.subarray(0, 1_000_000)));
const t8 = time(() => allOnOne(long));

console.log(
  JSON.stringify({
    screening_s: Number(screeningS.toFixed(4)),
    screening_symbols: SYMBOLS,
    screening_days: DAYS,
    screening_k: screenK,
    kernel_bars_per_s: Math.round((CONTRACTS * BARS) / kernelS),
    kernel_contracts: CONTRACTS,
    kernel_bars: BARS,
    kernel_s: Number(kernelS.toFixed(4)),
    kernel_trades: trades,
    indicators_bars_per_s: Math.round((SYMBOLS * DAYS) / indicatorsS),
    linear_scaling_8x: Number((t8 / t1).toFixed(2)),
    node: process.version,
    ...loadAverage(),
  }),
);
