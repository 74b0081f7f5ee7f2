/**
 * How a model's signals did, and the ranking of models by it.
 *
 * Each BUY or SELL signal of a run date opens an equal-weight position at
 * that date's close and holds it for `holdingDays` trading days (seed 004:
 * 5); HOLD opens nothing. From the stored closes:
 * - per signal, its return over the holding period, signed by the action
 *   (a SELL earns when the price falls): win rate, hit rate by confidence
 *   bucket, the mean signal return;
 * - per trading day, the model's portfolio return: the mean of that day's
 *   signed price changes over every position open on it (equal weight,
 *   rebalanced daily). This daily series gives the cumulative return, the
 *   Sharpe and Sortino ratios (annualised with 252 days, against the
 *   risk-free rate) and the maximum drawdown, and draws the report's chart.
 * A signal is judged only once its holding period has ended by the
 * evaluation date; one whose symbol lacks a close is left out.
 */
import { periodRate, totalReturn, wealthIndex } from './returns';
import { maxDrawdown, sharpeRatio, sortinoRatio, winRate } from './risk';

export interface JudgedSignal {
  runDate: string;
  symbol: string;
  action: 'BUY' | 'SELL' | 'HOLD';
  confidence: number;
}

/** Closes of one symbol, in date order. */
export interface CloseSeries {
  dates: readonly string[];
  closes: ArrayLike<number>;
}

export interface PerformanceOptions {
  holdingDays: number;
  /** Annual risk-free rate (seed 004: 2 %). */
  riskFreeRate: number;
}

export interface ConfidenceBucket {
  bucket: string;
  signals: number;
  hitRate: number | null;
}

