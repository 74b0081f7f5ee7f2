/**
 * Feature sets: the indicators the registered models read, computed per
 * symbol and date from daily bars. A feature set has a name and a
 * definition (the indicators' parameters); the feature store keeps rows per
 * (symbol, date, set name, set version), and a changed definition is a new
 * version (the store numbers versions by the definition's canonical JSON), so
 * rows written under an old definition stay readable under its number.
 *
 * Feature names carry their parameters (`rsi_14`, `sma_200`), so a row says
 * what it holds without its definition. A value is null while its indicator
 * is still warming up (fewer bars than it needs); every indicator follows
 * TA-Lib's conventions (src/domain/indicators).
 */
import { DomainInputError } from './errors';
import { bollingerBands, ema, macd, rsi, sma } from './indicators';
import { simpleReturns } from './returns';
import { annualizedVolatility } from './risk';

export interface FeatureSetDefinition {
  rsiPeriod: number;
  macd: { fast: number; slow: number; signal: number };
  bollinger: { period: number; k: number };
  smaPeriods: number[];
  emaPeriods: number[];
  /** Volume ratio: the day's volume over the mean volume of the `volumeRatioWindow` days before it. */
  volumeRatioWindow: number;
  /** Volatility: sample standard deviation (N - 1) of the last `volatilityWindow` daily simple returns, times sqrt(252). */
  volatilityWindow: number;
}

/**
 * The daily feature set of the features pipeline (issue 15's list: RSI 14,
 * MACD 12/26/9, Bollinger 20/2, SMA and EMA 20/50/200, volume ratio and
 * volatility over 20 days).
 */
export const DAILY_FEATURE_SET: { name: string; definition: FeatureSetDefinition } = {
  name: 'daily-indicators',
  definition: {
    rsiPeriod: 14,
    macd: { fast: 12, slow: 26, signal: 9 },
    bollinger: { period: 20, k: 2 },
    smaPeriods: [20, 50, 200],
    emaPeriods: [20, 50, 200],
    volumeRatioWindow: 20,
    volatilityWindow: 20,
  },
};

export interface FeatureBar {
  date: string;
  close: number;
  volume: number;
}

export type Features = Record<string, number | null>;

/** Trading days a definition needs before its slowest indicator has a value on the last day. */
export function featureLookback(def: FeatureSetDefinition): number {
  return Math.max(
    def.rsiPeriod + 1,
    def.macd.slow + def.macd.signal - 1,
    def.bollinger.period,
    ...def.smaPeriods,
    ...def.emaPeriods,
    def.volumeRatioWindow + 1,
    def.volatilityWindow + 1,
  );
}

const value = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * The features of one symbol on each date of `bars` (in date order) from
 * `fromDate` on; earlier bars only warm the indicators up.
 *
 * @example
 *   featureRows(bars, DAILY_FEATURE_SET.definition, '2025-03-14') // [{ date: '2025-03-14', features: { rsi_14: 61.2, ... } }]
 */
export function featureRows(bars: readonly FeatureBar[], def: FeatureSetDefinition, fromDate = ''): { date: string; features: Features }[] {
  for (let i = 1; i < bars.length; i++)
    if (bars[i].date <= bars[i - 1].date)
      throw new DomainInputError(
        'INVALID_PARAMETER',
        `featureRows: bars must be in increasing date order (${bars[i - 1].date} then ${bars[i].date})`,
      );
  for (const b of bars)
    if (!(b.close > 0) || !(b.volume >= 0))
      throw new DomainInputError('INVALID_PRICE', `featureRows: bar of ${b.date} has close ${b.close} and volume ${b.volume}`);
  const close = Float64Array.from(bars, (b) => b.close);
  const volume = Float64Array.from(bars, (b) => b.volume);
  const n = bars.length;
  const returns = simpleReturns(close);
  const r = rsi(close, def.rsiPeriod);
  const m = macd(close, def.macd.fast, def.macd.slow, def.macd.signal);
  const bb = bollingerBands(close, def.bollinger.period, def.bollinger.k);
  const smas = def.smaPeriods.map((p) => [p, sma(close, p)] as const);
  const emas = def.emaPeriods.map((p) => [p, ema(close, p)] as const);
  const { macd: mf, bollinger: bf } = def;
  const rows: { date: string; features: Features }[] = [];
  for (let i = 0; i < n; i++) {
    if (bars[i].date < fromDate) continue;
    const width = bb.upper[i] - bb.lower[i];
    const f: Features = {
      close: close[i],
      [`rsi_${def.rsiPeriod}`]: value(r[i]),
      [`macd_${mf.fast}_${mf.slow}_${mf.signal}`]: value(m.macd[i]),
      [`macd_signal_${mf.fast}_${mf.slow}_${mf.signal}`]: value(m.signal[i]),
      [`macd_hist_${mf.fast}_${mf.slow}_${mf.signal}`]: value(m.histogram[i]),
      [`bb_upper_${bf.period}_${bf.k}`]: value(bb.upper[i]),
      [`bb_middle_${bf.period}_${bf.k}`]: value(bb.middle[i]),
      [`bb_lower_${bf.period}_${bf.k}`]: value(bb.lower[i]),
      // Where the close sits in the band: 0 at the lower band, 1 at the upper; null for a flat band.
      [`bb_percent_b_${bf.period}_${bf.k}`]: width > 0 ? value((close[i] - bb.lower[i]) / width) : null,
    };
    for (const [p, s] of smas) f[`sma_${p}`] = value(s[i]);
    for (const [p, e] of emas) f[`ema_${p}`] = value(e[i]);
    f[`volume_ratio_${def.volumeRatioWindow}`] = volumeRatio(volume, i, def.volumeRatioWindow);
    f[`volatility_${def.volatilityWindow}`] = trailingVolatility(returns, i, def.volatilityWindow);
    rows.push({ date: bars[i].date, features: f });
  }
  return rows;
}

function volumeRatio(volume: Float64Array, i: number, window: number): number | null {
  if (i < window) return null;
  let sum = 0;
  for (let j = i - window; j < i; j++) sum += volume[j];
  return sum > 0 ? volume[i] / (sum / window) : null;
}

/** Returns r[j] = close[j + 1] / close[j] - 1: the last `window` of them up to day i are r[i - window .. i - 1]. */
function trailingVolatility(returns: Float64Array, i: number, window: number): number | null {
  return i < window ? null : value(annualizedVolatility(returns.subarray(i - window, i), 252));
}
