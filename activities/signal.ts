/**
 * Activities of WF3 `signal`: load the WF2 context (quintiles 1-2 of the
 * date's screening), three branches run in parallel by the workflow -
 * technical (SMA 50/200 cross, MACD, Bollinger from `market_data`),
 * fundamental (DataProvider.fetchFundamentals, P/E against the sector
 * median of the screened universe) and sentiment (news of the last 7 days,
 * headlines classified, time-decayed) - then combine (configurable weights,
 * 30/40/30 by default), store (Postgres in one transaction + Parquet) and
 * report. Branch results travel as object keys under `work/signal/<date>/`.
 */
import { ApplicationFailure } from '@temporalio/common';
import { layout } from '../src/adapters/layout';
import type { DataProvider, Fundamentals as ProviderFundamentals } from '../src/adapters/market-data/types';
import type { NewsItem, NewsProvider } from '../src/adapters/news/types';
import type { ObjectStore } from '../src/adapters/object-store/types';
import { writeParquet } from '../src/adapters/parquet';
import type { ScreeningRepo } from '../src/adapters/postgres/screening-repo';
import type { SignalClass, SignalRepo, SignalResultRow } from '../src/adapters/postgres/signal-repo';
import type { SentimentClassifier } from '../src/adapters/sentiment/types';
import { fmt, mdTable } from '../src/reports/markdown';
import {
  classifyScore, combinedScore, fundamentalScore, sentimentScore, technicalScore, type CombinedWeights,
} from '../src/domain/scoring';
import { technicalSignals } from '../src/domain/signals';
import { addDays, dateOf, getJson, putJson, withDbFailures } from './daily-common';
import { checkpoint } from './support/heartbeat';

export interface SignalDeps {
  store: ObjectStore;
  screening: ScreeningRepo;
  signals: SignalRepo;
  /** fetchFundamentals for the fundamental branch. */
  marketData: DataProvider;
  news: NewsProvider;
  /** The classifier is loaded once per worker, on first use. */
  sentimentClassifier: () => Promise<SentimentClassifier>;
  /** config.signals */
  signalWeights: CombinedWeights;
}

/** WF2 quintiles that WF3 looks at. */
export const SIGNAL_MAX_QUINTILE = 2;
/** Calendar days of history for SMA 200 (about 300 trading days). */
export const SIGNAL_TECHNICAL_CALENDAR_DAYS = 450;
/** News window: the run date and the 6 days before it. */
export const SIGNAL_NEWS_DAYS = 7;
const FUNDAMENTALS_CONCURRENCY = 4;

export interface SignalCandidate {
  symbol: string;
  sector: string | null;
  quintile: number;
  rank: number;
}

export type SignalContext =
  | { status: 'no_trading_data'; date: string }
  | { status: 'ok'; date: string; candidates: SignalCandidate[]; universe: { symbol: string; sector: string | null }[] };

export interface BranchInput {
  date: string;
  candidates: SignalCandidate[];
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

export interface FundamentalRecord {
  symbol: string;
  sector: string | null;
  score: number;
  parts: { pe: number; dividendYield: number; roe: number; debtToEquity: number; currentRatio: number };
  fundamentals: ProviderFundamentals | null;
  sectorMedianPe: number | null;
  error?: string;
}

export interface SentimentRecord {
  symbol: string;
  score: number;
  hasSentiment: boolean;
  newsCount: number;
  headlines: { publishedAt: string; headline: string; label: string; score: number }[];
  error?: string;
}

export interface CombinedRecord extends SignalResultRow {
  quintile: number;
  rank: number;
}

/** This many symbols failing in a row with no success at all is a news outage, not bad luck. */
const NEWS_OUTAGE_PROBE = 4;

const work = (date: string, name: string) => layout.dailyWork('signal', dateOf(date), name);
const SIGNALS: SignalClass[] = ['strong_buy', 'buy', 'hold', 'sell', 'strong_sell'];

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(runners);
  return out;
}


