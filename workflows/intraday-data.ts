/**
 * `intradayData` (every 15 minutes in the session): fetch the session's
 * bars so far from the intraday provider, validate them (gaps, spikes,
 * halted symbols) and store them in Postgres (UPSERT) and Parquet.
 */
import { proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { IntradayBarsResult } from '../activities/strategies';
import { newYorkClock } from '../src/domain/intraday-bars';
import { isTradingDay } from '../src/domain/trading-calendar';
import { LONG_ACTIVITY } from './activity-options';
import { intradayDataInputSchema } from './inputs';
import { PIPELINE_INTRADAY } from './names';
import { tagRun } from './tag-run';
import { validateInput } from './validate-input';

export type IntradayDataInput = z.input<typeof intradayDataInputSchema>;

export interface IntradayDataResult {
  date: string;
  skipped: string | null;
  bars: IntradayBarsResult | null;
}

const acts = proxyActivities<Activities>(LONG_ACTIVITY);

export async function intradayData(input: IntradayDataInput = {}): Promise<IntradayDataResult> {
  const i = validateInput('intradayData', intradayDataInputSchema, input);
  const now = workflowInfo().runStartTime.getTime();
  // A run without a date is the session in progress, up to its start; with a date, the whole session (or up to `until`).
  const date = i.date ?? newYorkClock(now).date;
  const until = i.until ? Date.parse(i.until) : i.date ? undefined : now;
  tagRun({ pipeline: PIPELINE_INTRADAY, runDate: date });
  if (!isTradingDay(date)) {
    setCurrentDetails(`${date} is not a trading day`);
    return { date, skipped: `${date} is not an NYSE trading day`, bars: null };
  }
  const bars = await acts.fetchIntradayBars.executeWithOptions(
    { ...LONG_ACTIVITY, summary: `intraday bars of ${date}${until !== undefined ? ` up to ${new Date(until).toISOString()}` : ''}` },
    [{ date, ...(until !== undefined ? { until } : {}) }],
  );
  setCurrentDetails(`${bars.stored} bars of ${bars.symbols} symbols; ${bars.gaps.length} with gaps, ${bars.halted.length} halted`);
  return { date, skipped: null, bars };
}
