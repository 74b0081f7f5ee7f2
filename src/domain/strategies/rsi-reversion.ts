/**
 * RSI mean reversion (kind `rsiMeanReversion`), long only.
 *
 * RSI is TA-Lib's, Wilder smoothing (src/domain/indicators/rsi.ts), over the
 * last 5 x period closes of each symbol: the Wilder average still carries its
 * seed with weight ((N-1)/N)^k after k more bars (about 2 % after 4N), so
 * reading a fixed window makes a signal independent of how much history the
 * caller fetched (a replay and the live cycle agree). It works from
 * period + 2 bars on. At the latest closed bar t:
 * - RSI_{t-1} >= oversold > RSI_t (crosses below oversold) and not long: BUY
 *   (the execution service sizes it). Entering on the crossing gives one
 *   entry per oversold excursion: after a stop-out the strategy waits for
 *   the next one instead of buying again into the same slide.
 * - RSI_t > overbought and long: SELL the held quantity. Exiting on the level
 *   means a missed cycle never leaves a position past its exit.
 *
 * Confidence grows linearly with the distance beyond the threshold, from 0.5
 * at the threshold to 1 at the end of the scale:
 *   BUY:  0.5 + 0.5 (oversold - RSI) / oversold
 *   SELL: 0.5 + 0.5 (RSI - overbought) / (100 - overbought)
 */
import { rsi } from '../indicators/rsi';
import { closesOf, configOrProblems, fmt, heldQty, integerAtLeast, numberIn, readParams, symbolList, symbolsToScan } from './params';
import type { IntradayStrategy, StrategyInputs, StrategySignal } from './types';

export interface RsiReversionConfig {
  period: number;
  overbought: number;
  oversold: number;
  /** Symbols to trade; empty: every symbol with bars. */
  symbols: string[];
}

export const RSI_REVERSION_DEFAULTS: Readonly<RsiReversionConfig> = { period: 14, overbought: 70, oversold: 30, symbols: [] };

/**
 * Confidence of an RSI signal (see the file comment); NaN RSI -> NaN.
 *
 * @example
 *   rsiConfidence('BUY', 15, 30, 70) // 0.75
 */
export function rsiConfidence(action: 'BUY' | 'SELL', value: number, oversold: number, overbought: number): number {
  const beyond = action === 'BUY' ? (oversold - value) / oversold : (value - overbought) / (100 - overbought);
  return 0.5 + 0.5 * Math.min(1, Math.max(0, beyond));
}

function signalsOf(inputs: StrategyInputs<RsiReversionConfig>): StrategySignal[] {
  const { config: c, bars, positions } = inputs;
  const out: StrategySignal[] = [];
  for (const symbol of symbolsToScan(c.symbols, bars)) {
    const series = bars.get(symbol);
    if (!series || series.length < c.period + 2) continue;
    const closes = closesOf(series, 5 * c.period);
    const r = rsi(closes, c.period);
    const now = r[r.length - 1];
    const prev = r[r.length - 2];
    const held = heldQty(positions, symbol);
    const buy = prev >= c.oversold && now < c.oversold && held <= 0;
    const sell = now > c.overbought && held > 0;
    if (!buy && !sell) continue;
    const action = buy ? 'BUY' : 'SELL';
    const reason = buy
      ? `RSI(${c.period}) ${fmt(now)} crossed below oversold ${c.oversold} (was ${fmt(prev)})`
      : `RSI(${c.period}) ${fmt(now)} is above overbought ${c.overbought}; closing the long of ${held}`;
    out.push({
      symbol,
      action,
      confidence: rsiConfidence(action, now, c.oversold, c.overbought),
      reason,
      ...(sell ? { quantity: held } : {}),
      metrics: { rsi: now, previousRsi: prev, close: closes[closes.length - 1], barTs: series[series.length - 1].ts },
    });
  }
  return out;
}

/**
 * The strategy object registered as `rsiMeanReversion`.
 *
 * @example
 *   rsiMeanReversion.signals({ at, bars, positions, config: rsiMeanReversion.defaults })
 */
export const rsiMeanReversion: IntradayStrategy<RsiReversionConfig> = {
  kind: 'rsiMeanReversion',
  defaults: RSI_REVERSION_DEFAULTS,
  parseConfig(raw) {
    const level = numberIn(0, 100, { minExclusive: true, maxExclusive: true });
    const { config, problems } = readParams(raw, RSI_REVERSION_DEFAULTS, {
      period: integerAtLeast(2),
      overbought: level,
      oversold: level,
      symbols: symbolList,
    });
    const levelsOk = !problems.some((p) => p.setting === 'overbought' || p.setting === 'oversold');
    if (levelsOk && config.oversold >= config.overbought) {
      problems.push({ setting: 'oversold', message: `oversold ${config.oversold} must be less than overbought ${config.overbought}` });
    }
    return configOrProblems(config, problems);
  },
  symbols: (c) => c.symbols,
  warmupBars: (c) => 5 * c.period,
  signals: signalsOf,
};
