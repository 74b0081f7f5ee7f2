/**
 * `quant run reconciliation [--interval S]` and `quant run risk-analysis
 * [--date D]`: the execution service's workflows, started through the
 * Temporal client on the worker's task queue. The input is checked against
 * the schema the workflow itself checks (workflows/inputs.ts) before anything
 * starts, so a bad one exits 2 naming its option.
 *
 * The reconciliation loop runs until stopped (it continues as new), one per
 * broker under `reconciliation-<broker>`: starting it again while it runs
 * attaches to the running loop instead of starting a second one. The risk
 * analysis runs under `risk-analysis-<date>` and the command waits for its
 * result.
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { selectBroker } from '../../config/broker-select';
import type { Config } from '../../config/schema';
import { formatIsoDate } from '../../domain/dates';
import { checkedInput, parseCommandArgs } from '../args';
import { reconciliationInputSchema, riskAnalysisInputSchema } from '../../../workflows/inputs';
import { workflowIds } from '../../../workflows/names';
import type { RiskAnalysisResult } from '../../../workflows/risk-analysis';
import { runWorkflowCommand, withClient } from '../with-client';

type Command = (argv: string[], config: Config) => Promise<void | number>;

const out = (s: string) => process.stdout.write(`${s}\n`);

/** An option's number, or the text itself so the schema names it in its error. */
const numberOption = (v: string | undefined): number | string | undefined =>
  v === undefined ? undefined : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;

export const tradingRunCommands: Record<string, Command> = {
  reconciliation: async (argv, config) => {
    const usage = 'quant run reconciliation [--interval SECONDS]';
    const o = parseCommandArgs(argv, { interval: { type: 'string' } }, usage);
    const input = checkedInput(
      'reconciliation',
      reconciliationInputSchema,
      o.interval === undefined ? {} : { intervalSeconds: numberOption(o.interval) },
      { intervalSeconds: '--interval' },
      usage,
    );
    const broker = selectBroker(config).kind;
    const workflowId = workflowIds.reconciliation(broker);
    await withClient(config, async (client) => {
      const handle = await client.workflow.start('reconciliation', {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: `reconciliation with ${broker} every ${input.intervalSeconds ?? 'default'} s`,
        args: [input],
      });
      out(`reconciliation with ${broker}: workflow ${handle.workflowId} run ${handle.firstExecutionRunId} (runs until stopped)`);
    });
  },
  'risk-analysis': async (argv, config) => {
    const usage = 'quant run risk-analysis [--date YYYY-MM-DD] [--worker]';
    const o = parseCommandArgs(argv, { date: { type: 'string' }, worker: { type: 'boolean' } }, usage);
    const input = checkedInput(
      'riskAnalysis',
      riskAnalysisInputSchema,
      o.date === undefined ? {} : { date: o.date },
      { date: '--date' },
      usage,
    );
    // The workflow's own default is its start date (UTC); the ID uses the same day.
    const date = input.date ?? formatIsoDate(new Date());
    const workflowId = workflowIds.riskAnalysis(date);
    return runWorkflowCommand(config, { workflowId, workflowType: 'riskAnalysis', inProcessWorker: o.worker }, async (client) => {
      const result: RiskAnalysisResult = await client.workflow.execute('riskAnalysis', {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: `risk analysis ${date}`,
        args: [{ ...input, date }],
      });
      out(JSON.stringify(result, null, 2));
    });
  },
};
