/**
 * `quant`: the command line of quant-workflows. Every command loads the one
 * config (env + optional YAML), so the CLI, the worker and the tests agree on
 * ports, paths and names. Run `quant help` for the list.
 */
import { resolve } from 'node:path';
import { loadConfig, ConfigError } from '../config/load';
import type { Config } from '../config/schema';
import { stackDown, stackEndpoints, stackStatus, stackUp } from '../stack/stack';
import { createPool, describeDatabaseUrl } from '../adapters/postgres/pool';
import { migrate } from '../adapters/postgres/migrate';
import { createFanoutRepo } from '../adapters/postgres/fanout-repo';
import { createObjectStore } from '../adapters/object-store';
import { ingestHourlyDataset } from '../adapters/hourly-dataset/ingest';
import { registerSearchAttributes } from '../stack/temporal-server';
import { checkedInput, parseCommandArgs, intOption, UsageError } from './args';
import { aggregatePortfolioInputSchema, analyzeSymbolInputSchema, orchestratorInputSchema } from '../../workflows/inputs';
import type { OrchestratorInput } from '../../workflows/orchestrator';
import { connectClient, defaultRunKey, followOrchestrator, runAggregate, startOrchestrator } from './fanout-client';
import { createProgressPrinter } from './progress';
import { runDemo } from './demo';
import { ingestCommand } from './commands/ingest';
import { applyConfiguredSchedules, schedulesCommands } from './commands/schedules';
import { dailyRunCommands } from './commands/pipeline';
import { portfolioCommand, rebalanceRunCommand } from './commands/portfolio';
import { monitorBacktestRunCommands, reportCommand } from './commands/report';
import { tradingRunCommands } from './commands/trading-run';
import { runWorker } from '../worker/main';
import { apiCommand } from './commands/api';
import { workflowIds } from '../../workflows/names';
import { WorkflowIdReusePolicy } from '@temporalio/client';

const HELP = `quant: rule-based research and paper-trading workflows on Temporal

  quant demo                         stack up, data, worker, a 10-contract fan-out, aggregate
  quant stack up|down|status         the embedded stack (Temporal dev server, Postgres)
  quant worker                       run a worker on the task queue
  quant db migrate                   apply sql/ migrations (idempotent)
  quant cluster init                 migrate + register search attributes (Helm hook)
  quant data generate [--dataset synthetic] [--contracts 418] [--bars 28048] [--seed N] [--force]
  quant run orchestrator [--contracts 10] [--ingest] [--validate] [--wait] [--dataset D]
                         [--fail AAPL,MSFT] [--run-key K] [--output-prefix fanout]
  quant run orchestrator --retry-failed RUNKEY [--wait]   rerun only the failed contracts of a run
  quant run analyze-symbol --contract AAPL [--run K] [--dataset D] [--output-prefix fanout]
  quant run aggregate --run K [--output-prefix fanout]
  quant runs list [--limit 20]
  quant run pipeline --date D [--lookback-days N] [--sentiment-weight W]
                         the daily pipeline for one date: WF1 ingest -> WF2 screen -> WF3 signal
                         -> WF4 rebalance -> WF5 monitor -> WF6 backtest (children of pipeline-<date>)
  quant run pipeline --from D1 --to D2 [--dates-per-run 25] [--lookback-days N] [--sentiment-weight W]
                         the same for every trading day D1..D2, in order (pipeline-range-<D1>-<D2>;
                         dates already completed are skipped, so re-running it resumes)
  quant run ingest [--date D] [--from D --to D] [--symbols A,B] [--lookback N] [--chunk-days N]
                         WF1 end-of-day prices for one date, or a chunked, resumable backfill
  quant run screen --date D          WF2 multi-factor screen for one date (needs WF1's prices)
  quant run signal --date D [--sentiment-weight W]   WF3 signals for one date (needs WF2's screen)
  quant run rebalance --date D       WF4 paper rebalance for one date (trades once per date)
  quant run monitor|backtest --date D [--start D] [--capital N]   WF5 monitor / WF6 backtest for one date
  quant run reconciliation [--interval S]   start the broker reconciliation loop (every S s, default 60; until stopped)
  quant run risk-analysis [--date D]   correlations + stress test of the broker's positions as of D (default today)
  quant portfolio                    positions, cash, value and the last snapshot of the paper account
  quant portfolio rollback --to D [--yes]   undo the paper book after D (one logged transaction; without --yes: show what)
  quant report <workflow> [--date D] print the latest report (or date D's) and where its chart is
  quant api                          the execution service (HTTP + WS) on the paper venue, API_HOST:API_PORT (127.0.0.1:8080)
  quant api keys create --name N [--role trade|read] | list | revoke <id|prefix>
  quant schedules apply [--file F]   create/update the Temporal Schedules (idempotent)
  quant schedules list | pause <id> | unpause <id> | trigger <id> | backfill <id> --from D --to D
`;

