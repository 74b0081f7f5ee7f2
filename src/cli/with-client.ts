/**
 * One Temporal client per CLI command: connect to the configured (or embedded)
 * frontend, run the command, close the connection whatever happens. A command
 * that starts a workflow and waits for it goes through `runWorkflowCommand`:
 * a worker must be polling first (or one runs in this process with
 * `--worker`), and a failed run prints its cause, step and Web UI link
 * (exit 1) instead of a stack.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config/schema';
import { stackEndpoints } from '../stack/stack';
import { connectClient } from './fanout-client';
import { reportFailures } from './run-failure';
import { startInProcessWorker, waitForWorker, watchWorkers, type InProcessWorker } from './worker-check';

/**
 * @example
 *   await withClient(config, (client, uiUrl) => client.workflow.start(...));
 */
export async function withClient<T>(config: Config, fn: (client: Client, uiUrl?: string) => Promise<T>): Promise<T> {
  const e = stackEndpoints(config);
  const client = await connectClient(e.temporalAddress, config.temporal.namespace);
  try {
    return await fn(client, e.uiUrl);
  } finally {
    await client.connection.close();
  }
}

export interface WorkflowCommandOptions {
  /** The workflow the command starts or joins (for the failure's Web UI link). */
  workflowId: string;
  /** Its type (names the step when the workflow itself fails). */
  workflowType: string;
  /** `--worker`: run a worker in this process for the duration. */
  inProcessWorker?: boolean;
  /** Where the waiting message and failures go (stderr). */
  log?: (line: string) => void;
  /** How often to ask for a worker while none polls. */
  workerPollMs?: number;
}

/**
 * Connect, make sure a worker will run the workflow, run `fn`, and turn a
 * failed run into its printed cause and exit 1 (undefined = success; an
 * exit code `fn` returns passes through).
 *
 * @example
 *   return runWorkflowCommand(config, { workflowId: 'screen-2026-12-01', workflowType: 'screen', inProcessWorker: o.worker }, (c) =>
 *     runScreen(c, config.temporal.taskQueue, { date }).then((r) => out(JSON.stringify(r))),
 *   );
 */
export async function runWorkflowCommand(
  config: Config,
  opts: WorkflowCommandOptions,
  fn: (client: Client, uiUrl?: string) => Promise<number | void>,
): Promise<number | undefined> {
  const e = stackEndpoints(config);
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const client = await connectClient(e.temporalAddress, config.temporal.namespace);
  let worker: InProcessWorker | undefined;
  try {
    return await reportFailures(
      {
        namespace: config.temporal.namespace,
        uiUrl: e.uiUrl,
        workflowId: opts.workflowId,
        workflowType: opts.workflowType,
      },
      async () => {
        if (opts.inProcessWorker) {
          worker = await startInProcessWorker(config, e.temporalAddress, e.databaseUrl);
          return fn(client, e.uiUrl);
        }
        await waitForWorker(client, config.temporal.taskQueue, { log, pollMs: opts.workerPollMs });
        const watch = watchWorkers(client, config.temporal.taskQueue, { log });
        try {
          return await fn(client, e.uiUrl);
        } finally {
          watch.stop();
        }
      },
      (s) => log(s.replace(/\n$/, '')),
    );
  } finally {
    await worker?.stop();
    await client.connection.close();
  }
}
