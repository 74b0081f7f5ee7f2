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
import { parseCommandArgs, UsageError } from '../args';
import { refuseFutureRunDate } from '../run-date';
import { PIPELINE_DAILY, SEARCH_ATTRIBUTES, workflowIds } from '../../../workflows/names';
import type { MonitorInput, MonitorResult } from '../../../workflows/monitor';
import type { BacktestInput, BacktestResult } from '../../../workflows/backtest';
import { dailyStartOptions } from './daily-start';
import { withClient } from '../with-client';

type Command = (argv: string[], config: Config) => Promise<void>;
const out = (s: string) => process.stdout.write(`${s}\n`);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const WORKFLOW_NAME = /^[a-z][a-z0-9-]{0,63}$/i;

function dateArg(v: string | undefined, usage: string, required: boolean): string | undefined {
  if (v === undefined) {
    if (required) throw new UsageError('--date is required', usage);
    return undefined;
  }
  if (!ISO_DATE.test(v) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
    throw new UsageError(`--date must be a date YYYY-MM-DD, got "${v}"`, usage);
  return v;
}

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

export const reportCommand: Command = async (argv, config) => {
  const usage = 'quant report <workflow> [--date YYYY-MM-DD]   e.g. quant report monitor --date 2026-02-06';
  const [workflow, ...rest] = argv;
  if (!workflow || workflow.startsWith('-'))
    throw new UsageError('the workflow name is required (monitor, backtest, rebalance, signal, screen, ingest, ...)', usage);
  if (!WORKFLOW_NAME.test(workflow)) throw new UsageError(`workflow "${workflow}" is not a workflow name`, usage);
  const o = parseCommandArgs(rest, { date: { type: 'string' } }, usage);
  const date = dateArg(o.date, usage, false);
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

export const monitorBacktestRunCommands: Record<string, Command> = {
  monitor: async (argv, config) => {
    const usage = 'quant run monitor --date YYYY-MM-DD';
    const o = parseCommandArgs(argv, { date: { type: 'string' } }, usage);
    const date = refuseFutureRunDate(dateArg(o.date, usage, true)!, usage);
    await withClient(config, async (c) => out(JSON.stringify(await runMonitor(c, config.temporal.taskQueue, { date }), null, 2)));
  },
  backtest: async (argv, config) => {
    const usage = 'quant run backtest --date YYYY-MM-DD [--start YYYY-MM-DD] [--capital N]';
    const o = parseCommandArgs(argv, { date: { type: 'string' }, start: { type: 'string' }, capital: { type: 'string' } }, usage);
    const date = refuseFutureRunDate(dateArg(o.date, usage, true)!, usage);
    const start = dateArg(o.start, usage, false);
    const capital = o.capital === undefined ? undefined : Number(o.capital);
    if (capital !== undefined && !(capital > 0)) throw new UsageError(`--capital must be a positive number, got "${o.capital}"`, usage);
    await withClient(config, async (c) =>
      out(JSON.stringify(await runBacktest(c, config.temporal.taskQueue, { date, start, initialCapital: capital }), null, 2)),
    );
  },
};