export interface ModelPerformance {
  holdingDays: number;
  /** Signals judged (BUY/SELL whose holding period has ended). */
  signalCount: number;
  meanSignalReturn: number | null;
  winRate: number | null;
  hitRateByConfidence: ConfidenceBucket[];
  /** Cumulative return of the daily portfolio series. */
  totalReturn: number | null;
  sharpe: number | null;
  sortino: number | null;
  /** As a positive fraction (0.1 = 10 % below the peak). */
  maxDrawdown: number | null;
  /** The daily portfolio series: date and cumulative wealth (1 at the start). */
  curve: { date: string; wealth: number }[];
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/** Confidence buckets of the hit-rate table: [0.5, 0.6), ..., [0.9, 1], and below 0.5. */
const BUCKETS: { label: string; lo: number; hi: number }[] = [
  { label: '<0.5', lo: -Infinity, hi: 0.5 },
  { label: '0.5-0.6', lo: 0.5, hi: 0.6 },
  { label: '0.6-0.7', lo: 0.6, hi: 0.7 },
  { label: '0.7-0.8', lo: 0.7, hi: 0.8 },
  { label: '0.8-0.9', lo: 0.8, hi: 0.9 },
  { label: '0.9-1', lo: 0.9, hi: Infinity },
];

/**
 * @example
 *   modelPerformance(signals, closesBySymbol, '2025-03-14', { holdingDays: 5, riskFreeRate: 0.02 })
 */
export function modelPerformance(
  signals: readonly JudgedSignal[],
  closes: ReadonlyMap<string, CloseSeries>,
  asOf: string,
  o: PerformanceOptions,
): ModelPerformance {
  const signalReturns: { confidence: number; ret: number }[] = [];
  /** date -> signed daily changes of the positions open on it. */
  const daily = new Map<string, number[]>();
  for (const s of signals) {
    if (s.action === 'HOLD') continue;
    const series = closes.get(s.symbol);
    if (!series) continue;
    const entry = series.dates.indexOf(s.runDate);
    const exit = entry + o.holdingDays;
    if (entry < 0 || exit >= series.dates.length || series.dates[exit] > asOf) continue;
    const dir = s.action === 'BUY' ? 1 : -1;
    signalReturns.push({ confidence: s.confidence, ret: dir * (series.closes[exit] / series.closes[entry] - 1) });
    for (let t = entry + 1; t <= exit; t++) {
      const d = series.dates[t];
      (daily.get(d) ?? daily.set(d, []).get(d)!).push(dir * (series.closes[t] / series.closes[t - 1] - 1));
    }
  }
  const days = [...daily.keys()].sort();
  const dailyReturns = Float64Array.from(days, (d) => {
    const v = daily.get(d)!;
    return v.reduce((a, b) => a + b, 0) / v.length;
  });
  const wealth = wealthIndex(dailyReturns);
  const rets = signalReturns.map((s) => s.ret);
  return {
    holdingDays: o.holdingDays,
    signalCount: signalReturns.length,
    meanSignalReturn: rets.length ? rets.reduce((a, b) => a + b, 0) / rets.length : null,
    winRate: finite(winRate(rets)),
    hitRateByConfidence: BUCKETS.map((b) => {
      const inBucket = signalReturns.filter((s) => s.confidence >= b.lo && s.confidence < b.hi);
      return { bucket: b.label, signals: inBucket.length, hitRate: finite(winRate(inBucket.map((s) => s.ret))) };
    }),
    totalReturn: dailyReturns.length ? totalReturn(dailyReturns) : null,
    sharpe: finite(sharpeRatio(dailyReturns, { periodsPerYear: 252, riskFreeRate: o.riskFreeRate })),
    sortino: finite(sortinoRatio(dailyReturns, { periodsPerYear: 252, targetReturn: periodRate(o.riskFreeRate, 252) })),
    maxDrawdown: dailyReturns.length ? finite(maxDrawdown(dailyReturns).maxDrawdown) : null,
    curve: days.map((date, i) => ({ date, wealth: wealth[i + 1] })),
  };
}

export interface RankedModel {
  rank: number;
  model_id: number;
  name: string;
  version: number;
  sharpe: number | null;
  total_return: number | null;
  max_drawdown: number | null;
  signals: number;
}

/**
 * Rank by Sharpe, best first; a model without a Sharpe (too few judged days)
 * ranks after every model with one, then by name and version.
 */
export function rankModels(
  rows: readonly { modelId: number; name: string; version: number; performance: ModelPerformance }[],
): RankedModel[] {
  const key = (s: number | null) => (s === null ? -Infinity : s);
  return [...rows]
    .sort(
      (a, b) =>
        key(b.performance.sharpe) - key(a.performance.sharpe) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version),
    )
    .map((r, i) => ({
      rank: i + 1,
      model_id: r.modelId,
      name: r.name,
      version: r.version,
      sharpe: r.performance.sharpe,
      total_return: r.performance.totalReturn,
      max_drawdown: r.performance.maxDrawdown,
      signals: r.performance.signalCount,
    }));
}

export interface UnderperformanceRule {
  /** A model whose Sharpe stayed below this ... */
  minSharpe: number;
  /** ... on this many consecutive evaluation dates (today included) underperforms. */
  days: number;
  /** Or whose drawdown exceeds this fraction. */
  maxDrawdown: number;
}

/**
 * Whether a model underperforms, and why: its Sharpe today and on the
 * previous `days - 1` evaluations (newest first in `previousSharpes`) all
 * below `minSharpe`, or its drawdown beyond `maxDrawdown`.
 */
export function underperformance(
  today: ModelPerformance,
  previousSharpes: readonly (number | null)[],
  rule: UnderperformanceRule,
): string | null {
  if (today.maxDrawdown !== null && today.maxDrawdown > rule.maxDrawdown)
    return `drawdown ${(today.maxDrawdown * 100).toFixed(1)} % beyond the ${(rule.maxDrawdown * 100).toFixed(1)} % limit`;
  const run = [today.sharpe, ...previousSharpes.slice(0, rule.days - 1)];
  if (run.length === rule.days && run.every((s) => s !== null && s < rule.minSharpe))
    return `Sharpe below ${rule.minSharpe} on ${rule.days} consecutive evaluations (today ${today.sharpe!.toFixed(2)})`;
  return null;
}
