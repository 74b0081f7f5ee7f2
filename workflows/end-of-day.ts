/**
 * `endOfDay` (17:00 New York time): the strategies' day: P&L per strategy
 * and in total, trades, success rate, Sharpe, attribution, a report with
 * its chart, alerts, and the clean-up of intraday bars older than
 * INTRADAY_RETENTION_DAYS.
 */
import { proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { BookRef, EndOfDayOutcome } from '../activities/strategies';
import { newYorkClock } from '../src/domain/intraday-bars';
import { isTradingDay } from '../src/domain/trading-calendar';
import { LONG_ACTIVITY } from './activity-options';
import { endOfDayInputSchema } from './inputs';
import { PIPELINE_INTRADAY } from './names';
import { tagRun } from './tag-run';
import { validateInput } from './validate-input';

export type EndOfDayInput = z.input<typeof endOfDayInputSchema>;

export interface EndOfDayResult {
  date: string;
  skipped: string | null;
  day: EndOfDayOutcome | null;
}

const acts = proxyActivities<Activities>(LONG_ACTIVITY);

export async function endOfDay(input: EndOfDayInput = {}): Promise<EndOfDayResult> {
  const i = validateInput('endOfDay', endOfDayInputSchema, input);
  const date = i.date ?? newYorkClock(workflowInfo().runStartTime.getTime()).date;
  const book: BookRef = i.book?.kind === 'replay' ? { kind: 'replay', date, ...(i.book.tag ? { tag: i.book.tag } : {}) } : { kind: 'live' };
  tagRun({ pipeline: PIPELINE_INTRADAY, runDate: date });
  if (!isTradingDay(date)) {
    setCurrentDetails(`${date} is not a trading day`);
    return { date, skipped: `${date} is not an NYSE trading day`, day: null };
  }
  const day = await acts.closeTradingDay.executeWithOptions({ ...LONG_ACTIVITY, summary: `end of day ${date}` }, [{ date, book }]);
  setCurrentDetails(`P&L ${day.pnl.toFixed(2)} on ${day.orders} orders; report ${day.reportKey}`);
  return { date, skipped: null, day };
}