/** Normalise weights to sum 1; a 0 sentiment weight leaves technical + fundamental renormalised. */
export function normaliseWeights(w: CombinedWeights): CombinedWeights {
  const total = w.technical + w.fundamental + w.sentiment;
  if (!(total > 0)) throw ApplicationFailure.nonRetryable(`signal weights sum to ${total}; at least one must be positive`, 'InvalidInput');
  return { technical: w.technical / total, fundamental: w.fundamental / total, sentiment: w.sentiment / total };
}

export function createSignalActivities(deps: SignalDeps) {
  const { store, screening, signals } = deps;

  return {
    /** Quintiles 1-2 of the date's screening (and the whole screened universe, for sector peers). */
    async loadSignalContext(input: { date: string }): Promise<SignalContext> {
      const { date } = input;
      const run = await screening.getScreeningRun(date);
      if (!run) {
        if ((await screening.barsOn(date)) === 0) return { status: 'no_trading_data', date };
        throw ApplicationFailure.nonRetryable(`no screening for ${date}: run the screen workflow (screen-${date}) first`, 'MissingScreening');
      }
      const all = await screening.getScreeningResults(date);
      return {
        status: 'ok',
        date,
        candidates: all.filter((r) => r.quintile <= SIGNAL_MAX_QUINTILE).map((r) => ({ symbol: r.symbol, sector: r.sector, quintile: r.quintile, rank: r.rank })),
        universe: all.map((r) => ({ symbol: r.symbol, sector: r.sector })),
      };
    },

    /** SMA 50/200 state, MACD 12/26/9, Bollinger 20/2 at the date's bar -> technical score (domain `technicalScore`). */
    async technicalBranch(input: BranchInput): Promise<{ key: string; symbols: number }> {
      const symbols = input.candidates.map((c) => c.symbol);
      const rows = await screening.loadAdjCloses(addDays(input.date, -SIGNAL_TECHNICAL_CALENDAR_DAYS), input.date, symbols);
      const by = new Map<string, { adj: number[]; close: number }>();
      for (const r of rows) {
        const g = by.get(r.symbol) ?? { adj: [], close: NaN };
        g.adj.push(r.adjClose);
        g.close = r.close;
        by.set(r.symbol, g);
      }
      const out: TechnicalRecord[] = symbols.map((symbol) => {
        const g = by.get(symbol) ?? { adj: [], close: NaN };
        const sig = technicalSignals(g.adj);
        const t = technicalScore(sig);
        return {
          symbol, score: t.score, sma: t.sma, macd: t.macd, bollinger: t.bollinger,
          smaCross: sig.smaCross, macdSignal: sig.macd, bollingerSignal: sig.bollinger, bars: g.adj.length,
          close: Number.isFinite(g.close) ? g.close : null,
        };
      });
      const key = work(input.date, 'technical.json');
      await putJson(store, key, out);
      return { key, symbols: out.length };
    },

    /**
     * Fundamentals of every screened symbol (the candidates' sector peers),
     * then the domain `fundamentalScore` of each candidate: P/E z against the
     * sector median, dividend yield, ROE, debt/equity, current ratio; a
     * missing field, or a symbol the provider cannot serve, counts as neutral.
     */
    async fundamentalBranch(input: BranchInput & { universe: { symbol: string; sector: string | null }[] }): Promise<{ key: string; symbols: number; failures: number }> {
      let done = 0;
      const fetched = await mapLimit(input.universe, FUNDAMENTALS_CONCURRENCY, async (u) => {
        try {
          const f = await deps.marketData.fetchFundamentals(u.symbol);
          return { symbol: u.symbol, f, error: undefined as string | undefined };
        } catch (err) {
          return { symbol: u.symbol, f: null, error: `${(err as { type?: string }).type ?? (err as Error).name}: ${(err as Error).message}` };
        } finally {
          checkpoint({ fundamentals: ++done });
        }
      });
      const screenedSector = new Map(input.universe.map((u) => [u.symbol, u.sector]));
      const bySymbol = new Map(fetched.map((x) => [x.symbol, x]));
      const sectorOf = (s: string) => bySymbol.get(s)?.f?.sector ?? screenedSector.get(s) ?? null;
      const peersPe = new Map<string, number[]>();
      for (const x of fetched) {
        const sector = sectorOf(x.symbol);
        const pe = x.f?.peRatio;
        if (sector && typeof pe === 'number' && Number.isFinite(pe) && pe > 0) peersPe.set(sector, [...(peersPe.get(sector) ?? []), pe]);
      }
      const out: FundamentalRecord[] = input.candidates.map((c) => {
        const x = bySymbol.get(c.symbol);
        const f = x?.f ?? null;
        const sector = sectorOf(c.symbol);
        const peers = sector ? (peersPe.get(sector) ?? []) : [];
        const s = fundamentalScore({
          pe: f?.peRatio, sectorPe: peers, dividendYield: f?.dividendYield, roe: f?.roe, debtToEquity: f?.debtToEquity, currentRatio: f?.currentRatio,
        });
        return {
          symbol: c.symbol, sector, score: s.score,
          parts: { pe: s.pe, dividendYield: s.dividendYield, roe: s.roe, debtToEquity: s.debtToEquity, currentRatio: s.currentRatio },
          fundamentals: f, sectorMedianPe: median(peers), ...(x?.error ? { error: x.error } : {}),
        };
      });
      const key = work(input.date, 'fundamental.json');
      await putJson(store, key, out);
      return { key, symbols: out.length, failures: fetched.filter((x) => x.error).length };
    },

    /**
     * News of the last 7 days per candidate, every headline classified, and
     * the domain's decayed aggregate (half-life 3 days) as of the end of the
     * run date. No articles -> 50 with hasSentiment false. A symbol whose
     * news request fails counts as no news; if every request fails the
     * activity fails (and retries), since that is an outage, not a quiet week.
     */
    async sentimentBranch(input: BranchInput): Promise<{ key: string; symbols: number; articles: number; withNews: number }> {
      const from = addDays(input.date, -(SIGNAL_NEWS_DAYS - 1));
      const asOf = Date.parse(`${addDays(input.date, 1)}T00:00:00Z`);
      let done = 0;
      let answered = 0;
      let refused = 0;
      const news = await mapLimit(input.candidates, 2, async (c) => {
        // An outage, not a quiet week: the first symbols all failed after the provider's own retries, so the
        // rest would too, each after its own retries. Stop asking (the workflow then degrades the branch).
        if (answered === 0 && refused >= NEWS_OUTAGE_PROBE) return { symbol: c.symbol, items: [] as NewsItem[], error: 'not requested: news provider down' };
        try {
          const items = await deps.news.companyNews(c.symbol, from, input.date);
          answered++;
          return { symbol: c.symbol, items, error: undefined as string | undefined };
        } catch (err) {
          refused++;
          return { symbol: c.symbol, items: [] as NewsItem[], error: (err as Error).message };
        } finally {
          checkpoint({ news: ++done });
        }
      });
      const failed = news.filter((n) => n.error && !n.error.startsWith('not requested'));
      if (input.candidates.length > 0 && answered === 0) {
        throw new Error(`news provider ${deps.news.name} answered none of ${failed.length} requests, e.g. ${failed[0].symbol}: ${failed[0].error}`);
      }
      const texts = news.flatMap((n) => n.items.map((it) => it.headline));
      const predictions = texts.length > 0 ? await (await deps.sentimentClassifier()).classify(texts) : [];
      checkpoint({ classified: predictions.length });
      let p = 0;
      const out: SentimentRecord[] = news.map((n) => {
        const scored = n.items.map((it) => ({ it, pred: predictions[p++] }));
        const agg = sentimentScore(scored.map(({ it, pred }) => ({ publishedAt: Date.parse(it.publishedAt), sentiment: pred.score })), asOf, { windowDays: SIGNAL_NEWS_DAYS });
        return {
          symbol: n.symbol, score: agg.score, hasSentiment: !agg.noSentiment, newsCount: agg.items,
          headlines: scored.slice(0, 20).map(({ it, pred }) => ({ publishedAt: it.publishedAt, headline: it.headline, label: pred.label, score: pred.score })),
          ...(n.error ? { error: n.error } : {}),
        };
      });
      const key = work(input.date, 'sentiment.json');
      await putJson(store, key, out);
      return { key, symbols: out.length, articles: texts.length, withNews: out.filter((o) => o.hasSentiment).length };
    },

    /** combined = (w_t T + w_f F + w_s S) / sum w; weights from the input, else config.signals. */
    async combineSignals(input: {
      date: string; candidates: SignalCandidate[]; technicalKey: string; fundamentalKey: string;
      /** null: the sentiment branch was given up (a news outage): every symbol is neutral, 50 with has_sentiment false. */
      sentimentKey: string | null; weights?: Partial<CombinedWeights>;
    }): Promise<{ combinedKey: string; weights: CombinedWeights; distribution: Record<SignalClass, number> }> {
      const weights = normaliseWeights({ ...deps.signalWeights, ...input.weights });
      const tech = new Map((await getJson<TechnicalRecord[]>(store, input.technicalKey)).map((r) => [r.symbol, r]));
      const fund = new Map((await getJson<FundamentalRecord[]>(store, input.fundamentalKey)).map((r) => [r.symbol, r]));
      const sent = new Map((input.sentimentKey === null ? [] : await getJson<SentimentRecord[]>(store, input.sentimentKey)).map((r) => [r.symbol, r]));
      const rows: CombinedRecord[] = input.candidates.map((c) => {
        const t = tech.get(c.symbol);
        const f = fund.get(c.symbol);
        const s = sent.get(c.symbol);
        const scores = { technical: t?.score ?? 50, fundamental: f?.score ?? 50, sentiment: s?.score ?? 50 };
        const combined = combinedScore(scores, weights);
        return {
          symbol: c.symbol, sector: f?.sector ?? c.sector, quintile: c.quintile, rank: c.rank,
          technicalScore: scores.technical, fundamentalScore: scores.fundamental, sentimentScore: scores.sentiment,
          hasSentiment: s?.hasSentiment ?? false, newsCount: s?.newsCount ?? 0, combinedScore: combined, signal: classifyScore(combined),
          close: t?.close ?? null,
          details: {
            quintile: c.quintile, screen_rank: c.rank,
            technical: t ? { sma: t.sma, macd: t.macd, bollinger: t.bollinger, sma_cross: t.smaCross, macd_signal: t.macdSignal, bollinger_signal: t.bollingerSignal, bars: t.bars } : null,
            fundamental: f ? { ...f.parts, fundamentals: f.fundamentals, sector_median_pe: f.sectorMedianPe, error: f.error ?? null } : null,
            sentiment: s ? { news_count: s.newsCount, headlines: s.headlines.slice(0, 5), error: s.error ?? null } : null,
          },
        };
      });
      rows.sort((a, b) => b.combinedScore - a.combinedScore || a.symbol.localeCompare(b.symbol));
      const distribution = Object.fromEntries(SIGNALS.map((k) => [k, rows.filter((r) => r.signal === k).length])) as Record<SignalClass, number>;
      const combinedKey = work(input.date, 'combined.json');
      await putJson(store, combinedKey, rows);
      return { combinedKey, weights, distribution };
    },

    /** Parquet `signals/year=.../signals.parquet`, then the date's rows replaced in one transaction. */
    async storeSignals(input: { date: string; combinedKey: string; weights: CombinedWeights; distribution: Record<SignalClass, number> }): Promise<{ parquetKey: string; reportKey: string; rows: number }> {
      const rows = await getJson<CombinedRecord[]>(store, input.combinedKey);
      const parquetKey = layout.signals(dateOf(input.date));
      const reportKey = layout.report('signal', dateOf(input.date), `signal-${input.date}`);
      await store.put(parquetKey, signalsParquet(input.date, rows));
      await withDbFailures(`storing the signals of ${input.date}`, () =>
        signals.replaceSignals({ runDate: input.date, symbols: rows.length, weights: input.weights, distribution: input.distribution, parquetKey, reportKey }, rows),
      );
      return { parquetKey, reportKey, rows: rows.length };
    },

    async writeSignalReport(input: {
      date: string; combinedKey: string; weights: CombinedWeights; distribution: Record<SignalClass, number>; parquetKey: string;
      /** Degradations the reader must see first (a news outage). */
      warnings?: string[];
    }): Promise<{ reportKey: string }> {
      const rows = await getJson<CombinedRecord[]>(store, input.combinedKey);
      const reportKey = layout.report('signal', dateOf(input.date), `signal-${input.date}`);
      await store.put(reportKey, renderSignalReport({ ...input, rows }), { contentType: 'text/markdown' });
      return { reportKey };
    },
  };
}

