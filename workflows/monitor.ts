/**
 * `monitor` (WF5): P&L (daily from the last two snapshots, MTD, YTD,
 * unrealised per position), risk over the configured window (Sharpe with
 * rf, Sortino, max drawdown, historical VaR 95) and threshold alerts, from
 * the paper portfolio's snapshots -> `monitoring_runs` UPSERT || report +
 * equity-curve SVG (in parallel). Degrades, never fails, on storage: a
 * database or object-store error is listed in `errors` and the report comes
 * back inline. ID `monitor-<date>`; `Pipeline = 'daily'`, `RunDate = <date>`.
 */
import { ActivityFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { MonitorAlert } from '../src/domain/monitoring';
import { PIPELINE_DAILY } from './names';
import { resolveRunDate } from './run-date';
import { tagRun } from './tag-run';
import { monitorInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { SHORT_ACTIVITY } from './activity-options';

export interface MonitorInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
}

export interface MonitorResult {
  date: string;
  /** `degraded`: the numbers could not be loaded, or a write failed (see `errors`). */
  status: 'completed' | 'no_portfolio' | 'degraded';
  snapshotDate: string | null;
  totalValue: number | null;
  dailyPnl: number | null;
  mtdPnl: number | null;
  ytdPnl: number | null;
  unrealizedPnl: number | null;
  risk: { sharpe: number; sortino: number; maxDrawdown: number; var95: number; returns: number } | null;
  alerts: Pick<MonitorAlert, 'kind' | 'symbol' | 'message'>[];
  stored: boolean;
  reportKey: string | null;
  chartKey: string | null;
  /** The markdown report, inline when it could not be written to the object store. */
  report: string | null;
  errors: string[];
}

// WF5 degrades instead of waiting: a report with the error inline after three quick attempts beats
// one that waits out a 10-minute outage window (the numbers are recomputed from snapshots the next day).
const acts = proxyActivities<Activities>({
  ...SHORT_ACTIVITY,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 },
});

const failureText = (err: unknown) => {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return (cause as Error)?.message ?? String(cause);
};

export async function monitor(input: MonitorInput = {}): Promise<MonitorResult> {
  validateInput('monitor', monitorInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_DAILY, runDate: date });
  setCurrentDetails(`loading snapshots up to ${date}`);
  let computation;
  try {
    computation = await acts.computeMonitoring.executeWithOptions(
      { startToCloseTimeout: '2 minutes', summary: `P&L, risk and alerts from the snapshots up to ${date}` },
      [{ date }],
    );
  } catch (err) {
    const msg = `loading the snapshots of ${date} failed: ${failureText(err)}`;
    setCurrentDetails(`degraded: ${msg}`);
    return {
      date,
      status: 'degraded',
      snapshotDate: null,
      totalValue: null,
      dailyPnl: null,
      mtdPnl: null,
      ytdPnl: null,
      unrealizedPnl: null,
      risk: null,
      alerts: [],
      stored: false,
      reportKey: null,
      chartKey: null,
      errors: [msg],
      report: `# Portfolio monitor ${date}\n\nThe monitor could not load the portfolio: ${msg}\n`,
    };
  }
  setCurrentDetails(computation.status === 'completed' ? `${computation.summary.alerts.length} alerts; storing` : 'no portfolio yet');
  const [stored, report] = await Promise.all([
    acts.storeMonitoringRun.executeWithOptions({ startToCloseTimeout: '1 minute', summary: `monitoring_runs ${date}` }, [{ computation }]),
    acts.writeMonitorReport.executeWithOptions({ startToCloseTimeout: '1 minute', summary: `report monitor-${date}.md + equity SVG` }, [
      { computation },
    ]),
  ]);
  const errors = [stored.error, report.error].filter((e): e is string => e !== null);
  const s = computation.status === 'completed' ? computation.summary : null;
  setCurrentDetails(errors.length ? `degraded: ${errors.join('; ')}` : `done: ${s ? `${s.alerts.length} alerts` : 'no portfolio'}`);
  return {
    date,
    status: errors.length ? 'degraded' : computation.status,
    snapshotDate: s?.snapshotDate ?? null,
    totalValue: s?.totalValue ?? null,
    dailyPnl: s?.dailyPnl ?? null,
    mtdPnl: s?.mtdPnl ?? null,
    ytdPnl: s?.ytdPnl ?? null,
    unrealizedPnl: s?.unrealizedPnl ?? null,
    risk: s
      ? { sharpe: s.risk.sharpe, sortino: s.risk.sortino, maxDrawdown: s.risk.maxDrawdown, var95: s.risk.var95, returns: s.risk.returns }
      : null,
    alerts: (s?.alerts ?? []).map((a) => ({ kind: a.kind, symbol: a.symbol, message: a.message })),
    stored: stored.stored,
    reportKey: report.reportKey,
    chartKey: report.chartKey,
    report: report.markdown,
    errors,
  };
}
