/**
 * `signal` (WF3): trading signals for the best two quintiles of the date's
 * screen. Load the WF2 context -> technical || fundamental || sentiment
 * (three activities in parallel) -> combine (30/40/30 by default, sentiment
 * weight 0 = technical + fundamental renormalised) -> store -> report.
 * ID `signal-<date>`; `Pipeline = 'daily'`, `RunDate = <date>`.
 */
import { ActivityFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CombinedWeights, Recommendation } from '../src/domain/scoring';
import { PIPELINE_DAILY } from './names';
import { rootMessage } from './fanout-window';
import { resolveRunDate } from './run-date';
import { tagRun } from './tag-run';
import { signalInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY } from './activity-options';

export interface SignalInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
  /** Overrides config.signals (e.g. `{ sentiment: 0 }` to roll back to technical + fundamental). */
  weights?: Partial<CombinedWeights>;
}

export interface SignalResult {
  date: string;
  /** Degradations of this run (a news outage: sentiment neutral for every symbol); also at the top of the report. */
  warnings?: string[];
  status: 'completed' | 'no_trading_data';
  symbols: number;
  withNews: number;
  weights: CombinedWeights | null;
  distribution: Record<Recommendation, number> | null;
  parquetKey: string | null;
  reportKey: string | null;
}

// Infrastructure faults are retried through the worker's outage window; data errors fail at once.
const acts = proxyActivities<Activities>(LONG_ACTIVITY);

/** The sentiment branch's own budget: a news outage degrades the branch after these, it does not wait out the outage window. */
const NEWS_RETRY = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 2 };

export async function signal(input: SignalInput = {}): Promise<SignalResult> {
  validateInput('signal', signalInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_DAILY, runDate: date });
  setCurrentDetails(`loading the screen of ${date}`);
  const ctx = await acts.loadSignalContext.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `screen ${date}: quintiles 1-2` },
    [{ date }],
  );
  if (ctx.status === 'no_trading_data') {
    setCurrentDetails(`no trading data on ${date}`);
    return {
      date,
      status: 'no_trading_data',
      symbols: 0,
      withNews: 0,
      weights: null,
      distribution: null,
      parquetKey: null,
      reportKey: null,
    };
  }
  const n = ctx.candidates.length;
  const branch = { date, candidates: ctx.candidates };
  setCurrentDetails(`three branches for ${n} symbols`);
  const [technical, fundamental, sentiment] = await Promise.all([
    acts.technicalBranch.executeWithOptions(
      { startToCloseTimeout: '5 minutes', summary: `technical: SMA 50/200, MACD, Bollinger (${n} symbols)` },
      [branch],
    ),
    acts.fundamentalBranch.executeWithOptions(
      { startToCloseTimeout: '15 minutes', summary: `fundamental: P/E vs sector, yield, ROE, D/E, current ratio (${n} symbols)` },
      [{ ...branch, universe: ctx.universe }],
    ),
    // News is optional: after the providers' own retries and a few attempts here, the branch degrades to
    // neutral instead of holding the day's rebalance for an outage window (as a missing API key does).
    acts.sentimentBranch
      .executeWithOptions(
        { startToCloseTimeout: '15 minutes', retry: NEWS_RETRY, summary: `sentiment: 7 days of news, classified (${n} symbols)` },
        [branch],
      )
      .then(
        (r) => ({ ok: true as const, ...r }),
        (err: unknown) => {
          if (!(err instanceof ActivityFailure)) throw err;
          return { ok: false as const, error: rootMessage(err) };
        },
      ),
  ]);
  const warnings = sentiment.ok
    ? []
    : [`news unavailable (${sentiment.error.slice(0, 300)}): sentiment is neutral (50, has_sentiment = false) for all ${n} symbols`];
  if (!sentiment.ok) setCurrentDetails(`degraded: ${warnings[0]}`);
  const combined = await acts.combineSignals.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: 'combine technical, fundamental, sentiment' },
    [
      {
        date,
        candidates: ctx.candidates,
        technicalKey: technical.key,
        fundamentalKey: fundamental.key,
        sentimentKey: sentiment.ok ? sentiment.key : null,
        weights: input.weights,
      },
    ],
  );
  setCurrentDetails('storing');
  const stored = await acts.storeSignals.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `store ${n} signals (Postgres + Parquet)` },
    [{ date, combinedKey: combined.combinedKey, weights: combined.weights, distribution: combined.distribution }],
  );
  const report = await acts.writeSignalReport.executeWithOptions({ startToCloseTimeout: '1 minute', summary: `report signal-${date}.md` }, [
    {
      date,
      combinedKey: combined.combinedKey,
      weights: combined.weights,
      distribution: combined.distribution,
      parquetKey: stored.parquetKey,
      ...(warnings.length ? { warnings } : {}),
    },
  ]);
  const d = combined.distribution;
  setCurrentDetails(`done: ${d.strong_buy} strong buy, ${d.buy} buy, ${d.hold} hold, ${d.sell} sell, ${d.strong_sell} strong sell`);
  return {
    date,
    status: 'completed',
    symbols: n,
    withNews: sentiment.ok ? sentiment.withNews : 0,
    ...(warnings.length ? { warnings } : {}),
    weights: combined.weights,
    distribution: combined.distribution,
    parquetKey: stored.parquetKey,
    reportKey: report.reportKey,
  };
}
