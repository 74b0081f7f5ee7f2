/**
 * The fan-out commands: `quant run orchestrator` (N contracts as child
 * workflows, or a rerun of a recorded run's failed contracts),
 * `quant run analyze-symbol` (one contract) and `quant run aggregate`.
 */
import { WorkflowIdReusePolicy } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { stackEndpoints } from '../../stack/stack';
import { createPool } from '../../adapters/postgres/pool';
import { createFanoutRepo } from '../../adapters/postgres/fanout-repo';
import { checkedInput, UsageError, type OutputFormat } from '../args';
import { aggregatePortfolioInputSchema, analyzeSymbolInputSchema, orchestratorInputSchema } from '../../../workflows/inputs';
import type { OrchestratorInput } from '../../../workflows/orchestrator';
import { workflowIds } from '../../../workflows/names';
import { defaultRunKey, followOrchestrator, runAggregate, startOrchestrator } from '../fanout-client';
import { createProgressPrinter } from '../progress';
import { runWorkflowCommand } from '../with-client';
import { announceRun, err, out, printResult, webUiLink } from '../output';

/** `--wait` on a run that finished with failed contracts: not a success, not a usage error. */
export const EXIT_PARTIAL = 3;

/** Input fields and the options that set them, so a schema problem names the option. */
const ORCHESTRATOR_OPTIONS: Record<string, string> = {
  numContracts: '--contracts',
  dataset: '--dataset',
  outputPrefix: '--output-prefix',
  failContracts: '--fail',
  runKey: '--run-key',
  maxConcurrentChildren: 'FANOUT_MAX_CONCURRENT_CHILDREN',
  maxChildrenPerParent: 'FANOUT_MAX_CHILDREN_PER_PARENT',
};

export interface OrchestratorOptions {
  contracts?: number;
  ingest?: boolean;
  validate?: boolean;
  wait?: boolean;
  dataset?: string;
  fail?: string[];
  runKey?: string;
  outputPrefix?: string;
  retryFailed?: string;
  output: OutputFormat;
  /** `--worker`: run a worker in this process until the run ends (implies --wait). */
  worker?: boolean;
}

/** The input that reruns only the failed contracts of a recorded run, under its run key. */
async function retryFailedInput(
  databaseUrl: string,
  runKey: string,
  outputPrefix: string,
  config: Config,
): Promise<OrchestratorInput & { runKey: string }> {
  const db = createPool(databaseUrl, 2);
  try {
    const run = await createFanoutRepo(db).getRun(runKey);
    if (!run) throw new UsageError(`--retry-failed: no fan-out run with run key "${runKey}" (see quant runs list)`);
    if (run.status === 'running') throw new UsageError(`--retry-failed: run "${runKey}" is still running; wait for it to end`);
    if (run.failedContracts.length === 0)
      throw new UsageError(`--retry-failed: run "${runKey}" has no failed contracts (status ${run.status})`);
    return {
      runKey,
      numContracts: run.numContracts,
      dataset: run.dataset,
      outputPrefix,
      onlyContracts: run.failedContracts,
      maxConcurrentChildren: config.fanout.maxConcurrentChildren,
      maxChildrenPerParent: config.fanout.maxChildrenPerParent,
    };
  } finally {
    await db.end();
  }
}

