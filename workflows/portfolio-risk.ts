/**
 * `portfolioRisk` (hourly in the session): the strategies' book against its
 * limits: concentration, correlation (refreshing the cached matrix the
 * risk manager reads), VaR 95 and drawdown. Violations are stored and
 * alerted; a critical one halts trading; mitigation orders are proposed
 * in the report (placed only with PORTFOLIO_RISK_PLACE_MITIGATIONS).
 */
import { proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { BookRef, RiskCheckOutcome } from '../activities/strategies';
import { newYorkClock } from '../src/domain/intraday-bars';
import { cycleSkipReason } from '../src/domain/intraday-window';
import { SHORT_ACTIVITY } from './activity-options';
import { portfolioRiskInputSchema } from './inputs';
import { PIPELINE_INTRADAY } from './names';
import { CYCLE_MS } from './strategy-signals';
import { tagRun } from './tag-run';
import { validateInput } from './validate-input';

export type PortfolioRiskInput = z.input<typeof portfolioRiskInputSchema>;

export interface PortfolioRiskResult {
  at: string;
  skipped: string | null;
  check: RiskCheckOutcome | null;
}

const acts = proxyActivities<Activities>(SHORT_ACTIVITY);

export async function portfolioRisk(input: PortfolioRiskInput = {}): Promise<PortfolioRiskResult> {
  const i = validateInput('portfolioRisk', portfolioRiskInputSchema, input);
  const at = i.at ? Date.parse(i.at) : Math.floor(workflowInfo().runStartTime.getTime() / CYCLE_MS) * CYCLE_MS;
  const date = newYorkClock(at).date;
  const book: BookRef = i.book?.kind === 'replay' ? { kind: 'replay', date, ...(i.book.tag ? { tag: i.book.tag } : {}) } : { kind: 'live' };
  tagRun({ pipeline: PIPELINE_INTRADAY, runDate: date });
  const iso = new Date(at).toISOString();
  const skipped = cycleSkipReason(at, '5m', true);
  if (skipped) {
    setCurrentDetails(`no check at ${iso}: ${skipped}`);
    return { at: iso, skipped, check: null };
  }
  const check = await acts.checkPortfolioRisk.executeWithOptions({ ...SHORT_ACTIVITY, summary: `risk of the book at ${iso}` }, [
    { at, book },
  ]);
  setCurrentDetails(`${check.violations.length} violations${check.critical ? ', critical' : ''}${check.halted ? ': trading halted' : ''}`);
  return { at: iso, skipped: null, check };
}