function median(v: number[]): number | null {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function signalsParquet(date: string, rows: CombinedRecord[]): Uint8Array {
  return writeParquet(
    [
      { name: 'run_date', type: 'timestamp', data: rows.map(() => Date.parse(`${date}T00:00:00Z`)) },
      { name: 'symbol', type: 'string', data: rows.map((r) => r.symbol) },
      { name: 'sector', type: 'string', data: rows.map((r) => r.sector), nullable: true },
      { name: 'quintile', type: 'int32', data: rows.map((r) => r.quintile) },
      { name: 'technical_score', type: 'double', data: rows.map((r) => r.technicalScore) },
      { name: 'fundamental_score', type: 'double', data: rows.map((r) => r.fundamentalScore) },
      { name: 'sentiment_score', type: 'double', data: rows.map((r) => r.sentimentScore) },
      { name: 'has_sentiment', type: 'boolean', data: rows.map((r) => r.hasSentiment) },
      { name: 'news_count', type: 'int32', data: rows.map((r) => r.newsCount) },
      { name: 'combined_score', type: 'double', data: rows.map((r) => r.combinedScore) },
      { name: 'signal', type: 'string', data: rows.map((r) => r.signal) },
      { name: 'close', type: 'double', data: rows.map((r) => r.close), nullable: true },
    ],
    { metadata: { workflow: 'signal', run_date: date } },
  );
}

function renderSignalReport(x: { date: string; rows: CombinedRecord[]; weights: CombinedWeights; distribution: Record<SignalClass, number>; parquetKey: string; warnings?: string[] }): string {
  const { rows } = x;
  const w = x.weights;
  const label = (s: SignalClass) => s.replace('_', ' ');
  const line = (r: CombinedRecord) => [
    r.symbol, r.sector ?? '-', `Q${r.quintile}`, fmt(r.technicalScore, 1), fmt(r.fundamentalScore, 1),
    r.hasSentiment ? `${fmt(r.sentimentScore, 1)} (${r.newsCount} news)` : 'n/a (no news, 50)', fmt(r.combinedScore, 1), label(r.signal),
  ];
  const head = ['symbol', 'sector', 'quintile', 'technical', 'fundamental', 'sentiment', 'combined', 'signal'];
  const buys = rows.filter((r) => r.signal === 'strong_buy' || r.signal === 'buy').slice(0, 10);
  const sells = rows.filter((r) => r.signal === 'sell' || r.signal === 'strong_sell').reverse().slice(0, 10);
  return [
    `# Signals ${x.date}`,
    '',
    ...(x.warnings?.length ? [...x.warnings.map((w) => `> **Warning:** ${w}`), ''] : []),
    `${rows.length} candidates (screen quintiles 1-${SIGNAL_MAX_QUINTILE}). Weights: technical ${fmt(w.technical, 2)}, fundamental ${fmt(w.fundamental, 2)}, sentiment ${fmt(w.sentiment, 2)}${w.sentiment === 0 ? ' (sentiment off: technical + fundamental renormalised)' : ''}.`,
    `${rows.filter((r) => r.hasSentiment).length} of ${rows.length} have news in the last ${SIGNAL_NEWS_DAYS} days. Results: \`${x.parquetKey}\`.`,
    '',
    '## Distribution',
    '',
    mdTable(['signal', 'count'], SIGNALS.map((s) => [label(s), x.distribution[s] ?? 0])),
    '',
    '## Top buys',
    '',
    buys.length ? mdTable(head, buys.map(line)) : '_none_',
    '',
    '## Top sells',
    '',
    sells.length ? mdTable(head, sells.map(line)) : '_none_',
    '',
    '## All candidates',
    '',
    mdTable(head, rows.map(line)),
    '',
  ].join('\n');
}
