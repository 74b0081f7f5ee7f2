/**
 * `tradingDay`: a replayed session, chained: its bars (an `intradayData`
 * child), every 5-minute signal cycle in order with the hourly risk checks
 * (one activity, heartbeating per cycle), then the end of day (an `endOfDay`
 * child), all against the day's own paper book, so a user sees a day of the
 * strategies in seconds without waiting for the clock.
 */
import { executeChild, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { ReplayOutcome } from '../activities/strategies';
import { LONG_ACTIVITY } from './activity-options';
import { endOfDay } from './end-of-day';
import { tradingDayInputSchema } from './inputs';
import { intradayData, type IntradayDataResult } from './intraday-data';
import { PIPELINE_INTRADAY, workflowIds } from './names';
import { runTags, tagRun } from './tag-run';
import { validateInput } from './validate-input';

export type TradingDayInput = z.input<typeof tradingDayInputSchema>;

export interface TradingDayResult {
  date: string;
  bars: IntradayDataResult;
  replay: ReplayOutcome;
  endOfDay: Awaited<ReturnType<typeof endOfDay>>;
}

const acts = proxyActivities<Activities>(LONG_ACTIVITY);

export async function tradingDay(input: TradingDayInput): Promise<TradingDayResult> {
  const i = validateInput('tradingDay', tradingDayInputSchema, input);
  const tag = { pipeline: PIPELINE_INTRADAY, runDate: i.date };
  tagRun(tag);
  const book = { kind: 'replay' as const, ...(i.tag ? { tag: i.tag } : {}) };
  setCurrentDetails(`bars of ${i.date}`);
  const bars = await executeChild(intradayData, {
    workflowId: workflowIds.intradayData(i.date, 'close'),
    args: [{ date: i.date }],
    staticSummary: `intraday bars of ${i.date}`,
    typedSearchAttributes: runTags(tag),
  });
  setCurrentDetails(`replaying the cycles of ${i.date}`);
  const replay = await acts.replayTradingDay.executeWithOptions(
    // Each cycle heartbeats: a lost worker's day moves on within seconds, resuming at its cycle.
    { ...LONG_ACTIVITY, heartbeatTimeout: '10s', summary: `every 5-minute cycle of ${i.date}` },
    [{ date: i.date, ...(i.tag ? { tag: i.tag } : {}), ...(i.strategies ? { strategies: i.strategies } : {}) }],
  );
  setCurrentDetails(`${replay.executed} orders; end of day`);
  const closed = await executeChild(endOfDay, {
    workflowId: workflowIds.endOfDay(replay.book.replace(/:/g, '_'), i.date),
    args: [{ date: i.date, book }],
    staticSummary: `end of day ${i.date} (${replay.book})`,
    typedSearchAttributes: runTags(tag),
  });
  setCurrentDetails(`${replay.cycles} cycles, ${replay.executed} orders, P&L ${closed.day?.pnl.toFixed(2) ?? '-'}`);
  return { date: i.date, bars, replay, endOfDay: closed };
}
