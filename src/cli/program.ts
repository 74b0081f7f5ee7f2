/**
 * The declaration of every `quant` command: its usage, a one-line
 * description, its options (with the parsers that check them) and an
 * example. Commander derives the help, the usage errors and the refusal of
 * unknown options from it, so they cannot drift from the commands.
 *
 * Nothing here runs a command: each action hands its name and parsed options
 * to `invoke` (src/cli/handlers.ts in the real CLI, a spy in the tests), and
 * the handler loads its module only then, so `quant api` never loads the
 * worker, the workflow bundle or the report code.
 */
import { Command, Option } from 'commander';
import { dateArg, intArg, listArg, numberArg, OUTPUT_FORMATS } from './args';
import { REPORT_WORKFLOWS } from '../adapters/layout';

export type CommandName =
  | 'demo'
  | 'stack up'
  | 'stack down'
  | 'stack status'
  | 'worker'
  | 'api'
  | 'api keys create'
  | 'api keys list'
  | 'api keys revoke'
  | 'models list'
  | 'models register'
  | 'models retire'
  | 'models show'
  | 'db migrate'
  | 'cluster init'
  | 'data generate'
  | 'run pipeline'
  | 'run ingest'
  | 'run screen'
  | 'run signal'
  | 'run rebalance'
  | 'run monitor'
  | 'run backtest'
  | 'run features'
  | 'run models'
  | 'run performance'
  | 'run model-pipeline'
  | 'rankings'
  | 'run orchestrator'
  | 'run analyze-symbol'
  | 'run aggregate'
  | 'run reconciliation'
  | 'run risk-analysis'
  | 'run strategies'
  | 'run intraday-replay'
  | 'runs list'
  | 'portfolio'
  | 'portfolio rollback'
  | 'report'
  | 'schedules apply'
  | 'schedules list'
  | 'schedules pause'
  | 'schedules unpause'
  | 'schedules trigger'
  | 'schedules backfill'
  | 'strategies list'
  | 'strategies enable'
  | 'strategies disable'
  | 'strategies set';

/** Runs a command; resolves to its exit code (nothing for 0). */
export type Invoke = (name: CommandName, opts: Record<string, unknown>, args: string[]) => Promise<number | void>;

export interface ProgramOutput {
  writeOut?: (s: string) => void;
  writeErr?: (s: string) => void;
}

const outputOption = () =>
  new Option('-o, --output <format>', 'table for people, json for scripts (JSON alone on stdout)').choices(OUTPUT_FORMATS).default('table');

/** `--worker` on the commands that start a workflow: without a worker polling, they would wait. */
const workerOption = () =>
  new Option('--worker', 'run a worker in this process for the duration (else one must be polling: `quant worker`)');

/** `run ingest` for the command `quant run ingest`. */
const pathOf = (cmd: Command): string => {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
};

/** Every command that does something, with its usage and description: the top-level help lists them all. */
function allCommands(leaves: Command[]): string {
  const rows = leaves.map((c) => [`quant ${pathOf(c)} ${c.usage()}`, c.description()]);
  const width = Math.max(...rows.map(([u]) => u.length));
  return rows.map(([u, d]) => `  ${u.padEnd(width)}  ${d}`).join('\n');
}

