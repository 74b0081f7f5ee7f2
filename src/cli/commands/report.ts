/**
 * `quant report <workflow> [--date D]` prints the latest markdown report of a
 * workflow (or the one of date D) from the object store and says where the
 * chart it links to lives; `quant run monitor|backtest --date D` runs WF5 /
 * WF6 for one date and prints the result. Same date = same workflow ID: a
 * running one is joined, a finished one runs again (its rows are UPSERTs).
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { createObjectStore } from '../../adapters/object-store';
import type { ObjectStore } from '../../adapters/object-store/types';
import { UsageError, type OutputFormat } from '../args';
import { refuseFutureRunDate } from '../run-date';
import { workflowIds } from '../../../workflows/names';
import { REPORT_WORKFLOWS, type ReportWorkflow } from '../../adapters/layout';
import type { MonitorInput, MonitorResult } from '../../../workflows/monitor';
import type { BacktestInput, BacktestResult } from '../../../workflows/backtest';
import { dailyStartOptions } from './daily-start';
import { runWorkflowCommand } from '../with-client';
import { announceRun, printResult, webUiLink } from '../output';

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

/** The names `quant report` takes: each report folder (the workflow type) and the spelling the `run` commands use. */
const REPORT_ALIASES: Record<string, ReportWorkflow> = {
  'risk-analysis': 'riskAnalysis',
  'validate-data': 'validateData',
  validate: 'validateData',
  aggregate: 'aggregatePortfolio',
  'aggregate-portfolio': 'aggregatePortfolio',
};

/**
 * The report folder of a name given on the command line, or a UsageError listing the valid names.
 *
 * @example
 *   reportWorkflow('aggregate') // 'aggregatePortfolio'
 */
export function reportWorkflow(name: string, usage?: string): ReportWorkflow {
  if ((REPORT_WORKFLOWS as readonly string[]).includes(name)) return name as ReportWorkflow;
  const alias = REPORT_ALIASES[name];
  if (alias) return alias;
  const names = [...REPORT_WORKFLOWS.filter((w) => !Object.values(REPORT_ALIASES).includes(w)), ...Object.keys(REPORT_ALIASES)];
  throw new UsageError(`no workflow "${name}" writes reports; choose one of: ${names.join(', ')}`, usage);
}

const reportDir = (workflow: ReportWorkflow) => `reports/${workflow}`;
const dayDir = (workflow: ReportWorkflow, date: string) =>
  `reports/${workflow}/year=${date.slice(0, 4)}/month=${date.slice(5, 7)}/day=${date.slice(8, 10)}`;
const runDayOf = (key: string) => /\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\//.exec(key)?.slice(1).join('-') ?? '';

/**
 * The newest report of `workflow` (or of `date`) and the charts beside it:
 * the latest run date first, and within that date the report written last
 * (a day holds several, e.g. a one-day and a 31-day backtest; their names
 * sort by window, not by when they ran).
 *
 * @example
 *   await findReport(store, 'monitor', '2026-02-06') // { reportKey: 'reports/monitor/.../monitor-2026-02-06.md', chartKeys: [...] }
 */
export async function findReport(
  store: ObjectStore,
  workflow: ReportWorkflow,
  date?: string,
): Promise<{ reportKey: string; chartKeys: string[]; writtenAt: Date } | null> {
  const keys = await store.list(`${date ? dayDir(workflow, date) : reportDir(workflow)}/`);
  const reports = keys.filter((k) => k.endsWith('.md'));
  if (reports.length === 0) return null;
  const lastDay = reports.map(runDayOf).reduce((a, b) => (b > a ? b : a));
  const sameDay = reports.filter((k) => runDayOf(k) === lastDay);
  const written = await Promise.all(sameDay.map(async (k) => ({ key: k, at: await store.modifiedAt(k) })));
  // Ties (S3 counts whole seconds) go to the later name, as before.
  const newest = written.reduce((a, b) => (b.at.getTime() >= a.at.getTime() ? b : a));
  const reportKey = newest.key;
  const dir = reportKey.slice(0, reportKey.lastIndexOf('/') + 1);
  const base = reportKey.slice(dir.length, -'.md'.length);
  const chartKeys = keys.filter((k) => k.startsWith(`${dir}${base}`) && /\.(svg|png)$/.test(k));
  return { reportKey, chartKeys, writtenAt: newest.at };
}

/** Exit code when there is no report to show. */
const EXIT_NO_REPORT = 1;

export const reportCommand = async (name: string, o: { date?: string }, config: Config): Promise<number | undefined> => {
  const usage = `quant report <workflow> [--date YYYY-MM-DD]   e.g. quant report monitor --date 2026-02-06`;
  const workflow = reportWorkflow(name, usage);
  const date = o.date;
  const store = createObjectStore(config);
  const found = await findReport(store, workflow, date);
  if (!found) {
    err(
      `quant: no ${workflow} report${date ? ` for ${date}` : ' yet'} (looked under ${store.locate(date ? dayDir(workflow, date) : reportDir(workflow))})` +
        (date ? `; without --date the newest is shown` : `; run the workflow first`),
    );
    return EXIT_NO_REPORT;
  }
  out(new TextDecoder().decode(await store.get(found.reportKey)));
  out(`report: ${store.locate(found.reportKey)} (written ${found.writtenAt.toISOString()})`);
  for (const k of found.chartKeys) out(`chart: ${store.locate(k)}`);
  return undefined;
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
  /** `--worker`: run a worker in this process for the duration. */
  worker?: boolean;
}

export const monitorBacktestRunCommands: Record<
  'monitor' | 'backtest',
  (o: MonitorBacktestOptions, config: Config) => Promise<number | undefined>
> = {
  monitor: async (o, config) => {
    const date = refuseFutureRunDate(o.date);
    const workflowId = workflowIds.monitor(date);
    return runWorkflowCommand(config, { workflowId, workflowType: 'monitor', inProcessWorker: o.worker }, async (c, uiUrl) => {
      announceRun(o.output, workflowIds.monitor(date), webUiLink(uiUrl, config.temporal.namespace, workflowIds.monitor(date)));
      printResult(o.output, await runMonitor(c, config.temporal.taskQueue, { date }));
    });
  },
  backtest: async (o, config) => {
    const date = refuseFutureRunDate(o.date);
    const workflowId = workflowIds.backtest(date);
    return runWorkflowCommand(config, { workflowId, workflowType: 'backtest', inProcessWorker: o.worker }, async (c, uiUrl) => {
      announceRun(o.output, workflowIds.backtest(date), webUiLink(uiUrl, config.temporal.namespace, workflowIds.backtest(date)));
      printResult(o.output, await runBacktest(c, config.temporal.taskQueue, { date, start: o.start, initialCapital: o.capital }));
    });
  },
};
