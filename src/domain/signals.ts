/**
 * Turning indicator values into discrete technical signals: RSI zones, the
 * SMA 50/200 golden/death cross, MACD direction and Bollinger band breaks,
 * plus `technicalSignals`, which computes all four at the last bar of a
 * price series for the signal workflow.
 */
import { bollingerBands } from './indicators/bollinger';
import { macd } from './indicators/macd';
import { rsi } from './indicators/rsi';
import { sma } from './indicators/sma';
import type { Series } from './stats';

export type RsiSignal = 'oversold' | 'neutral' | 'overbought';
export type SmaCrossSignal = 'golden_cross' | 'death_cross' | 'neutral';
export type MacdSignal = 'bullish' | 'bearish' | 'neutral';
export type BollingerSignal = 'oversold' | 'overbought' | 'neutral';

/**
 * RSI zone: value <= oversold (30) -> 'oversold', value >= overbought (70)
 * -> 'overbought', otherwise 'neutral'. The thresholds themselves belong to
 * the extreme zones (the usual "RSI at or below 30" reading). NaN (not enough
 * history) -> 'neutral'.
 *
 * @example
 *   classifyRsi(28) // 'oversold'
 */
export function classifyRsi(value: number, oversold = 30, overbought = 70): RsiSignal {
  if (value <= oversold) return 'oversold';
  if (value >= overbought) return 'overbought';
  return 'neutral';
}

/**
 * SMA crossover state at one bar: short SMA (50) above the long SMA (200) ->
 * 'golden_cross' (the last cross was upward), below -> 'death_cross', equal
 * or either undefined (fewer than 200 bars) -> 'neutral'. This is the state
 * reading used for scoring; `lastCross` finds the bar where it last flipped.
 *
 * @example
 *   classifySmaCross(105, 100) // 'golden_cross'
 */
export function classifySmaCross(shortSma: number, longSma: number): SmaCrossSignal {
  if (shortSma > longSma) return 'golden_cross';
  if (shortSma < longSma) return 'death_cross';
  return 'neutral';
}

/**
 * The most recent bar where `short - long` changed sign (ignoring bars where
 * either is NaN or they are equal), with the direction of that cross; null
 * when they never crossed.
 *
 * @example
 *   lastCross([1, 3], [2, 2]) // { index: 1, direction: 'golden_cross' }
 */
export function lastCross(short: Series, long: Series): { index: number; direction: 'golden_cross' | 'death_cross' } | null {
  let prevSign = 0;
  let found: { index: number; direction: 'golden_cross' | 'death_cross' } | null = null;
  const n = Math.min(short.length, long.length);
  for (let t = 0; t < n; t++) {
    const d = short[t] - long[t];
    if (!(d !== 0) || d !== d) continue;
    const s = d > 0 ? 1 : -1;
    if (prevSign !== 0 && s !== prevSign) found = { index: t, direction: s > 0 ? 'golden_cross' : 'death_cross' };
    prevSign = s;
  }
  return found;
}

/**
 * MACD direction: MACD line above its signal line (histogram > 0) ->
 * 'bullish', below -> 'bearish', equal or undefined -> 'neutral'.
 *
 * @example
 *   classifyMacd(1.2, 0.8) // 'bullish'
 */
export function classifyMacd(macdLine: number, signalLine: number): MacdSignal {
  if (macdLine > signalLine) return 'bullish';
  if (macdLine < signalLine) return 'bearish';
  return 'neutral';
}

/**
 * Bollinger reading: price strictly below the lower band -> 'oversold',
 * strictly above the upper band -> 'overbought', else 'neutral'. Strict, so
 * a constant series (bands collapsed onto the price) is neutral. Any NaN ->
 * 'neutral'.
 *
 * @example
 *   classifyBollinger(95, 96, 110) // 'oversold'
 */
export function classifyBollinger(price: number, lower: number, upper: number): BollingerSignal {
  if (price < lower) return 'oversold';
  if (price > upper) return 'overbought';
  return 'neutral';
}

/** The four technical readings at the last bar, with the values behind them. */
export interface TechnicalSignals {
  rsi: RsiSignal;
  smaCross: SmaCrossSignal;
  macd: MacdSignal;
  bollinger: BollingerSignal;
  values: {
    rsi: number;
    sma50: number;
    sma200: number;
    macd: number;
    macdSignal: number;
    price: number;
    bollingerUpper: number;
    bollingerLower: number;
  };
}

/**
 * All four classifications at the last bar of `closes`, with the standard
 * parameters: RSI 14 (30/70), SMA 50/200, MACD 12/26/9, Bollinger 20/2.
 * Each indicator is computed once over the whole series (O(n)). A series too
 * short for an indicator yields 'neutral' for it and NaN in `values`;
 * empty input -> all neutral.
 *
 * @example
 *   technicalSignals(closes).smaCross // 'golden_cross'
 */
export function technicalSignals(closes: Series): TechnicalSignals {
  const n = closes.length;
  const last = n - 1;
  const at = (a: Float64Array) => (n === 0 ? NaN : a[last]);
  const r = at(rsi(closes, 14));
  const s50 = at(sma(closes, 50));
  const s200 = at(sma(closes, 200));
  const m = macd(closes, 12, 26, 9);
  const b = bollingerBands(closes, 20, 2);
  const price = n === 0 ? NaN : closes[last];
  const values = {
    rsi: r,
    sma50: s50,
    sma200: s200,
    macd: at(m.macd),
    macdSignal: at(m.signal),
    price,
    bollingerUpper: at(b.upper),
    bollingerLower: at(b.lower),
  };
  return {
    rsi: classifyRsi(r),
    smaCross: classifySmaCross(s50, s200),
    macd: classifyMacd(values.macd, values.macdSignal),
    bollinger: classifyBollinger(price, values.bollingerLower, values.bollingerUpper),
    values,
  };
}
