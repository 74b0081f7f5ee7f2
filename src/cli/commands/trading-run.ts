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
import { checkedInput, type OutputFormat } from '../args';
import { reconciliationInputSchema, riskAnalysisInputSchema } from '../../../workflows/inputs';
import { workflowIds } from '../../../workflows/names';
import type { RiskAnalysisResult } from '../../../workflows/risk-analysis';
import { runWorkflowCommand, withClient } from '../with-client';
import { announceRun, out, printResult, webUiLink } from '../output';

export const tradingRunCommands = {
  reconciliation: async (o: { interval?: number; output: OutputFormat }, config: Config): Promise<void> => {
    const input = checkedInput(
      'reconciliation',
      reconciliationInputSchema,
      o.interval === undefined ? {} : { intervalSeconds: o.interval },
      { intervalSeconds: '--interval' },
    );
    const broker = selectBroker(config).kind;
    const workflowId = workflowIds.reconciliation(broker);
    await withClient(config, async (client, uiUrl) => {
      const handle = await client.workflow.start('reconciliation', {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: `reconciliation with ${broker} every ${input.intervalSeconds ?? 'default'} s`,
        args: [input],
      });
      const link = webUiLink(uiUrl, config.temporal.namespace, workflowId);
      if (o.output === 'json') {
        printResult('json', { broker, workflowId: handle.workflowId, runId: handle.firstExecutionRunId, webUi: link ?? null });
        return;
      }
      out(`reconciliation with ${broker}: workflow ${handle.workflowId} run ${handle.firstExecutionRunId} (runs until stopped)`);
      if (link) out(`Web UI: ${link}`);
    });
  },
  'risk-analysis': async (o: { date?: string; output: OutputFormat; worker?: boolean }, config: Config): Promise<number | undefined> => {
    const input = checkedInput('riskAnalysis', riskAnalysisInputSchema, o.date === undefined ? {} : { date: o.date }, { date: '--date' });
    // The workflow's own default is its start date (UTC); the ID uses the same day.
    const date = input.date ?? formatIsoDate(new Date());
    const workflowId = workflowIds.riskAnalysis(date);
    return runWorkflowCommand(config, { workflowId, workflowType: 'riskAnalysis', inProcessWorker: o.worker }, async (client, uiUrl) => {
      announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
      const result: RiskAnalysisResult = await client.workflow.execute('riskAnalysis', {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: `risk analysis ${date}`,
        args: [{ ...input, date }],
      });
      printResult(o.output, result);
    });
  },
};
