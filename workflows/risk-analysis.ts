/**
 * `riskAnalysis` (on demand): refresh symbol_correlations from the last
 * `window` (60) daily returns of every symbol in market_data, the table the
 * API's correlation rule reads, then stress the broker's positions (market
 * shocks, default -5 %, -10 %, -20 %, and each symbol's worst day) and write
 * a markdown report. ID `risk-analysis-<date>`; `Pipeline = 'trading'`,
 * `RunDate = <date>`.
 */
import { proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { StressPositionsResult } from '../activities/trading/risk-analysis';
import { formatIsoDate } from '../src/domain/dates';
import { LONG_ACTIVITY, SHORT_ACTIVITY } from './activity-options';
import { riskAnalysisInputSchema } from './inputs';
import { PIPELINE_TRADING } from './names';
import { tagRun } from './tag-run';
import { validateInput } from './validate-input';

export type RiskAnalysisInput = z.input<typeof riskAnalysisInputSchema>;

export interface RiskAnalysisResult {
  date: string;
  symbols: number;
  pairs: number;
  stress: StressPositionsResult;
  reportKey: string;
}

export const DEFAULT_RISK_WINDOW = 60;
export const DEFAULT_SHOCKS = [-0.05, -0.1, -0.2];
/** The risk manager's limit (issue 13): max correlation 0.7 between a new symbol and each held one. */
export const DEFAULT_MAX_CORRELATION = 0.7;

const LONG = LONG_ACTIVITY;
const SHORT = SHORT_ACTIVITY;
const long = proxyActivities<Activities>(LONG);
const short = proxyActivities<Activities>(SHORT);

export async function riskAnalysis(input: RiskAnalysisInput = {}): Promise<RiskAnalysisResult> {
  const i = validateInput('riskAnalysis', riskAnalysisInputSchema, input);
  const date = i.date ?? formatIsoDate(workflowInfo().runStartTime);
  tagRun({ pipeline: PIPELINE_TRADING, runDate: date });
  const window = i.window ?? DEFAULT_RISK_WINDOW;
  setCurrentDetails(`correlations over ${window} daily returns up to ${date}`);
  const corr = await long.refreshCorrelations.executeWithOptions(
    { ...LONG, summary: `symbol_correlations over ${window} returns up to ${date}` },
    [{ asOf: date, window, minObservations: Math.min(i.minObservations ?? 20, window), symbols: i.symbols }],
  );
  setCurrentDetails(`${corr.pairs} pairs refreshed; stressing the positions`);
  const stress = await short.stressPositions.executeWithOptions(
    { ...SHORT, summary: `stress scenarios and report risk-analysis-${date}.md` },
    [
      {
        asOf: date,
        window,
        shocks: i.shocks ?? DEFAULT_SHOCKS,
        maxCorrelation: i.maxCorrelation ?? DEFAULT_MAX_CORRELATION,
        pairsRefreshed: corr.pairs,
      },
    ],
  );
  setCurrentDetails(`done: ${corr.pairs} pairs, ${stress.positions} positions stressed`);
  return { date, symbols: corr.symbols, pairs: corr.pairs, stress, reportKey: stress.reportKey };
}
