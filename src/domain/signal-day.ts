/**
 * The daily signal run (WF3) as the workflow runs it: the candidates (the
 * best quintiles of the day's screen), one record per candidate from each
 * branch (technical, fundamental with the sector peers' P/E, news
 * sentiment), and their combination into one recommendation per symbol.
 * The scores themselves are scoring.ts's; this module shapes their inputs
 * and outputs for the steps, which exchange them as JSON.
 */
import {
  classifyScore,
  combinedScore,
  fundamentalScore,
  RECOMMENDATIONS,
  sentimentScore,
  technicalScore,
  type CombinedWeights,
  type Recommendation,
} from './scoring';
import { technicalSignals } from './signals';
import { median } from './stats';

/** Screen quintiles that get signals (1 = best). */
export const SIGNAL_MAX_QUINTILE = 2;
/** Calendar days of history for SMA 200 (about 300 trading days). */
export const SIGNAL_TECHNICAL_CALENDAR_DAYS = 450;
/** News window: the run date and the 6 days before it. */
export const SIGNAL_NEWS_DAYS = 7;
/** Headlines kept per symbol in the sentiment record, and in a stored row's details. */
const HEADLINES_KEPT = 20;
const HEADLINES_STORED = 5;

export interface SignalCandidate {
  symbol: string;
  sector: string | null;
  quintile: number;
  rank: number;
}

/** A screened symbol: the sector peers of the fundamental branch. */
export interface ScreenedPeer {
  symbol: string;
  sector: string | null;
}

/**
 * The candidates of the day (quintile <= `maxQuintile`) and the whole
 * screened universe (their sector peers), in the screen's order.
 */
export function signalCandidates(
  screened: readonly SignalCandidate[],
  maxQuintile = SIGNAL_MAX_QUINTILE,
): { candidates: SignalCandidate[]; universe: ScreenedPeer[] } {
  return {
    candidates: screened
      .filter((r) => r.quintile <= maxQuintile)
      .map((r) => ({ symbol: r.symbol, sector: r.sector, quintile: r.quintile, rank: r.rank })),
    universe: screened.map((r) => ({ symbol: r.symbol, sector: r.sector })),
  };
}

export interface TechnicalRecord {
  symbol: string;
  score: number;
  sma: number;
  macd: number;
  bollinger: number;
  smaCross: string;
  macdSignal: string;
  bollingerSignal: string;
  bars: number;
  close: number | null;
}

/**
 * The technical branch: SMA 50/200 state, MACD 12/26/9 and Bollinger 20/2
 * (`technicalSignals`) at each symbol's last bar, scored by
 * `technicalScore`. `prices` are the rows of every symbol, oldest first;
 * `close` is the last unadjusted close (null when there is none). A symbol
 * without rows gets the neutral score of an empty series.
 */
export function technicalRecords(
  symbols: readonly string[],
  prices: readonly { symbol: string; adjClose: number; close: number }[],
): TechnicalRecord[] {
  const by = new Map<string, { adj: number[]; close: number }>();
  for (const r of prices) {
    const g = by.get(r.symbol) ?? { adj: [], close: NaN };
    g.adj.push(r.adjClose);
    g.close = r.close;
    by.set(r.symbol, g);
  }
  return symbols.map((symbol) => {
    const g = by.get(symbol) ?? { adj: [], close: NaN };
    const sig = technicalSignals(g.adj);
    const t = technicalScore(sig);
    return {
      symbol,
      score: t.score,
      sma: t.sma,
      macd: t.macd,
      bollinger: t.bollinger,
      smaCross: sig.smaCross,
      macdSignal: sig.macd,
      bollingerSignal: sig.bollinger,
      bars: g.adj.length,
      close: Number.isFinite(g.close) ? g.close : null,
    };
  });
}

/** A company's fundamentals as a data provider reports them; any field may be null. */
export interface ReportedFundamentals {
  symbol: string;
  sector: string | null;
  peRatio: number | null;
  dividendYield: number | null;
  roe: number | null;
  debtToEquity: number | null;
  currentRatio: number | null;
}