const example = (...lines: string[]) => `\nExample:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

/**
 * The `quant` program. `run(argv)` resolves to the exit code: the command's,
 * 0 after help, 2 for a usage error (unknown command or option, a missing or
 * malformed argument) - in which case no action ran.
 *
 * @example
 *   const calls: string[] = [];
 *   const { run } = buildProgram(async (name) => void calls.push(name));
 *   await run(['worker', '--help']); // 0, calls is still []
 */
export function buildProgram(
  invoke: Invoke,
  output: ProgramOutput = {},
): { program: Command; commands: () => string[]; run: (argv: string[]) => Promise<number> } {
  let exitCode = 0;
  const leaves: Command[] = [];
  const program = new Command('quant')
    .description('rule-based research and paper-trading workflows on Temporal')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      // "quant: unknown option '--x'", like the errors the commands themselves print.
      outputError: (message, write) => write(message.replace(/^error: /, 'quant: ')),
      ...(output.writeOut ? { writeOut: output.writeOut } : {}),
      ...(output.writeErr ? { writeErr: output.writeErr } : {}),
    })
    .addHelpText(
      'after',
      () =>
        `\nAll commands:\n${allCommands(leaves)}\n${example('quant demo', 'quant run pipeline --date 2026-02-06', 'quant run ingest --help')}`,
    );

  /** A leaf command whose action hands its options to `invoke`. */
  const leaf = (parent: Command, name: string, path: CommandName, description: string, ...examples: string[]) => {
    const cmd = parent.command(name);
    leaves.push(cmd);
    return cmd
      .description(description)
      .addHelpText('after', example(...examples))
      .action(async (...a: unknown[]) => {
        const cmd = a[a.length - 1] as Command;
        exitCode = (await invoke(path, cmd.opts(), cmd.args)) ?? 0;
      });
  };
  const group = (name: string, description: string) => program.command(name).description(description);

  leaf(
    program,
    'demo',
    'demo',
    'stack up, generate data, run a worker, a fan-out run and its aggregate, print the results',
    'quant demo --contracts 10',
  )
    .addOption(new Option('--contracts <n>', 'contracts to analyse').argParser(intArg(1)).default(10))
    .addOption(
      new Option(
        '--dashboard',
        'instead: a short pipeline, model and intraday history through the workflows, then quant api with its dashboard',
      ),
    );

  const stack = group('stack', 'the embedded local stack (Temporal dev server, Postgres)');
  leaf(stack, 'up', 'stack up', 'start the embedded stack (or reuse it) and apply the migrations', 'quant stack up');
  leaf(stack, 'down', 'stack down', 'stop the embedded stack', 'quant stack down');
  leaf(stack, 'status', 'stack status', 'show what of the embedded stack is running', 'quant stack status');

  leaf(program, 'worker', 'worker', 'run a worker on the task queue until SIGTERM/SIGINT (then drain)', 'quant worker');

  const api = leaf(
    program,
    'api',
    'api',
    'serve the execution service (HTTP + WebSocket) at API_HOST:API_PORT, on the local paper venue or Alpaca (BROKER)',
    'quant api',
    'quant api keys create --name bot --role trade',
  );
  const keys = api.command('keys').description('API keys of the execution service');
  leaf(keys, 'create', 'api keys create', 'create an API key (shown once)', 'quant api keys create --name bot --role read')
    .requiredOption('--name <name>', 'a name for the key')
    .addOption(new Option('--role <role>', 'what the key may do').choices(['trade', 'read']).default('trade'));
  leaf(keys, 'list', 'api keys list', 'list the API keys (never the keys themselves)', 'quant api keys list');
  leaf(keys, 'revoke', 'api keys revoke', 'revoke an API key by id or prefix', 'quant api keys revoke 3').argument(
    '<key>',
    'the id or prefix of the key',
  );

  const models = group('models', 'the model registry: versions of each model, their runs and ranks');
  leaf(models, 'list', 'models list', 'every model version: kind, status, created, last run, last rank', 'quant models list').addOption(
    outputOption(),
  );
  leaf(
    models,
    'register',
    'models register',
    'register a model version (a changed config is a new version; an unchanged one changes nothing)',
    'quant models register --name my-momentum --kind enhancedMomentum --config config.yaml',
  )
    .requiredOption('--name <name>', 'the model name (lower case, digits, _ . -)')
    .requiredOption('--kind <kind>', 'the strategy kind (see `quant models list` for those in use)')
    .option('--config <file>', "a YAML or JSON file with the kind's settings (omitted: the kind's defaults)")
    .addOption(outputOption());
  leaf(
    models,
    'retire',
    'models retire',
    'retire a version (NAME@VERSION) or every active version of NAME',
    'quant models retire my-momentum@2',
  ).argument('<model>', 'NAME or NAME@VERSION');
  leaf(models, 'show', 'models show', "a model's versions, configs and recent performance", 'quant models show enhanced-momentum')
    .argument('<name>', 'the model name')
    .addOption(outputOption());

  leaf(
    program,
    'rankings',
    'rankings',
    "the models' ranking of a date (default: the latest) and where its chart is",
    'quant rankings --date 2026-02-06',
  )
    .option('--date <YYYY-MM-DD>', 'the report date (default: the latest)', dateArg)
    .addOption(outputOption());

  const db = group('db', 'the Postgres schema');
  leaf(db, 'migrate', 'db migrate', 'apply the sql/ migrations (idempotent)', 'quant db migrate');
  const cluster = group('cluster', 'a cluster deployment');
  leaf(
    cluster,
    'init',
    'cluster init',
    'migrate, register search attributes and apply the schedules file (Helm hook)',
    'quant cluster init',
  );
  const data = group('data', 'datasets in the object store');
  leaf(
    data,
    'generate',
    'data generate',
    'generate the seeded synthetic hourly dataset (kept when it exists)',
    'quant data generate --contracts 50',
  )
    .option('--dataset <name>', 'dataset name (default FANOUT_DATASET)')
    .option('--contracts <n>', 'contracts (default 418)', intArg(1))
    .option('--bars <n>', 'hourly bars per contract (default 28048)', intArg(2))
    .option('--seed <n>', 'random seed (default QUANT_SEED)', intArg(0))
    .option('--force', 'regenerate even when it exists');

  const run = group('run', 'start a workflow, wait for it and print its result with its Web UI link');
  leaf(
    run,
    'pipeline',
    'run pipeline',
    'the daily pipeline (ingest, screen, signal, rebalance, monitor, backtest) for one date, or for each trading day of a range in order',
    'quant run pipeline --date 2026-02-06',
    'quant run pipeline --from 2026-01-02 --to 2026-02-13 --lookback-days 300',
  )
    .addOption(new Option('--date <YYYY-MM-DD>', 'the run date').argParser(dateArg).conflicts(['from', 'to', 'datesPerRun']))
    .option('--from <YYYY-MM-DD>', 'first date of a range (with --to; dates already completed are skipped, so re-running resumes)', dateArg)
    .option('--to <YYYY-MM-DD>', 'last date of a range (with --from)', dateArg)
    .option('--dates-per-run <n>', 'a range continues as new after this many dates (default 25)', intArg(1))
    .option('--lookback-days <n>', 'days of price history to ingest (a range: for its first date)', intArg(0))
    .option('--sentiment-weight <w>', 'weight of news sentiment in the signal, 0..1', numberArg(0, 1))
    .addOption(workerOption())
    .addOption(outputOption())
    // One date or one range: checked before the command runs, like commander's own required options.
    .hook('preAction', (cmd) => {
      const o = cmd.opts<{ date?: string; from?: string; to?: string }>();
      if (o.date === undefined && (o.from === undefined || o.to === undefined))
        cmd.error('error: give --date <YYYY-MM-DD>, or a range with both --from and --to', {
          exitCode: 2,
          code: 'commander.missingMandatoryOptionValue',
        });
    });
  leaf(
    run,
    'ingest',
    'run ingest',
    'end-of-day prices for one date (default the previous weekday), or a chunked, resumable backfill',
    'quant run ingest --date 2026-02-06',
    'quant run ingest --from 2025-01-01 --to 2025-12-31',
  )
    .addOption(new Option('--date <YYYY-MM-DD>', 'the date (default the previous weekday)').argParser(dateArg).conflicts(['from', 'to']))
    .option('--from <YYYY-MM-DD>', 'backfill start (with --to)', dateArg)
    .option('--to <YYYY-MM-DD>', 'backfill end (with --from)', dateArg)
    .option('--symbols <A,B>', 'symbols (default the 49-name universe)', listArg)
    .option('--lookback-days <n>', 'days of history before --date (the same spelling as run pipeline)', intArg(0))
    // The old spelling keeps working for scripts written against it; the help shows one.
    .addOption(new Option('--lookback <n>').argParser(intArg(0)).hideHelp().conflicts('lookbackDays'))
    .option('--chunk-days <n>', 'days per backfill chunk', intArg(1))
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(run, 'screen', 'run screen', 'the multi-factor screen for one date (needs its prices)', 'quant run screen --date 2026-02-06')
    .requiredOption('--date <YYYY-MM-DD>', 'the run date', dateArg)
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(run, 'signal', 'run signal', 'buy/hold/sell signals for one date (needs its screen)', 'quant run signal --date 2026-02-06')
    .requiredOption('--date <YYYY-MM-DD>', 'the run date', dateArg)
    .option('--sentiment-weight <w>', 'weight of news sentiment, 0..1', numberArg(0, 1))
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'rebalance',
    'run rebalance',
    'the paper rebalance for one date (trades once per date)',
    'quant run rebalance --date 2026-02-06',
  )
    .requiredOption('--date <YYYY-MM-DD>', 'the run date', dateArg)
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(run, 'monitor', 'run monitor', "the portfolio monitor's report for one date", 'quant run monitor --date 2026-02-06')
    .requiredOption('--date <YYYY-MM-DD>', 'the run date', dateArg)
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'features',
    'run features',
    'the model pipeline: universe and daily features of one date into the feature store',
    'quant run features --date 2026-02-06',
  )
    .requiredOption('--date <YYYY-MM-DD>', 'the run date', dateArg)
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'models',
    'run models',
    'the model pipeline: every active model version for one date (one child workflow each), signals into model_signals',
    'quant run models --date 2026-02-06',
  )
    .requiredOption('--date <YYYY-MM-DD>', 'the run date', dateArg)
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'performance',
    'run performance',
    "the model pipeline: every active model version's performance, the ranking and its report for one date",
    'quant run performance --date 2026-02-06',
  )
    .requiredOption('--date <YYYY-MM-DD>', 'the run date', dateArg)
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'model-pipeline',
    'run model-pipeline',
    'the model pipeline (features, models, performance) for each trading day of a range, in order',
    'quant run model-pipeline --from 2024-01-02 --to 2024-06-28',
  )
    .requiredOption('--from <YYYY-MM-DD>', 'first date', dateArg)
    .requiredOption('--to <YYYY-MM-DD>', 'last date', dateArg)
    .option('--dates-per-run <n>', 'continue as new after this many dates (default 25)', intArg(1))
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'backtest',
    'run backtest',
    'backtest the stored signals up to one date',
    'quant run backtest --date 2026-02-06 --start 2026-01-02 --capital 100000',
  )
    .requiredOption('--date <YYYY-MM-DD>', 'the last date', dateArg)
    .option('--start <YYYY-MM-DD>', 'the first date (default: the first stored signal)', dateArg)
    .option('--capital <n>', 'initial capital (default PORTFOLIO_INITIAL_CAPITAL)', numberArg(0, Infinity, true))
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'orchestrator',
    'run orchestrator',
    'fan-out analysis of N contracts as child workflows, or rerun the failed contracts of a run',
    'quant run orchestrator --contracts 10 --validate --wait',
    'quant run orchestrator --retry-failed synthetic-10c-20261126-3f2a9c --wait',
  )
    .option('--contracts <n>', 'contracts to analyse (default 10)', intArg(1))
    .option('--ingest', 'ingest the dataset first')
    .option('--validate', 'validate the dataset first')
    .option('--wait', 'follow the progress and print the result (implied by --worker)')
    .option('--dataset <name>', 'dataset (default FANOUT_DATASET)')
    .option('--fail <A,B>', 'contracts made to fail (drills)', listArg)
    .option('--run-key <key>', 'the run key (default derived from the inputs and the day)')
    .option('--output-prefix <prefix>', 'object-store prefix of the results (default FANOUT_OUTPUT_PREFIX)')
    .addOption(
      new Option('--retry-failed <runKey>', 'rerun only the failed contracts of this recorded run').conflicts([
        'contracts',
        'ingest',
        'validate',
        'dataset',
        'fail',
        'runKey',
      ]),
    )
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'analyze-symbol',
    'run analyze-symbol',
    'analyse (or reprocess) one contract',
    'quant run analyze-symbol --contract AAPL --run-key synthetic-10c-20261126-3f2a9c',
  )
    .requiredOption('--contract <symbol>', 'the contract')
    .option('--run-key <key>', 'the fan-out run it belongs to (default a new reprocess-<day> run)')
    .option('--dataset <name>', 'dataset (default FANOUT_DATASET)')
    .option('--output-prefix <prefix>', 'object-store prefix (default FANOUT_OUTPUT_PREFIX)')
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'aggregate',
    'run aggregate',
    'aggregate the results of a finished fan-out run into a portfolio report',
    'quant run aggregate --run-key synthetic-10c-20261126-3f2a9c',
  )
    .requiredOption('--run-key <key>', 'the fan-out run')
    .option('--output-prefix <prefix>', 'object-store prefix (default FANOUT_OUTPUT_PREFIX)')
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'reconciliation',
    'run reconciliation',
    'start the broker reconciliation loop (runs until stopped; a second start attaches)',
    'quant run reconciliation --interval 60',
  )
    .option('--interval <seconds>', 'seconds between reconciliations (default 60)', numberArg(0, Infinity, true))
    .addOption(outputOption());
  leaf(
    run,
    'risk-analysis',
    'run risk-analysis',
    "correlations and stress test of the broker's positions as of a date",
    'quant run risk-analysis --date 2026-02-06',
  )
    .option('--date <YYYY-MM-DD>', 'as of (default today, UTC)', dateArg)
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'strategies',
    'run strategies',
    "one intraday signal cycle at an instant: the strategies' signals, the risk decisions and the orders (a past instant runs on its day's replay book)",
    'quant run strategies --at 2025-03-14T14:35:00-04:00',
  )
    .requiredOption('--at <ISO time>', 'the cycle instant with its offset, e.g. 2025-03-14T14:35:00-04:00')
    .option('--live', 'use the live strategies book (refused for an instant more than API_MAX_SIGNAL_AGE_SECONDS from now)')
    .option('--strategies <a,b>', 'only these strategies', listArg)
    .addOption(workerOption())
    .addOption(outputOption());
  leaf(
    run,
    'intraday-replay',
    'run intraday-replay',
    "replay a whole trading day: its bars, every 5-minute cycle in order with the hourly risk checks, and the end of day, on the day's own paper book",
    'quant run intraday-replay --date 2025-03-14',
  )
    .requiredOption('--date <YYYY-MM-DD>', 'the session', dateArg)
    .option('--tag <name>', 'a second replay of the same day on a book of its own')
    .option('--strategies <a,b>', 'only these strategies', listArg)
    .addOption(workerOption())
    .addOption(outputOption());

  const runs = group('runs', 'recorded runs');
  leaf(
    runs,
    'list',
    'runs list',
    'the latest daily runs (from Temporal) and fan-out runs (from Postgres)',
    'quant runs list --limit 10 -o json',
  )
    .option('--limit <n>', 'rows of each kind', intArg(1), 20)
    .addOption(outputOption());

  const portfolio = leaf(
    program,
    'portfolio',
    'portfolio',
    'positions, cash, value and the last snapshot of the paper account',
    'quant portfolio -o json',
  ).addOption(outputOption());
  leaf(
    portfolio,
    'rollback',
    'portfolio rollback',
    'undo the paper book after a date in one logged transaction (without --yes: show what)',
    'quant portfolio rollback --to 2026-02-06 --yes',
  )
    .requiredOption('--to <YYYY-MM-DD>', 'keep the book up to and including this date', dateArg)
    .option('--yes', 'really undo it');

  leaf(
    program,
    'report',
    'report',
    "print a workflow's latest report (or a date's) and where its charts are",
    'quant report monitor --date 2026-02-06',
  )
    .argument('<workflow>', `one of ${REPORT_WORKFLOWS.join(', ')} (or aggregate, validate, risk-analysis)`)
    .option('--date <YYYY-MM-DD>', "that date's report", dateArg);

  const schedules = group('schedules', 'the Temporal Schedules of the daily pipeline');
  leaf(
    schedules,
    'apply',
    'schedules apply',
    'create or update the schedules of the schedules file (idempotent)',
    'quant schedules apply --file config/schedules.prod.yaml',
  ).option('--file <path>', 'schedules file (default QUANT_SCHEDULES_FILE)');
  leaf(schedules, 'list', 'schedules list', 'the schedules with their state and next run', 'quant schedules list -o json').addOption(
    outputOption(),
  );
  leaf(schedules, 'pause', 'schedules pause', 'pause a schedule', 'quant schedules pause daily-pipeline --note "holiday"')
    .argument('<id>', 'schedule id')
    .option('--note <text>', 'why');
  leaf(schedules, 'unpause', 'schedules unpause', 'unpause a schedule', 'quant schedules unpause daily-pipeline')
    .argument('<id>', 'schedule id')
    .option('--note <text>', 'why');
  leaf(schedules, 'trigger', 'schedules trigger', 'run a schedule now', 'quant schedules trigger daily-pipeline').argument(
    '<id>',
    'schedule id',
  );
  leaf(
    schedules,
    'backfill',
    'schedules backfill',
    'run the slots of a schedule between two dates (buffered, one at a time)',
    'quant schedules backfill daily-pipeline --from 2026-01-05 --to 2026-01-30',
  )
    .argument('<id>', 'schedule id')
    .requiredOption('--from <YYYY-MM-DD>', 'first date', dateArg)
    .requiredOption('--to <YYYY-MM-DD>', 'last date', dateArg);

  const strategies = group('strategies', "the execution service's strategies (strategy_config): intraday kinds, params, risk settings");
  leaf(
    strategies,
    'list',
    'strategies list',
    'every strategy: kind (external: signals over HTTP only), enabled, threshold, max position, params',
    'quant strategies list',
  ).addOption(outputOption());
  leaf(
    strategies,
    'enable',
    'strategies enable',
    'enable a strategy: its signals are accepted again',
    'quant strategies enable rsi_mean_reversion',
  ).argument('<name>', 'the strategy');
  leaf(
    strategies,
    'disable',
    'strategies disable',
    'disable a strategy: its signals are refused (strategy_disabled) and its cycle stops',
    'quant strategies disable pairs_aten_ingm',
  ).argument('<name>', 'the strategy');
  leaf(
    strategies,
    'set',
    'strategies set',
    'change a strategy: enabled, confidence_threshold, max_position_size, stop_loss_pct, max_single_position and kind are columns, any other key is a param of its kind (KEY=null removes it); checked by the kind before anything is stored',
    'quant strategies set moving_average_crossover fastPeriod=12 slowPeriod=40',
    'quant strategies set rsi_mean_reversion confidence_threshold=0.65 stop_loss_pct=null',
  )
    .argument('<name>', 'the strategy')
    .argument('<key=value...>', 'settings; a value is JSON when it parses (12, true, null, "x"), else text');

  return {
    program,
    commands: () => leaves.map(pathOf),
    run: async (argv) => {
      exitCode = 0;
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (e) {
        // Help and version end with exit code 0; every other commander error is a usage error.
        if (e instanceof Error && 'exitCode' in e && 'code' in e && typeof e.code === 'string' && e.code.startsWith('commander.'))
          return (e as { exitCode: number }).exitCode === 0 ? 0 : 2;
        throw e;
      }
      return exitCode;
    },
  };
}