/** A command resolves to its exit code, or nothing for 0. */
type Command = (argv: string[], config: Config) => Promise<void | number>;

/** `--wait` on a run that finished with failed contracts: not a success, not a usage error. */
const EXIT_PARTIAL = 3;

const ORCHESTRATOR_OPTIONS: Record<string, string> = {
  numContracts: '--contracts',
  dataset: '--dataset',
  outputPrefix: '--output-prefix',
  failContracts: '--fail',
  runKey: '--run-key',
  maxConcurrentChildren: 'FANOUT_MAX_CONCURRENT_CHILDREN',
  maxChildrenPerParent: 'FANOUT_MAX_CHILDREN_PER_PARENT',
};

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

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

const commands: Record<string, Command | Record<string, Command>> = {
  demo: async (argv, config) => {
    const o = parseCommandArgs(argv, { contracts: { type: 'string' } }, 'quant demo [--contracts 10]');
    await runDemo(config, { contracts: intOption('contracts', o.contracts, 10) });
  },
  stack: {
    up: async (_argv, config) => {
      const e = await stackUp(config, err);
      out(`Temporal: ${e.temporalAddress}${e.uiUrl ? `  Web UI: ${e.uiUrl}` : ''}`);
      out(`Postgres: ${describeDatabaseUrl(e.databaseUrl)}`);
      const db = createPool(e.databaseUrl, 2);
      try {
        const applied = await migrate(db);
        out(`migrations: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
      } finally {
        await db.end();
      }
    },
    down: async (_argv, config) => {
      const stopped = await stackDown(config);
      out(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
    },
    status: async (_argv, config) => {
      for (const [k, v] of Object.entries(stackStatus(config))) out(`${k.padEnd(12)} ${v}`);
    },
  },
  api: apiCommand,
  worker: async () => {
    await runWorker();
  },
  db: {
    migrate: async (_argv, config) => {
      const db = createPool(stackEndpoints(config).databaseUrl, 2);
      try {
        const applied = await migrate(db);
        out(applied.length ? `applied migrations ${applied.join(', ')}` : 'migrations up to date');
      } finally {
        await db.end();
      }
    },
  },
  cluster: {
    init: async (_argv, config) => {
      const e = stackEndpoints(config);
      const db = createPool(e.databaseUrl, 2);
      try {
        const applied = await migrate(db);
        out(applied.length ? `applied migrations ${applied.join(', ')}` : 'migrations up to date');
      } finally {
        await db.end();
      }
      await registerSearchAttributes(e.temporalAddress, config.temporal.namespace);
      out(`search attributes registered on ${e.temporalAddress} (${config.temporal.namespace})`);
      if (config.schedulesFile) {
        const client = await connectClient(e.temporalAddress, config.temporal.namespace);
        await applyConfiguredSchedules(config, client, out).finally(() => client.connection.close());
      }
    },
  },
  data: {
    generate: async (argv, config) => {
      const usage = 'quant data generate [--dataset synthetic] [--contracts N] [--bars N] [--seed N] [--force]';
      const o = parseCommandArgs(
        argv,
        {
          dataset: { type: 'string' },
          contracts: { type: 'string' },
          bars: { type: 'string' },
          seed: { type: 'string' },
          force: { type: 'boolean' },
        },
        usage,
      );
      const store = createObjectStore(config);
      const t0 = Date.now();
      const r = await ingestHourlyDataset(store, {
        dataset: o.dataset ?? config.fanout.defaultDataset,
        provider: 'synthetic',
        seed: o.seed === undefined ? config.data.seed : intOption('seed', o.seed, 0, 0),
        contracts: o.contracts === undefined ? undefined : intOption('contracts', o.contracts, 418),
        bars: o.bars === undefined ? undefined : intOption('bars', o.bars, 28048, 2),
        force: o.force,
      });
      out(
        `${r.skipped ? 'kept existing' : 'generated'} dataset ${r.dataset}: ${r.contracts} contracts x ${r.bars} bars, sha256 ${r.datasetHash} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
      out(`location: ${store.locate(`datasets/${r.dataset}`)}`);
    },
  },
  schedules: schedulesCommands,
  portfolio: portfolioCommand,
  report: reportCommand,
  run: {
    ...dailyRunCommands,
    ingest: ingestCommand,
    rebalance: rebalanceRunCommand,
    ...monitorBacktestRunCommands,
    ...tradingRunCommands,
    orchestrator: async (argv, config) => {
      const usage =
        'quant run orchestrator [--contracts 10] [--ingest] [--validate] [--wait] [--dataset D] [--fail A,B] [--run-key K] [--output-prefix P] | --retry-failed RUNKEY [--wait]';
      const o = parseCommandArgs(
        argv,
        {
          contracts: { type: 'string' },
          ingest: { type: 'boolean' },
          validate: { type: 'boolean' },
          wait: { type: 'boolean' },
          dataset: { type: 'string' },
          fail: { type: 'string' },
          'run-key': { type: 'string' },
          'output-prefix': { type: 'string' },
          'retry-failed': { type: 'string' },
        },
        usage,
      );
      const e = stackEndpoints(config);
      let input: OrchestratorInput & { runKey: string };
      if (o['retry-failed'] !== undefined) {
        for (const k of ['contracts', 'ingest', 'validate', 'dataset', 'fail', 'run-key'] as const) {
          if (o[k] !== undefined) throw new UsageError(`--retry-failed reruns a recorded run as it was: drop --${k}`, usage);
        }
        const runKey = checkedInput(
          'orchestrator',
          orchestratorInputSchema,
          { numContracts: 1, runKey: o['retry-failed'] },
          { runKey: '--retry-failed' },
          usage,
        ).runKey!;
        input = await retryFailedInput(e.databaseUrl, runKey, o['output-prefix'] ?? config.fanout.outputPrefix, config);
      } else {
        const draft: OrchestratorInput = {
          numContracts: intOption('contracts', o.contracts, 10),
          runIngestion: !!o.ingest,
          runValidation: !!o.validate,
          dataset: o.dataset ?? config.fanout.defaultDataset,
          outputPrefix: o['output-prefix'] ?? config.fanout.outputPrefix,
          failContracts: o.fail
            ? o.fail
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : [],
          maxConcurrentChildren: config.fanout.maxConcurrentChildren,
          maxChildrenPerParent: config.fanout.maxChildrenPerParent,
        };
        const runKey = o['run-key'] ?? defaultRunKey(draft, new Date());
        input = { ...draft, runKey };
      }
      // The workflow checks the same schema first; checking here means a bad input never reports "started".
      checkedInput('orchestrator', orchestratorInputSchema, input, ORCHESTRATOR_OPTIONS, usage);
      const client = await connectClient(e.temporalAddress, config.temporal.namespace);
      try {
        const started = await startOrchestrator(client, config.temporal.taskQueue, input);
        out(
          `${started.attached ? 'attached to running' : 'started'} ${started.workflowId}${input.onlyContracts ? ` (retrying ${input.onlyContracts.length} failed contracts)` : ''}`,
        );
        if (e.uiUrl) out(`Web UI: ${e.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${started.workflowId}`);
        if (o.wait) {
          const bar = createProgressPrinter();
          const r = await followOrchestrator(client, started.workflowId, (p) => bar.update(p));
          out(JSON.stringify(r, null, 2));
          if (r.status === 'partial') {
            err(
              `quant: run ${r.runKey} is PARTIAL: ${r.failed} of ${r.total} contracts failed; rerun them with: quant run orchestrator --retry-failed ${r.runKey}`,
            );
            return EXIT_PARTIAL;
          }
        }
      } finally {
        await client.connection.close();
      }
    },
    'analyze-symbol': async (argv, config) => {
      const usage = 'quant run analyze-symbol --contract AAPL [--run K] [--dataset D] [--output-prefix P]';
      const o = parseCommandArgs(
        argv,
        { contract: { type: 'string' }, run: { type: 'string' }, dataset: { type: 'string' }, 'output-prefix': { type: 'string' } },
        usage,
      );
      if (!o.contract) throw new UsageError('--contract is required', usage);
      const runKey = o.run ?? `reprocess-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
      checkedInput(
        'analyzeSymbol',
        analyzeSymbolInputSchema,
        { runKey, contract: o.contract, dataset: o.dataset ?? config.fanout.defaultDataset, outputPrefix: o['output-prefix'] ?? 'fanout' },
        { runKey: '--run', contract: '--contract', dataset: '--dataset', outputPrefix: '--output-prefix' },
        usage,
      );
      const e = stackEndpoints(config);
      const client = await connectClient(e.temporalAddress, config.temporal.namespace);
      try {
        if (o.run === undefined) {
          // A standalone reprocess needs its run row for the summary row's foreign key.
          const db = createPool(e.databaseUrl, 2);
          try {
            await createFanoutRepo(db).startRun({
              runKey,
              workflowId: workflowIds.analyzeSymbol(o.contract, runKey),
              dataset: o.dataset ?? config.fanout.defaultDataset,
              datasetHash: 'n/a',
              configHash: 'n/a',
              numContracts: 1,
            });
          } finally {
            await db.end();
          }
        }
        const r = await client.workflow.execute('analyzeSymbol', {
          taskQueue: config.temporal.taskQueue,
          workflowId: workflowIds.analyzeSymbol(o.contract, runKey),
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          args: [
            {
              runKey,
              contract: o.contract,
              dataset: o.dataset ?? config.fanout.defaultDataset,
              outputPrefix: o['output-prefix'] ?? config.fanout.outputPrefix,
            },
          ],
          staticSummary: `Reprocess ${o.contract} (run ${runKey})`,
        });
        out(JSON.stringify(r, null, 2));
      } finally {
        await client.connection.close();
      }
    },
    aggregate: async (argv, config) => {
      const usage = 'quant run aggregate --run K [--output-prefix P]';
      const o = parseCommandArgs(argv, { run: { type: 'string' }, 'output-prefix': { type: 'string' } }, usage);
      if (!o.run) throw new UsageError('--run is required', usage);
      checkedInput(
        'aggregatePortfolio',
        aggregatePortfolioInputSchema,
        { runKey: o.run, outputPrefix: o['output-prefix'] ?? 'fanout' },
        { runKey: '--run', outputPrefix: '--output-prefix' },
        usage,
      );
      const e = stackEndpoints(config);
      const client = await connectClient(e.temporalAddress, config.temporal.namespace);
      try {
        out(
          JSON.stringify(
            await runAggregate(client, config.temporal.taskQueue, o.run, o['output-prefix'] ?? config.fanout.outputPrefix),
            null,
            2,
          ),
        );
      } finally {
        await client.connection.close();
      }
    },
  },
  runs: {
    list: async (argv, config) => {
      const o = parseCommandArgs(argv, { limit: { type: 'string' } }, 'quant runs list [--limit 20]');
      const db = createPool(stackEndpoints(config).databaseUrl, 2);
      try {
        const runs = await createFanoutRepo(db).listRuns(intOption('limit', o.limit, 20));
        if (runs.length === 0) out('no runs yet');
        for (const r of runs) {
          // PARTIAL / FAILED in capitals: a run that lost contracts must not read like a finished one.
          const status = r.status === 'completed' || r.status === 'running' ? r.status : r.status.toUpperCase();
          const reason = r.status === 'failed' && r.failureReason ? `  reason: ${r.failureReason.slice(0, 120)}` : '';
          out(
            `${r.startedAt.toISOString()}  ${r.runKey.padEnd(36)} ${status.padEnd(9)} ${String(r.succeeded).padStart(5)} ok ${String(r.failed).padStart(4)} failed  validation ${r.validationStatus ?? '-'}  ${r.reportKey ?? ''}${reason}`,
          );
        }
      } finally {
        await db.end();
      }
    },
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, sub, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    out(HELP);
    return 0;
  }
  const entry = commands[name];
  if (!entry) throw new UsageError(`unknown command "${name}"; expected one of: ${Object.keys(commands).join(', ')}`);
  let command: Command;
  let args: string[];
  if (typeof entry === 'function') {
    command = entry;
    args = sub === undefined ? [] : [sub, ...rest];
  } else {
    if (!sub || !entry[sub])
      throw new UsageError(
        `unknown subcommand "${name} ${sub ?? ''}"; expected one of: ${Object.keys(entry)
          .map((s) => `${name} ${s}`)
          .join(', ')}`,
      );
    command = entry[sub];
    args = rest;
  }
  const config = loadConfig();
  process.chdir(resolve('.'));
  return (await command(args, config)) ?? 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof UsageError || e instanceof ConfigError) {
        err(`quant: ${e.message}`);
        process.exit(2);
      }
      err(`quant: ${(e as Error).stack ?? e}`);
      process.exit(1);
    },
  );
}