/** One symbol's fetch: its fundamentals, or null and why not. */
export interface FundamentalsFetch {
  symbol: string;
  f: ReportedFundamentals | null;
  error?: string;
}

export interface FundamentalRecord {
  symbol: string;
  sector: string | null;
  score: number;
  parts: { pe: number; dividendYield: number; roe: number; debtToEquity: number; currentRatio: number };
  fundamentals: ReportedFundamentals | null;
  sectorMedianPe: number | null;
  error?: string;
}

/**
 * The P/E ratios of each sector's peers: every finite, positive P/E of the
 * fetched universe, grouped by sector (symbols without a sector are left
 * out), in fetch order.
 */
export function sectorPeerPes(fetched: readonly FundamentalsFetch[], sectorOf: (symbol: string) => string | null): Map<string, number[]> {
  const peers = new Map<string, number[]>();
  for (const x of fetched) {
    const sector = sectorOf(x.symbol);
    const pe = x.f?.peRatio;
    if (sector && typeof pe === 'number' && Number.isFinite(pe) && pe > 0) peers.set(sector, [...(peers.get(sector) ?? []), pe]);
  }
  return peers;
}

/** The peers' median P/E (`median` of stats.ts), null without peers. */
export const sectorMedianPe = (peers: readonly number[]): number | null => (peers.length === 0 ? null : median(peers));

/**
 * The fundamental branch for each candidate: `fundamentalScore` of its
 * fundamentals against its sector peers' P/E. The sector is the provider's,
 * else the screen's; a missing field, or a symbol the provider could not
 * serve, counts as neutral (the fetch error is kept on the record).
 */
export function fundamentalRecords(
  candidates: readonly SignalCandidate[],
  universe: readonly ScreenedPeer[],
  fetched: readonly FundamentalsFetch[],
): FundamentalRecord[] {
  const screenedSector = new Map(universe.map((u) => [u.symbol, u.sector]));
  const bySymbol = new Map(fetched.map((x) => [x.symbol, x]));
  const sectorOf = (s: string) => bySymbol.get(s)?.f?.sector ?? screenedSector.get(s) ?? null;
  const peersPe = sectorPeerPes(fetched, sectorOf);
  return candidates.map((c) => {
    const x = bySymbol.get(c.symbol);
    const f = x?.f ?? null;
    const sector = sectorOf(c.symbol);
    const peers = sector ? (peersPe.get(sector) ?? []) : [];
    const s = fundamentalScore({
      pe: f?.peRatio,
      sectorPe: peers,
      dividendYield: f?.dividendYield,
      roe: f?.roe,
      debtToEquity: f?.debtToEquity,
      currentRatio: f?.currentRatio,
    });
    return {
      symbol: c.symbol,
      sector,
      score: s.score,
      parts: { pe: s.pe, dividendYield: s.dividendYield, roe: s.roe, debtToEquity: s.debtToEquity, currentRatio: s.currentRatio },
      fundamentals: f,
      sectorMedianPe: sectorMedianPe(peers),
      ...(x?.error ? { error: x.error } : {}),
    };
  });
}

export interface SentimentRecord {
  symbol: string;
  score: number;
  hasSentiment: boolean;
  newsCount: number;
  headlines: { publishedAt: string; headline: string; label: string; score: number }[];
  error?: string;
}

/** One symbol's news: its headlines (publishedAt ISO), or none and why. */
export interface SymbolNews {
  symbol: string;
  items: readonly { publishedAt: string; headline: string }[];
  error?: string;
}

/**
 * The sentiment branch: `predictions` are the classifier's outputs for every
 * headline of `news`, in order (symbol by symbol); each symbol's are
 * aggregated by `sentimentScore` (decayed, `windowDays` window) as of
 * `asOf` (epoch ms). No news -> 50 with hasSentiment false. The first 20
 * headlines are kept with their labels.
 */