export async function orchestratorCommand(o: OrchestratorOptions, config: Config): Promise<number | void> {
  const e = stackEndpoints(config);
  const outputPrefix = o.outputPrefix ?? config.fanout.outputPrefix;
  let input: OrchestratorInput & { runKey: string };
  if (o.retryFailed !== undefined) {
    const runKey = checkedInput(
      'orchestrator',
      orchestratorInputSchema,
      { numContracts: 1, runKey: o.retryFailed },
      { runKey: '--retry-failed' },
    ).runKey!;
    input = await retryFailedInput(e.databaseUrl, runKey, outputPrefix, config);
  } else {
    const draft: OrchestratorInput = {
      numContracts: o.contracts ?? 10,
      runIngestion: !!o.ingest,
      runValidation: !!o.validate,
      dataset: o.dataset ?? config.fanout.defaultDataset,
      outputPrefix,
      failContracts: o.fail ?? [],
      maxConcurrentChildren: config.fanout.maxConcurrentChildren,
      maxChildrenPerParent: config.fanout.maxChildrenPerParent,
    };
    input = { ...draft, runKey: o.runKey ?? defaultRunKey(draft, new Date()) };
  }
  // The workflow checks the same schema first; checking here means a bad input never reports "started".
  checkedInput('orchestrator', orchestratorInputSchema, input, ORCHESTRATOR_OPTIONS);
  const wait = o.wait || o.worker;
  const workflowId = workflowIds.orchestrator(input.runKey);
  return runWorkflowCommand(config, { workflowId, workflowType: 'orchestrator', inProcessWorker: o.worker }, async (client, uiUrl) => {
    const started = await startOrchestrator(client, config.temporal.taskQueue, input);
    const link = webUiLink(uiUrl, config.temporal.namespace, started.workflowId);
    const say = o.output === 'json' ? err : out;
    say(
      `${started.attached ? 'attached to running' : 'started'} ${started.workflowId}${input.onlyContracts ? ` (retrying ${input.onlyContracts.length} failed contracts)` : ''}`,
    );
    if (link) say(`Web UI: ${link}`);
    if (!wait) {
      if (o.output === 'json') printResult('json', { ...started, webUi: link ?? null });
      return;
    }
    const bar = createProgressPrinter();
    // The bar's line is ended before anything else prints (the result, or a failure's cause).
    const r = await followOrchestrator(client, started.workflowId, (p) => bar.update(p)).finally(() => bar.end());
    printResult(o.output, r);
    if (r.status === 'partial') {
      err(
        `quant: run ${r.runKey} is PARTIAL: ${r.failed} of ${r.total} contracts failed; rerun them with: quant run orchestrator --retry-failed ${r.runKey}`,
      );
      return EXIT_PARTIAL;
    }
  });
}

export interface AnalyzeSymbolOptions {
  contract: string;
  runKey?: string;
  dataset?: string;
  outputPrefix?: string;
  output: OutputFormat;
  worker?: boolean;
}

export async function analyzeSymbolCommand(o: AnalyzeSymbolOptions, config: Config): Promise<number | undefined> {
  const runKey = o.runKey ?? `reprocess-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  const dataset = o.dataset ?? config.fanout.defaultDataset;
  const outputPrefix = o.outputPrefix ?? config.fanout.outputPrefix;
  checkedInput(
    'analyzeSymbol',
    analyzeSymbolInputSchema,
    { runKey, contract: o.contract, dataset, outputPrefix },
    { runKey: '--run-key', contract: '--contract', dataset: '--dataset', outputPrefix: '--output-prefix' },
  );
  const workflowId = workflowIds.analyzeSymbol(o.contract, runKey);
  if (o.runKey === undefined) {
    // A standalone reprocess needs its run row for the summary row's foreign key.
    const db = createPool(stackEndpoints(config).databaseUrl, 2);
    try {
      await createFanoutRepo(db).startRun({ runKey, workflowId, dataset, datasetHash: 'n/a', configHash: 'n/a', numContracts: 1 });
    } finally {
      await db.end();
    }
  }
  return runWorkflowCommand(config, { workflowId, workflowType: 'analyzeSymbol', inProcessWorker: o.worker }, async (client, uiUrl) => {
    announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
    const r = await client.workflow.execute('analyzeSymbol', {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      args: [{ runKey, contract: o.contract, dataset, outputPrefix }],
      staticSummary: `Reprocess ${o.contract} (run ${runKey})`,
    });
    printResult(o.output, r);
  });
}

export interface AggregateOptions {
  runKey: string;
  outputPrefix?: string;
  output: OutputFormat;
  worker?: boolean;
}

export async function aggregateCommand(o: AggregateOptions, config: Config): Promise<number | undefined> {
  const outputPrefix = o.outputPrefix ?? config.fanout.outputPrefix;
  checkedInput(
    'aggregatePortfolio',
    aggregatePortfolioInputSchema,
    { runKey: o.runKey, outputPrefix },
    { runKey: '--run-key', outputPrefix: '--output-prefix' },
  );
  const workflowId = workflowIds.aggregatePortfolio(o.runKey);
  return runWorkflowCommand(
    config,
    { workflowId, workflowType: 'aggregatePortfolio', inProcessWorker: o.worker },
    async (client, uiUrl) => {
      announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
      printResult(o.output, await runAggregate(client, config.temporal.taskQueue, o.runKey, outputPrefix));
    },
  );
}
