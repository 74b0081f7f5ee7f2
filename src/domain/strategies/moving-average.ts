/**
 * Moving average crossover (kind `movingAverageCrossover`), long only.
 *
 * On each symbol's closes, fast = SMA(fastPeriod) and slow = SMA(slowPeriod)
 * (TA-Lib's SMA, src/domain/indicators/sma.ts); d_t = fast_t - slow_t. At the
 * latest closed bar t:
 * - d_{t-1} <= 0 < d_t (fast crosses above slow): BUY unless already long
 *   (the execution service sizes it);
 * - d_{t-1} >= 0 > d_t (crosses below): SELL the held quantity if long (a
 *   close); never a new short.
 * A touch (d = 0) followed by a move away counts as a cross toward that side.
 *
 * Confidence: g = |d_t|, sigma_r = sample deviation (ddof 1) of the last
 * `volatilityBars` close-to-close simple returns c_i / c_{i-1} - 1, and
 * sigma_P = sigma_r x c_t, the typical one-bar price move in dollars. Then
 * confidence = 0.5 + 0.5 min(1, g / sigma_P): 0.5 for a bare cross, 1 once
 * the averages are a full bar's price deviation apart; sigma_P = 0 (steady
 * drift) gives 1. A fresh cross is usually a small fraction of sigma_P, so
 * most crosses score 0.5-0.65.
 *
 * Needs max(slowPeriod, volatilityBars) + 1 bars and reads only those.
 */
import { sma } from '../indicators/sma';
import { std } from '../stats';
import { closesOf, configOrProblems, fmt, heldQty, integerAtLeast, readParams, symbolList, symbolsToScan } from './params';
import type { IntradayStrategy, StrategyInputs, StrategySignal } from './types';

export interface MovingAverageConfig {
  fastPeriod: number;
  slowPeriod: number;
  /** Returns in the volatility estimate behind the confidence. */
  volatilityBars: number;
  /** Symbols to trade; empty: every symbol with bars. */
  symbols: string[];
}

export const MOVING_AVERAGE_DEFAULTS: Readonly<MovingAverageConfig> = { fastPeriod: 10, slowPeriod: 30, volatilityBars: 20, symbols: [] };

/**
 * Confidence of a crossover from the gap between the averages and the
 * one-bar price deviation: 0.5 + 0.5 min(1, gap / sigma_P) (see the file
 * comment). NaN inputs give NaN (the cycle drops it).
 *
 * @example
 *   crossoverConfidence(0.25, 0.5) // 0.75
 */
export function crossoverConfidence(gap: number, priceSigma: number): number {
  if (!(gap >= 0) || !(priceSigma >= 0)) return NaN;
  if (priceSigma === 0) return 1;
  return 0.5 + 0.5 * Math.min(1, gap / priceSigma);
}

function warmup(c: MovingAverageConfig): number {
  return Math.max(c.slowPeriod, c.volatilityBars) + 1;
}

function signalsOf(inputs: StrategyInputs<MovingAverageConfig>): StrategySignal[] {
  const { config: c, bars, positions } = inputs;
  const need = warmup(c);
  const out: StrategySignal[] = [];
  for (const symbol of symbolsToScan(c.symbols, bars)) {
    const series = bars.get(symbol);
    if (!series || series.length < need) continue;
    const closes = closesOf(series, need);
    const t = closes.length - 1;
    const fast = sma(closes, c.fastPeriod);
    const slow = sma(closes, c.slowPeriod);
    const prev = fast[t - 1] - slow[t - 1];
    const now = fast[t] - slow[t];
    const held = heldQty(positions, symbol);
    const up = prev <= 0 && now > 0 && held <= 0;
    const down = prev >= 0 && now < 0 && held > 0;
    if (!up && !down) continue;

    const returns = new Float64Array(c.volatilityBars);
    for (let i = 0; i < c.volatilityBars; i++) returns[i] = closes[t - c.volatilityBars + i + 1] / closes[t - c.volatilityBars + i] - 1;
    const sigmaR = std(returns, 1);
    const sigmaP = sigmaR * closes[t];
    const gap = Math.abs(now);
    const confidence = crossoverConfidence(gap, sigmaP);
    const ratio = sigmaP > 0 ? `${fmt(gap / sigmaP)} x` : 'above';
    const reason =
      `SMA(${c.fastPeriod}) ${fmt(fast[t])} crossed ${up ? 'above' : 'below'} SMA(${c.slowPeriod}) ${fmt(slow[t])}; ` +
      `gap ${fmt(gap, 4)} is ${ratio} the ${c.volatilityBars}-bar price deviation ${fmt(sigmaP, 4)}` +
      (down ? `; closing the long of ${held}` : '');
    out.push({
      symbol,
      action: up ? 'BUY' : 'SELL',
      confidence,
      reason,
      ...(down ? { quantity: held } : {}),
      metrics: {
        fastSma: fast[t],
        slowSma: slow[t],
        gap,
        returnSd: sigmaR,
        priceSd: sigmaP,
        close: closes[t],
        barTs: series[series.length - 1].ts,
      },
    });
  }
  return out;
}

/**
 * The strategy object registered as `movingAverageCrossover`.
 *
 * @example
 *   movingAverageCrossover.signals({ at, bars, positions, config: movingAverageCrossover.defaults })
 */
export const movingAverageCrossover: IntradayStrategy<MovingAverageConfig> = {
  kind: 'movingAverageCrossover',
  defaults: MOVING_AVERAGE_DEFAULTS,
  parseConfig(raw) {
    const { config, problems } = readParams(raw, MOVING_AVERAGE_DEFAULTS, {
      fastPeriod: integerAtLeast(1),
      slowPeriod: integerAtLeast(2),
      volatilityBars: integerAtLeast(2),
      symbols: symbolList,
    });
    const periodsOk = !problems.some((p) => p.setting === 'fastPeriod' || p.setting === 'slowPeriod');
    if (periodsOk && config.fastPeriod >= config.slowPeriod) {
      problems.push({
        setting: 'fastPeriod',
        message: `fastPeriod ${config.fastPeriod} must be less than slowPeriod ${config.slowPeriod}`,
      });
    }
    return configOrProblems(config, problems);
  },
  symbols: (c) => c.symbols,
  warmupBars: warmup,
  signals: signalsOf,
};
