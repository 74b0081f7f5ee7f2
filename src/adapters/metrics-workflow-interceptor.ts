/**
 * Workflow interceptor that reports how each run ended to the worker's
 * `quant_workflow_runs_total{workflow,outcome}` counter. It runs inside the
 * workflow sandbox, so it only imports `@temporalio/workflow` and reports
 * through the `quantMetrics` sink (see `createMetricsSinks` in `metrics.ts`);
 * the bundle script and dev workers register it via
 * `metricsWorkflowInterceptorModule()`.
 */
import { ContinueAsNew, isCancellation, proxySinks, TemporalFailure, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { QuantMetricsSinks, WorkflowOutcome } from './metrics';

const { quantMetrics } = proxySinks<QuantMetricsSinks>();

/** A thrown TemporalFailure fails the run; any other error only fails the workflow task, which Temporal retries. */
function outcomeOf(err: unknown): WorkflowOutcome {
  if (err instanceof ContinueAsNew) return 'continued_as_new';
  if (isCancellation(err)) return 'cancelled';
  if (err instanceof TemporalFailure) return 'failed';
  return 'task_failed';
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          const result = await next(input);
          quantMetrics.workflowRun('completed');
          return result;
        } catch (err) {
          quantMetrics.workflowRun(outcomeOf(err));
          throw err;
        }
      },
    },
  ],
});
