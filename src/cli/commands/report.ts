/**
 * `quant report <workflow> [--date D]` prints the latest markdown report of a
 * workflow (or the one of date D) from the object store and says where the
 * chart it links to lives; `quant run monitor|backtest --date D` runs WF5 /
 * WF6 for one date and prints the result. Same date = same workflow ID: a
 * running one is joined, a finished one runs again (its rows are UPSERTs).
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { createObjectStore } from '../../adapters/object-store';
import type { ObjectStore } from '../../adapters/object-store/types';
import { UsageError, type OutputFormat } from '../args';
import { refuseFutureRunDate } from '../run-date';
import { PIPELINE_DAILY, SEARCH_ATTRIBUTES, workflowIds } from '../../../workflows/names';
import type { MonitorInput, MonitorResult } from '../../../workflows/monitor';
import type { BacktestInput, BacktestResult } from '../../../workflows/backtest';
import { dailyStartOptions } from './daily-start';
import { withClient } from '../with-client';
import { announceRun, printResult, webUiLink } from '../output';

const out = (s: string) => process.stdout.write(`${s}\n`);
const WORKFLOW_NAME = /^[a-z][a-z0-9-]{0,63}$/i;

const dayPrefix = (workflow: string, date: string) =>
  `reports/${workflow}/year=${date.slice(0, 4)}/month=${date.slice(5, 7)}/day=${date.slice(8, 10)}/`;

/**
 * The newest report of `workflow` (or of `date`) and the charts beside it.
 * Keys sort by year/month/day, so the last `.md` is the latest day's.
 *
 * @example
 *   await findReport(store, 'monitor', '2026-02-06') // { reportKey: 'reports/monitor/.../monitor-2026-02-06.md', chartKeys: [...] }
 */
export async function findReport(
  store: ObjectStore,
  workflow: string,
  date?: string,
): Promise<{ reportKey: string; chartKeys: string[] } | null> {
  const keys = await store.list(date ? dayPrefix(workflow, date) : `reports/${workflow}/`);
  const reports = keys.filter((k) => k.endsWith('.md'));
  if (reports.length === 0) return null;
  const reportKey = reports[reports.length - 1];
  const dir = reportKey.slice(0, reportKey.lastIndexOf('/') + 1);
  const base = reportKey.slice(dir.length, -'.md'.length);
  const chartKeys = keys.filter((k) => k.startsWith(`${dir}${base}`) && /\.(svg|png)$/.test(k));
  return { reportKey, chartKeys };
}

export const reportCommand = async (workflow: string, o: { date?: string }, config: Config): Promise<void> => {
  const usage = 'quant report <workflow> [--date YYYY-MM-DD]   e.g. quant report monitor --date 2026-02-06';
  if (!WORKFLOW_NAME.test(workflow)) throw new UsageError(`workflow "${workflow}" is not a workflow name`, usage);
  const date = o.date;
  const store = createObjectStore(config);
  const found = await findReport(store, workflow, date);
  if (!found) {
    out(
      `no ${workflow} report${date ? ` for ${date}` : ''} under ${store.locate(date ? dayPrefix(workflow, date) : `reports/${workflow}/`)}`,
    );
    return;
  }
  out(new TextDecoder().decode(await store.get(found.reportKey)));
  out(`report: ${store.locate(found.reportKey)}`);
  for (const k of found.chartKeys) out(`chart: ${store.locate(k)}`);
};

/** WF5 for one date under `monitor-<date>`; waits for the result. */
export async function runMonitor(client: Client, taskQueue: string, input: MonitorInput & { date: string }): Promise<MonitorResult> {
  return client.workflow.execute('monitor', {
    ...dailyStartOptions(taskQueue, workflowIds.monitor(input.date), input.date, `WF5 monitor ${input.date}`),
    args: [input],
  });
}

/** WF6 ending on `date` (or on `end`) under `backtest-<date>`; waits for the result. */
export async function runBacktest(client: Client, taskQueue: string, input: BacktestInput & { date: string }): Promise<BacktestResult> {
  return client.workflow.execute('backtest', {
    ...dailyStartOptions(taskQueue, workflowIds.backtest(input.date), input.date, `WF6 backtest to ${input.end ?? input.date}`),
    args: [input],
  });
}

export interface MonitorBacktestOptions {
  date: string;
  start?: string;
  capital?: number;
  output: OutputFormat;
}

export const monitorBacktestRunCommands: Record<'monitor' | 'backtest', (o: MonitorBacktestOptions, config: Config) => Promise<void>> = {
  monitor: async (o, config) => {
    const date = refuseFutureRunDate(o.date);
    await withClient(config, async (c, uiUrl) => {
      announceRun(o.output, workflowIds.monitor(date), webUiLink(uiUrl, config.temporal.namespace, workflowIds.monitor(date)));
      printResult(o.output, await runMonitor(c, config.temporal.taskQueue, { date }));
    });
  },
  backtest: async (o, config) => {
    const date = refuseFutureRunDate(o.date);
    await withClient(config, async (c, uiUrl) => {
      announceRun(o.output, workflowIds.backtest(date), webUiLink(uiUrl, config.temporal.namespace, workflowIds.backtest(date)));
      printResult(o.output, await runBacktest(c, config.temporal.taskQueue, { date, start: o.start, initialCapital: o.capital }));
    });
  },
};