export function sentimentRecords(
  news: readonly SymbolNews[],
  predictions: readonly { label: string; score: number }[],
  asOf: number,
  windowDays = SIGNAL_NEWS_DAYS,
): SentimentRecord[] {
  let p = 0;
  return news.map((n) => {
    const scored = n.items.map((it) => ({ it, pred: predictions[p++] }));
    const agg = sentimentScore(
      scored.map(({ it, pred }) => ({ publishedAt: Date.parse(it.publishedAt), sentiment: pred.score })),
      asOf,
      { windowDays },
    );
    return {
      symbol: n.symbol,
      score: agg.score,
      hasSentiment: !agg.noSentiment,
      newsCount: agg.items,
      headlines: scored
        .slice(0, HEADLINES_KEPT)
        .map(({ it, pred }) => ({ publishedAt: it.publishedAt, headline: it.headline, label: pred.label, score: pred.score })),
      ...(n.error ? { error: n.error } : {}),
    };
  });
}

/** One candidate's signal of the day: what is stored (Postgres, Parquet) and reported. */
export interface CombinedSignal {
  symbol: string;
  sector: string | null;
  quintile: number;
  rank: number;
  technicalScore: number;
  fundamentalScore: number;
  sentimentScore: number;
  hasSentiment: boolean;
  newsCount: number;
  combinedScore: number;
  signal: Recommendation;
  close: number | null;
  details: Record<string, unknown>;
}

/** How many rows carry each recommendation (every class present, 0 when none). */
export function recommendationCounts(rows: readonly { signal: Recommendation }[]): Record<Recommendation, number> {
  return Object.fromEntries(RECOMMENDATIONS.map((k) => [k, rows.filter((r) => r.signal === k).length])) as Record<Recommendation, number>;
}

/**
 * The day's signals: for each candidate, combined = (w_t T + w_f F + w_s S)
 * / sum w (`combinedScore`; a branch without a record counts as neutral 50)
 * and its class (`classifyScore`), with the branch details; sorted by
 * combined score, best first (ties by symbol), with the count per class.
 */
export function combineSignalDay(
  candidates: readonly SignalCandidate[],
  branches: { technical: readonly TechnicalRecord[]; fundamental: readonly FundamentalRecord[]; sentiment: readonly SentimentRecord[] },
  weights: CombinedWeights,
): { rows: CombinedSignal[]; distribution: Record<Recommendation, number> } {
  const tech = new Map(branches.technical.map((r) => [r.symbol, r]));
  const fund = new Map(branches.fundamental.map((r) => [r.symbol, r]));
  const sent = new Map(branches.sentiment.map((r) => [r.symbol, r]));
  const rows: CombinedSignal[] = candidates.map((c) => {
    const t = tech.get(c.symbol);
    const f = fund.get(c.symbol);
    const s = sent.get(c.symbol);
    const scores = { technical: t?.score ?? 50, fundamental: f?.score ?? 50, sentiment: s?.score ?? 50 };
    const combined = combinedScore(scores, weights);
    return {
      symbol: c.symbol,
      sector: f?.sector ?? c.sector,
      quintile: c.quintile,
      rank: c.rank,
      technicalScore: scores.technical,
      fundamentalScore: scores.fundamental,
      sentimentScore: scores.sentiment,
      hasSentiment: s?.hasSentiment ?? false,
      newsCount: s?.newsCount ?? 0,
      combinedScore: combined,
      signal: classifyScore(combined),
      close: t?.close ?? null,
      details: {
        quintile: c.quintile,
        screen_rank: c.rank,
        technical: t
          ? {
              sma: t.sma,
              macd: t.macd,
              bollinger: t.bollinger,
              sma_cross: t.smaCross,
              macd_signal: t.macdSignal,
              bollinger_signal: t.bollingerSignal,
              bars: t.bars,
            }
          : null,
        fundamental: f ? { ...f.parts, fundamentals: f.fundamentals, sector_median_pe: f.sectorMedianPe, error: f.error ?? null } : null,
        sentiment: s ? { news_count: s.newsCount, headlines: s.headlines.slice(0, HEADLINES_STORED), error: s.error ?? null } : null,
      },
    };
  });
  rows.sort((a, b) => b.combinedScore - a.combinedScore || a.symbol.localeCompare(b.symbol));
  return { rows, distribution: recommendationCounts(rows) };
}
