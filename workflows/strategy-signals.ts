/**
 * `strategySignals` (every 5 minutes in the session): one signal cycle. The
 * enabled strategies run in parallel, one activity each (visible in the
 * Web UI, each retried alone); their signals are validated, de-duplicated,
 * keyed (strategy, symbol, cycle instant, book) and placed through the
 * execution service's own path, pair legs both or neither. A retried or
 * re-run cycle places nothing twice: every key is stored with its order.
 * Outside the session (before 09:35 New York time, after the close, on a
 * holiday) the cycle records why and does nothing.
 */
import { proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { BookRef } from '../activities/strategies';
import type { CycleOutcome } from '../activities/strategies/book-steps';
import { newYorkClock } from '../src/domain/intraday-bars';
import { cycleSkipReason } from '../src/domain/intraday-window';
import { replayBook } from '../src/domain/strategy-book/books';
import { SHORT_ACTIVITY } from './activity-options';
import { strategySignalsInputSchema } from './inputs';
import { PIPELINE_INTRADAY } from './names';
import { tagRun } from './tag-run';
import { validateInput } from './validate-input';

export type StrategySignalsInput = z.input<typeof strategySignalsInputSchema>;

export interface StrategySignalsResult {
  at: string;
  book: string;
  skipped: string | null;
  strategies: string[];
  problems: string[];
  outcome: CycleOutcome | null;
}

/** Cycles fall on bar closes: 5 minutes, the strategies' bar (a schedule's jitter rounds down). */
export const CYCLE_MS = 300_000;

const acts = proxyActivities<Activities>(SHORT_ACTIVITY);

export async function strategySignals(input: StrategySignalsInput = {}): Promise<StrategySignalsResult> {
  const i = validateInput('strategySignals', strategySignalsInputSchema, input);
  const at = i.at ? Date.parse(i.at) : Math.floor(workflowInfo().runStartTime.getTime() / CYCLE_MS) * CYCLE_MS;
  const date = newYorkClock(at).date;
  const book: BookRef = i.book?.kind === 'replay' ? { kind: 'replay', date, ...(i.book.tag ? { tag: i.book.tag } : {}) } : { kind: 'live' };
  const bookName = book.kind === 'live' ? 'live' : replayBook(date, book.tag).name;
  tagRun({ pipeline: PIPELINE_INTRADAY, runDate: date });
  const iso = new Date(at).toISOString();
  const skipped = cycleSkipReason(at, '5m');
  if (skipped) {
    setCurrentDetails(`no cycle at ${iso}: ${skipped}`);
    return { at: iso, book: bookName, skipped, strategies: [], problems: [], outcome: null };
  }
  const listed = await acts.listCycleStrategies.executeWithOptions({ ...SHORT_ACTIVITY, summary: 'enabled strategies' }, []);
  const names = i.strategies ? listed.strategies.filter((n) => i.strategies!.includes(n)) : listed.strategies;
  setCurrentDetails(`${names.length} strategies at ${iso}`);
  const outputs = await Promise.all(
    names.map((strategy) =>
      acts.runCycleStrategy.executeWithOptions({ ...SHORT_ACTIVITY, summary: `${strategy} at ${iso}` }, [{ strategy, at, book }]),
    ),
  );
  const signals = outputs.reduce((n, o) => n + o.signals.length, 0);
  const outcome = await acts.executeCycleSignals.executeWithOptions(
    { ...SHORT_ACTIVITY, summary: `validate and place ${signals} signals` },
    [{ at, book, outputs }],
  );
  const placed = outcome.lines.filter((l) => l.outcome === 'executed').length;
  setCurrentDetails(`${signals} signals, ${placed} orders${outcome.halted ? ' (trading halted)' : ''}`);
  return {
    at: iso,
    book: bookName,
    skipped: null,
    strategies: names,
    problems: [...listed.problems, ...outputs.flatMap((o) => o.problems.map((p) => `${o.strategy}: ${p}`))],
    outcome,
  };
}
