/**
 * Signal scoring for the `signal` workflow: a technical score (SMA 40 %,
 * MACD 35 %, Bollinger 25 %), a fundamental score (P/E vs sector, dividend
 * yield, ROE, debt/equity, current ratio), a time-decayed news sentiment
 * score, and the combined score (30/40/30 by default) with its five-way
 * classification from strong buy to strong sell. Every score is on 0..100,
 * 50 is neutral.
 */
import { DomainInputError, InvalidInputError } from './errors';
import { median } from './stats';
import type { BollingerSignal, MacdSignal, SmaCrossSignal } from './signals';

const clip100 = (v: number) => (v < 0 ? 0 : v > 100 ? 100 : v);
const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Component scores of the technical branch. */
export interface TechnicalScore {
  score: number;
  sma: number;
  macd: number;
  bollinger: number;
}

/**
 * Technical score = 0.40 SMA + 0.35 MACD + 0.25 Bollinger, each component
 * 100 when bullish, 50 when neutral, 0 when bearish:
 * - SMA 50/200: golden cross 100, death cross 0;
 * - MACD: bullish 100, bearish 0;
 * - Bollinger (mean reversion): oversold (below the lower band) 100,
 *   overbought 0.
 * All neutral (e.g. too little history) -> 50.
 *
 * @example
 *   technicalScore({ smaCross: 'golden_cross', macd: 'bullish', bollinger: 'neutral' }).score // 87.5
 */
export function technicalScore(s: { smaCross: SmaCrossSignal; macd: MacdSignal; bollinger: BollingerSignal }): TechnicalScore {
  const sma = s.smaCross === 'golden_cross' ? 100 : s.smaCross === 'death_cross' ? 0 : 50;
  const macd = s.macd === 'bullish' ? 100 : s.macd === 'bearish' ? 0 : 50;
  const bollinger = s.bollinger === 'oversold' ? 100 : s.bollinger === 'overbought' ? 0 : 50;
  return { score: 0.4 * sma + 0.35 * macd + 0.25 * bollinger, sma, macd, bollinger };
}

/** Fundamentals of one company; any field may be missing (null/undefined/NaN). */
export interface Fundamentals {
  pe?: number | null;
  /** P/E ratios of the sector peers (the company may be among them). */
  sectorPe?: readonly number[];
  /** Dividend yield as a fraction, 0.03 = 3 %. */
  dividendYield?: number | null;
  /** Return on equity as a fraction, 0.15 = 15 %. */
  roe?: number | null;
  debtToEquity?: number | null;
  currentRatio?: number | null;
}

/** Fundamental score with its parts, each 0..100. */
export interface FundamentalScore {
  score: number;
  pe: number;
  dividendYield: number;
  roe: number;
  debtToEquity: number;
  currentRatio: number;
}

/**
 * Fundamental score = 0.30 P/E + 0.15 dividend yield + 0.25 ROE
 * + 0.15 debt/equity + 0.15 current ratio, each part on 0..100 (clipped):
 * - P/E: z = (pe - median(sector)) / std(sector, ddof 1); score = 50 - 25 z
 *   (lower is better; a P/E two deviations cheaper than the median scores
 *   100). A non-positive P/E (losses) scores 0. Fewer than 2 finite positive
 *   peer P/Es or zero dispersion -> neutral 50.
 * - dividend yield: 100 * yield / 0.06 (0 % -> 0, 6 % or more -> 100).
 * - ROE: 100 * roe / 0.25 (0 % or less -> 0, 25 % or more -> 100).
 * - debt/equity: 100 - 50 * d/e (0 -> 100, 2 or more -> 0); a negative
 *   ratio (negative equity) -> 0.
 * - current ratio: 100 - 100 |cr - 1.5| / 1.5 (1.5 -> 100, 0 or 3+ -> 0).
 * A missing part counts as neutral 50. Nothing known -> 50.
 *
 * @example
 *   fundamentalScore({ pe: 15, sectorPe: [15, 20, 25], roe: 0.25 }).score // 70
 */
export function fundamentalScore(f: Fundamentals): FundamentalScore {
  let pe = 50;
  if (present(f.pe)) {
    if (f.pe <= 0) pe = 0;
    else {
      const peers = (f.sectorPe ?? []).filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
      if (peers.length >= 2) {
        const m = peers.reduce((a, b) => a + b, 0) / peers.length;
        const sd = Math.sqrt(peers.reduce((a, b) => a + (b - m) ** 2, 0) / (peers.length - 1));
        if (sd > 0) pe = clip100(50 - 25 * ((f.pe - median(peers)) / sd));
      }
    }
  }
  const dividendYield = present(f.dividendYield) ? clip100((100 * f.dividendYield) / 0.06) : 50;
  const roe = present(f.roe) ? clip100((100 * f.roe) / 0.25) : 50;
  const debtToEquity = present(f.debtToEquity) ? (f.debtToEquity < 0 ? 0 : clip100(100 - 50 * f.debtToEquity)) : 50;
  const currentRatio = present(f.currentRatio) ? clip100(100 - (100 * Math.abs(f.currentRatio - 1.5)) / 1.5) : 50;
  return {
    score: 0.3 * pe + 0.15 * dividendYield + 0.25 * roe + 0.15 * debtToEquity + 0.15 * currentRatio,
    pe,
    dividendYield,
    roe,
    debtToEquity,
    currentRatio,
  };
}

