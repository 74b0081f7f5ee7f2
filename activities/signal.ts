/**
 * Activities of WF3 `signal`: load the WF2 context (quintiles 1-2 of the
 * date's screening), three branches run in parallel by the workflow -
 * technical (SMA 50/200 cross, MACD, Bollinger from `market_data`),
 * fundamental (DataProvider.fetchFundamentals, P/E against the sector
 * median of the screened universe) and sentiment (news of the last 7 days,
 * headlines classified, time-decayed) - then combine (configurable weights,
 * 30/40/30 by default), store (Postgres in one transaction + Parquet) and
 * report. The rules are the domain's (src/domain/signal-day.ts, scoring.ts).
 * Branch results travel as object keys under `work/signal/<date>/`.
 */
import { ApplicationFailure } from '@temporalio/common';
import { layout } from '../src/adapters/layout';
import type { DataProvider } from '../src/adapters/market-data/types';
import type { NewsItem, NewsProvider } from '../src/adapters/news/types';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { ScreeningRepo } from '../src/adapters/postgres/screening-repo';
import type { SignalRepo } from '../src/adapters/postgres/signal-repo';
import type { SentimentClassifier } from '../src/adapters/sentiment/types';
import { signalsParquet } from '../src/adapters/tables/signals';
import { mapLimit } from '../src/domain/async';
import { addDays, parseIsoDate } from '../src/domain/dates';
import { errorMessage } from '../src/domain/errors';
import { normaliseWeights, type CombinedWeights, type Recommendation } from '../src/domain/scoring';
import {
  combineSignalDay,
  fundamentalRecords,
  sentimentRecords,
  SIGNAL_NEWS_DAYS,
  SIGNAL_TECHNICAL_CALENDAR_DAYS,
  signalCandidates,
  technicalRecords,
  type CombinedSignal,
  type FundamentalRecord,
  type ScreenedPeer,
  type SentimentRecord,
  type SignalCandidate,
  type TechnicalRecord,
} from '../src/domain/signal-day';
import { renderSignalReport } from '../src/reports/signal-report';
import { getJson, putJson } from './support/claim-check';
import { withDbFailures } from './support/db-failures';
import { asActivityFailure } from './support/failures';
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

const FUNDAMENTALS_CONCURRENCY = 4;
const NEWS_CONCURRENCY = 2;
/** This many symbols failing in a row with no success at all is a news outage, not bad luck. */
const NEWS_OUTAGE_PROBE = 4;

export type SignalContext =
  { status: 'no_trading_data'; date: string } | { status: 'ok'; date: string; candidates: SignalCandidate[]; universe: ScreenedPeer[] };

export interface BranchInput {
  date: string;
  candidates: SignalCandidate[];
}

const work = (date: string, name: string) => layout.dailyWork('signal', parseIsoDate(date), name);
const reportKeyOf = (date: string) => layout.report('signal', parseIsoDate(date), `signal-${date}`);

export function createSignalActivities(deps: SignalDeps) {
  const { store, screening, signals } = deps;

  return {
    /** Quintiles 1-2 of the date's screening (and the whole screened universe, for sector peers). */
    async loadSignalContext(input: { date: string }): Promise<SignalContext> {
      const { date } = input;
      const run = await screening.getScreeningRun(date);
      if (!run) {
        if ((await screening.barsOn(date)) === 0) return { status: 'no_trading_data', date };
        throw ApplicationFailure.nonRetryable(
          `no screening for ${date}: run the screen workflow (screen-${date}) first`,
          'MissingScreening',
        );
      }
      return { status: 'ok', date, ...signalCandidates(await screening.getScreeningResults(date)) };
    },

    /** SMA 50/200 state, MACD 12/26/9, Bollinger 20/2 at the date's bar -> technical score (domain `technicalRecords`). */
    async technicalBranch(input: BranchInput): Promise<{ key: string; symbols: number }> {
      const symbols = input.candidates.map((c) => c.symbol);
      const rows = await screening.loadAdjCloses(addDays(input.date, -SIGNAL_TECHNICAL_CALENDAR_DAYS), input.date, symbols);
      const out = technicalRecords(symbols, rows);
      const key = work(input.date, 'technical.json');
      await putJson(store, key, out);
      return { key, symbols: out.length };
    },

    /**
     * Fundamentals of every screened symbol (the candidates' sector peers),
     * then the domain `fundamentalRecords` of the candidates. A symbol the
     * provider cannot serve counts as neutral, with its error kept.
     */
    async fundamentalBranch(
      input: BranchInput & { universe: ScreenedPeer[] },
    ): Promise<{ key: string; symbols: number; failures: number }> {
      let done = 0;
      const fetched = await mapLimit(input.universe, FUNDAMENTALS_CONCURRENCY, async (u) => {
        try {
          return { symbol: u.symbol, f: await deps.marketData.fetchFundamentals(u.symbol) };
        } catch (err) {
          return { symbol: u.symbol, f: null, error: `${(err as { type?: string }).type ?? (err as Error).name}: ${errorMessage(err)}` };
        } finally {
          checkpoint({ fundamentals: ++done });
        }
      });
      const out = fundamentalRecords(input.candidates, input.universe, fetched);
      const key = work(input.date, 'fundamental.json');
      await putJson(store, key, out);
      return { key, symbols: out.length, failures: fetched.filter((x) => x.error).length };
    },

    /**
     * News of the last 7 days per candidate, every headline classified, and
     * the domain's decayed aggregate (half-life 3 days) as of the end of the
     * run date. A symbol whose news request fails counts as no news; if every
     * request fails the activity fails (and retries), since that is an
     * outage, not a quiet week.
     */
    async sentimentBranch(input: BranchInput): Promise<{ key: string; symbols: number; articles: number; withNews: number }> {
      const from = addDays(input.date, -(SIGNAL_NEWS_DAYS - 1));
      const asOf = parseIsoDate(addDays(input.date, 1)).getTime();
      let done = 0;
      let answered = 0;
      let refused = 0;
      const news = await mapLimit(input.candidates, NEWS_CONCURRENCY, async (c) => {
        // An outage, not a quiet week: the first symbols all failed after the provider's own retries, so the
        // rest would too, each after its own retries. Stop asking (the workflow then degrades the branch).
        if (answered === 0 && refused >= NEWS_OUTAGE_PROBE)
          return { symbol: c.symbol, items: [] as NewsItem[], error: 'not requested: news provider down' };
        try {
          const items = await deps.news.companyNews(c.symbol, from, input.date);
          answered++;
          return { symbol: c.symbol, items };
        } catch (err) {
          refused++;
          return { symbol: c.symbol, items: [] as NewsItem[], error: errorMessage(err) };
        } finally {
          checkpoint({ news: ++done });
        }
      });
      const failed = news.filter((n) => n.error && !n.error.startsWith('not requested'));
      if (input.candidates.length > 0 && answered === 0) {
        throw new Error(
          `news provider ${deps.news.name} answered none of ${failed.length} requests, e.g. ${failed[0].symbol}: ${failed[0].error}`,
        );
      }
      const texts = news.flatMap((n) => n.items.map((it) => it.headline));
      const predictions = texts.length > 0 ? await (await deps.sentimentClassifier()).classify(texts) : [];
      checkpoint({ classified: predictions.length });
      const out = sentimentRecords(news, predictions, asOf);
      const key = work(input.date, 'sentiment.json');
      await putJson(store, key, out);
      return { key, symbols: out.length, articles: texts.length, withNews: out.filter((o) => o.hasSentiment).length };
    },

    /** combined = (w_t T + w_f F + w_s S) / sum w (domain `combineSignalDay`); weights from the input, else config.signals. */
    async combineSignals(input: {
      date: string;
      candidates: SignalCandidate[];
      technicalKey: string;
      fundamentalKey: string;
      /** null: the sentiment branch was given up (a news outage): every symbol is neutral, 50 with has_sentiment false. */
      sentimentKey: string | null;
      weights?: Partial<CombinedWeights>;
    }): Promise<{ combinedKey: string; weights: CombinedWeights; distribution: Record<Recommendation, number> }> {
      const weights = await asActivityFailure(async () => normaliseWeights({ ...deps.signalWeights, ...input.weights }));
      const { rows, distribution } = combineSignalDay(
        input.candidates,
        {
          technical: await getJson<TechnicalRecord[]>(store, input.technicalKey),
          fundamental: await getJson<FundamentalRecord[]>(store, input.fundamentalKey),
          sentiment: input.sentimentKey === null ? [] : await getJson<SentimentRecord[]>(store, input.sentimentKey),
        },
        weights,
      );
      const combinedKey = work(input.date, 'combined.json');
      await putJson(store, combinedKey, rows);
      return { combinedKey, weights, distribution };
    },

    /** Parquet `signals/year=.../signals.parquet`, then the date's rows replaced in one transaction. */
    async storeSignals(input: {
      date: string;
      combinedKey: string;
      weights: CombinedWeights;
      distribution: Record<Recommendation, number>;
    }): Promise<{ parquetKey: string; reportKey: string; rows: number }> {
      const rows = await getJson<CombinedSignal[]>(store, input.combinedKey);
      const parquetKey = layout.signals(parseIsoDate(input.date));
      const reportKey = reportKeyOf(input.date);
      await store.put(parquetKey, signalsParquet(input.date, rows));
      const run = {
        runDate: input.date,
        symbols: rows.length,
        weights: input.weights,
        distribution: input.distribution,
        parquetKey,
        reportKey,
      };
      await withDbFailures(`storing the signals of ${input.date}`, () => signals.replaceSignals(run, rows));
      return { parquetKey, reportKey, rows: rows.length };
    },

    async writeSignalReport(input: {
      date: string;
      combinedKey: string;
      weights: CombinedWeights;
      distribution: Record<Recommendation, number>;
      parquetKey: string;
      /** Degradations the reader must see first (a news outage). */
      warnings?: string[];
    }): Promise<{ reportKey: string }> {
      const rows = await getJson<CombinedSignal[]>(store, input.combinedKey);
      const reportKey = reportKeyOf(input.date);
      await store.put(reportKey, renderSignalReport({ ...input, rows }), { contentType: 'text/markdown' });
      return { reportKey };
    },
  };
}