/** One scored news item. */
export interface SentimentItem {
  /** Publication time, epoch milliseconds. */
  publishedAt: number;
  /** Sentiment in [-1, 1] (positive minus negative probability); clipped. */
  sentiment: number;
}

/** Aggregated sentiment. */
export interface SentimentScore {
  /** 0..100; 50 is neutral. */
  score: number;
  /** Items inside the window that counted. */
  items: number;
  /** True when no item counted and the score is the neutral default. */
  noSentiment: boolean;
}

/**
 * Sentiment score: weighted mean of the item sentiments s_i in [-1, 1] with
 * w_i = 0.5^(age_i / halfLife), age in days before `asOf`, over items with
 * 0 <= age <= windowDays (default half-life 3 days, window 7 days), scaled
 * to 50 (1 + mean). Items from the future or older than the window, and
 * items with a NaN sentiment, are ignored. No items -> 50 with
 * `noSentiment: true`. The clock is the caller's: pass the workflow time.
 *
 * @example
 *   sentimentScore([{ publishedAt: asOf - 3 * DAY_MS, sentiment: 1 }], asOf).score // 100
 */
export function sentimentScore(
  items: readonly SentimentItem[],
  asOf: number,
  options: { halfLifeDays?: number; windowDays?: number } = {},
): SentimentScore {
  const halfLife = options.halfLifeDays ?? 3;
  const windowDays = options.windowDays ?? 7;
  let sw = 0;
  let s = 0;
  let n = 0;
  for (const it of items) {
    const age = (asOf - it.publishedAt) / 86_400_000;
    if (!(age >= 0 && age <= windowDays) || !Number.isFinite(it.sentiment)) continue;
    const w = Math.pow(0.5, age / halfLife);
    const v = it.sentiment > 1 ? 1 : it.sentiment < -1 ? -1 : it.sentiment;
    sw += w;
    s += w * v;
    n++;
  }
  if (n === 0) return { score: 50, items: 0, noSentiment: true };
  return { score: 50 * (1 + s / sw), items: n, noSentiment: false };
}

/** Weights of the combined score; normalised by their sum. */
export interface CombinedWeights {
  technical: number;
  fundamental: number;
  sentiment: number;
}

export const DEFAULT_COMBINED_WEIGHTS: CombinedWeights = { technical: 0.3, fundamental: 0.4, sentiment: 0.3 };

/** The five classes of a combined score, best first (`classifyScore`). */
export type Recommendation = 'strong_buy' | 'buy' | 'hold' | 'sell' | 'strong_sell';

/** Every recommendation, best first: the order of reports and distributions. */
export const RECOMMENDATIONS: readonly Recommendation[] = ['strong_buy', 'buy', 'hold', 'sell', 'strong_sell'];

/**
 * Weights scaled to sum 1: w_i / (w_t + w_f + w_s). A 0 sentiment weight
 * leaves technical + fundamental renormalised. A sum that is not positive
 * (all zero, or NaN) is an InvalidInputError.
 *
 * @example
 *   normaliseWeights({ technical: 3, fundamental: 4, sentiment: 0 }) // { technical: 3/7, fundamental: 4/7, sentiment: 0 }
 */
export function normaliseWeights(w: CombinedWeights): CombinedWeights {
  const total = w.technical + w.fundamental + w.sentiment;
  if (!(total > 0)) throw new InvalidInputError(`signal weights sum to ${total}; at least one must be positive`);
  return { technical: w.technical / total, fundamental: w.fundamental / total, sentiment: w.sentiment / total };
}

/**
 * Combined score = (w_t T + w_f F + w_s S) / (w_t + w_f + w_s), default
 * weights 30/40/30. A NaN branch score counts as neutral 50. Weights must
 * be finite, non-negative and not all zero, else DomainInputError.
 *
 * @example
 *   combinedScore({ technical: 80, fundamental: 70, sentiment: 50 }) // 68
 */
export function combinedScore(
  scores: { technical: number; fundamental: number; sentiment: number },
  weights: Partial<CombinedWeights> = {},
): number {
  const w = { ...DEFAULT_COMBINED_WEIGHTS, ...weights };
  const total = w.technical + w.fundamental + w.sentiment;
  for (const [k, v] of Object.entries(w)) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new DomainInputError('INVALID_PARAMETER', `score weight ${k} is ${v}`);
  }
  if (!(total > 0)) throw new DomainInputError('INVALID_PARAMETER', 'score weights sum to 0');
  const v = (x: number) => (Number.isFinite(x) ? x : 50);
  return (w.technical * v(scores.technical) + w.fundamental * v(scores.fundamental) + w.sentiment * v(scores.sentiment)) / total;
}

/**
 * Classification of a 0..100 score: >= 75 strong buy, >= 60 buy (60-74),
 * >= 40 hold (40-59), >= 25 sell (25-39), below 25 strong sell. Fractional
 * scores fall into the band whose lower bound they reach (74.9 is a buy).
 * NaN -> hold.
 *
 * @example
 *   classifyScore(68) // 'buy'
 */
export function classifyScore(score: number): Recommendation {
  if (score >= 75) return 'strong_buy';
  if (score >= 60) return 'buy';
  if (score >= 40 || score !== score) return 'hold';
  if (score >= 25) return 'sell';
  return 'strong_sell';
}
